"""Callers from above and beside 广州市人社局 (GZ-HRSS), API and pages, over every place that
used to decide access by itself (issue 22 item 1): the province's admin and reviewer (广东省人社厅,
GD-HRSS, which governs GZ-HRSS) and a sibling city bureau under the same province (深圳市人社局,
SZ-HRSS, which governs none of Guangzhou's colleges).

The route × role matrix (``matrix.py``) walks callers of GZ-HRSS itself and of another system
(GZ-EDU); these are the callers it had none of."""

import pytest
from sqlmodel import select

from app.access import policy
from app.access.principal import FILERS, ROLES, STAFF, Principal, Role
from app.authorities.models import Authority
from app.config import Settings
from app.db import session_scope
from tests.factories import make_user
from tests.filings.conftest import open_round  # noqa: F401  (fixture)
from tests.filings.helpers import BASE, GZ_COLLEGE, submitted_filing
from tests.publications.helpers import API as LISTS

SIBLING = "SZ-HRSS"


@pytest.fixture
def settings(database_url) -> Settings:
    # the webhooks below point at a closed loopback port: SSRF rules refuse it unless listed
    return Settings(database_url=database_url, webhook_allowed_hosts="127.0.0.1")


@pytest.fixture
def callers(seeded, tokens) -> dict[str, dict[str, str]]:
    """Authorization headers of the city's, the province's and the sibling city's staff."""
    with session_scope(seeded) as session:
        province = session.exec(select(Authority).where(Authority.code == "GD-HRSS")).one()
        session.add(
            Authority(
                code=SIBLING,
                name="深圳市人力资源和社会保障局",
                level="city",
                system="technician",
                province="广东省",
                city="深圳市",
                parent_id=province.id,
            )
        )
    return {
        "city_admin": tokens("admin", authority="GZ-HRSS"),
        "province_admin": tokens("admin", authority="GD-HRSS"),
        "province_reviewer": tokens("reviewer", authority="GD-HRSS"),
        "sibling_admin": tokens("admin", authority=SIBLING),
        "sibling_reviewer": tokens("reviewer", authority=SIBLING),
        "college": tokens("college", college=GZ_COLLEGE),
    }


# --- draft lists (publications/presenters.py) ---------------------------------------------------


@pytest.fixture
def gz_draft(seeded_client, callers) -> int:
    body = {
        "year": 2025,
        "title": "2025年广州市技工院校新增专业名单",
        "series": "GZ-T-2025",
        "published_on": "2025-04-20",
        "lines": [],
    }
    response = seeded_client.post(LISTS, json=body, headers=callers["city_admin"])
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.mark.parametrize(
    ("caller", "read", "edit"),
    [
        ("province_admin", 200, 200),  # reads what it may PATCH (it got 404 reading, 200 writing)
        ("province_reviewer", 200, 403),
        ("sibling_admin", 404, 403),
        ("sibling_reviewer", 404, 403),
    ],
)
def test_a_city_draft_list_is_read_and_edited_by_the_province_not_by_a_sibling(
    seeded_client, callers, gz_draft, caller, read, edit
):
    headers = callers[caller]
    assert seeded_client.get(f"{LISTS}/{gz_draft}", headers=headers).status_code == read
    drafts = seeded_client.get(LISTS, params={"status": "draft"}, headers=headers).json()["items"]
    assert (gz_draft in [p["id"] for p in drafts]) is (read == 200)
    patched = seeded_client.patch(f"{LISTS}/{gz_draft}", json={"title": "改"}, headers=headers)
    assert patched.status_code == edit
    if edit == 403:
        assert patched.json()["error"] in ("forbidden_role", "not_your_authority")


@pytest.mark.parametrize(
    ("caller", "status"),
    [("province_admin", 200), ("province_reviewer", 200), ("sibling_admin", 404)],
)
def test_a_city_draft_list_page_opens_for_the_province_staff_only(
    seeded_client, callers, gz_draft, caller, status
):
    headers = callers[caller]
    assert (
        seeded_client.get(f"/admin/publications/{gz_draft}", headers=headers).status_code == status
    )
    listing = seeded_client.get("/admin/publications", headers=headers)
    assert listing.status_code == 200
    assert (f"/admin/publications/{gz_draft}" in listing.text) is (status == 200)


# --- webhooks (webhooks/service.py) -----------------------------------------------------------


def _hook(client, headers) -> int:
    body = {"url": "http://127.0.0.1:9/hook", "entities": ["program"], "secret": "s" * 16}
    response = client.post("/api/v1/webhooks", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.mark.parametrize(
    ("caller", "status"),
    [("province_admin", 200), ("sibling_admin", 404), ("province_reviewer", 403)],
)
def test_a_city_webhook_is_managed_by_the_province_admin_not_by_a_sibling(
    seeded_client, callers, caller, status
):
    hook = _hook(seeded_client, callers["city_admin"])
    headers = callers[caller]
    url = f"/api/v1/webhooks/{hook}"
    assert seeded_client.get(url, headers=headers).status_code == status
    listed = seeded_client.get("/api/v1/webhooks", headers=headers)
    assert listed.status_code == (403 if status == 403 else 200)
    if status != 403:
        assert (hook in [h["id"] for h in listed.json()["items"]]) is (status == 200)
    patched = seeded_client.patch(url, json={"entities": ["college"]}, headers=headers)
    assert patched.status_code == status
    assert seeded_client.get(f"{url}/deliveries", headers=headers).status_code == status
    assert seeded_client.delete(url, headers=headers).status_code == (
        204 if status == 200 else status
    )


def test_a_province_webhook_stays_hidden_from_the_city_below(seeded_client, callers):
    hook = _hook(seeded_client, callers["province_admin"])
    city = callers["city_admin"]
    assert seeded_client.get(f"/api/v1/webhooks/{hook}", headers=city).status_code == 404
    listed = seeded_client.get("/api/v1/webhooks", headers=city).json()["items"]
    assert hook not in [h["id"] for h in listed]


# --- filings: API and the filing page's buttons (web/filing.py) ---------------------------------


@pytest.fixture
def gz_filing(seeded_client, callers, open_round) -> int:  # noqa: F811
    """A filing of 广州市技师学院 submitted in GZ-HRSS's open round."""
    return submitted_filing(seeded_client, callers["college"], GZ_COLLEGE, [BASE])["id"]


@pytest.mark.parametrize(
    ("caller", "status", "decide", "withdraw"),
    [
        ("province_reviewer", 200, True, False),
        ("province_admin", 200, True, True),
        ("sibling_reviewer", 403, False, False),
        ("sibling_admin", 403, False, False),
    ],
)
def test_a_city_filing_page_offers_the_province_what_its_api_allows(
    seeded_client, callers, gz_filing, caller, status, decide, withdraw
):
    headers = callers[caller]
    assert seeded_client.get(f"/api/v1/filings/{gz_filing}", headers=headers).status_code == status
    page = seeded_client.get(f"/filings/{gz_filing}", headers=headers)
    assert page.status_code == status
    assert (f'action="/filings/{gz_filing}/decisions"' in page.text) is decide
    assert (f'action="/filings/{gz_filing}/withdraw"' in page.text) is withdraw


@pytest.mark.usefixtures("open_round")
@pytest.mark.parametrize(("caller", "status"), [("province_admin", 201), ("sibling_admin", 403)])
def test_a_filing_for_a_city_college_is_made_by_the_province_admin_not_by_a_sibling(
    seeded_client, callers, caller, status
):
    body = {"college": GZ_COLLEGE, "year": 2025, "entries": [BASE]}
    response = seeded_client.post("/api/v1/filings", json=body, headers=callers[caller])
    assert response.status_code == status
    if status == 403:
        assert response.json()["error"] == "not_your_authority"


# --- user management (accounts/users.py) -------------------------------------------------------


@pytest.mark.parametrize(("caller", "sees"), [("province_admin", True), ("sibling_admin", False)])
def test_a_city_user_is_listed_for_the_province_admin_not_for_a_sibling(
    seeded, seeded_client, callers, caller, sees
):
    make_user(seeded, username="gz-clerk", password="Pw-for-gz-clerk-2025", authority="GZ-HRSS")
    page = seeded_client.get("/admin/users", headers=callers[caller])
    assert page.status_code == 200
    assert ("gz-clerk" in page.text) is sees


# --- the access object -------------------------------------------------------------------------


def test_one_set_of_role_names():
    assert ROLES == ("admin", "reviewer", "college")
    assert set(STAFF) == {Role.ADMIN, Role.REVIEWER}
    assert set(FILERS) == {Role.ADMIN, Role.COLLEGE}


def test_the_access_object_reads_the_authority_tree_once_per_transaction(seeded, callers):
    from sqlalchemy import event

    statements: list[str] = []
    with session_scope(seeded) as session:
        ids = {a.code: a.id for a in session.exec(select(Authority)).all()}
        province = Principal(name="p", role="admin", authority_id=ids["GD-HRSS"])
        engine = session.get_bind()

        def count(*args) -> None:
            if "authority" in str(args[2]).lower():
                statements.append(args[2])

        event.listen(engine, "before_cursor_execute", count)
        try:
            access = policy.Access(session, province)
            assert access.governs(ids["GZ-HRSS"])
            assert access.governs(ids[SIBLING])
            assert not access.governs(ids["GZ-EDU"])
            for _ in range(5):
                assert policy.governs(session, province, ids["GZ-HRSS"])
                assert not policy.governs(session, province, ids["GZ-EDU"])
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
