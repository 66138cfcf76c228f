"""The page ``/publications/diff`` a page at a time (issue 28): the summary, and of each section
``limit`` lines with its total and a link to its next lines; followed to the end, a section's pages
hold exactly the lines of the API's answer for the same refs, in its order — none twice, none lost.
The lines are read by key in the database a page at a time (``diff_page``), never the whole
lists."""

import re
from html import unescape

import pytest
from sqlmodel import Session

from app.publications import diff as diffs
from app.publications import diff_lines, diff_page
from tests.publications.helpers import API, line

PAGE = "/publications/diff"


def remark_every_line_drop_twenty_replace_the_last(lines: list[dict]) -> None:
    """A correction that changes 备注 of every line it keeps, drops lines 61–81 and replaces the
    last line's offering by another, numbered after line 60: changed, removed and added lines."""
    for kept in lines:
        kept["remark"] = "勘误：备注更正"
    last = lines[-1]
    del lines[60:-1]
    seq = lines[59]["seq"] + 1
    lines[-1] = line(seq, last["college"], "1301", "高中起点", "高级", 3, "新增层次")


@pytest.fixture
def revised(correction):
    return correction(remark_every_line_drop_twenty_replace_the_last)


@pytest.fixture
def year_2025(seeded_client, gz_admin, draft) -> dict:
    """A 2025 list of one offering the 2024 list does not have (its 82 lines are only 2024's)."""
    pid = draft([line(1, "4401J001", "0127", "初中起点", "高级", 5)])["id"]
    published = seeded_client.post(f"{API}/{pid}/publish", headers=gz_admin)
    assert published.status_code == 200, published.text
    return published.json()


def _section(html: str, anchor: str) -> str:
    """The HTML of one section: from its heading to the next heading (or the page's end)."""
    part = html.split(f'<h2 id="{anchor}">')[1]
    return part.split("<h2 ")[0].split("</main>")[0]


def _cells(section: str) -> list[list[str]]:
    body = section.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in section else ""
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", td)).strip()
            for td in re.findall(r"<td[^>]*>(.*?)</td>", tr)
        ]
        for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def _link(section: str, rel_next: bool) -> str | None:
    pattern = r'<a href="([^"]+)" rel="next">' if rel_next else r'<a href="([^"]+)">回到第 1 行'
    found = re.search(pattern, section)
    return unescape(found.group(1)) if found else None


def _walk(client, url: str | None, anchor: str, pages: int) -> list[list[str]]:
    """The rows of a section over its ``pages`` pages, following its 下一页 links."""
    rows: list[list[str]] = []
    for _ in range(pages):
        assert url is not None, f"{anchor}: only {_} pages"
        page = client.get(url)
        assert page.status_code == 200, page.text
        section = _section(page.text, anchor)
        rows += _cells(section)
        url = _link(section, rel_next=True)
    assert url is None, f"{anchor}: more than {pages} pages"
    return rows


def test_a_section_shows_its_first_lines_its_total_and_a_link_to_its_next_lines(
    seeded_client, list_2024, year_2025
):
    params = {"from": "year:2024", "to": "year:2025", "limit": 10}
    page = seeded_client.get(PAGE, params=params)
    assert page.status_code == 200
    assert "仅2025年名单有 1 行，仅2024年名单有 82 行，两年名单均有 0 行。" in page.text
    only_from = _section(page.text, "lines-only_from")
    assert only_from.startswith("仅在原名单（82）</h2>")
    assert "第 1–10 行，共 82 行" in only_from
    assert len(_cells(only_from)) == 10
    assert 'aria-label="仅在原名单：翻页"' in only_from
    assert "下一页：第 11–20 行" in only_from
    nxt = _link(only_from, rel_next=True)
    assert nxt is not None
    assert nxt.startswith(f"{PAGE}?from=year%3A2024&to=year%3A2025&limit=10&only_from=")
    assert nxt.endswith("#lines-only_from")
    assert _link(only_from, rel_next=False) is None  # on its first page
    # a section of one line has no pager
    assert "翻页" not in _section(page.text, "lines-only_to")

    second = seeded_client.get(nxt).text
    only_from = _section(second, "lines-only_from")
    assert "第 11–20 行，共 82 行" in only_from
    assert "下一页：第 21–30 行" in only_from
    back = _link(only_from, rel_next=False)
    assert back == f"{PAGE}?from=year%3A2024&to=year%3A2025&limit=10#lines-only_from"
    assert "第 1–10 行" in _section(seeded_client.get(back).text, "lines-only_from")


def test_following_a_sections_links_shows_every_line_of_the_api_once(
    seeded_client, list_2024, year_2025
):
    params = {"from": "year:2024", "to": "year:2025"}
    api = seeded_client.get(f"{API}/diff", params=params).json()
    rows = _walk(
        seeded_client, f"{PAGE}?from=year:2024&to=year:2025&limit=7", "lines-only_from", 12
    )
    assert len(rows) == 82  # 11 pages of 7, 1 of 5
    expected = [
        [x["college"], x["major_code"], x["intake"], x["level"] or ""] for x in api["only_from"]
    ]
    assert [r[:2] + r[3:5] for r in rows] == expected
    assert len({tuple(r) for r in rows}) == len(rows)


def test_a_correction_page_by_page_holds_the_apis_changed_removed_and_added_lines(
    seeded_client, list_2024, revised
):
    refs = f"from={list_2024['id']}&to={revised['id']}"
    api = seeded_client.get(f"{API}/diff?{refs}").json()
    assert api["summary"] == {"added": 1, "removed": 22, "changed": 60, "unchanged": 0}
    first = seeded_client.get(f"{PAGE}?{refs}&limit=25").text
    assert "修改（60）" in first
    assert "第 1–25 行，共 60 行" in _section(first, "lines-changed")
    changed = _walk(seeded_client, f"{PAGE}?{refs}&limit=25", "lines-changed", 3)
    assert [r[1].split()[0] for r in changed] == [c["after"]["major_code"] for c in api["changed"]]
    assert {r[2] for r in changed} == {"备注"}  # the field's printed name, not ``remark``
    assert all(r[4] == "勘误：备注更正" for r in changed)
    assert changed[0][3] == "（空）"  # 0702 had no 备注: said, not a blank struck through
    removed = _walk(seeded_client, f"{PAGE}?{refs}&limit=10", "lines-removed", 3)
    assert [(r[0], r[1]) for r in removed] == [
        (x["college"], x["major_code"]) for x in api["removed"]
    ]
    added = _walk(seeded_client, f"{PAGE}?{refs}&limit=25", "lines-added", 1)
    assert [r[1] for r in added] == ["1301"]
    # a section's link keeps where the others are: removed's next page, changed on its second
    first = seeded_client.get(f"{PAGE}?{refs}&limit=10").text
    second = _link(_section(first, "lines-changed"), rel_next=True)
    assert second is not None
    there = seeded_client.get(second).text
    onwards = _link(_section(there, "lines-removed"), rel_next=True)
    assert onwards is not None
    both_moved = seeded_client.get(onwards).text
    assert "第 11–20 行，共 60 行" in _section(both_moved, "lines-changed")
    assert "第 11–20 行，共 22 行" in _section(both_moved, "lines-removed")


def _walk_service(engine, refs: diffs.Refs, name: str, limit: int) -> list:
    """A section's items over all its pages, read through ``diff_page.page`` cursor by cursor."""
    items: list = []
    cursor: str | None = None
    while True:
        with Session(engine) as session:
            shown = diff_page.page(
                session, None, refs, at={name: cursor} if cursor else {}, limit=limit
            )
        [section] = [s for s in shown.sections if s.name == name]
        assert section.start == len(items)
        assert len(section.items) == min(limit, section.total - len(items))
        items += section.items
        if section.next is None:
            assert len(items) == section.total
            return items
        cursor = section.next


@pytest.mark.parametrize("limit", [1, 7, 100])
def test_every_section_read_a_page_at_a_time_is_the_apis_list(
    seeded_client, seeded, list_2024, revised, year_2025, limit
):
    for refs in (
        diffs.Refs(str(list_2024["id"]), str(revised["id"])),
        diffs.Refs("year:2024", "year:2025"),
    ):
        api = seeded_client.get(
            f"{API}/diff", params={"from": refs.from_ref, "to": refs.to_ref}
        ).json()
        names = (
            ("only_to", "only_from", "both")
            if api["kind"] == "years"
            else ("added", "removed", "changed")
        )
        for name in names:
            assert _walk_service(seeded, refs, name, limit) == api[name], (refs, name)


def test_the_page_never_reads_a_whole_list(seeded_client, list_2024, year_2025, monkeypatch):
    """The lists' streamed readers (what the API's answer and the downloads read) are not
    what the page reads: it reads its pages only."""

    def whole(*args, **kwargs):
        raise AssertionError("the page read a whole list")

    monkeypatch.setattr(diff_lines.Matched, "later_pairs", whole)
    monkeypatch.setattr(diff_lines.Matched, "earlier_alone", whole)
    page = seeded_client.get(PAGE, params={"from": "year:2024", "to": "year:2025"})
    assert page.status_code == 200
    assert "仅在原名单（82）" in page.text
    assert len(_cells(_section(page.text, "lines-only_from"))) == 82  # 100 a page: all of them


def test_a_cursor_the_page_did_not_give_is_refused_and_bad_refs_still_are(
    seeded_client, list_2024, year_2025
):
    params = {"from": "year:2024", "to": "year:2025", "limit": 10}
    first = seeded_client.get(PAGE, params=params).text
    nxt = _link(_section(first, "lines-only_from"), rel_next=True)
    assert nxt is not None
    cursor = nxt.split("only_from=")[1].split("#")[0]
    # the cursor of the earlier side's list, given to a section of the later side's lines
    for name, value in (("only_from", "garbage"), ("only_to", cursor), ("both", "WzFd")):
        page = seeded_client.get(PAGE, params=params | {name: value})
        assert page.status_code == 422, (name, value)
        assert "翻页游标无效" in page.text
    for refs, status, said in (
        ({"from": "year:1999", "to": "year:2024"}, 404, "没有 1999 年已发布的名单"),
        ({"from": "year:20x4", "to": "year:2024"}, 422, "请用 year:YYYY"),
    ):
        page = seeded_client.get(PAGE, params=refs | {"only_from": cursor})
        assert page.status_code == status
        assert said in page.text


def test_a_closures_section_is_shown_a_page_at_a_time_too():
    """The closures annexes, compared whole as the API compares them, by ``limit`` rows."""
    from types import SimpleNamespace

    from app.publications.diff_closures import ClosureDiff, ClosurePublic

    rows = [
        ClosurePublic(
            seq=n,
            college_code="4401J001",
            college="广州市技师学院",
            major_code=f"07{n:02d}",
            major_name="专业",
            intake="初中起点",
            level="中级",
            kind="停招",
            effective_year=2025,
            publication_id=1,
        )
        for n in range(1, 6)
    ]
    diff = SimpleNamespace(closures=ClosureDiff(only_to=rows))
    shown, cursor, starts = [], None, []
    while True:
        section = diff_page._closures(diff, "only_to", cursor, 2)  # type: ignore[arg-type]
        assert (section.name, section.anchor, section.total) == (
            "closures_only_to",
            "closures-only_to",
            5,
        )
        starts.append(section.start)
        shown += section.items
        if section.next is None:
            break
        cursor = section.next
    assert starts == [0, 2, 4]
    assert shown == rows


def test_forged_cursors_and_limits_are_refused_not_a_server_error(
    seeded_client, list_2024, year_2025
):
    """Numbers past the database's integers, NUL, long strings: 422, never a 500."""
    from app.pagination import encode_cursor

    params = {"from": "year:2024", "to": "year:2025", "limit": 10}
    first = seeded_client.get(PAGE, params=params).text
    nxt = _link(_section(first, "lines-only_from"), rel_next=True)
    assert nxt is not None
    publication = diff_page.decode_cursor(nxt.split("only_from=")[1].split("#")[0])[1]
    huge = 2**63
    for name, value in (
        ("only_from", encode_cursor([huge, publication, huge])),
        ("only_from", encode_cursor([10, publication, 10**40])),
        ("only_from", encode_cursor([10, publication, 1.5])),
        ("only_from", "\x00" * 10),
        ("only_from", "A" * 5_000),
        ("closures_only_from", encode_cursor([huge])),
        ("closures_only_from", encode_cursor([10**40])),
    ):
        page = seeded_client.get(PAGE, params=params | {name: value})
        assert page.status_code == 422, (name, value[:40])
        # NUL is refused before the page by the text rule of every path and query string
        if "\x00" in value:
            assert page.json()["detail"][0]["msg"].startswith("文本含不允许的字符")
        else:
            assert "翻页游标无效" in page.text
    for limit in (0, 501, huge, "\x00", "x"):
        page = seeded_client.get(PAGE, params=params | {"limit": limit})
        assert page.status_code == 422, limit
