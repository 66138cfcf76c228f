"""Drafts, optimistic locking, submit, withdraw, access, decisions and their refusals."""

import pytest

from tests.filings.helpers import BASE, GZ_COLLEGE, submitted_filing

OTHER = "4401J002"
PROPOSAL = {
    "major_name": "低空经济无人机技术",
    "category": "交通类",
    "intake": "初中起点",
    "level": "高级",
    "length_years": 5,
}


@pytest.fixture
def college(tokens):
    return tokens("college", college=GZ_COLLEGE)


def _draft(client, headers, entries=(BASE,), college=GZ_COLLEGE):
    response = client.post(
        "/api/v1/filings",
        headers=headers,
        json={"college": college, "year": 2025, "entries": list(entries)},
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_stale_version_is_refused_and_the_newer_edit_is_kept(seeded_client, college):
    filing = _draft(seeded_client, college)
    url = f"/api/v1/filings/{filing['id']}"
    first = seeded_client.put(
        url,
        headers=college,
        json={"version": 1, "entries": [BASE | {"level": "中级", "length_years": 3}]},
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = seeded_client.put(url, headers=college, json={"version": 1, "entries": [BASE]})
    assert stale.status_code == 409
    assert stale.json()["error"] == "stale_version"
    assert stale.json()["detail"]["current_version"] == 2
    kept = seeded_client.get(url, headers=college).json()
    assert [e["level"] for e in kept["entries"]] == ["中级"]
    assert [h["action"] for h in kept["history"]] == ["created", "edited"]


def test_submit_is_refused_while_an_error_remains_and_warnings_travel(
    seeded_client, college, open_round
):
    filing = _draft(seeded_client, college, [BASE | {"length_years": 3}])
    refused = seeded_client.post(f"/api/v1/filings/{filing['id']}/submit", headers=college)
    assert refused.status_code == 409
    assert refused.json()["error"] == "filing_has_errors"
    assert refused.json()["detail"]["entries"][0]["findings"][0]["code"] == (
        "program.length_mismatch"
    )
    url = f"/api/v1/filings/{filing['id']}"
    assert seeded_client.get(url, headers=college).json()["status"] == "draft"

    warned = BASE | {"kind": "新增层次"}  # the registry derives 新增专业: a warning only
    fixed = seeded_client.put(url, headers=college, json={"version": 1, "entries": [warned]})
    assert fixed.json()["warnings"] == 1
    submitted = seeded_client.post(f"{url}/submit", headers=college, json={"version": 2})
    assert submitted.status_code == 200
    assert submitted.json()["entries"][0]["findings"][0]["code"] == "filing.kind_mismatch"
    not_draft = seeded_client.put(url, headers=college, json={"version": 3, "entries": [BASE]})
    assert not_draft.status_code == 409
    assert not_draft.json()["error"] == "not_draft"


def test_withdraw_before_decision_only(seeded_client, tokens, college, open_round):
    filing = submitted_filing(
        seeded_client, college, GZ_COLLEGE, [BASE, BASE | {"intake": "高中起点", "length_years": 3}]
    )
    url = f"/api/v1/filings/{filing['id']}"
    seeded_client.post(
        f"{url}/entries/0/decision",
        headers=tokens("reviewer", authority="GZ-HRSS"),
        json={"decision": "approved"},
    )
    refused = seeded_client.post(f"{url}/withdraw", headers=college)
    assert refused.status_code == 409
    assert refused.json()["error"] == "already_decided"

    other = submitted_filing(
        seeded_client, college, GZ_COLLEGE, [BASE | {"level": "中级", "length_years": 3}]
    )
    withdrawn = seeded_client.post(
        f"/api/v1/filings/{other['id']}/withdraw?reason=重复申报", headers=college
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["history"][-1]["reason"] == "重复申报"


def test_a_college_sees_only_its_own_filings(seeded_client, tokens, college):
    mine = _draft(seeded_client, college)
    other_headers = tokens("college", college=OTHER)
    theirs = _draft(seeded_client, other_headers, [BASE], college=OTHER)
    listed = seeded_client.get("/api/v1/filings", headers=college).json()["items"]
    assert [f["id"] for f in listed] == [mine["id"]]
    response = seeded_client.get(f"/api/v1/filings/{theirs['id']}", headers=college)
    assert response.status_code == 403
    assert "entries" not in str(response.json()["detail"])
    assert (
        seeded_client.post(
            "/api/v1/filings",
            headers=college,
            json={"college": OTHER, "year": 2025, "entries": [BASE]},
        ).status_code
        == 403
    )
    assert (
        seeded_client.put(
            f"/api/v1/filings/{theirs['id']}", headers=college, json={"version": 1, "entries": []}
        ).status_code
        == 403
    )


def test_validate_needs_a_token_and_a_college_token_only_for_its_college(seeded_client, college):
    body = {"college": OTHER, "entries": [BASE]}
    assert seeded_client.post("/api/v1/filings/validate", json=body).status_code == 401
    response = seeded_client.post("/api/v1/filings/validate", headers=college, json=body)
    assert response.status_code == 403
    assert (
        seeded_client.post(
            "/api/v1/filings/validate", headers=college, json=body | {"college": GZ_COLLEGE}
        ).status_code
        == 200
    )


def test_spreadsheet_values_of_any_shape_are_findings_not_422(seeded_client, college):
    odd = {
        "major_code": 702,
        "major_name": None,
        "category": "农业类",
        "intake": "初中起点",
        "level": 3,
        "length_years": "abc",
        "kind": "扩招",
    }
    response = seeded_client.post(
        "/api/v1/filings/validate",
        headers=college,
        json={"college": GZ_COLLEGE, "entries": [odd, {}]},
    )
    assert response.status_code == 200, response.text
    codes = [{f["code"] for f in e["findings"]} for e in response.json()["entries"]]
    assert codes[0] >= {"major.code_format", "entry.missing_field", "entry.invalid_value"}
    assert codes[1] == {"entry.missing_field", "major.out_of_catalog"}


def test_drafts_are_hidden_from_reviewers_and_other_authorities(seeded_client, tokens, college):
    filing = _draft(seeded_client, college)
    url = f"/api/v1/filings/{filing['id']}"
    reviewer = tokens("reviewer", authority="GZ-HRSS")
    assert seeded_client.get(url, headers=reviewer).status_code == 403
    assert seeded_client.get(url, headers=tokens("admin", authority="GZ-EDU")).status_code == 403
    assert seeded_client.get(url, headers=tokens("admin", authority="GZ-HRSS")).status_code == 200
    listed = seeded_client.get(
        "/api/v1/filings", headers=tokens("reviewer", authority="GZ-HRSS")
    ).json()
    assert listed["items"] == []


def test_decisions_are_refused_to_colleges_and_other_authorities(
    seeded_client, tokens, college, open_round
):
    filing = submitted_filing(seeded_client, college, GZ_COLLEGE, [BASE])
    url = f"/api/v1/filings/{filing['id']}/entries/0/decision"
    approve = {"decision": "approved"}
    assert seeded_client.post(url, headers=college, json=approve).status_code == 403
    assert (
        seeded_client.post(
            url, headers=tokens("reviewer", authority="GZ-EDU"), json=approve
        ).status_code
        == 403
    )
    no_reason = seeded_client.post(
        url,
        headers=tokens("reviewer", authority="GZ-HRSS"),
        json={"decision": "rejected", "reason": " "},
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["error"] == "reason_required"
    referred = seeded_client.post(
        url, headers=tokens("reviewer", authority="GZ-HRSS"), json={"decision": "referred"}
    )
    assert referred.status_code == 409
    assert referred.json()["error"] == "not_out_of_catalog"
    ok = seeded_client.post(url, headers=tokens("reviewer", authority="GD-HRSS"), json=approve)
    assert ok.status_code == 200  # the province covers the city's filings
    again = seeded_client.post(url, headers=tokens("reviewer", authority="GZ-HRSS"), json=approve)
    assert again.status_code == 409


def test_a_rejected_referral_rejects_the_entry_with_the_provinces_reason(
    seeded_client, tokens, college, open_round
):
    filing = submitted_filing(seeded_client, college, GZ_COLLEGE, [PROPOSAL])
    entry_url = f"/api/v1/filings/{filing['id']}/entries/0/decision"
    approve_here = seeded_client.post(
        entry_url, headers=tokens("reviewer", authority="GZ-HRSS"), json={"decision": "approved"}
    )
    assert approve_here.status_code == 409
    assert approve_here.json()["error"] == "out_of_catalog"
    seeded_client.post(
        entry_url, headers=tokens("reviewer", authority="GZ-HRSS"), json={"decision": "referred"}
    )
    referral = seeded_client.get(f"/api/v1/filings/{filing['id']}", headers=college).json()[
        "entries"
    ][0]["referral"]
    url = f"/api/v1/referrals/{referral}/decision"
    city = tokens("admin", authority="GZ-HRSS")
    assert (
        seeded_client.post(url, headers=city, json={"decision": "approved"}).status_code == 403
    )  # a city bureau does not decide these
    province = tokens("admin", authority="GD-HRSS")
    reason = "与0439无人机应用技术重复"
    response = seeded_client.post(
        url, headers=province, json={"decision": "rejected", "reason": reason}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    seen = seeded_client.get(f"/api/v1/filings/{filing['id']}", headers=college).json()
    assert seen["status"] == "decided"
    assert (seen["entries"][0]["decision"], seen["entries"][0]["decision_reason"]) == (
        "rejected",
        reason,
    )


def test_rounds_are_opened_by_the_authoritys_admin_once_a_year(seeded_client, tokens):
    body = {"year": 2026, "opens_at": "2026-01-01T00:00:00", "closes_at": "2026-03-31T00:00:00"}
    city = tokens("admin", authority="GZ-HRSS")
    assert (
        seeded_client.post(
            "/api/v1/rounds", headers=tokens("reviewer", authority="GZ-HRSS"), json=body
        ).status_code
        == 403
    )
    assert (
        seeded_client.post(
            "/api/v1/rounds", headers=city, json=body | {"authority": "GD-HRSS"}
        ).status_code
        == 403
    )
    assert seeded_client.post("/api/v1/rounds", headers=city, json=body).status_code == 201
    again = seeded_client.post("/api/v1/rounds", headers=city, json=body)
    assert again.status_code == 409
    assert again.json()["error"] == "round_exists"
    backwards = body | {"year": 2027, "closes_at": "2025-12-31T00:00:00"}
    assert seeded_client.post("/api/v1/rounds", headers=city, json=backwards).status_code == 422
    superuser = seeded_client.post(
        "/api/v1/rounds",
        headers=tokens("admin"),
        json=body | {"authority": "GZ-EDU", "editions": ["moe-2021"]},
    )
    assert superuser.status_code == 201
    assert superuser.json()["editions"] == ["moe-2021"]


def test_an_admin_files_only_for_colleges_of_its_authority(seeded_client, tokens):
    body = {"college": GZ_COLLEGE, "year": 2025, "entries": [BASE]}
    other = seeded_client.post(
        "/api/v1/filings", headers=tokens("admin", authority="GZ-EDU"), json=body
    )
    assert other.status_code == 403
    assert other.json()["error"] == "not_your_authority"
    own = seeded_client.post(
        "/api/v1/filings", headers=tokens("admin", authority="GZ-HRSS"), json=body
    )
    assert own.status_code == 201
