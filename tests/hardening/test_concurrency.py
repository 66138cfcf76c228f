"""Crowds of writers (issue 11, items 1, 8 and 9).

The requests go through the ASGI app in-process from one event loop with ``httpx``: the same
thread pool a served process has (40 threads), so a design that holds SQLite's write lock while
waiting for a thread stalls here exactly as it does behind uvicorn.
"""

import asyncio
import time
from collections import Counter

import httpx
import pytest
from sqlmodel import Session, select

from app.programs.models import Program
from tests.filings.conftest import open_round  # noqa: F401  (fixture)
from tests.filings.helpers import BASE, GZ_COLLEGE

NEW_PROGRAM = {
    "college": GZ_COLLEGE,
    "major_code": "0127",  # 机电一体化技术: 广州市技师学院 does not run it
    "intake": "初中起点",
    "level": "中级",
    "length_years": 3,
    "since_year": 2025,
}


async def _crowd(app, requests: list[tuple[str, str, dict, dict]]) -> tuple[list, float]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
        started = time.perf_counter()
        responses = await asyncio.gather(
            *(client.request(m, url, json=body, headers=h) for m, url, body, h in requests)
        )
        return responses, time.perf_counter() - started


@pytest.mark.audit_unchecked  # 200 requests at once: the per-request audit count cannot pair up
def test_200_concurrent_identical_program_posts_give_one_201_and_199_409(
    seeded, app, tokens, capsys
):
    headers = tokens("admin")
    requests = [("POST", "/api/v1/programs", NEW_PROGRAM, headers)] * 200
    responses, elapsed = asyncio.run(_crowd(app, requests))
    statuses = Counter(r.status_code for r in responses)
    with capsys.disabled():
        print(f"\n200 concurrent POST /programs: {dict(statuses)} in {elapsed:.2f} s")
    assert statuses == {201: 1, 409: 199}
    assert {r.json()["error"] for r in responses if r.status_code == 409} == {"program_exists"}
    # Under 1 s on a quiet machine (docs/security.md); the bound here is the busy timeout
    # (15 s), which the old design waited out, so that a loaded CI machine does not flake.
    assert elapsed < 15, f"{elapsed:.2f} s: someone waited for a busy or pool timeout"
    with Session(seeded) as session:
        made = session.exec(select(Program).where(Program.since_year == 2025)).all()
    assert len(made) == 1


def _draft(client, headers, entries) -> dict:
    response = client.post(
        "/api/v1/filings",
        headers=headers,
        json={"college": GZ_COLLEGE, "year": 2025, "entries": entries},
    )
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.audit_unchecked
def test_concurrent_submissions_of_one_offering_leave_one_pending(
    seeded_client,
    seeded,
    app,
    tokens,
    open_round,  # noqa: F811
):
    college = tokens("college", college=GZ_COLLEGE)
    drafts = [_draft(seeded_client, college, [BASE]) for _ in range(2)]
    requests = [
        ("POST", f"/api/v1/filings/{d['id']}/submit", {"version": d["version"]}, college)
        for d in drafts
    ]
    responses, _ = asyncio.run(_crowd(app, requests))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 409).json()
    assert refused["error"] == "filing_has_errors"
    codes = {f["code"] for e in refused["detail"]["entries"] for f in e["findings"]}
    assert "program.pending" in codes
    submitted = next(r for r in responses if r.status_code == 200).json()
    reviewer = tokens("reviewer", authority="GZ-HRSS")
    decided = seeded_client.post(
        f"/api/v1/filings/{submitted['id']}/entries/0/decision",
        headers=reviewer,
        json={"decision": "approved"},
    )
    assert decided.status_code == 200, decided.text
    with Session(seeded) as session:
        programs = session.exec(select(Program).where(Program.since_year == 2025)).all()
    assert len(programs) == 1


def test_an_approval_racing_an_active_program_is_a_clean_409(
    seeded_client,
    tokens,
    open_round,  # noqa: F811
):
    college = tokens("college", college=GZ_COLLEGE)
    draft = _draft(seeded_client, college, [BASE])
    submitted = seeded_client.post(
        f"/api/v1/filings/{draft['id']}/submit", headers=college, json={}
    )
    assert submitted.status_code == 200, submitted.text
    # Meanwhile the bureau registers the same offering directly.
    program = {**NEW_PROGRAM, "level": BASE["level"], "length_years": 5}
    made = seeded_client.post("/api/v1/programs", headers=tokens("admin"), json=program)
    assert made.status_code == 201, made.text
    decided = seeded_client.post(
        f"/api/v1/filings/{draft['id']}/entries/0/decision",
        headers=tokens("reviewer", authority="GZ-HRSS"),
        json={"decision": "approved"},
    )
    assert decided.status_code == 409
    assert decided.json()["error"] == "program_exists"
    assert "duplicate key" not in decided.text
    assert "UNIQUE" not in decided.text


def test_validate_by_another_authoritys_reviewer_does_not_reveal_pending_offerings(
    seeded_client,
    tokens,
    open_round,  # noqa: F811
):
    college = tokens("college", college=GZ_COLLEGE)
    draft = _draft(seeded_client, college, [BASE])
    assert (
        seeded_client.post(
            f"/api/v1/filings/{draft['id']}/submit", headers=college, json={}
        ).status_code
        == 200
    )
    body = {"college": GZ_COLLEGE, "year": 2025, "entries": [BASE]}

    def codes(headers) -> set[str]:
        response = seeded_client.post("/api/v1/filings/validate", headers=headers, json=body)
        assert response.status_code == 200, response.text
        return {f["code"] for f in response.json()["entries"][0]["findings"]}

    assert "program.pending" in codes(college)
    assert "program.pending" in codes(tokens("reviewer", authority="GZ-HRSS"))
    assert "program.pending" not in codes(tokens("reviewer", authority="GZ-EDU"))
    assert "program.pending" not in codes(tokens("admin", authority="GZ-EDU"))
