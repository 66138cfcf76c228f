"""Adopting technician-2026 in place of technician-2022 over the seeded 2024 programs."""

import csv
import hashlib
import io
import json
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from app.adoption import answer, service
from app.audit import AuditLog
from app.db import session_scope
from app.programs.lifecycle import ProgramEvent
from tests.adoption.helpers import ADOPTION, AUTOMATIC, DATA, DECISIONS, NEW, OLD, SPLIT, WITHDRAWN
from tests.core.helpers import ADMIN, count
from tests.publications.helpers import EXPECTED_2024_CSV

SEED_PROGRAMS = DATA.parents[2] / "seed" / "programs_gz2024.csv"


def seeded_programs() -> list[dict[str, str]]:
    with open(SEED_PROGRAMS, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def key(item: dict) -> tuple:
    return (item["college_code"], item["old_code"], item["level"], item["intake"])


def expected_moves(decided: bool) -> set[tuple]:
    """(college, old code, level, intake, new code, relation) of every automatic move, read from
    the seed file and the crosswalk by hand — the collision losers (0528) excepted."""
    out = set()
    decisions = {key(d): d["new_code"] for d in DECISIONS}
    for p in seeded_programs():
        k = (p["college_code"], p["major_code"], p["level"], p["intake"])
        code = p["major_code"]
        if len(code) != 4:
            continue  # 中职 programs (MOE codes) are not in the technician catalog
        if code == "0528" or code in WITHDRAWN:
            continue
        if code in SPLIT:
            if decided:
                out.add((*k, decisions[k], "split"))
            continue
        if code.startswith("8") and code not in AUTOMATIC:
            continue  # other Guangdong specialty codes stay where they are
        new_code, relation = AUTOMATIC.get(code, (code, "unchanged"))
        out.add((*k, new_code, relation))
    return out


def moves(plan: dict) -> set[tuple]:
    return {(*key(m), m["new_code"], m["relation"]) for m in plan["moved"]}


def test_dry_run_lists_exactly_the_expected_moves_decisions_and_collisions(
    seeded_client, admin_headers, new_edition
):
    response = seeded_client.post(ADOPTION, json={"from": OLD}, headers=admin_headers)
    assert response.status_code == 200, response.text
    plan = response.json()
    assert plan["applied"] is False
    assert moves(plan) == expected_moves(decided=False)
    assert len(plan["moved"]) == 52
    assert {key(n): [c["code"] for c in n["candidates"]] for n in plan["needs_decision"]} == {
        ("4401J001", "0314", "高级", "高中起点"): ["0321", "0322"],
        ("4401J002", "0314", "高级", "初中起点"): ["0321", "0322"],
    }
    assert {key(w) for w in plan["withdrawn"]} == {
        ("4401J002", "0307", "预备技师", "初中起点"),
        ("4401J006", "0442", "高级", "初中起点"),
    }
    collisions = {
        (c["college_code"], c["new_code"], c["level"], c["intake"]): (
            c["keep"]["old_code"],
            [r["old_code"] for r in c["retire"]],
        )
        for c in plan["collisions"]
    }
    assert collisions == {
        ("4401J013", "0515", "中级", "初中起点"): ("0515", ["0528"]),
        ("4401J013", "0515", "高级", "高中起点"): ("0515", ["0528"]),
    }
    # A dry run writes nothing: the old edition is still in force.
    editions = {e["key"]: e for e in seeded_client.get("/api/v1/catalogs").json()["items"]}
    assert editions[OLD]["status"] == "in_force"


def _programs_csv(client) -> bytes:
    response = client.get("/api/v1/programs.csv")
    assert response.status_code == 200
    return response.content


def _list_2024(client) -> tuple[bytes, str]:
    response = client.get("/api/v1/publications/GZ-HRSS-2024/latest.csv", follow_redirects=True)
    assert response.status_code == 200
    return response.content, response.headers["X-Checksum-SHA256"]


def test_apply_with_an_unresolved_split_refuses_and_writes_nothing(
    seeded_client, admin_headers, new_edition, seeded
):
    before = _programs_csv(seeded_client), count(seeded, ProgramEvent), count(seeded, AuditLog)
    response = seeded_client.post(
        ADOPTION,
        json={"from": OLD, "apply": True, "decisions": DECISIONS[:1]},
        headers=admin_headers,
    )
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "adoption_needs_decisions"
    assert [key(n) for n in body["detail"]["needs_decision"]] == [
        ("4401J002", "0314", "高级", "初中起点")
    ]
    english = seeded_client.post(
        ADOPTION,
        json={"from": OLD, "apply": True},
        headers={**admin_headers, "Accept-Language": "en"},
    )
    assert english.status_code == 409
    assert english.json()["detail"]["message"].startswith("some programs still need a decision")
    assert body["detail"]["message"].startswith("还有专业设置需要决定")
    after = _programs_csv(seeded_client), count(seeded, ProgramEvent), count(seeded, AuditLog)
    assert after == before
    editions = {e["key"]: e for e in seeded_client.get("/api/v1/catalogs").json()["items"]}
    assert editions[OLD]["status"] == "in_force"


def test_decisions_with_bad_rows_name_the_row_and_the_column(
    seeded_client, admin_headers, new_edition
):
    bad = [
        DECISIONS[0],
        {**DECISIONS[1], "new_code": "0127"},  # in the new edition, not a successor of 0314
        {**DECISIONS[1], "college_code": "4401J099"},
        {**DECISIONS[1], "intake": "中技起点"},
        {  # 0610 moves to 0611 by itself
            "college_code": "4401J002",
            "old_code": "0610",
            "level": "预备技师",
            "intake": "初中起点",
            "new_code": "0127",
        },
        {**DECISIONS[0], "new_code": "321"},
    ]
    response = seeded_client.post(
        ADOPTION, json={"from": OLD, "apply": True, "decisions": bad}, headers=admin_headers
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "import_rejected"
    errors = [(e["row"], e["column"], e["code"]) for e in body["detail"]["errors"]]
    assert errors == [
        (2, "new_code", "adoption.not_a_candidate"),
        (3, "college_code", "adoption.unknown_program"),
        (4, "intake", "adoption.unknown_program"),
        (5, "new_code", "adoption.no_decision_needed"),
        (6, "old_code", "entry.duplicate"),
    ]
    assert body["detail"]["errors"][0]["suggestion"] == "0321|0322"


def test_apply_moves_programs_keeps_history_and_supersedes_the_old_edition(
    seeded_client, admin_headers, new_edition, seeded
):
    list_before = _list_2024(seeded_client)
    body = {"from": OLD, "apply": True, "decisions": DECISIONS}
    response = seeded_client.post(ADOPTION, json=body, headers=admin_headers)
    assert response.status_code == 200, response.text
    plan = response.json()
    assert plan["applied"] is True
    assert plan["needs_decision"] == []
    assert moves(plan) == expected_moves(decided=True)
    assert (len(plan["moved"]), len(plan["withdrawn"]), len(plan["collisions"])) == (54, 2, 2)

    # programs.csv: current codes, names and categories; withdrawn and merged programs' status
    assert _programs_csv(seeded_client) == (DATA / "programs_after_adoption.csv").read_bytes()

    # the old edition is superseded, with the day and the edition that replaced it
    editions = {e["key"]: e for e in seeded_client.get("/api/v1/catalogs").json()["items"]}
    assert editions[OLD]["status"] == "superseded"
    assert editions[OLD]["superseded_by"] == NEW
    assert editions[OLD]["superseded_on"] == plan["superseded_on"]

    # one program event per program changed (54 moved, 2 suspended, 2 merged), one audit record
    with Session(seeded) as session:
        events = session.scalar(
            select(func.count())
            .select_from(ProgramEvent)
            .where(
                ProgramEvent.action.in_(("adopted", "suspended", "merged")),
                ProgramEvent.source.startswith("adoption:"),  # not the seeded history
            )
        )
        audits = session.scalars(select(AuditLog).where(AuditLog.action == "catalog.adopt")).all()
    assert events == 58
    assert [(a.target_id, a.summary["after"]["moved"]) for a in audits] == [(NEW, 54)]

    # the program's JSON shows its former code with the edition that changed it
    program = next(m for m in plan["moved"] if m["old_code"] == "0610")
    detail = seeded_client.get(f"/api/v1/programs/{program['program_id']}").json()
    assert (detail["major_code"], detail["major_name"], detail["edition"]) == (
        "0611",
        "网络营销与直播",
        NEW,
    )
    assert [
        (h["code"], h["name"], h["edition"], h["changed_by"], h["relation"])
        for h in detail["former_codes"]
    ] == [("0610", "网络营销", OLD, NEW, "renamed")]

    # the 2024 list is exactly as published
    content, checksum = _list_2024(seeded_client)
    assert (content, checksum) == list_before
    assert content == EXPECTED_2024_CSV.read_bytes()
    assert hashlib.sha256(content).hexdigest() == checksum

    # applying twice changes nothing
    counts = count(seeded, ProgramEvent), count(seeded, AuditLog)
    again = seeded_client.post(ADOPTION, json=body, headers=admin_headers)
    assert again.status_code == 200
    assert (again.json()["applied"], again.json()["moved"], again.json()["collisions"]) == (
        False,
        [],
        [],
    )
    assert (count(seeded, ProgramEvent), count(seeded, AuditLog)) == counts
    assert _programs_csv(seeded_client) == (DATA / "programs_after_adoption.csv").read_bytes()


def test_the_plan_as_csv_is_a_decisions_file(seeded_client, admin_headers, new_edition):
    response = seeded_client.get(f"{ADOPTION}.csv", params={"from": OLD})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:5] == ["college_code", "old_code", "level", "intake", "new_code"]
    assert [(r["plan"], r["old_code"], r["candidates"]) for r in rows[:2]] == [
        ("needs_decision", "0314", "0321 网络安全运维|0322 数据安全技术"),
        ("needs_decision", "0314", "0321 网络安全运维|0322 数据安全技术"),
    ]
    assert sorted(r["plan"] for r in rows).count("moved") == 52
    assert {r["plan"] for r in rows} == {"needs_decision", "collision", "withdrawn", "moved"}
    xlsx = seeded_client.get(f"{ADOPTION}.xlsx", params={"from": OLD})
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK")


def test_filings_after_adoption_name_the_successors(seeded_client, admin_headers, new_edition):
    response = seeded_client.post(
        ADOPTION, json={"from": OLD, "apply": True, "decisions": DECISIONS}, headers=admin_headers
    )
    assert response.status_code == 200
    entry = {"intake": "初中起点", "level": "中级", "length_years": 3}
    entries = [
        {**entry, "major_code": "0314", "major_name": "网络与信息安全", "category": "信息类"},
        {**entry, "major_code": "0610", "major_name": "网络营销", "category": "财经商贸类"},
        {**entry, "major_code": "8172", "major_name": "新媒体运营", "category": "信息类"},
        {**entry, "major_code": "0611", "major_name": "网络营销与直播", "category": "财经商贸类"},
    ]
    result = seeded_client.post(
        "/api/v1/filings/validate",
        json={"college": "4401J003", "year": 2027, "entries": entries},
        headers=admin_headers,
    )
    assert result.status_code == 200, result.text
    found = [
        {f["code"]: f["suggestion"] for f in e["findings"] if f["severity"] == "error"}
        for e in result.json()["entries"]
    ]
    assert found[0] == {"major.superseded": "0321|0322"}
    assert found[1] == {"major.superseded": "0611"}
    assert found[2] == {"major.superseded": "0330"}
    assert found[3] == {}


def test_withdrawn_codes_kept_until_a_day_are_suspended_once_it_has_come(
    seeded_client, admin_headers, new_edition, seeded
):
    body = {"from": OLD, "apply": True, "decisions": DECISIONS, "keep_until": "2099-08-31"}
    response = seeded_client.post(ADOPTION, json=body, headers=admin_headers)
    assert response.status_code == 200, response.text
    withdrawn = response.json()["withdrawn"]
    assert {(w["old_code"], w["becomes"], w["until"]) for w in withdrawn} == {
        ("0307", "active", "2099-08-31"),
        ("0442", "active", "2099-08-31"),
    }
    rows = list(csv.DictReader(io.StringIO(_programs_csv(seeded_client).decode("utf-8-sig"))))
    assert {r["status"] for r in rows if r["major_code"] in WITHDRAWN} == {"active"}

    # Before the day, applying again changes nothing.
    again = seeded_client.post(ADOPTION, json=body, headers=admin_headers).json()
    assert (again["applied"], again["withdrawn"]) == (False, [])

    # On the day after, the adoption suspends them (and only that).
    with session_scope(seeded) as session:
        sections = answer.Applied()
        done = service.adopt(
            session,
            NEW,
            from_key=OLD,
            decisions=[],
            actor=ADMIN,
            out=sections,
            today=date(2099, 9, 1),
        )
    plan = json.loads(b"".join(sections.body(NEW, OLD, done.applied, done.superseded_on)))
    assert plan["applied"]
    assert plan["moved"] == []
    assert plan["collisions"] == []
    assert {(w["old_code"], w["becomes"]) for w in plan["withdrawn"]} == {
        ("0307", "suspended"),
        ("0442", "suspended"),
    }
    assert _programs_csv(seeded_client) == (DATA / "programs_after_adoption.csv").read_bytes()
