"""Limits: request body size (413 too_large, by Content-Length and by counting streamed bytes) and
spreadsheet row count (413 too_many_rows)."""

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from app.config import Settings
from app.main import create_app

LIMIT = 2048


@pytest.fixture
def small_client(seeded, settings):
    limited = Settings(database_url=settings.database_url, max_body_bytes=LIMIT, max_upload_rows=3)
    with TestClient(create_app(limited, seeded)) as client:
        yield client


def _college_json(padding: int) -> dict:
    return {
        "code": "4401J099",
        "name": "广州市测试技师学院",
        "type": "技师学院",
        "ownership": "公办",
        "province": "广东省",
        "city": "广州市",
        "pad": "x" * padding,
    }


def test_body_over_the_limit_by_content_length_gets_413_too_large(small_client, role_headers):
    response = small_client.post(
        "/api/v1/colleges", json=_college_json(LIMIT), headers=role_headers["superuser"]
    )
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert small_client.get("/api/v1/colleges/4401J099").status_code == 404


def test_streamed_body_without_content_length_is_counted_and_refused(small_client, role_headers):
    def chunks():
        for _ in range(8):
            yield b"x" * 512

    response = small_client.post(
        "/api/v1/colleges",
        content=chunks(),
        headers={**role_headers["superuser"], "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


def test_a_lying_content_length_does_not_get_a_larger_body_through(small_client, role_headers):
    body = b'{"code": "' + b"x" * (LIMIT * 2) + b'"}'

    def one_chunk():
        yield body

    response = small_client.post(
        "/api/v1/colleges",
        content=one_chunk(),
        headers={
            **role_headers["superuser"],
            "Content-Type": "application/json",
            "Content-Length": "10",
        },
    )
    assert response.status_code == 413


def test_body_under_the_limit_is_served(small_client, role_headers):
    response = small_client.post(
        "/api/v1/colleges", json=_college_json(0), headers=role_headers["superuser"]
    )
    assert response.status_code == 201


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_spreadsheet_with_more_rows_than_allowed_gets_413_too_many_rows(
    seeded, settings, role_headers
):
    limited = Settings(database_url=settings.database_url, max_upload_rows=3)
    header = ["code", "name", "type", "ownership", "province", "city"]
    rows = [
        [f"4401J09{i}", f"广州市第{i}测试技师学院", "技师学院", "公办", "广东省", "广州市"]
        for i in range(4)
    ]
    with TestClient(create_app(limited, seeded)) as client:
        too_many = client.post(
            "/api/v1/colleges/import",
            headers=role_headers["superuser"],
            files={"file": ("colleges.xlsx", _xlsx([header, *rows]))},
        )
        assert too_many.status_code == 413
        assert too_many.json()["error"] == "too_many_rows"
        just_enough = client.post(
            "/api/v1/colleges/import",
            headers=role_headers["superuser"],
            files={"file": ("colleges.xlsx", _xlsx([header, *rows[:3]]))},
        )
        assert just_enough.status_code == 200, just_enough.text


def test_xlsx_that_inflates_past_the_limit_gets_413_before_openpyxl_reads_it(
    seeded_client, role_headers, monkeypatch
):
    from app.spreadsheets import reading

    data = _xlsx([["code", "name", "category"], ["0127", "机电一体化技术", "机械类" * 2000]])
    monkeypatch.setattr(reading, "MAX_XLSX_UNZIPPED_BYTES", len(data) * 2)
    response = seeded_client.post(
        "/api/v1/catalogs/technician-2022/import",
        headers=role_headers["superuser"],
        files={"file": ("catalog.xlsx", data)},
    )
    assert response.status_code == 413
    assert response.json()["error"] == "spreadsheet_too_large"
