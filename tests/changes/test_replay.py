"""Done-when of the feed: replaying ``/changes`` from 0 into an empty copy gives exactly the
registry's ``programs.csv``, after creates, updates, suspensions, withdrawals, renames and a
published list."""

from tests.changes.helpers import API, apply, csv_rows, programs_csv, read_feed


def _create(client, headers, **body):
    response = client.post(f"{API}/programs", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def _patch(client, headers, path, **body):
    response = client.patch(f"{API}/{path}", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_replaying_the_feed_from_zero_rebuilds_programs_csv_exactly(seeded_client, admin_headers):
    client, h = seeded_client, admin_headers
    seeded_rows = len(csv_rows(client.get(f"{API}/programs.csv").content))
    new = _create(
        client,
        h,
        college="4401J001",
        major_code="0219",
        intake="高中起点",
        level="高级",
        length_years=3,
        since_year=2025,
    )
    other = _create(
        client,
        h,
        college="4401J002",
        major_code="0702",
        intake="初中起点",
        level="中级",
        length_years=3,
        since_year=2025,
    )
    _patch(client, h, f"programs/{new['id']}", length_years=3, since_year=2026)
    _patch(client, h, f"programs/{new['id']}", status="suspended", reason="停招")
    _patch(client, h, f"programs/{other['id']}", status="withdrawn", reason="撤销")
    # renames change what programs.csv shows for every program of that college or major
    _patch(client, h, "colleges/4401J002", name="广州市工贸技师学院（新校区）")
    _patch(client, h, "catalogs/technician-2022/majors/0702", name="现代农艺技术（改）")
    draft = client.post(
        f"{API}/publications",
        json={
            "authority": "GZ-HRSS",
            "year": 2025,
            "title": "2025年新增专业名单",
            "published_on": "2025-04-20",
            "lines": [
                {
                    "seq": 1,
                    "college": "4401J001",
                    "major_code": "0219",
                    "intake": "高中起点",
                    "level": "高级",
                    "length_years": 3,
                    "reason": "市局补充（无申报）",  # a line added by hand: its program appears
                }
            ],
        },
        headers=h,
    )
    assert draft.status_code == 201, draft.text
    assert client.post(f"{API}/publications/{draft.json()['id']}/publish", headers=h).is_success

    items, last = read_feed(client, limit=37)
    seqs = [item["seq"] for item in items]
    assert seqs == sorted(set(seqs))
    assert last == seqs[-1]
    copy: dict = {}
    apply(copy, items)

    expected = client.get(f"{API}/programs.csv").content
    assert programs_csv(copy["program"]) == expected
    assert len(csv_rows(expected)) == seeded_rows + 2
    # the published list is there, drafts never were
    published = [i for i in items if i["entity"] == "publication"]
    assert {p["data"]["status"] for p in published} == {"published"}
    assert published[-1]["key"] == str(draft.json()["id"])
    assert copy["college"]["4401J002"]["name"] == "广州市工贸技师学院（新校区）"
    assert copy["major"]["technician-2022/0702"]["name"] == "现代农艺技术（改）"


def test_a_page_continues_where_the_last_one_ended_and_filters_by_entity(
    seeded_client, admin_headers
):
    everything, last = read_feed(seeded_client, limit=500)
    programs, last_programs = read_feed(seeded_client, entity="program", limit=500)
    assert last_programs == last
    assert [i for i in everything if i["entity"] == "program"] == programs
    assert {i["entity"] for i in everything} == {"major", "college", "program", "publication"}
    # nothing new: an empty page that keeps the place
    again = seeded_client.get(f"{API}/changes", params={"since": last}).json()
    assert again == {"items": [], "next": None, "last_seq": last}
    # a cursor is the same as since=
    first = seeded_client.get(f"{API}/changes", params={"limit": 2}).json()
    by_cursor = seeded_client.get(f"{API}/changes", params={"cursor": first["next"]}).json()
    by_since = seeded_client.get(f"{API}/changes", params={"since": first["last_seq"]}).json()
    assert by_cursor == by_since


def test_a_refused_write_leaves_no_change(seeded_client, admin_headers):
    _, last = read_feed(seeded_client, limit=500)
    existing = seeded_client.get(f"{API}/programs", params={"limit": 1}).json()["items"][0]
    duplicate = seeded_client.post(
        f"{API}/programs",
        json={
            "college": existing["college_code"],
            "major_code": existing["major_code"],
            "intake": existing["intake"],
            "level": existing["level"],
            "length_years": existing["length_years"],
            "since_year": 2025,
        },
        headers=admin_headers,
    )
    assert duplicate.status_code == 409
    assert read_feed(seeded_client, since=last)[0] == []


def test_bad_entity_and_cursor_are_422(client):
    assert client.get(f"{API}/changes", params={"entity": "filing"}).json()["error"] == (
        "invalid_entity"
    )
    assert client.get(f"{API}/changes", params={"cursor": "xx"}).status_code == 422
    assert client.get(f"{API}/changes", params={"limit": 501}).status_code == 422


def test_a_copy_from_the_listings_then_the_feed_since_head_stays_exact(
    seeded_client, admin_headers
):
    """The documented way: read the head, copy GET /programs page by page, follow the feed."""
    client, h = seeded_client, admin_headers
    head = client.get(f"{API}/changes/head").json()["last_seq"]
    copy: dict = {"program": {}}
    cursor = None
    while True:
        page = client.get(f"{API}/programs", params={"limit": 30, "cursor": cursor}).json()
        if cursor is None:  # a change lands while the copy is being taken
            _patch(client, h, "programs/1", status="suspended", reason="停招")
        for p in page["items"]:
            copy["program"][str(p["id"])] = p
        if not (cursor := page["next"]):
            break
    _create(
        client,
        h,
        college="4401J003",
        major_code="0219",
        intake="高中起点",
        level="高级",
        length_years=3,
        since_year=2025,
    )
    items, _ = read_feed(client, since=head)
    apply(copy, items)
    assert programs_csv(copy["program"]) == client.get(f"{API}/programs.csv").content
    export = client.get(f"{API}/programs.csv")
    assert int(export.headers["X-Registry-Seq"]) == read_feed(client)[1]
