"""What happens to programs when a filing entry is approved, and when the list carrying it is
published. An approval only reserves the offering: a new program appears in status ``approved``
(批准待公布) and a suspended one is marked ``approved`` to reopen; a rename waits as it is. The
list's publication makes it take effect (``take_effect``): ``active``, ``since_year`` the list's
year for a new program, the rename applied. "上述新增专业纳入 2024 年广州市技工院校招生计划": the
majors enter the enrollment plan through the published list (domain.md, Beyond additions).

Callers (filings review, publications) run these inside their transaction; nothing here commits.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, column, table
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from app import writes
from app.catalog.models import CatalogEdition, Major
from app.clock import rfc3339, utcnow
from app.colleges.models import College
from app.errors import Conflict
from app.programs import snapshots
from app.programs.models import Program
from app.text import normalize_name
from app.vocab import Kind, ProgramStatus

APPROVED, ACTIVE = ProgramStatus.APPROVED.value, ProgramStatus.ACTIVE.value


class ProgramEvent(SQLModel, table=True):
    """A program's history: approved, activated, suspended, reactivated, withdrawn, renamed (with
    the former major and name), moved (with the former college) — each with the year it takes
    effect, the reason, and the list or filing entry that caused it."""

    __tablename__ = "program_event"
    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    action: str = Field(max_length=20)  # see HISTORY_EVENTS
    actor: str = Field(default="", max_length=100)
    former_major_id: int | None = Field(default=None, foreign_key="major.id")
    former_name: str | None = Field(default=None, max_length=100)
    source: str = Field(default="", max_length=60)  # e.g. filing:12/3, publication:7
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # ---- issue 24: dated history (migration 0018). The ids are references without a foreign
    # key: added to a table in use, a SQLite downgrade could not drop a column in a foreign key.
    year: int | None = None  # the year the change takes effect (停招 from 2021)
    reason: str | None = Field(default=None, max_length=1000)
    publication_id: int | None = Field(default=None, index=True)  # the list that caused it
    entry_id: int | None = None  # the filing entry (filing_entry.id) decided
    former_college_id: int | None = None  # moved: the college it came from


@dataclass(frozen=True)
class Approval:
    """An approved offering, as the lifecycle needs it."""

    college_id: int
    major_id: int
    level: str
    intake: str
    length_years: int
    year: int
    kind: str
    former_name: str = ""
    source: str = ""
    actor: str = ""


def apply_approval(session: Session, approval: Approval) -> Program:
    """The program an approval reserves: a new one in status ``approved``, a suspended (or
    withdrawn) one marked ``approved`` to reopen, or — for a rename — the program of the former
    name, unchanged until the list is published. An offering already running or already
    approved elsewhere: 409 ``program_exists``."""
    if approval.kind == Kind.RENAME and approval.former_name:
        renamed = _rename_target(session, approval)
        if renamed is not None:
            return renamed
    same = _same_offering(session, approval)
    taken = [p for p in same if p.status in (ACTIVE, APPROVED)]
    if taken:
        raise Conflict(error="program_exists", msg="program_exists.program", id=taken[0].id)
    if same:
        return _reserve(session, same[0], approval)
    return _create(session, approval)


def take_effect(
    session: Session, program: Program, approval: Approval, *, publication_id: int
) -> bool:
    """The published list makes the approval effective: an ``approved`` program becomes
    ``active`` (a new one with ``since_year`` the list's year), a pending rename is applied.
    False when nothing was waiting (the program already took effect through an earlier revision
    of the list)."""
    source = f"publication:{publication_id}"
    if approval.kind == Kind.RENAME and approval.former_name and program.status == ACTIVE:
        return _apply_rename(session, program, approval, source)
    if program.status != APPROVED:
        return False
    program.status = ACTIVE
    program.length_years = approval.length_years
    if program.source == approval.source[:60]:  # created by this approval (a reopened one keeps
        program.since_year = approval.year  # the year it was first approved)
    session.add(program)
    session.flush()
    writes.changed(
        session,
        _event(program, "activated", approval, source=source),
        snapshots.programs([program.id or 0], "updated"),
    )
    return True


def _same_offering(session: Session, a: Approval) -> list[Program]:
    query = (
        select(Program)
        .where(
            Program.college_id == a.college_id,
            Program.major_id == a.major_id,
            Program.level == a.level,
            Program.intake == a.intake,
        )
        .order_by(col(Program.id))
    )
    # suspended before withdrawn: 停招后复开 reopens a suspended program first
    return sorted(
        session.exec(query).all(), key=lambda p: (p.status != ProgramStatus.SUSPENDED, p.id or 0)
    )


def _create(session: Session, a: Approval) -> Program:
    program = Program(
        college_id=a.college_id,
        major_id=a.major_id,
        level=a.level,
        intake=a.intake,
        length_years=a.length_years,
        status=APPROVED,
        since_year=a.year,
        source=a.source[:60],
    )
    session.add(program)
    session.flush()
    writes.changed(
        session, _event(program, "approved", a), snapshots.programs([program.id or 0], "created")
    )
    return program


def _reserve(session: Session, program: Program, a: Approval) -> Program:
    """停招后复开 approved: the suspended program waits for the list as ``approved``."""
    before = {"status": program.status, "length_years": program.length_years}
    program.status = APPROVED
    session.add(program)
    session.flush()
    writes.changed(
        session,
        _event(program, "approved", a, detail={"before": before}),
        snapshots.programs([program.id or 0], "updated"),
    )
    return program


def _rename_target(session: Session, a: Approval) -> Program | None:
    """The college's program of the former name at this level and intake (active first)."""
    rows = session.exec(
        select(Program, Major)
        .join(Major, col(Major.id) == Program.major_id)
        .where(
            Program.college_id == a.college_id,
            Program.level == a.level,
            Program.intake == a.intake,
            Major.name_norm == normalize_name(a.former_name),
        )
        .order_by(col(Program.id))
    ).all()
    if not rows:
        return None
    program = sorted(rows, key=lambda r: (r[0].status != ACTIVE, r[0].id or 0))[0][0]
    if program.status != ACTIVE:  # a rename of a program that is not running: reopen it renamed
        program.status = APPROVED
        session.add(program)
        session.flush()
    writes.changed(session, _event(program, "approved", a))
    return program


def _apply_rename(session: Session, program: Program, a: Approval, source: str) -> bool:
    if program.major_id == a.major_id:
        return False
    former = session.get(Major, program.major_id)
    program.major_id = a.major_id
    program.status = ACTIVE
    program.length_years = a.length_years
    session.add(program)
    try:
        with session.begin_nested():  # the unique index of active offerings is the last guard
            session.flush()
    except IntegrityError as exc:
        raise Conflict(error="program_exists", msg="program_exists.race") from exc
    event = _event(
        program,
        "renamed",
        a,
        source=source,
        former_major_id=former.id if former else None,
        former_name=former.name if former else None,
    )
    writes.changed(session, event, snapshots.programs([program.id or 0], "updated"))
    return True


def revoke_approval(session: Session, program: Program, *, actor: str, source: str) -> None:
    """An approval overturned before its list was published (an objection upheld during 公示):
    a program it created ends ``withdrawn`` without ever running; a reopened one returns to its
    former status. A program that is not waiting (``approved``) is left as it is."""
    if program.status != APPROVED:
        return
    approved = [e for e in history(session, program.id or 0) if e.action == "approved"]
    before = approved[-1].detail.get("before", {}) if approved else {}
    program.status = before.get("status") or ProgramStatus.WITHDRAWN.value
    session.add(program)
    session.flush()
    event = ProgramEvent(
        program_id=program.id or 0,
        action=program.status,  # withdrawn (never ran) or suspended (back as it was)
        actor=actor,
        source=source[:60],
        detail={"revoked": "approved"},
    )
    writes.changed(session, event, snapshots.programs([program.id or 0], "updated"))


def activate_new(session: Session, approval: Approval, *, publication_id: int) -> Program:
    """A line the bureau added by hand (with its reason) takes effect: its program is created
    (or reopened) and made active at once — the list itself is its approval."""
    program = apply_approval(session, approval)
    take_effect(session, program, approval, publication_id=publication_id)
    return program


def _event(program: Program, action: str, a: Approval, **extra: Any) -> ProgramEvent:
    """The program's event of an approval's step, for ``writes.changed``."""
    assert program.id is not None
    source = extra.pop("source", a.source)
    return ProgramEvent(
        program_id=program.id,
        action=action,
        actor=a.actor,
        source=source[:60],
        detail=extra.pop("detail", {}) | {"kind": a.kind, "year": a.year},
        **extra,
    )


def history(session: Session, program_id: int) -> list[ProgramEvent]:
    """A program's events, oldest first (former names are the ``renamed`` events)."""
    query = select(ProgramEvent).where(ProgramEvent.program_id == program_id)
    return list(session.exec(query.order_by(col(ProgramEvent.id))).all())


def former_codes(session: Session, program_id: int) -> list[dict[str, Any]]:
    """The codes and names the program had before, oldest first, with the edition whose adoption
    changed them (none for a rename approved in a filing). Moves that kept code and name (an
    ``unchanged`` line of a new edition) are history too but not a former code."""
    query = (
        select(ProgramEvent, Major, CatalogEdition)
        .join(Major, col(Major.id) == ProgramEvent.former_major_id)
        .join(CatalogEdition, col(CatalogEdition.id) == Major.edition_id)
        .where(ProgramEvent.program_id == program_id)
        .order_by(col(ProgramEvent.id))
    )
    program = session.get(Program, program_id)
    current = session.get(Major, program.major_id) if program else None
    out = []
    for event, major, edition in session.exec(query).all():
        if current is not None and (major.code, major.name) == (current.code, current.name):
            continue
        out.append(
            {
                "code": major.code,
                "name": event.former_name or major.name,
                "edition": edition.key,
                "changed_by": event.detail.get("edition") if event.action != "renamed" else None,
                "relation": event.detail.get("relation") or "renamed",
                "at": rfc3339(event.at),
            }
        )
    return out


# ---- issue 24: the dated history ----------------------------------------------------------

# What GET /programs/{id}/history calls each stored action (contract.md "Program lifecycle"):
# ``created`` is an approval (before lists took effect the approval made it active at once),
# a catalog adoption's move to a new code is a rename, a collision's loser is withdrawn.
HISTORY_EVENTS = {
    "created": "approved",
    "approved": "approved",
    "activated": "activated",
    "suspended": "suspended",
    "reactivated": "reactivated",
    "withdrawn": "withdrawn",
    "renamed": "renamed",
    "adopted": "renamed",
    "merged": "withdrawn",
    "moved": "moved",
}
# The status each event leaves the program in (the "since when" of a status).
EVENT_STATUS = {
    "approved": None,
    "activated": ProgramStatus.ACTIVE,
    "reactivated": ProgramStatus.ACTIVE,
    "suspended": ProgramStatus.SUSPENDED,
    "withdrawn": ProgramStatus.WITHDRAWN,
}
_CN_COUNT = {
    1: "一",
    2: "两",
    3: "三",
    4: "四",
    5: "五",
    6: "六",
    7: "七",
    8: "八",
    9: "九",
    10: "十",
}


def reopen_remark(suspended_year: int, year: int) -> str:
    """The 备注 of a 停招后复开 line: 停招三年后复开 for a program suspended in 2021 and reopened
    in 2024 (the 2024 list, entry 35); 停招后复开 when the years say nothing."""
    years = year - suspended_year
    if years <= 0:
        return "停招后复开"
    return f"停招{_CN_COUNT.get(years, str(years))}年后复开"


@dataclass(frozen=True)
class Change:
    """One change of a program, as its history records it."""

    action: str  # a key of HISTORY_EVENTS
    actor: str = ""
    year: int | None = None
    reason: str | None = None
    publication_id: int | None = None
    entry_id: int | None = None
    source: str = ""
    former_college_id: int | None = None
    detail: dict[str, Any] | None = None


def event_row(program_id: int, change: Change, at: datetime | None = None) -> dict[str, Any]:
    """The ``program_event`` row of a change (a dict: bulk writes insert many at once)."""
    return {
        "program_id": program_id,
        "at": at or utcnow(),
        "action": change.action,
        "actor": change.actor[:100],
        "source": change.source[:60],
        "detail": change.detail or {},
        "year": change.year,
        "reason": change.reason,
        "publication_id": change.publication_id,
        "entry_id": change.entry_id,
        "former_college_id": change.former_college_id,
    }


def record_change(session: Session, program_ids: list[int], change: Change) -> None:
    """The same change of these programs, one event each, in one INSERT (executemany). Called
    by the write path (``events``); the bulk paths (adoption) insert ``event_row``s directly."""
    if program_ids:
        at = utcnow()
        table = ProgramEvent.__table__  # type: ignore[attr-defined]
        session.execute(table.insert(), [event_row(i, change, at) for i in program_ids])


def events(program_ids: list[int], change: Change) -> writes.Change:
    """``change`` of each program as one event each, for ``writes.record``/``writes.changed``."""
    ids = list(program_ids)
    return lambda session: record_change(session, ids, change)


def offering_program(
    session: Session, *, college_id: int, major_id: int, level: str, intake: str
) -> int | None:
    """The program of this offering (the newest one), whatever its state."""
    query = select(Program.id).where(
        Program.college_id == college_id,
        Program.major_id == major_id,
        Program.level == level,
        Program.intake == intake,
    )
    return session.exec(query.order_by(col(Program.id).desc())).first()


def suspended_since(session: Session, program_id: int) -> int | None:
    """The year of the program's latest 停招 (from its history), if any."""
    years = [
        e.year
        for e in history(session, program_id)
        if e.action == "suspended" and e.year is not None
    ]
    return years[-1] if years else None


def _filing_of(source: str) -> int | None:
    """``filing:12/3`` → 12."""
    head = source.removeprefix("filing:").split("/")[0]
    return int(head) if source.startswith("filing:") and head.isdigit() else None


def history_items(session: Session, program_id: int) -> list[dict[str, Any]]:
    """``GET /programs/{id}/history``: the program's events in the fixed vocabulary, oldest
    first (stored actions outside it — an adoption's ``kept`` note — are left out)."""
    events = history(session, program_id)
    ids: set[int] = {e.former_college_id for e in events if e.former_college_id}
    ids |= {int(e.detail["college_id"]) for e in events if e.detail.get("college_id")}
    codes = (
        dict(session.exec(select(College.id, College.code).where(col(College.id).in_(ids))).all())
        if ids
        else {}
    )
    items = []
    for e in events:
        event = HISTORY_EVENTS.get(e.action)
        if event is None:
            continue
        items.append(
            {
                "event": event,
                "year": e.year if e.year is not None else e.detail.get("year"),
                "at": rfc3339(e.at),
                "reason": e.reason,
                "publication_id": e.publication_id,
                "entry_id": e.entry_id,
                "filing_id": _filing_of(e.source),
                "actor": e.actor,
                "source": e.source,
                "former_name": e.former_name,
                "former_college": codes.get(e.former_college_id),
                "college": codes.get(e.detail.get("college_id")),
                "detail": e.detail,
            }
        )
    return sorted(items + _listed(session, program_id, items), key=lambda i: i["at"])


# The lists that approve a program (publications' program_approval), read as plain tables: a
# program approved before events were recorded (the seeded 2024 lists) still shows "approved by
# which list". Publications depend on programs, not the reverse, hence no model import.
_APPROVAL = table("program_approval", column("program_id"), column("publication_id"))
_PUBLICATION = table("publication", column("id"), column("year"), column("published_at"))


def _listed(session: Session, program_id: int, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``approved`` items for the published lists approving the program that no recorded
    event names already."""
    named = {i["publication_id"] for i in items if i["publication_id"]}
    rows = session.execute(
        core_select(_PUBLICATION.c.id, _PUBLICATION.c.year, _PUBLICATION.c.published_at)
        .join(_APPROVAL, _APPROVAL.c.publication_id == _PUBLICATION.c.id)
        .where(_APPROVAL.c.program_id == program_id)
    ).all()
    return [
        {
            "event": "approved",
            "year": year,
            "at": rfc3339(at) if isinstance(at, datetime) else str(at),
            "reason": None,
            "publication_id": pid,
            "entry_id": None,
            "filing_id": None,
            "actor": "",
            "source": f"publication:{pid}",
            "former_name": None,
            "former_college": None,
            "college": None,
            "detail": {},
        }
        for pid, year, at in rows
        if pid not in named
    ]


def status_since(items: list[dict[str, Any]], status: str) -> int | None:
    """The year the program's current status began: its last event that set it."""
    for item in reversed(items):
        if EVENT_STATUS.get(item["event"]) == status:
            return item["year"]
    return None
