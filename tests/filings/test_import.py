"""Spreadsheet filing: a GBK CSV and an XLSX with merged cells import to the same draft."""

import csv
import io
import time

from openpyxl import Workbook, load_workbook

from app.filings.importer import COLUMNS
from tests.filings.helpers import list_2024

JINLING = "4401J012"  # 广州市金领技工学校: entries 61-65 of 2024, entry 65 on two lines
YEARS = {"3": "三年", "2": "二年", "5": "五年"}


def _lines() -> list[list[str]]:
    """Entries 61-65 in the published layout; the second line of 65 leaves its merged cells
    blank, as a sheet with merged cells reads."""
    out, previous = [], None
    for row in (r for r in list_2024() if r["college"] == "广州市金领技工学校"):
        line = [
            row["seq"],
            row["college"],
            row["major_name"],
            row["category"],
            row["major_code"],
            row["intake"],
            row["level"],
            row["length_years"],
            row["remark"],
        ]
        if row["seq"] == previous:
            for i in (0, 1, 2, 3, 4, 8):
                line[i] = ""
        previous = row["seq"]
        out.append(line)
    return out


def gbk_csv() -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for i, line in enumerate(_lines()):
        # 学制 as people type it: 5, 5年
        line[7] = line[7] + ("年" if i % 2 else "")
        writer.writerow(line)
    return buffer.getvalue().encode("gbk")


def merged_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    lines = _lines()
    for line in lines:
        line[7] = YEARS[line[7]]  # 学制 as printed: 五年
        sheet.append(line)
    last = len(lines) + 1
    sheet.merge_cells(f"B2:B{last}")  # 学校 spans the college's block
    for column in "ACDEI":  # entry 65: its two lines share 序号, 专业, 类别, 代码, 备注
        sheet.merge_cells(f"{column}{last - 1}:{column}{last}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


KEYS = (
    "index",
    "row",
    "major_code",
    "major_name",
    "category",
    "intake",
    "level",
    "length_years",
    "declared_kind",
    "kind",
    "remark",
    "findings",
)


def _import(client, headers, name, body, **form):
    response = client.post(
        "/api/v1/filings/import",
        headers=headers,
        files={"file": (name, body)},
        data={"year": "2025", **form},
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_gbk_csv_and_merged_cell_xlsx_import_to_the_same_draft(seeded_client, tokens):
    raw = gbk_csv()
    raw.decode("gbk")
    assert not _is_utf8(raw)  # really GBK bytes
    by_csv = _import(seeded_client, tokens("admin", authority="GZ-HRSS"), "申报.csv", raw)
    by_xlsx = _import(seeded_client, tokens("college", college=JINLING), "申报.xlsx", merged_xlsx())
    assert by_csv["college"] == by_xlsx["college"] == JINLING
    assert (by_csv["source"], by_xlsx["source"]) == ("import:gbk", "import:xlsx")
    assert by_csv["status"] == by_xlsx["status"] == "draft"
    csv_entries = [{k: e[k] for k in KEYS} for e in by_csv["entries"]]
    xlsx_entries = [{k: e[k] for k in KEYS} for e in by_xlsx["entries"]]
    assert csv_entries == xlsx_entries
    assert len(csv_entries) == 6
    second_line = csv_entries[5]
    assert (
        second_line["row"],
        second_line["major_code"],
        second_line["intake"],
        second_line["length_years"],
        second_line["declared_kind"],
    ) == (7, "8173", "中技起点", 2, "新增层次")
    # the seeded registry runs all of them: the finding is on each spreadsheet row
    errors = {
        e["row"]: [f["code"] for f in e["findings"] if f["severity"] == "error"]
        for e in csv_entries
    }
    assert errors == {row: ["program.exists"] for row in range(2, 8)}


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_import_of_a_sheet_for_another_school_is_refused(seeded_client, tokens):
    response = seeded_client.post(
        "/api/v1/filings/import",
        headers=tokens("college", college="4401J001"),
        files={"file": ("申报.csv", gbk_csv())},
        data={"year": "2025"},
    )
    assert response.status_code == 422
    assert response.json()["error"] == "other_college"


def test_import_with_a_missing_column_names_it(seeded_client, tokens):
    body = (
        "\ufeff序号,学校,专业,专业类别,层次,级别,学制\r\n"
        "1,广州市金领技工学校,法律事务,财经商贸类,初中起点,高级,5\r\n"
    )
    response = seeded_client.post(
        "/api/v1/filings/import",
        headers=tokens("college", college=JINLING),
        files={"file": ("申报.csv", body.encode())},
        data={"year": "2025"},
    )
    assert response.status_code == 422
    assert response.json()["detail"]["missing_columns"] == ["专业代码"]


def test_templates_are_the_published_list_layout(seeded_client):
    response = seeded_client.get("/api/v1/filings/template.csv")
    assert response.status_code == 200
    assert response.content == ("\ufeff" + ",".join(COLUMNS) + "\r\n").encode()
    response = seeded_client.get("/api/v1/filings/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet["E2"].number_format == "@"  # 专业代码 kept as text (0702)


def test_the_xlsx_template_is_the_same_file_at_every_download(seeded_client):
    """openpyxl stamps a workbook with the second it is saved: made per request, a HEAD and its
    GET (or two downloads) a second apart differed in bytes and length."""
    first = seeded_client.get("/api/v1/filings/template.xlsx")
    time.sleep(1.1)  # past the second the first one may have been stamped with
    second = seeded_client.get("/api/v1/filings/template.xlsx")
    head = seeded_client.head("/api/v1/filings/template.xlsx")
    assert first.content == second.content
    assert head.headers["content-length"] == str(len(first.content))
