"""programs.csv: PostgreSQL's COPY path writes the same bytes as the csv.writer path (formula
guard, quoting, CRLF, BOM), in both layouts; the planners' layout (?layout=zh) as contract.md
fixes it."""

import csv
import io
from itertools import product

import pytest
from sqlalchemy import text

from app.programs import copy_out
from app.programs.export import copy_query, csv_stream, header_of, python_csv_stream
from app.programs.models import Program
from app.programs.schemas import Layout, ProgramFilters
from tests.core.helpers import count

# Names a spreadsheet or a CSV parser trips on: comma, quote, CR, LF, formula starts, a tab.
HOSTILE = {
    "4401J001": '=广州市"技师"学院,本部',
    "4401J002": "-广州市\r\n工贸技师学院",
    "4401J003": "@\t广州市交通技师学院",
}
HOSTILE_MAJORS = {"0702": '+现代农艺,"技术"\n', "0219": "服务机器人\r应用与维护"}


def hostile(engine) -> None:
    with engine.begin() as conn:
        for code, name in HOSTILE.items():
            conn.execute(
                text("UPDATE college SET name = :n WHERE code = :c"), {"n": name, "c": code}
            )
        for code, name in HOSTILE_MAJORS.items():
            conn.execute(text("UPDATE major SET name = :n WHERE code = :c"), {"n": name, "c": code})
        conn.execute(text("UPDATE category SET name = '=SUM(A1)' WHERE name = '交通类'"))
        conn.execute(text("UPDATE program SET status = 'suspended' WHERE id % 5 = 0"))
        conn.execute(
            text("UPDATE program SET status = 'withdrawn', length_years = 4 WHERE id % 7 = 0")
        )
        # Values outside the vocabulary (a script wrote them): the COPY path's per-value cells
        # do not know them, so they take the general guard-and-quote, and NULLs of the Chinese
        # mapping (no 九年, no 'paused') an empty cell, as csv.writer writes them.
        first = "(SELECT MIN(id) FROM program)"
        conn.execute(
            text(
                "UPDATE program SET intake = '=初中,起点\"', level = '-x\r\n', length_years = 9,"
                f" status = 'paused' WHERE id = {first}"
            )
        )
        conn.execute(text(f"UPDATE program SET intake = '@初中' WHERE id = {first} + 1"))


def whole(stream) -> bytes:
    return b"".join(stream)


FILTERS = [
    ProgramFilters(),
    ProgramFilters(college="4401J001"),
    ProgramFilters(category="=SUM(A1)", status="active"),
    ProgramFilters(year=1900),  # nothing: the header alone
]


@pytest.mark.postgres_only
@pytest.mark.parametrize(("layout", "bom"), list(product(Layout, (True, False))))
def test_copy_path_writes_the_bytes_of_the_csv_writer_path(seeded, layout, bom):
    hostile(seeded)

    def refuse():
        raise AssertionError("the COPY path fell back to csv.writer")

    for filters in FILTERS:
        query = copy_query(filters, layout)
        copied = whole(
            copy_out.csv_chunks(seeded, header_of(layout), query, bom=bom, fallback=refuse)
        )
        written = whole(python_csv_stream(seeded, filters, bom=bom, layout=layout))
        assert copied == written, filters
        assert copied.startswith(b"\xef\xbb\xbf" if bom else header_of(layout)[0].encode())
    everything = whole(csv_stream(seeded, ProgramFilters(), layout=layout))
    rows = list(csv.reader(io.StringIO(everything.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1 + count(seeded, Program)
    assert {len(row) for row in rows} == {10}
    assert "'" + HOSTILE["4401J002"] in {row[1] for row in rows}  # guarded, CRLF kept
    assert b"'=SUM(A1)" in everything
    assert b"\"'=\xe5\xb9\xbf" in everything


@pytest.mark.postgres_only
def test_a_name_with_the_copy_quote_character_takes_the_csv_writer_path(seeded):
    with seeded.begin() as conn:
        conn.execute(text("UPDATE college SET name = 'A\x1eB' WHERE code = '4401J001'"))
    body = whole(csv_stream(seeded, ProgramFilters(college="4401J001")))
    assert body == whole(python_csv_stream(seeded, ProgramFilters(college="4401J001")))
    assert b"A\x1eB" in body


ZH_4401J001 = (
    "\ufeff学校代码,学校名称,专业代码,专业名称,专业类别,层次,级别,学制,状态,首次批准年份\r\n"
)


def test_planners_layout_has_chinese_headers_and_values(seeded_client, seeded):
    with seeded.begin() as conn:
        conn.execute(
            text(
                "UPDATE program SET status = 'suspended' WHERE id = (SELECT MIN(p.id)"
                " FROM program AS p JOIN college AS c ON c.id = p.college_id"
                " WHERE c.code = '4401J001')"
            )
        )
    zh = seeded_client.get("/api/v1/programs.csv", params={"college": "4401J001", "layout": "zh"})
    en = seeded_client.get("/api/v1/programs.csv", params={"college": "4401J001"})
    assert zh.status_code == 200
    zh_lines = zh.content.decode("utf-8").split("\r\n")
    en_lines = en.content.decode("utf-8").split("\r\n")
    assert zh_lines[0] == ZH_4401J001.removesuffix("\r\n")
    assert en_lines[0] == "\ufeff" + ",".join(header_of(Layout.en))
    assert len(zh_lines) == len(en_lines) == 7 + 2
    assert (
        zh_lines[1]
        == "4401J001,广州市技师学院,0702,现代农艺技术,农业类,初中起点,高级,五年,停招,2024"
    )
    assert en_lines[1] == (
        "4401J001,广州市技师学院,0702,现代农艺技术,农业类,初中起点,高级,5,suspended,2024"
    )
    for zh_line, en_line in zip(zh_lines[2:-1], en_lines[2:-1], strict=True):
        assert zh_line.split(",")[:7] == en_line.split(",")[:7]
        assert zh_line.split(",")[8:] == ["在办", "2024"]
    bad = seeded_client.get("/api/v1/programs.csv", params={"layout": "fr"})
    assert bad.status_code == 422
    assert bad.json()["error"]
