"""The 2024 中职 notice of 广州市教育局 (2024-04-02) as a published list in its own layout:
附件一, 附件2 and 附件3 byte for byte, XLSX, JSON, frozen with a checksum, diff and statistics."""

import io
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.publications.helpers import (
    API,
    EDU,
    EXPECTED_2024_CSV,
    EXPECTED_DIRECTIONS_CSV,
    EXPECTED_PROJECTS_CSV,
    EXPECTED_SECONDARY_CSV,
    SECONDARY_2024,
    sha256,
    source_rows,
)


def test_secondary_list_csv_equals_the_notice_annex_1_byte_for_byte(seeded_client, secondary_2024):
    expected = EXPECTED_SECONDARY_CSV.read_bytes()
    response = seeded_client.get(f"{API}/{secondary_2024['id']}.csv")
    assert response.status_code == 200
    assert response.content == expected
    assert expected.startswith("\ufeff序号,学校名称,专业名称,专业代码\r\n".encode())
    assert expected.count(b"\r\n") == expected.count(b"\n") == 17  # header + 16 lines
    assert "4,广州市交通运输职业学校,新能源装备运行与维护,660204\r\n".encode() in expected


def test_secondary_annexes_2_and_3_equal_the_notice_byte_for_byte(seeded_client, secondary_2024):
    pid = secondary_2024["id"]
    projects = seeded_client.get(f"{API}/{pid}/projects.csv")
    directions = seeded_client.get(f"{API}/{pid}/directions.csv")
    assert projects.status_code == directions.status_code == 200
    assert projects.content == EXPECTED_PROJECTS_CSV.read_bytes()
    assert directions.content == EXPECTED_DIRECTIONS_CSV.read_bytes()
    assert EXPECTED_PROJECTS_CSV.read_bytes().count(b"\r\n") == 13
    assert EXPECTED_DIRECTIONS_CSV.read_bytes().count(b"\r\n") == 6
    name = unquote(directions.headers["content-disposition"].split("UTF-8''")[1])
    assert name == "2024年广州市中等职业学校新设专业名单_附件3.csv"
    # the technician list has no such annex, the 中职 list no 附件2 of specialties
    assert seeded_client.get(f"{API}/{pid}/specialties.csv").json()["error"] == "annex_not_found"
    assert seeded_client.get(f"{API}/{pid}/nonsense.csv").status_code == 404


def test_secondary_list_is_frozen_with_the_checksum_of_its_default_download(
    seeded_client, seeded, secondary_2024, tokens
):
    pid = secondary_2024["id"]
    response = seeded_client.get(f"{API}/{pid}.csv")
    assert secondary_2024["checksum"] == sha256(EXPECTED_SECONDARY_CSV.read_bytes())
    # This download's own bytes; the list's checksum stays its canonical CSV's.
    assert response.headers["x-checksum-sha256"] == sha256(response.content)
    edu = tokens("admin", authority=EDU)
    refused = seeded_client.put(f"{API}/{pid}/projects", json={"projects": []}, headers=edu)
    assert refused.status_code == 409
    assert refused.json()["error"] == "published"
    with seeded.connect() as conn:
        for table in ("publication_project", "publication_direction"):
            with pytest.raises(DBAPIError, match="never changes"):  # the database's trigger
                conn.execute(text(f"DELETE FROM {table} WHERE publication_id = :p"), {"p": pid})
            conn.rollback()
    again = seeded_client.get(f"{API}/{pid}/directions.csv").content
    assert again == EXPECTED_DIRECTIONS_CSV.read_bytes()


def test_secondary_list_json_reads_like_the_notice(seeded_client, secondary_2024):
    body = secondary_2024
    assert (body["authority"], body["system"], body["published_on"]) == (
        EDU,
        "secondary",
        "2024-04-02",
    )
    assert body["header"] == ["序号", "学校名称", "专业名称", "专业代码"]
    assert body["line_count"] == body["entry_count"] == 16
    rows = source_rows(SECONDARY_2024)
    assert [
        (e["seq"], e["college"], e["major_name"], e["major_code"]) for e in body["entries"]
    ] == [(int(r["seq"]), r["school"], r["major_name"], r["major_code"]) for r in rows]
    # every new major is an active program of its school, approved by this list
    assert all(e["lines"][0]["program_id"] for e in body["entries"])
    assert {
        (x["intake"], x["level"], x["length"]) for e in body["entries"] for x in e["lines"]
    } == {("初中起点", None, "三年")}
    assert [a["key"] for a in body["annexes"]] == ["projects", "directions"]
    assert [a["rows"] for a in body["annexes"]] == [12, 5]
    assert body["links"]["directions_csv"].endswith(f"/{body['id']}/directions.csv")
    assert body["specialties"] == []
    assert len(body["projects"]) == 12


def test_annex_2_keeps_printed_names_and_only_suggests_the_catalog_major(secondary_2024):
    projects = secondary_2024["projects"]
    line_11 = projects[10]
    assert line_11["major_name"] == "新能源汽车制造与检修"  # as printed
    assert line_11["major_code"] is None
    assert line_11["suggestion"] == {"code": "660702", "name": "新能源汽车制造与检测"}
    line_1 = projects[0]
    assert (line_1["major_code"], line_1["suggestion"]) == ("740105", None)
    huangpu = projects[9]
    assert huangpu["school"] == "广州市黄埔职业技术学校"
    assert huangpu["college_code"] == "4401Z016"


def test_annex_3_prints_the_former_school_name_and_resolves_it(secondary_2024):
    directions = secondary_2024["directions"]
    assert [d["school"] for d in directions[1:]] == ["广州市海珠工艺美术学院"] * 4
    assert {d["college_code"] for d in directions[1:]} == {"4401Z006"}  # 海珠工艺美术职业学校


def test_secondary_list_xlsx_has_the_notice_sheets_with_codes_as_text(
    seeded_client, secondary_2024
):
    response = seeded_client.get(f"{API}/{secondary_2024['id']}.xlsx")
    # This download's own bytes; the list's checksum stays its canonical CSV's.
    assert response.headers["x-checksum-sha256"] == sha256(response.content)
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["附件一", "附件2", "附件3"]
    # The notice's title and date over each sheet (rows 1–2), then the CSV's table.
    assert book["附件一"]["A2"].value.startswith("日期：2024年4月")
    first = [
        [("" if v is None else str(v)) for v in row]
        for row in book["附件一"].iter_rows(min_row=3, values_only=True)
    ]
    expected = [
        r.split(",")
        for r in EXPECTED_SECONDARY_CSV.read_bytes().decode("utf-8-sig").split("\r\n")
        if r
    ]
    assert first == expected
    code = book["附件一"]["D4"]
    assert code.value == "700304"
    assert code.data_type == "s"
    assert code.number_format == "@"
    assert book["附件3"]["C6"].value == "艺术设计与制作（动漫设计方向）"
    alone = seeded_client.get(f"{API}/{secondary_2024['id']}/projects.xlsx")
    sheet = load_workbook(io.BytesIO(alone.content))["附件2"]
    assert sheet["D14"].value == "番禺职校-百援精养新能源汽车示范实训基地"


def test_technician_list_is_unchanged_beside_the_secondary_one(seeded_client, list_2024):
    response = seeded_client.get(f"{API}/{list_2024['id']}.csv")
    assert response.content == EXPECTED_2024_CSV.read_bytes()
    # the closures annex (停招、撤销专业名单) is empty: the 2024 list suspended nothing
    assert [(a["key"], a["rows"]) for a in list_2024["annexes"]] == [
        ("specialties", 5),
        ("closures", 0),
    ]
    assert list_2024["header"][-1] == "备注"
    assert len(list_2024["header"]) == 9


def test_secondary_diff_and_statistics_use_the_secondary_layout(
    seeded_client, secondary_2024, tokens
):
    edu = tokens("admin", authority=EDU)
    fix = seeded_client.post(
        f"{API}/{secondary_2024['id']}/corrections", json={"reason": "勘误"}, headers=edu
    ).json()
    lines = [
        {
            "seq": e["seq"],
            "college": e["college_code"],
            "major_code": e["major_code"],
            "major_name": e["major_name"] + ("（订单班）" if e["seq"] == 2 else ""),
            "intake": "初中起点",
            "length_years": 3,
        }
        for e in fix["entries"]
        if e["seq"] != 16
    ]
    assert seeded_client.put(f"{API}/{fix['id']}/lines", json={"lines": lines}, headers=edu)
    # 广州市教育局 announces its lists (公示) before publishing them, corrections too.
    period = {"from": "2024-04-20", "until": "2024-04-26", "contact": "020-83190000"}
    announced = seeded_client.post(f"{API}/{fix['id']}/announce", json=period, headers=edu)
    assert announced.status_code == 200, announced.text
    published = seeded_client.post(f"{API}/{fix['id']}/publish", headers=edu).json()
    assert len(published["projects"]) == 12
    assert len(published["directions"]) == 5
    diff = seeded_client.get(
        f"{API}/diff", params={"from": secondary_2024["id"], "to": fix["id"]}
    ).json()
    assert diff["layout"] == "secondary"
    assert diff["summary"] == {"added": 0, "removed": 1, "changed": 1, "unchanged": 14}
    body = seeded_client.get(
        f"{API}/diff.csv", params={"from": secondary_2024["id"], "to": fix["id"]}
    ).content.decode("utf-8-sig")
    assert body.split("\r\n")[:3] == [
        "变更,序号,学校名称,专业名称,专业代码,变更内容",
        "删除,16,广州市穗华职业技术学校,商务日语,770202,",
        "修改,2,广州市轻工职业学校,人工智能技术与应用（订单班）,710212,"
        "专业名称: 人工智能技术与应用 → 人工智能技术与应用（订单班）",
    ]
    stats = seeded_client.get(
        "/api/v1/statistics/approvals", params={"year": 2024, "authority": EDU}
    ).json()
    assert stats["total"] == 15
    assert stats["publications"] == [fix["id"]]
    assert stats["by_level"] == []
    assert stats["by_intake"] == []
    assert {c["key"]: c["count"] for c in stats["by_category"]}["电子与信息大类"] == 3
