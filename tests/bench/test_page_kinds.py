"""The pages benchmark 2 asks for are real pages of ``GET /api/v1/programs``: for every page kind
a third are first pages, a third last pages (no ``next``), the rest pages in between, and every
item matches the filters (the timings themselves are ``make bench``)."""

import random

from app.pagination import decode_after
from bench.generate import generate
from bench.load import load_registry, registry_in_process
from bench.load_test import PAGE, PAGE_KINDS, kind_paths, page_cursors, program_filter_values
from tests.bench.test_generator_smoke import TINY

# An item's field for each filter of a page kind (province is the college's: checked by code).
ITEM_FIELD = {"college": "college_code", "category": "category", "major_code": "major_code"}
ITEM_FIELD |= {"year": "since_year", "status": "status"}


def test_page_cursors_are_where_a_client_walking_the_pages_asks():
    ids = list(range(3, 3 + 2 * PAGE + 7))
    assert page_cursors(ids[:PAGE]) == [None]
    cursors = page_cursors(ids)
    assert len(cursors) == 3
    assert cursors[0] is None
    assert [decode_after(c, int) for c in cursors[1:]] == [ids[PAGE - 1], ids[2 * PAGE - 1]]


def test_every_page_kind_asks_for_first_middle_and_last_pages_that_exist(
    tmp_path, seeded, database_url, client
):
    manifest = generate(tmp_path, TINY)
    load_registry(database_url, tmp_path, manifest, run=registry_in_process)
    programs = program_filter_values(database_url)
    province = {row[1]: row[4] for row in programs}  # college code -> province
    middles = 0
    for kind in PAGE_KINDS:
        paths = kind_paths(random.Random(3), kind, programs, count=30, page=4)
        assert len(paths) == 30
        for n, query in enumerate(paths):
            response = client.get("/api/v1/programs", params=query)
            assert response.status_code == 200, (kind, query, response.text)
            body = response.json()
            assert body["items"], (kind, query)  # every value asked for has programs
            for item in body["items"]:
                for name in kind.filters:
                    got = (
                        province[item["college_code"]]
                        if name == "province"
                        else item[ITEM_FIELD[name]]
                    )
                    assert str(got) == query[name], (kind, name, item)
            if n % 3 == 0:
                assert "cursor" not in query
            if n % 3 == 2:
                assert body["next"] is None, (kind, query)  # the last page
            if n % 3 == 1 and "cursor" in query:
                middles += 1
                assert body["next"] is not None, (kind, query)
    assert middles  # some values have pages in between
