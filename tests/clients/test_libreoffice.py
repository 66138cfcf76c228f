"""Finding 1: the downloads a person opens keep every code. LibreOffice (headless ``soffice``, as
Excel stands in) opens the default download — the XLSX — of programs and of the 2024 list and
saves it as CSV: every code is as the registry has it, leading zeros included (the CSVs lost 43
of 98 and 43 of 82 when opened so)."""

import csv
import io
import os

import pytest

from tests.changes.helpers import API
from tests.clients.spreadsheets import convert, soffice

pytestmark = pytest.mark.skipif(
    soffice() is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed: `make libreoffice` installs it",
)


def _codes(text: str, column: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    start = next(i for i, row in enumerate(rows) if column in row)
    index = rows[start].index(column)
    return [row[index] for row in rows[start + 1 :] if len(row) > index and row[index]]


def _through_libreoffice(data: bytes, tmp_path, name: str) -> str:
    source = tmp_path / f"{name}.xlsx"
    source.write_bytes(data)
    # CSV, UTF-8 (76), comma (44), quote (34): what a person's "save as CSV" gives
    produced = convert(source, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path)
    return produced.read_text("utf-8")


def test_programs_xlsx_keeps_every_code_in_libreoffice(seeded_client, tmp_path):
    expected = _codes(seeded_client.get(f"{API}/programs.csv").text, "major_code")
    assert sum(code.startswith("0") for code in expected) >= 40
    text = _through_libreoffice(seeded_client.get(f"{API}/programs.xlsx").content, tmp_path, "p")
    assert _codes(text, "major_code") == expected
    colleges = _codes(seeded_client.get(f"{API}/programs.csv").text, "college_code")
    assert _codes(text, "college_code") == colleges


def test_the_2024_list_xlsx_keeps_every_code_in_libreoffice(seeded_client, tmp_path):
    lists = seeded_client.get(f"{API}/publications", params={"year": 2024}).json()["items"]
    technician = next(p for p in lists if p["system"] == "technician")
    csv_text = seeded_client.get(f"{API}/publications/{technician['id']}.csv").text
    expected = _codes(csv_text, "专业代码")
    assert len(expected) >= 80
    assert sum(code.startswith("0") for code in expected) >= 40
    xlsx = seeded_client.get(f"{API}/publications/{technician['id']}.xlsx").content
    assert _codes(_through_libreoffice(xlsx, tmp_path, "list"), "专业代码") == expected
