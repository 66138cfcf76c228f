"""Every finding code of contract.md: a realistic entry raises it, a near-identical one not."""

import pytest
from sqlmodel import select

from app.catalog.models import CatalogEdition, Category, Crosswalk, Major
from app.db import session_scope
from app.text import normalize_name
from tests.factories import make_college
from tests.filings.helpers import BASE, GZ_COLLEGE

ZJ_COLLEGE = "3301J001"
TECH_SCHOOL = "4401J011"  # 广州市北达技工学校 (技工学校)


@pytest.fixture
def catalog_extras(seeded):
    """A superseded 2018 edition with its crosswalk, levels on 0127, a Zhejiang specialty
    catalog and a Zhejiang technician college (no authority in the registry)."""
    with session_scope(seeded) as session:
        old = CatalogEdition(
            key="technician-2018",
            title="全国技工院校专业目录（2018年）",
            system="technician",
            kind="national",
            year=2018,
            status="superseded",
        )
        zj = CatalogEdition(
            key="zj-specialty",
            title="浙江省技工院校特色专业目录",
            system="technician",
            kind="provincial",
            province="浙江省",
        )
        session.add_all([old, zj])
        session.flush()
        for edition, code, name, category in (
            (old, "0421", "重型车辆维修", "交通类"),
            (zj, "8501", "数字贸易", "财经商贸类"),
        ):
            cat = Category(edition_id=edition.id, name=category)
            session.add(cat)
            session.flush()
            session.add(
                Major(
                    edition_id=edition.id,
                    code=code,
                    name=name,
                    name_norm=normalize_name(name),
                    category_id=cat.id,
                )
            )
        new = session.exec(
            select(CatalogEdition).where(CatalogEdition.key == "technician-2022")
        ).one()
        session.add(
            Crosswalk(
                from_edition_id=old.id,
                from_code="0421",
                to_edition_id=new.id,
                to_code="0445",
                relation="renamed",
            )
        )
        major = session.exec(select(Major).where(Major.code == "0127")).one()
        major.levels = "中级|高级"
        session.add(major)
    make_college(seeded, code=ZJ_COLLEGE, name="杭州市技师学院", province="浙江省", city="杭州市")
    return seeded


def _validate(client, headers, college, entries):
    response = client.post(
        "/api/v1/filings/validate",
        headers=headers,
        json={"college": college, "year": 2025, "entries": entries},
    )
    assert response.status_code == 200, response.text
    return response.json()


# (code, college of the bad entry, changes to BASE, college of the good entry, its changes,
#  the suggestion the finding must carry)
CASES = [
    ("entry.missing_field", GZ_COLLEGE, {"level": ""}, GZ_COLLEGE, {}, None),
    ("entry.missing_field", GZ_COLLEGE, {"length_years": " "}, GZ_COLLEGE, {}, None),
    ("entry.invalid_value", GZ_COLLEGE, {"intake": "初中"}, GZ_COLLEGE, {}, None),
    (
        "entry.invalid_value",
        GZ_COLLEGE,
        {"length_years": "五年半"},
        GZ_COLLEGE,
        {"length_years": "五年"},
        None,
    ),
    ("major.code_format", GZ_COLLEGE, {"major_code": "127"}, GZ_COLLEGE, {}, "0127"),
    ("major.code_format", GZ_COLLEGE, {"major_code": "0127A"}, GZ_COLLEGE, {}, None),
    ("major.unknown_code", GZ_COLLEGE, {"major_code": "0199"}, GZ_COLLEGE, {}, "0127"),
    (
        "major.not_in_province",
        GZ_COLLEGE,
        {"major_code": "8501", "major_name": "数字贸易", "category": "财经商贸类"},
        ZJ_COLLEGE,
        {"major_code": "8501", "major_name": "数字贸易", "category": "财经商贸类"},
        None,
    ),
    (
        "major.superseded",
        GZ_COLLEGE,
        {"major_code": "0421", "major_name": "重型车辆维修", "category": "交通类"},
        GZ_COLLEGE,
        {"major_code": "0445", "major_name": "重型车辆运用与维修", "category": "交通类"},
        "0445",
    ),
    (
        "major.name_mismatch",
        GZ_COLLEGE,
        {"major_name": "机电一体化"},
        GZ_COLLEGE,
        {"major_name": " 机电一体化技术 "},
        "机电一体化技术",
    ),
    (
        "major.name_mismatch",
        GZ_COLLEGE,
        {"major_code": "0501", "major_name": "烹饪（西式烹调）", "category": "服务类"},
        GZ_COLLEGE,
        {"major_code": "0501", "major_name": "烹饪(中式烹调)", "category": "服务类"},
        "烹饪（中式烹调）",
    ),
    ("major.category_mismatch", GZ_COLLEGE, {"category": "电工电子类"}, GZ_COLLEGE, {}, "机械类"),
    (
        "major.out_of_catalog",
        GZ_COLLEGE,
        {"major_code": "", "major_name": "低空无人机应用"},
        GZ_COLLEGE,
        {},
        None,
    ),
    (
        "level.not_offered",
        GZ_COLLEGE,
        {"level": "预备技师", "length_years": 6},
        GZ_COLLEGE,
        {},
        "高级",
    ),
    (
        "level.above_college_type",
        TECH_SCHOOL,
        {},
        TECH_SCHOOL,
        {"level": "中级", "length_years": 3},
        None,
    ),
    (
        "program.unknown_intake_level",
        GZ_COLLEGE,
        {"intake": "中技起点", "level": "中级", "length_years": 2},
        GZ_COLLEGE,
        {"intake": "中技起点", "level": "高级", "length_years": 2},
        None,
    ),
    (
        "program.length_mismatch",
        GZ_COLLEGE,
        {"length_years": 3},
        GZ_COLLEGE,
        {"length_years": "5年"},
        "5",
    ),
    (
        "program.exists",
        GZ_COLLEGE,
        {"major_code": "0702", "major_name": "现代农艺技术", "category": "农业类"},
        GZ_COLLEGE,
        {
            "major_code": "0702",
            "major_name": "现代农艺技术",
            "category": "农业类",
            "intake": "高中起点",
            "length_years": 3,
        },
        None,
    ),
    (
        "filing.kind_mismatch",
        GZ_COLLEGE,
        {
            "major_code": "0702",
            "major_name": "现代农艺技术",
            "category": "农业类",
            "intake": "高中起点",
            "length_years": 3,
            "kind": "新增专业",
        },
        GZ_COLLEGE,
        {
            "major_code": "0702",
            "major_name": "现代农艺技术",
            "category": "农业类",
            "intake": "高中起点",
            "length_years": 3,
            "remark": "新增层次",
        },
        "新增层次",
    ),
]
SEVERITY = {
    "major.out_of_catalog": "info",
    "level.above_college_type": "warning",
    "filing.kind_mismatch": "warning",
}


@pytest.mark.parametrize(
    ("code", "bad_college", "bad", "good_college", "good", "suggestion"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_finding_code_is_raised_by_realistic_entry_and_not_by_near_identical_one(
    seeded_client,
    catalog_extras,
    admin_headers,
    code,
    bad_college,
    bad,
    good_college,
    good,
    suggestion,
):
    body = _validate(seeded_client, admin_headers, bad_college, [BASE | bad])
    found = [f for f in body["entries"][0]["findings"] if f["code"] == code]
    assert len(found) == 1, body
    assert found[0]["severity"] == SEVERITY.get(code, "error")
    assert found[0]["suggestion"] == suggestion
    assert body["errors"] == sum(f["severity"] == "error" for f in body["entries"][0]["findings"])

    body = _validate(seeded_client, admin_headers, good_college, [BASE | good])
    findings = body["entries"][0]["findings"]
    assert code not in {f["code"] for f in findings}, findings
    assert body["errors"] == 0, findings


def test_duplicate_offering_in_one_filing_is_flagged_on_the_second_copy(
    seeded_client, admin_headers
):
    body = _validate(seeded_client, admin_headers, GZ_COLLEGE, [BASE, BASE | {"remark": "x"}])
    assert [f["code"] for f in body["entries"][1]["findings"]] == ["program.duplicate_in_filing"]
    assert body["entries"][0]["findings"] == []

    other_intake = BASE | {"intake": "高中起点", "length_years": 3}
    body = _validate(seeded_client, admin_headers, GZ_COLLEGE, [BASE, other_intake])
    assert body["errors"] == 0


def test_offering_in_another_submitted_filing_is_pending(seeded_client, tokens, open_round):
    college = tokens("college", college=GZ_COLLEGE)
    created = seeded_client.post(
        "/api/v1/filings",
        headers=college,
        json={"college": GZ_COLLEGE, "year": 2025, "entries": [BASE]},
    )
    filing = created.json()
    submitted = seeded_client.post(f"/api/v1/filings/{filing['id']}/submit", headers=college)
    assert submitted.status_code == 200, submitted.text

    body = _validate(seeded_client, college, GZ_COLLEGE, [BASE])
    assert [f["code"] for f in body["entries"][0]["findings"]] == ["program.pending"]
    body = _validate(
        seeded_client, college, GZ_COLLEGE, [BASE | {"level": "中级", "length_years": 3}]
    )
    assert body["errors"] == 0


def test_draft_filings_do_not_make_offerings_pending(seeded_client, tokens):
    college = tokens("college", college=GZ_COLLEGE)
    seeded_client.post(
        "/api/v1/filings",
        headers=college,
        json={"college": GZ_COLLEGE, "year": 2025, "entries": [BASE]},
    )
    assert _validate(seeded_client, college, GZ_COLLEGE, [BASE])["errors"] == 0


@pytest.mark.parametrize(
    ("opens", "closes", "status"),
    [
        ("2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z", 409),
        ("2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z", 200),
    ],
)
def test_submitting_outside_the_round_window_reports_round_closed(
    seeded_client, tokens, opens, closes, status
):
    seeded_client.post(
        "/api/v1/rounds",
        headers=tokens("admin", authority="GZ-HRSS"),
        json={"year": 2025, "opens_at": opens, "closes_at": closes},
    )
    college = tokens("college", college=GZ_COLLEGE)
    filing = seeded_client.post(
        "/api/v1/filings",
        headers=college,
        json={"college": GZ_COLLEGE, "year": 2025, "entries": [BASE]},
    ).json()
    response = seeded_client.post(f"/api/v1/filings/{filing['id']}/submit", headers=college)
    assert response.status_code == status, response.text
    if status == 409:
        assert response.json()["error"] == "round_closed"
        assert [f["code"] for f in response.json()["detail"]["findings"]] == ["round.closed"]
        again = seeded_client.get(f"/api/v1/filings/{filing['id']}", headers=college).json()
        assert again["status"] == "draft"


def test_submitting_without_any_round_of_the_year_reports_round_closed(seeded_client, tokens):
    college = tokens("college", college=GZ_COLLEGE)
    filing = seeded_client.post(
        "/api/v1/filings",
        headers=college,
        json={"college": GZ_COLLEGE, "year": 2031, "entries": [BASE]},
    ).json()
    response = seeded_client.post(f"/api/v1/filings/{filing['id']}/submit", headers=college)
    assert response.status_code == 409
    assert response.json()["detail"]["findings"][0]["code"] == "round.closed"
