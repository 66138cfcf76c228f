"""Done-when: a diff between the seeded 2024 list and a corrected revision reports exactly the
lines that changed — as JSON and as CSV/XLSX."""

import csv
import io
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from tests.publications.helpers import API, GZ, SERIES_2024, line


def correct_four_things(lines: list[dict]) -> None:
    """Entry 1's length, entry 4's remark, entry 72's only line replaced by another offering
    (one removed, one added), and 备注 of entry 35 unchanged."""
    assert lines[0]["major_code"] == "0702"
    assert lines[0]["length_years"] == 5
    lines[0]["length_years"] = 3
    assert lines[3]["major_code"] == "8172"
    assert lines[3]["remark"] == "新增层次"
    lines[3]["remark"] = ""
    assert lines[-1]["seq"] == 72
    assert lines[-1]["major_code"] == "1301"
    lines[-1] = line(72, lines[-1]["college"], "1301", "高中起点", "高级", 3, "新增层次")


@pytest.fixture
def revised(correction):
    return correction(correct_four_things)


def test_diff_of_the_2024_list_and_its_correction_reports_exactly_the_changed_lines(
    seeded_client, list_2024, revised
):
    response = seeded_client.get(
        f"{API}/diff", params={"from": list_2024["id"], "to": revised["id"]}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["from"] == {
        "ref": str(list_2024["id"]),
        "publications": [list_2024["id"]],
        "years": [2024],
    }
    assert body["summary"] == {"added": 1, "removed": 1, "changed": 2, "unchanged": 79}
    assert [(c["key"], c["fields"]) for c in body["changed"]] == [
        (
            {
                "college_code": "4401J001",
                "major_code": "0702",
                "intake": "初中起点",
                "level": "高级",
            },
            ["length_years"],
        ),
        (
            {
                "college_code": "4401J001",
                "major_code": "8172",
                "intake": "高中起点",
                "level": "高级",
            },
            ["remark"],
        ),
    ]
    first = body["changed"][0]
    assert (first["before"]["length"], first["after"]["length"]) == ("五年", "三年")
    assert [
        (x["college"], x["major_code"], x["intake"], x["level"], x["length"])
        for x in body["removed"]
    ] == [("广州市天工科技技工学校", "1301", "初中起点", "中级", "三年")]
    assert [
        (x["college"], x["major_code"], x["intake"], x["level"], x["remark"]) for x in body["added"]
    ] == [("广州市天工科技技工学校", "1301", "高中起点", "高级", "新增层次")]


EXPECTED_DIFF_CSV = (
    "\ufeff变更,序号,学校,专业,专业类别,专业代码,层次,级别,学制,备注,变更内容\r\n"
    "删除,72,广州市天工科技技工学校,中药,医药类,1301,初中起点,中级,三年,,\r\n"
    "修改,1,广州市技师学院,现代农艺技术,农业类,0702,初中起点,高级,三年,,学制: 五年 → 三年\r\n"
    "修改,4,广州市技师学院,新媒体运营,信息类,8172,高中起点,高级,三年,,备注: 新增层次 → \r\n"
    "新增,72,广州市天工科技技工学校,中药,医药类,1301,高中起点,高级,三年,新增层次,\r\n"
)


def test_diff_as_csv_lists_removed_changed_and_added_lines(seeded_client, list_2024, revised):
    params = {"from": list_2024["id"], "to": revised["id"]}
    as_csv = seeded_client.get(f"{API}/diff.csv", params=params)
    assert as_csv.status_code == 200
    assert as_csv.content == EXPECTED_DIFF_CSV.encode("utf-8")
    as_format = seeded_client.get(f"{API}/diff", params={**params, "format": "csv"})
    assert as_format.content == as_csv.content
    no_bom = seeded_client.get(f"{API}/diff.csv", params={**params, "bom": "false"})
    assert no_bom.content == EXPECTED_DIFF_CSV.removeprefix("\ufeff").encode("utf-8")


def test_diff_as_xlsx_has_the_same_rows_with_codes_as_text(seeded_client, list_2024, revised):
    params = {"from": list_2024["id"], "to": revised["id"]}
    sheet = load_workbook(
        io.BytesIO(seeded_client.get(f"{API}/diff.xlsx", params=params).content)
    ).active
    rows = [[("" if v is None else str(v)) for v in r] for r in sheet.iter_rows(values_only=True)]
    expected = [r.split(",") for r in EXPECTED_DIFF_CSV.lstrip("\ufeff").split("\r\n") if r]
    assert rows == expected
    assert sheet["F2"].data_type == "s"
    assert sheet["F2"].number_format == "@"


def test_diff_by_series_and_year_resolves_the_latest_revisions(seeded_client, list_2024, revised):
    by_series = seeded_client.get(
        f"{API}/diff", params={"from": list_2024["id"], "to": SERIES_2024}
    ).json()
    assert by_series["to"]["publications"] == [revised["id"]]
    assert by_series["summary"]["changed"] == 2
    by_year = seeded_client.get(
        f"{API}/diff", params={"from": list_2024["id"], "to": "year:2024", "authority": GZ}
    ).json()
    assert by_year["to"]["publications"] == [revised["id"]]
    assert by_year["summary"] == by_series["summary"]
    # Without an authority, year:2024 has a technician and a 中职 list: never mixed silently
    # (issue 23) — one system, technician unless asked, and `systems` names both.
    every = seeded_client.get(
        f"{API}/diff", params={"from": list_2024["id"], "to": "year:2024"}
    ).json()
    assert every["to"]["publications"] == [revised["id"]]
    assert every["summary"] == by_series["summary"]
    assert every["layout"] == "technician"
    assert every["systems"] == ["secondary", "technician"]
    secondary = seeded_client.get(
        f"{API}/diff", params={"from": "year:2024", "to": "year:2024", "system": "secondary"}
    ).json()
    assert secondary["layout"] == "secondary"
    assert len(secondary["to"]["publications"]) == 1
    assert secondary["summary"]["unchanged"] == 16
    assert all(line["college_code"].startswith("4401Z") for line in secondary["added"])


def test_diff_between_two_years_puts_the_lists_side_by_side(
    seeded_client, seeded, gz_admin, list_2024, draft
):
    # 0702 of the 2024 list was suspended since; 2025's list reopens it (停招后复开).
    from sqlmodel import Session, select

    from app.colleges.models import College
    from app.programs.models import Program

    with Session(seeded) as session:
        program = session.exec(
            select(Program)
            .join(College, College.id == Program.college_id)
            .where(College.code == "4401J001", Program.level == "高级")
            .where(Program.id == list_2024["entries"][0]["lines"][0]["program_id"])
        ).one()
        program.status = "suspended"
        session.add(program)
        session.commit()
    lines = [
        line(1, "4401J001", "0127", "初中起点", "高级", 5),
        line(2, "4401J001", "0702", "初中起点", "高级", 5),  # also on the 2024 list
    ]
    pid = draft(lines)["id"]
    assert seeded_client.post(f"{API}/{pid}/publish", headers=gz_admin).status_code == 200
    params = {"from": "year:2024", "to": "year:2025", "authority": "GZ-HRSS"}
    body = seeded_client.get(f"{API}/diff", params=params).json()
    # Approved in 2025 and not in 2024 is not a removal: no 新增/删除 between years.
    assert body["kind"] == "years"
    assert (body["from"]["years"], body["to"]["years"]) == ([2024], [2025])
    assert body["summary"] == {"only_from": 81, "only_to": 1, "both": 1}
    assert body["added"] == body["removed"] == body["changed"] == []
    assert [x["major_code"] for x in body["only_to"]] == ["0127"]
    [repeat] = body["both"]
    assert (repeat["before"]["seq"], repeat["after"]["seq"], repeat["fields"]) == (1, 2, [])

    response = seeded_client.get(f"{API}/diff.csv", params=params)
    disposition = unquote(response.headers["content-disposition"])
    assert "2024年与2025年新增专业名单对照.csv" in disposition
    assert 'filename="publications-years-2024-2025.csv"' in disposition
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "对照"
    assert rows[0][-1] == "说明"
    assert [(r[0], r[5], r[-1]) for r in rows[1:3]] == [
        ("仅2025年", "0127", ""),
        ("2024年、2025年均有", "0702", "2024年名单序号 1"),
    ]
    assert {r[0] for r in rows[3:]} == {"仅2024年"}
    assert len(rows) == 1 + 1 + 1 + 81
    assert not any(r[0] in ("新增", "删除", "修改") for r in rows[1:])
    book = load_workbook(io.BytesIO(seeded_client.get(f"{API}/diff.xlsx", params=params).content))
    assert book.sheetnames == ["对照"]
    assert book["对照"]["A3"].value == "2024年、2025年均有"

    # the page: its summary sentence was blank for two years, and it listed none of the lines
    page = seeded_client.get("/publications/diff", params={"from": "year:2024", "to": "year:2025"})
    assert page.status_code == 200
    said = page.text.split('<p id="diff-summary">')[1].split("</p>")[0]
    assert said == "仅2025年名单有 1 行，仅2024年名单有 81 行，两年名单均有 1 行。"
    only_to = page.text.split('id="lines-only_to"')[1].split("</table>")[0]
    assert "仅在新名单（1）" in only_to
    assert "0127" in only_to
    assert "仅在原名单（81）" in page.text
    both = page.text.split('id="lines-both"')[1].split("</table>")[0]
    assert "两份名单均有（1）" in both
    assert "0702" in both
    assert "无改动" in both


def test_a_correction_is_still_compared_as_revisions(seeded_client, list_2024, revised):
    body = seeded_client.get(
        f"{API}/diff", params={"from": list_2024["id"], "to": revised["id"]}
    ).json()
    assert body["kind"] == "revisions"
    assert body["only_to"] == body["both"] == []
    assert set(body["summary"]) == {"added", "removed", "changed", "unchanged"}


@pytest.mark.parametrize(
    ("params", "status", "error"),
    [
        ({"from": "999999", "to": "1"}, 404, "publication_not_found"),
        ({"from": "year:1999", "to": "1"}, 404, "publication_not_found"),
        ({"from": "NO-SUCH-SERIES", "to": "1"}, 404, "publication_not_found"),
        ({"from": "year:20x4", "to": "1"}, 422, "bad_reference"),
        ({"to": "1"}, 422, "validation_error"),
    ],
)
def test_diff_with_a_bad_reference_is_refused(seeded_client, list_2024, params, status, error):
    response = seeded_client.get(f"{API}/diff", params=params)
    assert response.status_code == status
    assert response.json()["error"] == error
