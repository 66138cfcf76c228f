"""Issue 24, findings 1, 2 and 4: 停招 / 撤销 filed, reviewed and published with the list (the
closures annex), an admin's direct status change with a reason, a reopening that knows how long
the program was suspended, and the program's dated history."""

import re

from sqlmodel import select

from app.audit import AuditLog
from app.db import session_scope
from app.programs import lifecycle
from tests.filings.helpers import submitted_filing
from tests.lifecycle.helpers import (
    COLLEGE,
    GZ,
    SUSPEND_0702,
    approve_all,
    codes,
    draft_and_publish,
    program_id,
    status_of,
    validate,
)

CLOSURES_HEADER = "序号,学校,专业,专业代码,层次,级别,类型,起始年份"


def test_validate_accepts_a_suspension_of_a_running_program(seeded_client, tokens):
    result = validate(seeded_client, tokens("college", college=COLLEGE), [SUSPEND_0702])
    assert result["entries"][0]["kind"] == "停招"
    assert (result["errors"], codes(result)) == (0, [])


def test_a_suspension_of_a_program_the_college_does_not_run_is_program_not_found(
    seeded_client, tokens
):
    entry = SUSPEND_0702 | {"major_code": "0219", "intake": "高中起点"}
    result = validate(seeded_client, tokens("college", college=COLLEGE), [entry])
    assert codes(result) == ["program.not_found"]
    assert result["entries"][0]["findings"][0]["severity"] == "error"


def test_a_suspended_program_cannot_be_suspended_again_but_can_be_withdrawn(
    seeded_client, seeded, tokens, admin_headers
):
    pid = program_id(seeded, COLLEGE, "0702")
    patched = seeded_client.patch(
        f"/api/v1/programs/{pid}",
        headers=admin_headers,
        json={"status": "suspended", "reason": "更正"},
    )
    assert patched.status_code == 200, patched.text
    college = tokens("college", college=COLLEGE)
    again = validate(seeded_client, college, [SUSPEND_0702])
    assert codes(again) == ["program.not_found"]
    withdraw = validate(seeded_client, college, [SUSPEND_0702 | {"kind": "撤销"}])
    assert codes(withdraw) == []


def test_a_lifecycle_entry_needs_a_reason_and_appears_once_per_filing(seeded_client, tokens):
    college = tokens("college", college=COLLEGE)
    no_reason = validate(seeded_client, college, [SUSPEND_0702 | {"reason": ""}])
    assert [(f["code"], f["field"]) for f in no_reason["entries"][0]["findings"]] == [
        ("entry.missing_field", "reason")
    ]
    twice = validate(seeded_client, college, [SUSPEND_0702, SUSPEND_0702 | {"kind": "撤销"}])
    assert codes(twice, 0) == []
    assert codes(twice, 1) == ["program.duplicate_in_filing"]


def test_a_lifecycle_entry_pending_in_another_filing_is_program_pending(
    seeded_client, tokens, open_round
):
    college = tokens("college", college=COLLEGE)
    submitted_filing(seeded_client, college, COLLEGE, [SUSPEND_0702])
    result = validate(seeded_client, college, [SUSPEND_0702 | {"kind": "撤销"}])
    assert codes(result) == ["program.pending"]


def test_an_approved_suspension_takes_effect_when_its_list_is_published(
    seeded_client, seeded, tokens, open_round
):
    pid = program_id(seeded, COLLEGE, "0702")
    filing = submitted_filing(
        seeded_client, tokens("college", college=COLLEGE), COLLEGE, [SUSPEND_0702]
    )
    entry = filing["entries"][0]
    assert (entry["kind"], entry["effective_year"], entry["program_id"]) == ("停招", 2025, pid)
    approve_all(seeded_client, tokens("reviewer", authority=GZ), filing)
    assert status_of(seeded, pid) == "active"  # not before the list is published

    admin = tokens("admin", authority=GZ)
    published = draft_and_publish(seeded_client, admin, open_round["id"])
    assert status_of(seeded, pid) == "suspended"
    assert [(a["key"], a["rows"]) for a in published["annexes"]] == [
        ("specialties", 0),
        ("closures", 1),
    ]
    assert published["line_count"] == 0  # nothing in 附件1: a suspension is no approval

    csv = seeded_client.get(f"/api/v1/publications/{published['id']}/closures.csv")
    assert csv.status_code == 200
    assert (
        csv.content
        == (
            "\ufeff"
            + CLOSURES_HEADER
            + "\r\n1,广州市技师学院,现代农艺技术,0702,初中起点,高级,停招,2025\r\n"
        ).encode()
    )
    xlsx = seeded_client.get(f"/api/v1/publications/{published['id']}/closures.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"

    history = seeded_client.get(f"/api/v1/programs/{pid}/history").json()["items"]
    assert history[-1] | {"at": None} == history[-1] | {
        "event": "suspended",
        "year": 2025,
        "at": None,
        "reason": SUSPEND_0702["reason"],
        "publication_id": published["id"],
        "entry_id": history[-1]["entry_id"],
    }
    assert history[-1]["entry_id"] is not None
    detail = seeded_client.get(f"/api/v1/programs/{pid}").json()
    assert (detail["status"], detail["status_since"]) == ("suspended", 2025)
    stats = seeded_client.get("/api/v1/statistics/approvals", params={"year": 2025}).json()
    assert stats["closures"] == [{"key": "停招", "count": 1}]
    page = seeded_client.get(f"/publications/{published['id']}")
    assert "停招、撤销专业名单" in page.text
    assert "现代农艺技术" in page.text
    table = page.text.split('id="closures"')[1].split("</table>")[0]
    heads = re.findall(r'<th scope="col">([^<]+)</th>', table)
    assert heads == CLOSURES_HEADER.split(",")  # with 层次 and 级别, as 附件3 prints them
    assert re.findall(r'<td[^>]*data-label="([^"]+)"[^>]*>', table) == heads


def test_an_admins_status_change_needs_a_reason_and_keeps_it(seeded_client, seeded, tokens):
    pid = program_id(seeded, COLLEGE, "0702")
    admin = tokens("admin", authority=GZ)
    refused = seeded_client.patch(
        f"/api/v1/programs/{pid}", headers=admin, json={"status": "withdrawn"}
    )
    assert (refused.status_code, refused.json()["error"]) == (422, "reason_required")
    assert status_of(seeded, pid) == "active"

    reason = "更正：该专业 2023 年已撤销，登记遗漏"
    done = seeded_client.patch(
        f"/api/v1/programs/{pid}", headers=admin, json={"status": "withdrawn", "reason": reason}
    )
    assert done.status_code == 200, done.text
    with session_scope(seeded) as session:
        audit = session.exec(select(AuditLog).where(AuditLog.action == "program.update")).all()[-1]
        assert audit.reason == reason
    history = seeded_client.get(f"/api/v1/programs/{pid}/history").json()["items"]
    assert [(h["event"], h["reason"]) for h in history] == [
        ("approved", None),  # by the seeded 2024 list, which it names
        ("withdrawn", reason),
    ]
    listed = seeded_client.get("/api/v1/publications/GZ-HRSS-2024/latest").json()
    assert (history[0]["publication_id"], history[0]["year"]) == (listed["id"], 2024)


def test_the_history_lists_every_change_oldest_first(seeded_client, seeded, tokens):
    pid = program_id(seeded, COLLEGE, "0702")
    admin = tokens("admin", authority=GZ)
    for status, reason in (("suspended", "暂停招生"), ("active", "恢复招生")):
        response = seeded_client.patch(
            f"/api/v1/programs/{pid}", headers=admin, json={"status": status, "reason": reason}
        )
        assert response.status_code == 200, response.text
    # a change of something else than the status needs no reason and is no event
    length = seeded_client.patch(f"/api/v1/programs/{pid}", headers=admin, json={"length_years": 5})
    assert length.status_code == 200
    items = seeded_client.get(f"/api/v1/programs/{pid}/history").json()["items"]
    assert [(i["event"], i["reason"], i["actor"]) for i in items] == [
        ("approved", None, ""),
        ("suspended", "暂停招生", "test-admin"),
        ("reactivated", "恢复招生", "test-admin"),
    ]
    assert items[0]["at"] <= items[1]["at"] <= items[2]["at"]
    assert seeded_client.get("/api/v1/programs/999999/history").status_code == 404


def test_entry_35_of_2024_is_derivable_from_a_program_suspended_in_2021(seeded_client, seeded):
    pid = program_id(seeded, "4401J007", "8105", intake="高中起点")
    items = seeded_client.get(f"/api/v1/programs/{pid}/history").json()["items"]
    assert [(i["event"], i["year"]) for i in items] == [("suspended", 2021), ("reactivated", 2024)]
    listed = seeded_client.get("/api/v1/publications/GZ-HRSS-2024/latest").json()
    entry_35 = next(e for e in listed["entries"] if e["seq"] == 35)
    assert items[1]["publication_id"] == listed["id"]
    printed = entry_35["lines"][0]["remark"]
    assert printed == "停招三年后复开" == lifecycle.reopen_remark(items[0]["year"], listed["year"])


def test_a_reopening_reports_how_long_the_program_was_suspended(
    seeded_client, seeded, tokens, open_round
):
    pid = program_id(seeded, COLLEGE, "0702")
    with session_scope(seeded) as session:
        program = session.get(lifecycle.Program, pid)
        program.status = "suspended"
        session.add(program)
        lifecycle.record_change(
            session, [pid], lifecycle.Change(action="suspended", year=2022, reason="停招")
        )
    reopen = {
        "major_code": "0702",
        "major_name": "现代农艺技术",
        "category": "农业类",
        "intake": "初中起点",
        "level": "高级",
        "length_years": 5,
    }
    result = validate(seeded_client, tokens("college", college=COLLEGE), [reopen])
    finding = result["entries"][0]["findings"][0]
    assert result["entries"][0]["kind"] == "停招后复开"
    assert (finding["code"], finding["severity"], finding["suggestion"]) == (
        "program.suspended_since",
        "info",
        "停招三年后复开",
    )
    assert "2022" in finding["message"]

    filing = submitted_filing(seeded_client, tokens("college", college=COLLEGE), COLLEGE, [reopen])
    approve_all(seeded_client, tokens("reviewer", authority=GZ), filing)
    draft = seeded_client.post(
        "/api/v1/publications",
        headers=tokens("admin", authority=GZ),
        json={"year": 2025, "title": "2025年名单", "round_id": open_round["id"]},
    ).json()
    remarks = [line["remark"] for e in draft["entries"] for line in e["lines"]]
    assert remarks == ["停招三年后复开"]  # the list's 备注 comes from the history
