"""Object-level checks: another college's filing stays invisible even to someone guessing ids,
other authorities' staff cannot act on it, and nothing undecided or drafted is public."""

import json

import pytest
from fastapi.testclient import TestClient

from tests.access.helpers import OTHER_COLLEGE, OWN_COLLEGE
from tests.access.matrix import Ctx

SECRET_MAJOR = "低空飞行器维护与保障"  # only in our college's filing


@pytest.fixture
def ctx(seeded_client: TestClient, role_headers) -> Ctx:
    return Ctx(client=seeded_client, engine=seeded_client.app.state.engine, headers=role_headers)


def _leaks(response, *secrets: str) -> list[str]:
    text = response.text
    body = response.json()
    found = [s for s in secrets if s in text]
    if set(body) != {"error", "detail"}:
        found.append(f"keys {sorted(body)}")
    return found


def _our_filing(ctx: Ctx, *, submitted: bool) -> dict:
    entry = {**ctx.entry(), "remark": SECRET_MAJOR}
    return ctx.submitted(entry) if submitted else ctx.draft(entry)


@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "submitted"])
def test_guessing_another_colleges_filing_id_gets_403_and_leaks_nothing(ctx, submitted):
    filing = _our_filing(ctx, submitted=submitted)
    headers = ctx.headers["other_college"]
    fid = filing["id"]
    # A college token reaching for another college's filing: not_your_college; deciding is no
    # college's role at all: forbidden_role (app/access/policy.py).
    attempts = [
        ("GET", f"/api/v1/filings/{fid}", None, "not_your_college"),
        (
            "PUT",
            f"/api/v1/filings/{fid}",
            {"version": filing["version"], "entries": []},
            "not_your_college",
        ),
        ("POST", f"/api/v1/filings/{fid}/submit", None, "not_your_college"),
        ("POST", f"/api/v1/filings/{fid}/withdraw", None, "not_your_college"),
        (
            "POST",
            f"/api/v1/filings/{fid}/entries/0/decision",
            {"decision": "approved"},
            "forbidden_role",
        ),
    ]
    for method, path, body, error in attempts:
        response = ctx.client.request(method, path, json=body, headers=headers)
        got = (response.status_code, response.json()["error"])
        assert got == (403, error), (method, path, got)
        assert not _leaks(
            response,
            SECRET_MAJOR,
            filing["entries"][0]["major_name"],
            "广州市技师学院",
            OWN_COLLEGE,
        ), (method, path, response.text)
    # ... and the filing is untouched.
    after = ctx.as_superuser("GET", f"/api/v1/filings/{fid}")
    assert (after["status"], after["version"]) == (filing["status"], filing["version"])
    assert after["entries"][0]["decision"] is None


def test_a_made_up_filing_id_and_a_real_foreign_one_give_the_same_nothing(ctx):
    filing = _our_filing(ctx, submitted=True)
    headers = ctx.headers["other_college"]
    real = ctx.client.get(f"/api/v1/filings/{filing['id']}", headers=headers)
    made_up = ctx.client.get("/api/v1/filings/987654", headers=headers)
    assert (real.status_code, real.json()["error"]) == (403, "not_your_college")
    assert made_up.status_code == 404
    # at most the id it was asked (ensure_ascii=False: a Chinese message's \uXXXX has digits)
    assert json.dumps(real.json(), ensure_ascii=False).count(str(filing["id"])) <= 1


def test_other_college_lists_none_of_our_filings_even_when_filtering_by_our_code(ctx):
    _our_filing(ctx, submitted=True)
    _our_filing(ctx, submitted=False)
    headers = ctx.headers["other_college"]
    for params in ({}, {"college": OWN_COLLEGE}, {"status": "submitted"}):
        response = ctx.client.get("/api/v1/filings", params=params, headers=headers)
        assert response.status_code == 200
        assert response.json()["items"] == [], params
    own = ctx.client.get("/api/v1/filings", headers=ctx.headers["college"]).json()["items"]
    assert {f["college"] for f in own} == {OWN_COLLEGE}
    assert len(own) == 2


def test_other_authoritys_reviewer_can_neither_see_nor_decide_our_filing(ctx):
    filing = _our_filing(ctx, submitted=True)
    headers = ctx.headers["other_reviewer"]
    seen = ctx.client.get(f"/api/v1/filings/{filing['id']}", headers=headers)
    decided = ctx.client.post(
        f"/api/v1/filings/{filing['id']}/entries/0/decision",
        json={"decision": "approved"},
        headers=headers,
    )
    listed = ctx.client.get("/api/v1/filings", headers=headers).json()["items"]
    assert (seen.status_code, seen.json()["error"]) == (403, "not_your_authority")
    assert (decided.status_code, decided.json()["error"]) == (403, "not_your_authority")
    assert listed == []
    assert not _leaks(decided, SECRET_MAJOR)


def test_own_reviewer_does_not_see_a_draft_until_it_is_submitted(ctx):
    draft = _our_filing(ctx, submitted=False)
    headers = ctx.headers["reviewer"]
    assert ctx.client.get(f"/api/v1/filings/{draft['id']}", headers=headers).status_code in (
        403,
        404,
    )
    assert ctx.client.get("/api/v1/filings", headers=headers).json()["items"] == []


def test_undecided_and_draft_work_is_never_public(ctx):
    before = ctx.client.get("/api/v1/programs.csv", params={"college": OWN_COLLEGE}).text
    _our_filing(ctx, submitted=True)
    _our_filing(ctx, submitted=False)
    draft_list = ctx.draft_publication()
    anonymous = ctx.client
    assert anonymous.get("/api/v1/filings").status_code == 401
    assert anonymous.get("/api/v1/programs.csv", params={"college": OWN_COLLEGE}).text == before
    listed = anonymous.get("/api/v1/publications").json()["items"]
    assert draft_list not in [p["id"] for p in listed]
    assert all(p["status"] == "published" for p in listed)
    for suffix in ("", ".csv", ".xlsx"):
        assert anonymous.get(f"/api/v1/publications/{draft_list}{suffix}").status_code == 404
    assert (
        SECRET_MAJOR
        not in anonymous.get(
            "/api/v1/publications/diff", params={"from": "year:2024", "to": "year:2025"}
        ).text
    )


def test_college_token_cannot_validate_or_file_for_another_college(ctx):
    headers = ctx.headers["college"]
    body = {"college": OTHER_COLLEGE, "year": 2025, "entries": [ctx.entry()]}
    assert (
        ctx.client.post("/api/v1/filings/validate", json=body, headers=headers).status_code == 403
    )
    assert ctx.client.post("/api/v1/filings", json=body, headers=headers).status_code == 403


@pytest.mark.parametrize("role", ["admin", "superuser"])
def test_a_list_cannot_approve_programs_of_colleges_outside_its_authority(ctx, role):
    secondary_school = {
        "seq": 1,
        "college": "4401Z001",
        "major_code": "700304",
        "intake": "初中起点",
        "length_years": 3,
    }
    response = ctx.client.post(
        "/api/v1/publications",
        headers=ctx.headers[role],
        json={
            "authority": "GZ-HRSS",
            "year": 2031,
            "title": "x",
            "lines": [secondary_school],
        },
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "college_outside_authority"
    draft = ctx.draft_publication()
    replaced = ctx.client.put(
        f"/api/v1/publications/{draft}/lines",
        headers=ctx.headers[role],
        json={"lines": [secondary_school]},
    )
    assert replaced.status_code == 422
