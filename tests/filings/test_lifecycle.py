"""Approved entries become programs: reopening reactivates, a rename keeps the former name."""

from sqlmodel import Session, select

from app.catalog.models import CatalogEdition, Category, Major
from app.colleges.models import College
from app.db import session_scope
from app.programs.lifecycle import ProgramEvent
from app.programs.models import Program
from app.text import normalize_name
from tests.core.test_program_category import drifted
from tests.filings.helpers import publish_round_list, submitted_filing

REOPEN = {
    "major_code": "0702",
    "major_name": "现代农艺技术",
    "category": "农业类",
    "intake": "初中起点",
    "level": "高级",
    "length_years": 5,
    "remark": "停招三年后复开",
}
RENAME = {
    "major_code": "0445",
    "major_name": "重型车辆运用与维修",
    "category": "交通类",
    "intake": "初中起点",
    "level": "高级",
    "length_years": 5,
    "remark": "原重型车辆维修改名",
}


def _program(session, college_code, major_code):
    return session.exec(
        select(Program)
        .join(College, College.id == Program.college_id)
        .join(Major, Major.id == Program.major_id)
        .where(College.code == college_code, Major.code == major_code)
    ).one()


def test_reopening_a_suspended_program_reactivates_it(seeded_client, seeded, tokens, open_round):
    with session_scope(seeded) as session:
        program = _program(session, "4401J001", "0702")
        program.status = "suspended"
        session.add(program)
        program_id = program.id
    college = tokens("college", college="4401J001")
    filing = submitted_filing(seeded_client, college, "4401J001", [REOPEN])
    assert filing["entries"][0]["kind"] == "停招后复开"
    assert filing["entries"][0]["findings"] == []

    decided = seeded_client.post(
        f"/api/v1/filings/{filing['id']}/entries/0/decision",
        headers=tokens("reviewer", authority="GZ-HRSS"),
        json={"decision": "approved"},
    )
    assert decided.json()["status"] == "decided"
    with Session(seeded) as session:  # approved, it waits for the list (批准待公布)
        assert session.get(Program, program_id).status == "approved"
    published = publish_round_list(seeded_client, tokens, open_round["id"])
    assert [x["remark"] for e in published["entries"] for x in e["lines"]] == ["停招后复开"]
    with Session(seeded) as session:
        program = session.get(Program, program_id)
        assert program.status == "active"
        events = session.exec(
            select(ProgramEvent).where(ProgramEvent.program_id == program_id)
        ).all()
        assert [(e.action, e.detail.get("before", {}).get("status")) for e in events] == [
            ("approved", "suspended"),
            ("activated", None),
        ]
        assert events[1].source == f"publication:{published['id']}"


def test_rename_moves_the_program_to_the_new_major_and_keeps_the_old_name(
    seeded_client, seeded, tokens, open_round
):
    with session_scope(seeded) as session:
        old = CatalogEdition(
            key="technician-2018",
            title="全国技工院校专业目录（2018年）",
            system="technician",
            kind="national",
            status="superseded",
        )
        session.add(old)
        session.flush()
        category = Category(edition_id=old.id, name="交通类")
        session.add(category)
        session.flush()
        former = Major(
            edition_id=old.id,
            code="0421",
            name="重型车辆维修",
            name_norm=normalize_name("重型车辆维修"),
            category_id=category.id,
        )
        session.add(former)
        session.flush()
        program = _program(session, "4401J006", "0445")  # 交通技师学院, before its rename
        program.major_id = former.id
        session.add(program)
        program_id, former_id = program.id, former.id
    college = tokens("college", college="4401J006")
    filing = submitted_filing(seeded_client, college, "4401J006", [RENAME])
    assert filing["entries"][0]["kind"] == "改名"
    assert filing["entries"][0]["former_name"] == "重型车辆维修"

    seeded_client.post(
        f"/api/v1/filings/{filing['id']}/entries/0/decision",
        headers=tokens("reviewer", authority="GZ-HRSS"),
        json={"decision": "approved"},
    )
    with Session(seeded) as session:  # approved, the rename waits for the list
        program = session.get(Program, program_id)
        assert (program.major_id, program.status) == (former_id, "active")
    published = publish_round_list(seeded_client, tokens, open_round["id"])
    assert [x["remark"] for e in published["entries"] for x in e["lines"]] == ["原重型车辆维修改名"]
    with Session(seeded) as session:
        program = session.get(Program, program_id)
        assert session.get(Major, program.major_id).code == "0445"
        [approved, event] = session.exec(
            select(ProgramEvent).where(ProgramEvent.program_id == program_id)
        ).all()
        assert approved.action == "approved"
        assert (event.action, event.former_name, event.former_major_id) == (
            "renamed",
            "重型车辆维修",
            former_id,
        )
    shown = seeded_client.get("/api/v1/programs?college=4401J006&major_code=0445").json()
    assert [p["id"] for p in shown["items"]] == [program_id]
    assert drifted(seeded) == []  # program.category followed the move
