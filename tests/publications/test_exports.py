"""Done-when: the official CSV/XLSX layouts, byte for byte; BOM; download names; programs.csv."""

import csv
import io
from urllib.parse import unquote

from openpyxl import load_workbook

from tests.publications.helpers import (
    API,
    EXPECTED_2024_CSV,
    SECONDARY_2024,
    SPECIALTIES_2024,
    sha256,
    source_rows,
)

PROGRAMS_HEADER = (
    "college_code,college,major_code,major_name,category,intake,level,length_years,status,"
    "since_year"
)


def test_2024_list_csv_equals_the_expected_file_byte_for_byte(seeded_client, list_2024):
    expected = EXPECTED_2024_CSV.read_bytes()
    response = seeded_client.get(f"{API}/{list_2024['id']}.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content == expected
    # The file itself: BOM, CRLF only, header + 82 lines, 五年 and leading zeros kept.
    assert expected.startswith(b"\xef\xbb\xbf")
    assert expected.count(b"\r\n") == 83
    assert expected.count(b"\n") == 83
    assert b",0702," in expected
    assert "五年".encode() in expected


def test_2024_list_checksum_is_the_sha256_of_the_default_download(seeded_client, list_2024):
    body = seeded_client.get(f"{API}/{list_2024['id']}.csv")
    assert list_2024["checksum"] == sha256(EXPECTED_2024_CSV.read_bytes())
    assert body.headers["x-checksum-sha256"] == list_2024["checksum"] == sha256(body.content)


def test_2024_list_csv_with_bom_false_is_the_same_bytes_without_the_bom(seeded_client, list_2024):
    response = seeded_client.get(f"{API}/{list_2024['id']}.csv", params={"bom": "false"})
    assert response.content == EXPECTED_2024_CSV.read_bytes()[3:]
    assert response.content.startswith("序号,".encode())


def test_download_name_is_chinese_per_rfc5987_with_an_ascii_fallback(seeded_client, list_2024):
    for ext in ("csv", "xlsx"):
        disposition = seeded_client.get(f"{API}/{list_2024['id']}.{ext}").headers[
            "content-disposition"
        ]
        parts = [p.strip() for p in disposition.split(";")]
        assert parts[0] == "attachment"
        assert f'filename="publication-{list_2024["id"]}.{ext}"' in parts
        encoded = next(p for p in parts if p.startswith("filename*="))
        assert encoded.startswith("filename*=UTF-8''")
        value = encoded.removeprefix("filename*=UTF-8''")
        assert value.isascii()
        assert " " not in value
        assert unquote(value, encoding="utf-8") == f"2024年广州市技工院校新增专业名单.{ext}"


def test_2024_list_xlsx_has_the_notice_title_then_the_csv_rows_with_0702_as_text(
    seeded_client, list_2024
):
    response = seeded_client.get(f"{API}/{list_2024['id']}.xlsx")
    assert response.status_code == 200
    # The checksum of this download's own bytes; the list's stays the canonical CSV's.
    assert response.headers["x-checksum-sha256"] == sha256(response.content)
    assert response.headers["x-checksum-sha256"] != list_2024["checksum"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["附件1"]
    assert sheet["A1"].value == "2024年广州市技工院校新增专业名单"
    assert sheet["A2"].value == "日期：2024年4月16日"  # the seeded notice's 文号 is unknown
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:I1", "A2:I2"}
    assert sheet.freeze_panes == "A4"
    assert sheet.column_dimensions["B"].width > 20  # 学校 is readable without resizing
    code = sheet["E4"]
    assert code.value == "0702"
    assert code.data_type == "s"
    assert code.number_format == "@"
    expected = list(csv.reader(io.StringIO(EXPECTED_2024_CSV.read_text("utf-8-sig"))))
    rows = [
        [("" if v is None else str(v)) for v in row]
        for row in sheet.iter_rows(min_row=3, values_only=True)
    ]
    assert rows == expected
    assert len(rows) == 83
    assert all(sheet.cell(row=r, column=5).data_type == "s" for r in range(4, 86))


def test_list_xlsx_prints_the_document_number_when_the_list_has_one(
    seeded_client, list_2024, admin_headers
):
    correction = seeded_client.post(
        f"{API}/{list_2024['id']}/corrections", headers=admin_headers, json={"reason": "补文号"}
    )
    assert correction.status_code in (200, 201), correction.text
    draft = correction.json()["id"]
    patched = seeded_client.patch(
        f"{API}/{draft}", headers=admin_headers, json={"document_number": "穗人社函〔2024〕99号"}
    )
    assert patched.status_code == 200, patched.text
    content = seeded_client.get(f"{API}/{draft}.xlsx", headers=admin_headers).content
    sheet = load_workbook(io.BytesIO(content))["附件1"]
    assert sheet["A2"].value == "文号：穗人社函〔2024〕99号　日期：2024年4月16日"


def test_every_download_carries_the_sha256_of_its_own_bytes(seeded_client, list_2024):
    base = f"{API}/{list_2024['id']}"
    for path, params in (
        (f"{base}.csv", {}),
        (f"{base}.csv", {"bom": "false"}),
        (f"{base}.xlsx", {}),
        (f"{base}/specialties.csv", {}),
        (f"{API}/diff.csv", {"from": list_2024["id"], "to": list_2024["id"]}),
        (f"{API}/diff.xlsx", {"from": list_2024["id"], "to": list_2024["id"]}),
    ):
        response = seeded_client.get(path, params=params)
        assert response.status_code == 200, (path, response.text)
        assert response.headers["x-checksum-sha256"] == sha256(response.content), path
    bare = seeded_client.get(f"{base}.csv", params={"bom": "false"})
    assert bare.headers["x-checksum-sha256"] != list_2024["checksum"]


def test_2024_list_xlsx_second_sheet_is_annex_2(seeded_client, list_2024):
    book = load_workbook(io.BytesIO(seeded_client.get(f"{API}/{list_2024['id']}.xlsx").content))
    sheet = book["附件2"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert sheet["A1"].value == "2024年广州市技工院校新增专业名单（附件2：新增特色专业名单）"
    assert rows[0] == ("专业名称", "专业编码", "培养层次", "学制", "专业大类", "申报学校")
    source = source_rows(SPECIALTIES_2024)
    assert [r[1] for r in rows[1:]] == [s["major_code"] for s in source]
    assert rows[1] == (
        "新能源汽车动力电池应用技术",
        "8206",
        "高级",
        "五年",
        "交通类",
        "广州市技师学院",
    )
    assert sheet["B4"].data_type == "s"
    assert sheet["B4"].number_format == "@"


def test_2024_specialties_csv_is_annex_2(seeded_client, list_2024):
    response = seeded_client.get(f"{API}/{list_2024['id']}/specialties.csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff专业名称,专业编码,培养层次,学制,专业大类,申报学校\r\n")
    assert "数智营销技术,8212,高级,三年,财经商贸类,广州市公用事业技师学院\r\n" in text
    assert text.count("\r\n") == 6


def test_programs_csv_of_one_college_is_the_contract_layout(seeded_client):
    response = seeded_client.get("/api/v1/programs.csv", params={"college": "4401J001"})
    assert response.status_code == 200
    expected = (
        "\r\n".join(
            [
                "\ufeff" + PROGRAMS_HEADER,
                "4401J001,广州市技师学院,0702,现代农艺技术,农业类,初中起点,高级,5,active,2024",
                "4401J001,广州市技师学院,0219,服务机器人应用与维护,电工电子类,初中起点,高级,5,active,2024",
                "4401J001,广州市技师学院,0529,健康与社会照护,服务类,初中起点,高级,5,active,2024",
                "4401J001,广州市技师学院,8172,新媒体运营,信息类,高中起点,高级,3,active,2024",
                "4401J001,广州市技师学院,0314,网络与信息安全,信息类,高中起点,高级,3,active,2024",
                "4401J001,广州市技师学院,0444,智能网联汽车技术应用,交通类,高中起点,高级,3,active,2024",
                "4401J001,广州市技师学院,8206,新能源汽车动力电池应用技术,交通类,初中起点,高级,5,active,2024",
            ]
        )
        + "\r\n"
    )
    assert response.content == expected.encode("utf-8")
    disposition = response.headers["content-disposition"]
    assert 'filename="programs.csv"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "专业设置.csv"


def test_programs_csv_uses_the_programs_list_filters_and_bom_false(seeded_client):
    response = seeded_client.get(
        "/api/v1/programs.csv", params={"level": "中级", "bom": "false", "province": "广东省"}
    )
    text = response.content.decode("utf-8")
    assert text.startswith(PROGRAMS_HEADER + "\r\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    expected = sum(1 for row in source_rows() if row["level"] == "中级")
    assert len(rows) == expected == 18
    assert {r["level"] for r in rows} == {"中级"}
    assert seeded_client.get("/api/v1/programs.csv", params={"level": "nope"}).status_code == 422


def test_programs_csv_every_2024_offering_once(seeded_client):
    text = seeded_client.get("/api/v1/programs.csv").content.decode("utf-8-sig")
    got = sorted(
        (r["college"], r["major_code"], r["intake"], r["level"], r["length_years"])
        for r in csv.DictReader(io.StringIO(text))
    )
    want = sorted(
        (r["college"], r["major_code"], r["intake"], r["level"], r["length_years"])
        for r in source_rows()
    )
    # and the 16 new majors of the 中职 notice: 初中起点, no level, three years
    want += [
        (r["school"], r["major_code"], "初中起点", "", "3") for r in source_rows(SECONDARY_2024)
    ]
    assert got == sorted(want)
    assert len(got) == 82 + 16


def test_programs_xlsx_stores_codes_as_text(seeded_client):
    response = seeded_client.get("/api/v1/programs.xlsx", params={"college": "4401J001"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert ",".join(rows[0]) == PROGRAMS_HEADER
    assert len(rows) == 8
    assert rows[1] == (
        "4401J001",
        "广州市技师学院",
        "0702",
        "现代农艺技术",
        "农业类",
        "初中起点",
        "高级",
        5,
        "active",
        2024,
    )
    for cell in (sheet["A2"], sheet["C2"]):
        assert cell.data_type == "s"
        assert cell.number_format == "@"
