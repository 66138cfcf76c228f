"""HTTP imports, crosswalk and admin writes: status codes, error names, one audit per write."""

from sqlmodel import Session, select

from app.audit import AuditLog
from tests.core.helpers import xlsx

CATALOG = "code,name,category\n0999,某新专业,机械类\n"


def audit_count(engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(AuditLog.id)).all())


def upload(name: str, data: bytes) -> dict:
    return {"file": (name, data, "text/csv")}


def test_catalog_import_over_http_as_admin_upserts_and_audits_once(
    seeded_client, seeded, admin_headers
):
    before = audit_count(seeded)
    response = seeded_client.post(
        "/api/v1/catalogs/technician-2022/import",
        files=upload("c.csv", CATALOG.encode()),
        headers=admin_headers,
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"rows": 1, "inserted": 1, "updated": 0, "unchanged": 0}
    assert audit_count(seeded) == before + 1
    major = seeded_client.get("/api/v1/majors", params={"q": "0999"}).json()["items"][0]
    assert major["name"] == "某新专业"


def test_import_needs_an_admin_token(seeded_client, tokens):
    files = upload("c.csv", CATALOG.encode())
    assert (
        seeded_client.post("/api/v1/catalogs/technician-2022/import", files=files).status_code
        == 401
    )
    reviewer = tokens("reviewer", authority="GZ-HRSS")
    assert (
        seeded_client.post("/api/v1/colleges/import", files=files, headers=reviewer).status_code
        == 403
    )


def test_rejected_import_is_422_with_row_and_column_and_writes_nothing(
    seeded_client, seeded, admin_headers
):
    before = audit_count(seeded)
    book = xlsx(
        [
            [
                "college_code",
                "college",
                "major_code",
                "major_name",
                "category",
                "intake",
                "level",
                "length_years",
                "status",
                "since_year",
            ],
            [
                "4401J001",
                "广州市技师学院",
                702,
                "现代农艺技术",
                "农业类",
                "初中起点",
                "中级",
                3,
                "active",
                2025,
            ],
        ],
        text_columns=(0,),
    )
    response = seeded_client.post(
        "/api/v1/programs/import",
        headers=admin_headers,
        files={"file": ("p.xlsx", book, "application/octet-stream")},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "import_rejected"
    assert body["detail"]["errors"] == [
        {
            "row": 2,
            "column": "major_code",
            "code": "major.code_format",
            "value": "702",
            "suggestion": "0702",
            "message": body["detail"]["errors"][0]["message"],
        }
    ]
    assert audit_count(seeded) == before


def test_colleges_import_over_http(seeded_client, admin_headers):
    data = (
        "code,name,type,ownership,province,city\n"
        "4401J099,广州市新技师学院,技师学院,公办,广东省,广州市\n"
    )
    response = seeded_client.post(
        "/api/v1/colleges/import",
        headers=admin_headers,
        files=upload("colleges.csv", data.encode("gbk")),
    )
    assert response.status_code == 200
    assert response.json()["inserted"] == 1
    assert seeded_client.get("/api/v1/colleges/4401J099").json()["name"] == "广州市新技师学院"


def test_crosswalk_line_is_created_listed_and_audited(seeded_client, seeded, admin_headers):
    created = seeded_client.post(
        "/api/v1/catalogs",
        headers=admin_headers,
        json={"key": "technician-2018", "title": "全国技工院校专业目录（2018年）", "partial": True},
    )
    assert created.status_code == 201
    before = audit_count(seeded)
    line = {
        "from_edition": "technician-2018",
        "from_code": "0302",
        "to_code": "0314",
        "relation": "renamed",
    }
    response = seeded_client.post(
        "/api/v1/catalogs/technician-2022/crosswalk", json=line, headers=admin_headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["to_name"] == "网络与信息安全"
    assert audit_count(seeded) == before + 1
    again = seeded_client.post(
        "/api/v1/catalogs/technician-2022/crosswalk", json=line, headers=admin_headers
    )
    assert again.status_code == 409
    assert again.json()["error"] == "crosswalk_exists"
    for key in ("technician-2022", "technician-2018"):
        items = seeded_client.get(f"/api/v1/catalogs/{key}/crosswalk").json()["items"]
        assert [(i["from_code"], i["to_code"], i["relation"]) for i in items] == [
            ("0302", "0314", "renamed")
        ]


def test_crosswalk_errors_are_named(seeded_client, admin_headers):
    seeded_client.post(
        "/api/v1/catalogs",
        headers=admin_headers,
        json={"key": "technician-2018", "title": "2018", "partial": True},
    )
    url = "/api/v1/catalogs/technician-2022/crosswalk"
    cases = [
        ({"from_code": "0302", "to_code": None, "relation": "renamed"}, 422, "crosswalk_to_code"),
        (
            {"from_code": "0302", "to_code": "0314", "relation": "withdrawn"},
            422,
            "crosswalk_to_code",
        ),
        ({"from_code": "302", "to_code": "0314", "relation": "moved"}, 422, "code_format"),
        ({"from_code": "0302", "to_code": "0998", "relation": "moved"}, 404, "major_not_found"),
        ({"from_code": "0302", "to_code": "0314", "relation": "swapped"}, 422, "validation_error"),
    ]
    for body, status, error in cases:
        response = seeded_client.post(
            url, json={"from_edition": "technician-2018", **body}, headers=admin_headers
        )
        assert (response.status_code, response.json()["error"]) == (status, error), body
    unknown = seeded_client.post(
        url,
        headers=admin_headers,
        json={"from_edition": "nope", "from_code": "0302", "to_code": "0314", "relation": "moved"},
    )
    assert unknown.status_code == 404


def test_major_with_a_code_of_the_wrong_shape_is_refused_with_a_suggestion(
    seeded_client, admin_headers
):
    body = {"code": "702", "name": "现代农艺技术", "category": "农业类"}
    response = seeded_client.post(
        "/api/v1/catalogs/technician-2022/majors", headers=admin_headers, json=body
    )
    assert response.status_code == 422
    assert response.json()["error"] == "code_format"
    assert response.json()["detail"]["suggestion"] == "0702"


def test_program_level_rules_by_college_system(seeded_client, admin_headers):
    base = {"major_code": "0127", "intake": "初中起点", "length_years": 3, "since_year": 2025}
    no_level = seeded_client.post(
        "/api/v1/programs", headers=admin_headers, json={**base, "college": "4401J001"}
    )
    assert (no_level.status_code, no_level.json()["error"]) == (422, "level_required")
    zhongzhi = seeded_client.post(
        "/api/v1/programs",
        headers=admin_headers,
        json={**base, "college": "4401Z001", "major_code": "700304", "level": "中级"},
    )
    assert (zhongzhi.status_code, zhongzhi.json()["error"]) == (422, "level_not_allowed")
    ok = seeded_client.post(  # 700304 邮轮乘务 it runs since the 2024 中职 notice
        "/api/v1/programs",
        headers=admin_headers,
        json={**base, "college": "4401Z001", "major_code": "700209"},
    )
    assert ok.status_code == 201
    assert ok.json()["level"] is None


def test_program_of_a_specialty_code_of_another_province_is_404(seeded_client, admin_headers):
    seeded_client.post(
        "/api/v1/colleges",
        headers=admin_headers,
        json={
            "code": "3201J001",
            "name": "南京技师学院",
            "type": "技师学院",
            "ownership": "公办",
            "province": "江苏省",
            "city": "南京市",
        },
    )
    response = seeded_client.post(
        "/api/v1/programs",
        headers=admin_headers,
        json={
            "college": "3201J001",
            "major_code": "8191",
            "level": "中级",
            "intake": "初中起点",
            "length_years": 3,
            "since_year": 2025,
        },
    )
    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "major.not_in_province"


def test_program_update_sets_since_year_and_status(seeded_client, admin_headers):
    program = seeded_client.get("/api/v1/programs", params={"limit": 1}).json()["items"][0]
    response = seeded_client.patch(
        f"/api/v1/programs/{program['id']}",
        headers=admin_headers,
        json={"status": "suspended", "since_year": 2020, "reason": "更正：该专业已停招"},
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["since_year"]) == ("suspended", 2020)
