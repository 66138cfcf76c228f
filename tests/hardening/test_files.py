"""Spreadsheets in and out, and the superuser's last token (issue 11, items 5, 6, 7, 11)."""

import io
import json
import re
import zipfile

import openpyxl
import pytest
from sqlalchemy import text

from app.audit import AuditLog
from tests.publications.conftest import draft, gz_admin  # noqa: F401  (fixtures)
from tests.publications.helpers import API, line

COLLEGES_HEADER = "code,name,type,ownership,province,city\r\n"


def _colleges_xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [COLLEGES_HEADER.strip().split(","), *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _understate_dimension(data: bytes) -> bytes:
    """The same workbook, its sheet saying <dimension ref="A1:G1"/> (one row) as some writers do."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content, n = re.subn(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:G1"', content)
                assert n == 1
            target.writestr(item, content)
    return out.getvalue()


def _upload(client, path, data: bytes, name: str, headers):
    return client.post(path, files={"file": (name, io.BytesIO(data))}, headers=headers)


def test_an_xlsx_whose_dimension_understates_its_rows_imports_every_row(client, admin_headers):
    rows = [
        ["T001", "测试技工学校甲", "技工学校", "公办", "广东省", "广州市"],
        ["T002", "测试技工学校乙", "技工学校", "民办", "广东省", "广州市"],
    ]
    data = _understate_dimension(_colleges_xlsx(rows))
    response = _upload(client, "/api/v1/colleges/import", data, "c.xlsx", admin_headers)
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == 2
    assert response.json()["inserted"] == 2


def test_duplicate_header_columns_are_refused_naming_row_and_columns(client, admin_headers):
    csv = (
        "\r\ncode,name,type,ownership,province,city,name\r\n"
        "T001,测试技工学校甲,技工学校,公办,广东省,广州市,另一个名字\r\n"
    ).encode()
    response = _upload(client, "/api/v1/colleges/import", csv, "c.csv", admin_headers)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "bad_header"
    assert body["detail"]["row"] == 2  # the first line is blank: the header is row 2
    assert body["detail"]["duplicate_columns"] == ["name"]


def test_an_import_that_changes_nothing_writes_no_audit_record(client, admin_headers, engine):
    csv = (COLLEGES_HEADER + "T001,测试技工学校甲,技工学校,公办,广东省,广州市\r\n").encode()
    first = _upload(client, "/api/v1/colleges/import", csv, "c.csv", admin_headers)
    assert first.json()["inserted"] == 1
    with engine.connect() as conn:
        before = conn.execute(text("SELECT COUNT(*) FROM audit_log")).scalar_one()
    again = _upload(client, "/api/v1/colleges/import", csv, "c.csv", admin_headers)
    assert again.status_code == 200
    assert (again.json()["inserted"], again.json()["updated"], again.json()["unchanged"]) == (
        0,
        0,
        1,
    )
    with engine.connect() as conn:
        after = conn.execute(text("SELECT COUNT(*) FROM audit_log")).scalar_one()
    assert after == before
    assert AuditLog.__tablename__ == "audit_log"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_and_reimport_of_a_college_code_starting_with_minus(
    seeded_client, admin_headers, fmt
):
    college = {
        "code": "-RT01",
        "name": "测试减号技工学校",
        "type": "技工学校",
        "ownership": "公办",
        "province": "广东省",
        "city": "广州市",
    }
    made = seeded_client.post("/api/v1/colleges", json=college, headers=admin_headers)
    assert made.status_code == 201, made.text
    program = {
        "college": "-RT01",
        "major_code": "0127",
        "intake": "初中起点",
        "level": "中级",
        "length_years": 3,
        "since_year": 2024,
    }
    assert (
        seeded_client.post("/api/v1/programs", json=program, headers=admin_headers).status_code
        == 201
    )
    exported = seeded_client.get(f"/api/v1/programs.{fmt}", params={"college": "-RT01"})
    assert exported.status_code == 200
    if fmt == "csv":
        assert "'-RT01" in exported.content.decode("utf-8-sig")  # the guard is on
    reimported = _upload(
        seeded_client, "/api/v1/programs/import", exported.content, f"p.{fmt}", admin_headers
    )
    assert reimported.status_code == 200, reimported.text
    assert reimported.json() == {"rows": 1, "inserted": 0, "updated": 0, "unchanged": 1}


def test_control_characters_cannot_enter_a_list_and_a_frozen_one_still_downloads(
    seeded_client,
    seeded,
    gz_admin,  # noqa: F811
    draft,  # noqa: F811
):
    created = draft([line(1, "4401J001", "0127", "初中起点", "高级", 5)])
    pid = created["id"]
    specialty = {
        "major_name": "测试专业\u0001",
        "major_code": "8999",
        "level": "高级",
        "length_years": 5,
        "category": "服务类",
        "applicant_college": "广州市技师学院",
    }
    refused = seeded_client.put(
        f"{API}/{pid}/specialties", json={"specialties": [specialty]}, headers=gz_admin
    )
    assert refused.status_code == 422
    # A list frozen before the rule existed: the character is in the database already.
    clean = {**specialty, "major_name": "测试专业"}
    assert (
        seeded_client.put(
            f"{API}/{pid}/specialties", json={"specialties": [clean]}, headers=gz_admin
        ).status_code
        == 200
    )
    with seeded.begin() as conn:
        conn.execute(
            text("UPDATE publication_specialty SET major_name = :n WHERE publication_id = :p"),
            {"n": "测试\u0001专业\u001f", "p": pid},
        )
    assert seeded_client.post(f"{API}/{pid}/publish", headers=gz_admin).status_code == 200
    xlsx = seeded_client.get(f"{API}/{pid}.xlsx")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))  # whole and readable
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    # U+FFFD in place of the characters (openpyxl sheets) or them escaped (xlsxwriter's _x0001_)
    shown = [
        re.sub("_x00[01][0-9A-F]_|[\x00-\x1f\ufffd]", "", c) for c in cells if c.startswith("测试")
    ]
    assert "测试专业" in shown
    assert "测试\u0001专业\u001f" in seeded_client.get(f"{API}/{pid}/specialties.csv").text


def test_the_last_superuser_token_cannot_be_revoked_over_the_api(client, tokens, engine):
    first = tokens("admin", name="root-1")
    me = client.get("/api/v1/me", headers=first).json()
    refused = client.delete(f"/api/v1/tokens/{me['token_id']}", headers=first)
    assert refused.status_code == 409
    assert refused.json()["error"] == "last_superuser_token"
    assert client.get("/api/v1/me", headers=first).status_code == 200
    second = tokens("admin", name="root-2")
    revoked = client.delete(f"/api/v1/tokens/{me['token_id']}", headers=second)
    assert revoked.status_code == 200
    assert client.get("/api/v1/me", headers=first).status_code == 401
    second_id = client.get("/api/v1/me", headers=second).json()["token_id"]
    assert client.delete(f"/api/v1/tokens/{second_id}", headers=second).status_code == 409
    assert json.loads(revoked.text)["active"] is False
