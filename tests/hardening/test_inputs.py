"""Inputs the database would choke on are refused before it sees them, the same on both backends
(issue 11, items 2, 3, 4 and the timezone of item 10)."""

import io
import json
import unicodedata

import pytest

from tests.factories import GZ_TECHNICIAN_COLLEGE

HUGE = 9223372036854775808  # 2**63: one more than a BIGINT holds
BEYOND_INTEGER = 2**31  # one more than PostgreSQL's INTEGER (the id columns) holds
ENTRY = {
    "major_code": "0435",
    "major_name": "新能源汽车检测与维修",
    "category": "交通类",
    "intake": "初中起点",
    "level": "高级",
    "length_years": 5,
}


@pytest.fixture
def admin(tokens):
    """The superuser, on an empty registry: every refusal here happens before a service runs."""
    return tokens("admin")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/api/v1/programs/{HUGE}"),
        ("GET", f"/api/v1/programs/{HUGE}/approvals"),
        ("PATCH", f"/api/v1/programs/{HUGE}"),
        ("GET", f"/api/v1/filings/{HUGE}"),
        ("POST", f"/api/v1/filings/{HUGE}/submit"),
        ("POST", f"/api/v1/filings/1/entries/{HUGE}/decision"),
        ("GET", f"/api/v1/referrals/{HUGE}"),
        ("GET", f"/api/v1/publications/{HUGE}"),
        ("GET", f"/api/v1/publications/{HUGE}.csv"),
        ("GET", f"/api/v1/publications/{HUGE}.xlsx"),
        ("DELETE", f"/api/v1/tokens/{HUGE}"),
        ("GET", "/api/v1/programs/0"),
        ("GET", f"/api/v1/publications/{BEYOND_INTEGER}.csv"),
        ("GET", f"/api/v1/filings/{BEYOND_INTEGER}"),
    ],
)
def test_an_id_beyond_the_database_integer_is_422(client, admin, method, path):
    response = client.request(method, path, headers=admin, json={})
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "validation_error"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/programs/abc"),
        ("PATCH", "/api/v1/programs/1x"),
        ("GET", "/api/v1/programs/-1/approvals"),
        ("GET", "/api/v1/filings/abc"),
        ("POST", "/api/v1/filings/1/entries/first/decision"),
        ("GET", "/api/v1/rounds/abc"),
        ("GET", "/api/v1/referrals/abc"),
        ("GET", "/api/v1/publications/abc.csv"),
        ("DELETE", "/api/v1/tokens/abc"),
        ("GET", "/api/v1/webhooks/abc"),
        ("GET", "/api/v1/directions/abc"),
    ],
)
def test_an_id_that_is_not_a_number_is_404_not_found(client, admin, method, path):
    # Ids are {name:int} in the paths: letters match no route, answered like any unknown path.
    response = client.request(method, path, headers=admin, json={})
    assert response.status_code == 404, response.text
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/programs",
        "/api/v1/programs.csv",
        "/api/v1/programs.xlsx",
        "/api/v1/rounds",
        "/api/v1/filings",
        "/api/v1/publications",
        "/api/v1/statistics/approvals",
    ],
)
@pytest.mark.parametrize("year", [10**20])
def test_an_absurd_year_filter_is_422_not_a_broken_body(client, admin, path, year):
    response = client.get(path, params={"year": year}, headers=admin)
    assert response.status_code == 422, response.text[:300]
    assert response.json()["error"] == "validation_error"


def test_programs_csv_with_a_real_year_still_streams(seeded_client):
    response = seeded_client.get("/api/v1/programs.csv", params={"year": 2024})
    assert response.status_code == 200
    lines = response.text.split("\r\n")
    assert len(lines) > 83  # the header and the seeded offerings of 2024, 82 technician ones
    assert lines[-1] == ""
    assert all(line.endswith("2024") for line in lines[1:-1])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("major_name", "名" * 101),
        ("major_code", "0" * 21),
        ("remark", "x" * 201),
        ("remark", "备注\u0000"),
        ("major_name", "汽车\ud800"),
        ("category", "交通类\u0007"),
    ],
)
@pytest.mark.parametrize("route", ["/api/v1/filings", "/api/v1/filings/validate"])
def test_filing_entry_text_beyond_the_column_or_the_text_rule_is_422(
    client, admin, route, field, value
):
    body = {"college": GZ_TECHNICIAN_COLLEGE, "year": 2025, "entries": [{**ENTRY, field: value}]}
    raw = json.dumps(body).encode()  # ASCII escapes: "\ud800" as a hostile client sends it
    headers = {**admin, "Content-Type": "application/json"}
    response = client.post(route, content=raw, headers=headers)
    assert response.status_code == 422, response.text
    loc = response.json()["detail"][0]["loc"]
    assert loc[-1] == field


def test_a_lone_surrogate_in_raw_json_is_422(client, admin):
    # The JSON escape itself, as a hostile client sends it (the Python client would encode it).
    raw = (
        '{"college": "4401J001", "major_code": "\\ud800", "intake": "初中起点", '
        '"level": "高级", "length_years": 5, "since_year": 2024}'
    )
    headers = {**admin, "Content-Type": "application/json"}
    response = client.post("/api/v1/programs", content=raw.encode(), headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "major_code"]


@pytest.mark.parametrize(
    "body",
    [
        {"code": "X1", "name": "测试学校\u0000", "type": "技工学校", "ownership": "公办",
         "province": "广东省", "city": "广州市"},
        {"code": "X1", "name": "测试学校", "type": "技工学校", "ownership": "公办",
         "province": "省" * 21, "city": "广州市"},
    ],
)  # fmt: skip
def test_a_college_with_nul_or_an_over_long_province_is_422(client, admin, body):
    response = client.post("/api/v1/colleges", json=body, headers=admin)
    assert response.status_code == 422, response.text


def test_a_catalog_province_over_its_column_is_422(client, admin):
    body = {"key": "xx-specialty", "title": "某省特色专业目录", "province": "省" * 21}
    response = client.post("/api/v1/catalogs", json=body, headers=admin)
    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    "form",
    [{"title": "目" * 201}, {"province": "省" * 21}, {"title": "目录\u0000"}],
)
def test_over_long_or_bad_form_fields_of_the_catalog_import_are_422(client, admin, form):
    csv = "code,name,category\r\n8999,测试专业,服务类\r\n".encode()
    response = client.post(
        "/api/v1/catalogs/test-import/import",
        files={"file": ("c.csv", io.BytesIO(csv), "text/csv")},
        data=form,
        headers=admin,
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "validation_error"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/colleges?name=%00",
        "/api/v1/majors?q=a%00b",
        "/api/v1/programs?college=%1F",
        "/api/v1/colleges/44%00",
        "/api/v1/publications/GZ-HRSS%00/latest",
    ],
)
def test_control_characters_in_query_or_path_are_422(client, path):
    response = client.get(path)
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
    assert response.headers["X-Request-ID"]


def test_text_is_stored_in_nfc(client, admin):
    decomposed = unicodedata.normalize("NFD", "Café学校")
    body = {"code": "X2", "name": decomposed, "type": "技工学校", "ownership": "公办",
            "province": "广东省", "city": "广州市"}  # fmt: skip
    response = client.post("/api/v1/colleges", json=body, headers=admin)
    assert response.status_code == 201, response.text
    assert response.json()["name"] == unicodedata.normalize("NFC", "Café学校")
    found = client.get("/api/v1/colleges", params={"name": "Café学校"}).json()["items"]
    assert [c["code"] for c in found] == ["X2"]


def test_datetimes_carry_a_timezone(client, tokens):
    headers = tokens("admin", days=30)
    listed = client.get("/api/v1/tokens", headers=headers).json()["items"]
    assert listed
    for token in listed:
        assert token["created_at"].endswith(("Z", "+00:00")), token
    me = client.get("/api/v1/me", headers=headers).json()
    assert me["expires_at"].endswith(("Z", "+00:00"))
    audit = client.get("/api/v1/audit", headers=headers).json()["items"]
    assert all(r["at"].endswith(("Z", "+00:00")) for r in audit)
