"""Issue 24, finding 3: a college that closes or merges — its programs withdrawn or moved (an
offering the receiving college runs is withdrawn instead), events in their history, the college's
end in its record, filings refused (409 college_closed), all in the feed and the audit."""

from sqlmodel import select

from app.audit import AuditLog
from app.db import session_scope
from tests.changes.helpers import apply, programs_csv, read_feed
from tests.filings.helpers import submitted_filing
from tests.lifecycle.helpers import COLLEGE, GZ, SUSPEND_0702, program_id

API = "/api/v1"
OTHER = "4401J002"  # 广州市工贸技师学院, same authority


def _programs(client, college: str, status: str | None = None) -> list[dict]:
    params = {"college": college, "limit": 500} | ({"status": status} if status else {})
    return client.get(f"{API}/programs", params=params).json()["items"]


def _offering(p: dict) -> tuple:
    return (p["major_code"], p["intake"], p["level"])


def test_closing_a_college_withdraws_its_programs_and_refuses_its_filings(
    seeded_client, seeded, tokens
):
    admin = tokens("admin", authority=GZ)
    running = _programs(seeded_client, COLLEGE)
    assert running
    assert all(p["status"] == "active" for p in running)
    closed = seeded_client.post(
        f"{API}/colleges/{COLLEGE}/close",
        headers=admin,
        json={"effective_on": "2025-07-01", "reason": "并入广州市工贸技师学院前停办"},
    )
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert body["college"]["status"] == "closed"
    assert body["applied"] is True
    assert (body["college"]["ended_on"], body["college"]["end_reason"]) == (
        "2025-07-01",
        "并入广州市工贸技师学院前停办",
    )
    assert sorted(p["id"] for p in body["withdrawn"]) == sorted(p["id"] for p in running)
    assert {p["status"] for p in _programs(seeded_client, COLLEGE)} == {"withdrawn"}
    csv = seeded_client.get(f"{API}/programs.csv", params={"college": COLLEGE, "layout": "zh"})
    assert "在办" not in csv.content.decode("utf-8-sig")  # the planners' export says 撤销

    history = seeded_client.get(f"{API}/programs/{running[0]['id']}/history").json()["items"]
    assert [(h["event"], h["year"], h["reason"]) for h in history] == [
        ("approved", 2024, None),  # by the seeded 2024 list
        ("withdrawn", 2025, "并入广州市工贸技师学院前停办"),
    ]
    assert history[0]["publication_id"] is not None
    college = tokens("college", college=COLLEGE)
    filing = seeded_client.post(
        f"{API}/filings", headers=college, json={"college": COLLEGE, "year": 2025, "entries": []}
    )
    assert (filing.status_code, filing.json()["error"]) == (409, "college_closed")
    validate = seeded_client.post(
        f"{API}/filings/validate",
        headers=college,
        json={"college": COLLEGE, "year": 2025, "entries": [SUSPEND_0702]},
    )
    assert (validate.status_code, validate.json()["error"]) == (409, "college_closed")
    again = seeded_client.post(
        f"{API}/colleges/{COLLEGE}/close",
        headers=admin,
        json={"effective_on": "2025-07-01", "reason": "再次"},
    )
    assert (again.status_code, again.json()["error"]) == (409, "college_closed")


def test_a_draft_of_a_closed_college_cannot_be_submitted(seeded_client, tokens, open_round):
    college = tokens("college", college=COLLEGE)
    draft = seeded_client.post(
        f"{API}/filings",
        headers=college,
        json={"college": COLLEGE, "year": 2025, "entries": [SUSPEND_0702]},
    )
    assert draft.status_code == 201
    seeded_client.post(
        f"{API}/colleges/{COLLEGE}/close",
        headers=tokens("admin", authority=GZ),
        json={"effective_on": "2025-07-01", "reason": "停办"},
    )
    submit = seeded_client.post(f"{API}/filings/{draft.json()['id']}/submit", headers=college)
    assert (submit.status_code, submit.json()["error"]) == (409, "college_closed")


def test_merging_moves_programs_and_withdraws_what_the_receiving_college_runs(
    seeded_client, seeded, tokens
):
    admin = tokens("admin", authority=GZ)
    # the receiving college already runs one of the merged college's offerings
    shared = _programs(seeded_client, COLLEGE)[0]
    created = seeded_client.post(
        f"{API}/programs",
        headers=admin,
        json={
            "college": OTHER,
            "major_code": shared["major_code"],
            "intake": shared["intake"],
            "level": shared["level"],
            "length_years": shared["length_years"],
            "since_year": 2020,
        },
    )
    assert created.status_code == 201, created.text
    before = {p["id"]: p for p in _programs(seeded_client, COLLEGE)}
    preview = seeded_client.get(
        f"{API}/colleges/{COLLEGE}/merge-preview", headers=admin, params={"into": OTHER}
    ).json()
    assert preview["applied"] is False
    assert [p["id"] for p in preview["withdrawn"]] == [shared["id"]]
    assert _programs(seeded_client, COLLEGE) != []  # a preview changes nothing

    merged = seeded_client.post(
        f"{API}/colleges/{COLLEGE}/merge",
        headers=admin,
        json={"into": OTHER, "effective_on": "2025-09-01", "reason": "两校合并（托管）"},
    )
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert (body["college"]["status"], body["college"]["merged_into"]) == ("merged", OTHER)
    assert [p["id"] for p in body["withdrawn"]] == [shared["id"]]
    moved_ids = set(before) - {shared["id"]}
    assert {p["id"] for p in body["moved"]} == moved_ids
    at_other = {p["id"]: p for p in _programs(seeded_client, OTHER)}
    assert moved_ids <= set(at_other)
    assert all(at_other[i]["status"] == before[i]["status"] for i in moved_ids)
    left = _programs(seeded_client, COLLEGE)
    assert [(p["id"], p["status"]) for p in left] == [(shared["id"], "withdrawn")]

    one = sorted(moved_ids)[0]
    moved = seeded_client.get(f"{API}/programs/{one}/history").json()["items"][-1]
    assert (moved["event"], moved["former_college"], moved["college"], moved["year"]) == (
        "moved",
        COLLEGE,
        OTHER,
        2025,
    )
    gone = seeded_client.get(f"{API}/programs/{shared['id']}/history").json()["items"][-1]
    assert (gone["event"], gone["detail"]["merged_into"]) == ("withdrawn", OTHER)
    with session_scope(seeded) as session:
        audits = session.exec(select(AuditLog).where(AuditLog.action == "college.merge")).all()
        assert [
            (a.reason, a.summary["after"]["moved"], a.summary["after"]["withdrawn"]) for a in audits
        ] == [("两校合并（托管）", len(moved_ids), 1)]
    # the merged college's page keeps its end; filings for it are refused
    college = seeded_client.get(f"{API}/colleges/{COLLEGE}").json()
    assert (college["status"], college["ended_on"]) == ("merged", "2025-09-01")
    refused = seeded_client.post(
        f"{API}/filings",
        headers=tokens("college", college=COLLEGE),
        json={"college": COLLEGE, "year": 2025, "entries": []},
    )
    assert refused.json()["error"] == "college_closed"


def test_a_merge_is_for_the_admin_of_the_governing_authority(seeded_client, tokens):
    body = {"into": OTHER, "effective_on": "2025-09-01", "reason": "合并"}
    other = seeded_client.post(
        f"{API}/colleges/{COLLEGE}/merge", headers=tokens("admin", authority="GZ-EDU"), json=body
    )
    assert other.status_code == 403
    itself = seeded_client.post(
        f"{API}/colleges/{COLLEGE}/merge",
        headers=tokens("admin", authority=GZ),
        json=body | {"into": COLLEGE},
    )
    assert (itself.status_code, itself.json()["error"]) == (422, "merge_into_self")
    assert {p["status"] for p in _programs(seeded_client, COLLEGE)} == {"active"}


def test_the_feed_replays_a_merge_and_a_closure_to_the_same_programs_csv(seeded_client, tokens):
    admin = tokens("admin", authority=GZ)
    merged = seeded_client.post(
        f"{API}/colleges/{COLLEGE}/merge",
        headers=admin,
        json={"into": OTHER, "effective_on": "2025-09-01", "reason": "合并"},
    )
    assert merged.status_code == 200
    closed = seeded_client.post(
        f"{API}/colleges/4401J003/close",
        headers=admin,
        json={"effective_on": "2025-09-01", "reason": "停办"},
    )
    assert closed.status_code == 200, closed.text
    copy: dict = {}
    items, _ = read_feed(seeded_client, limit=500)
    apply(copy, items)
    assert programs_csv(copy["program"]) == seeded_client.get(f"{API}/programs.csv").content
    assert copy["college"][COLLEGE]["merged_into"] == OTHER
    assert copy["college"]["4401J003"]["status"] == "closed"


def test_a_merge_that_fails_at_its_last_step_changes_nothing(
    seeded_client, seeded, tokens, monkeypatch
):
    """One transaction: the programs moved and withdrawn, their events and feed items, the
    college's status all go, or none of them does."""
    from app.errors import Conflict
    from app.programs import mergers

    def refuse(*args, **kwargs):
        raise Conflict(error="college_closed", college="x", status="x")

    before = seeded_client.get(f"{API}/programs.csv").content
    head = seeded_client.get(f"{API}/changes/head").json()
    pid = program_id(seeded, COLLEGE, "0702")
    monkeypatch.setattr(mergers.college_snapshots, "colleges", refuse)
    failed = seeded_client.post(
        f"{API}/colleges/{COLLEGE}/merge",
        headers=tokens("admin", authority=GZ),
        json={"into": OTHER, "effective_on": "2025-09-01", "reason": "合并"},
    )
    assert failed.status_code == 409
    assert seeded_client.get(f"{API}/programs.csv").content == before
    assert seeded_client.get(f"{API}/changes/head").json() == head
    events = seeded_client.get(f"{API}/programs/{pid}/history").json()["items"]
    assert [e["event"] for e in events] == ["approved"]  # the 2024 list's, nothing else
    assert seeded_client.get(f"{API}/colleges/{COLLEGE}").json()["status"] == "active"


def _draft(client, headers, entries: list[dict]) -> dict:
    body = {"college": COLLEGE, "year": 2025, "entries": entries}
    draft = client.post(f"{API}/filings", headers=headers, json=body)
    assert draft.status_code == 201, draft.text
    return draft.json()


def _open_filings(client, tokens) -> tuple[dict, dict, dict]:
    """A draft and a submitted filing of the college (the round open), and its token."""
    college = tokens("college", college=COLLEGE)
    submitted = submitted_filing(client, college, COLLEGE, [SUSPEND_0702])
    draft = _draft(client, college, [SUSPEND_0702 | {"major_code": "0219"}])
    return draft, submitted, college


def test_closing_a_college_withdraws_its_open_filings_in_the_same_step(
    seeded_client, seeded, tokens, open_round
):
    """Finding 3: a closed college's drafts and submitted filings no longer wait for anyone —
    withdrawn with the closure, each with an event saying why, listed in its one audit record;
    submitting one answers 409 college_closed."""
    draft, submitted, college = _open_filings(seeded_client, tokens)
    admin = tokens("admin", authority=GZ)
    preview = seeded_client.get(f"{API}/colleges/{COLLEGE}/merge-preview", headers=admin)
    assert preview.json()["filings"] == [submitted["id"], draft["id"]]
    closed = seeded_client.post(
        f"{API}/colleges/{COLLEGE}/close",
        headers=admin,
        json={"effective_on": "2025-07-01", "reason": "学校停办"},
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["filings"] == [submitted["id"], draft["id"]]
    for filing, before in ((draft, "draft"), (submitted, "submitted")):
        now = seeded_client.get(f"{API}/filings/{filing['id']}", headers=admin).json()
        assert now["status"] == "withdrawn"
        last = now["history"][-1]
        assert (last["action"], last["reason"], last["detail"]) == (
            "withdrawn",
            "学校停办",
            {"from": before, "college_closed": COLLEGE},
        )
    with session_scope(seeded) as session:
        records = session.exec(select(AuditLog).where(AuditLog.action == "college.close")).all()
    assert [r.summary["after"]["filings_withdrawn"] for r in records] == [
        [submitted["id"], draft["id"]]
    ]
    again = seeded_client.post(f"{API}/filings/{draft['id']}/submit", headers=college)
    assert (again.status_code, again.json()["error"]) == (409, "college_closed")


def test_merging_a_college_withdraws_its_open_filings_and_not_the_receiving_colleges(
    seeded_client, seeded, tokens, open_round
):
    draft, submitted, _ = _open_filings(seeded_client, tokens)
    theirs = submitted_filing(
        seeded_client,
        tokens("college", college=OTHER),
        OTHER,
        [SUSPEND_0702 | {"major_code": "0220"}],
    )
    admin = tokens("admin", authority=GZ)
    merged = seeded_client.post(
        f"{API}/colleges/{COLLEGE}/merge",
        headers=admin,
        json={"into": OTHER, "effective_on": "2025-09-01", "reason": "两校合并"},
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["filings"] == [submitted["id"], draft["id"]]
    detail = seeded_client.get(f"{API}/filings/{submitted['id']}", headers=admin).json()
    assert detail["history"][-1]["detail"] == {"from": "submitted", "merged_into": OTHER}
    other = seeded_client.get(f"{API}/filings/{theirs['id']}", headers=admin).json()
    assert other["status"] == "submitted"


def test_a_refused_closure_withdraws_no_filing(seeded_client, tokens, open_round):
    draft, _, _ = _open_filings(seeded_client, tokens)
    refused = seeded_client.post(
        f"{API}/colleges/{COLLEGE}/close",
        headers=tokens("admin", authority="GZ-EDU"),
        json={"effective_on": "2025-07-01", "reason": "停办"},
    )
    assert refused.status_code == 403
    admin = tokens("admin", authority=GZ)
    assert seeded_client.get(f"{API}/filings/{draft['id']}", headers=admin).json()["status"] == (
        "draft"
    )
