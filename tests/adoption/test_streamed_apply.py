"""Applying reads the plan a chunk of programs at a time and writes each chunk before it reads
the next (app/adoption/service.py). Its writes — the programs, their events, the change-feed
items, the audit record, the editions, the absorbed majors, the authorities' and the rounds'
editions — and its answer are those of the whole plan applied as before
(``plan_reference``), at any chunk size: on the seeded registry (a split and an unmapped code
decided, collisions with a program already on the new edition, an absorbed provincial code, a
suspended program) and on a generated one (renames, merges colliding in many colleges, splits
decided, withdrawn codes), with and without ``keep_until``, again once the kept programs' day
has come; its 409 too, with nothing written."""

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlmodel import Session

from app.access.principal import SYSTEM
from app.adoption import answer, decisions, service, stream
from app.audit import AuditLog
from app.authorities.models import AuthorityCatalog
from app.catalog.crosswalk_import import import_crosswalk
from app.catalog.importer import import_catalog
from app.catalog.models import CatalogEdition, Major
from app.catalog.schemas import EditionOptions
from app.changes import recorder
from app.colleges.models import College
from app.db import session_scope
from app.db.engines import table_of, writer
from app.errors import AppError
from app.filings.models import RoundEdition
from app.programs.lifecycle import ProgramEvent
from app.programs.models import Program
from tests.adoption import plan_reference
from tests.adoption.helpers import ADOPTION, NEW, OLD, plan_json
from tests.core import generate
from tests.core.helpers import ADMIN

GEN_NEW = "gen-next"
MAJORS = 20


def _rows(session: Session, model: type, order: Any, *skip: str) -> list[tuple]:
    table = table_of(model)
    columns = [c for c in table.c if c.name not in skip]
    return [tuple(r) for r in session.execute(select(*columns).order_by(order)).all()]


def _feed(session: Session) -> list[tuple]:
    """The feed's items as they wait for the commit, in order; one the database makes at commit
    (``recorder.Selected``: SQLite's programs of an adoption) as the rows its SELECT gives now,
    as the commit will (nothing changes them before it; the HTTP test below reads the feed)."""
    out: list[tuple] = []
    for item in recorder.pending(session):
        if isinstance(item, recorder.Selected):
            query = text(f"SELECT {item.key}, {item.data} {item.source}")
            out += [(item.entity, item.op, k, d) for k, d in session.execute(query, item.params)]
        else:
            out.append(tuple(item))
    return out


def _state(session: Session) -> dict[str, Any]:
    """Everything an adoption writes, read in its transaction before it ends; the change-feed
    items as they wait for the commit, in their order."""
    session.flush()
    events = _rows(session, ProgramEvent, table_of(ProgramEvent).c.id, "id", "at")
    return {
        "programs": _rows(session, Program, table_of(Program).c.id),
        # one event a program and adoption: the order across programs is not kept
        "events": sorted(events, key=lambda e: json.dumps(e, sort_keys=True, default=str)),
        "changes": _feed(session),
        "audit": [
            (a.action, a.actor, a.target_type, a.target_id, a.summary)
            for a in session.scalars(select(AuditLog).where(AuditLog.action == "catalog.adopt"))
        ],
        "editions": _rows(session, CatalogEdition, table_of(CatalogEdition).c.key),
        "majors": _rows(session, Major, table_of(Major).c.id),
        "authorities": sorted(
            _rows(session, AuthorityCatalog, table_of(AuthorityCatalog).c.authority_id)
        ),
        "rounds": sorted(_rows(session, RoundEdition, table_of(RoundEdition).c.round_id)),
    }


def _applied(engine, new_key: str, old_key: str, whole: bool, commit: bool = False, **kw):
    """(the answer's bytes, or the refusal; what was written) of applying, the whole plan's way
    or the streamed way; rolled back unless ``commit``."""
    with Session(writer(engine), expire_on_commit=False) as session:
        try:
            if whole:
                plan = plan_reference.adopt(
                    session, new_key, from_key=old_key, apply=True, actor=ADMIN, **kw
                )
                body: Any = plan_json(plan)
            else:
                sections = answer.Applied()
                done = service.adopt(
                    session, new_key, from_key=old_key, actor=ADMIN, out=sections, **kw
                )
                body = b"".join(sections.body(new_key, old_key, done.applied, done.superseded_on))
        except AppError as exc:
            body = (exc.status_code, exc.error, exc.detail)
        state = _state(session)
        if commit:
            session.commit()
        else:
            session.rollback()
    return body, state


def _same(engine, new_key: str, old_key: str, **kw) -> Any:
    """Applies the streamed way (committed) after checking it against the whole plan's."""
    whole = _applied(engine, new_key, old_key, True, **kw)
    streamed = _applied(engine, new_key, old_key, False, commit=True, **kw)
    assert streamed[0] == whole[0]
    assert streamed[1] == whole[1]
    return streamed[0]


@pytest.mark.parametrize("chunk", [1, 3, 2000])
def test_applying_the_seeded_plan_writes_and_answers_as_the_whole_plan(
    seeded, varied, decided, monkeypatch, chunk
):
    monkeypatch.setattr(stream, "BATCH_ROWS", chunk)
    rows = decisions.from_json(decided)
    refused = _same(seeded, NEW, OLD, decisions=rows[1:], keep_until=date(2099, 8, 31))
    assert refused[:2] == (409, "adoption_needs_decisions")
    body = _same(seeded, NEW, OLD, decisions=rows, keep_until=date(2099, 8, 31))
    plan = json.loads(body)
    assert plan["applied"] is True
    assert {(w["becomes"], w["until"]) for w in plan["withdrawn"]} == {("active", "2099-08-31")}
    assert len(plan["collisions"]) == 4
    assert [m["old_code"] for m in plan["moved"] if m["decided"]] == ["0314"]
    # again: nothing before the day; on the day after, the kept programs are suspended
    assert json.loads(_same(seeded, NEW, OLD, decisions=rows))["applied"] is False
    after = json.loads(_same(seeded, NEW, OLD, decisions=[], today=date(2099, 9, 1)))
    assert after["applied"] is True
    assert {w["becomes"] for w in after["withdrawn"]} == {"suspended"}


def _generated(engine) -> list[tuple[int, dict[str, str]]]:
    """The generated registry (tests/core/generate.py: 30 colleges × 60 programs on 20 codes of
    edition ``gen``, a tenth suspended) and ``gen-next``: codes ≡ 0 and 1 (mod 10) merged into
    the first (colliding wherever a college has both offerings), ≡ 2 renamed to a new code,
    ≡ 3 split into itself and a new code, ≡ 4 withdrawn, the rest unchanged; a program already
    on ``gen-next``'s code 5 at five colleges (it is kept, the one moving there retired). Returns
    decisions for every carried program of the split codes, half to each branch."""
    code = generate.major_code
    new_codes = sorted({code(i - i % 10) if i % 10 in (0, 1) else code(i) for i in range(MAJORS)})
    new_codes += [f"{3000 + i}" for i in range(MAJORS) if i % 10 in (2, 3)]
    catalog = "code,name,category\n" + "".join(
        f"{c},新合成专业{c},{generate.CATEGORIES[int(c) % len(generate.CATEGORIES)]}\n"
        for c in new_codes
    )
    walk = ["old_code,new_code,relation"]
    for i in range(MAJORS):
        kind = i % 10
        if kind in (0, 1):
            walk.append(f"{code(i)},{code(i - kind)},merged")
        elif kind == 2:
            walk.append(f"{code(i)},{3000 + i},renamed")
        elif kind == 3:
            walk += [f"{code(i)},{code(i)},split", f"{code(i)},{3000 + i},split"]
        elif kind == 4:
            walk.append(f"{code(i)},,withdrawn")
        else:
            walk.append(f"{code(i)},{code(i)},unchanged")
    options = EditionOptions(title="g")
    with session_scope(engine) as session:
        generate.load(session, colleges=30, per_college=60, majors=MAJORS)
        import_catalog(session, catalog.encode(), key=GEN_NEW, options=options, actor=SYSTEM)
        import_crosswalk(
            session, "\n".join(walk).encode(), key=GEN_NEW, from_edition="gen", actor=SYSTEM
        )
        return _gen_decisions(session)


def _gen_decisions(session: Session) -> list[tuple[int, dict[str, str]]]:
    def major(edition: str, code: str) -> Major:
        query = select(Major).join(CatalogEdition).where(CatalogEdition.key == edition)
        return session.scalars(query.where(Major.code == code)).one()

    there = major(GEN_NEW, generate.major_code(5))
    moving = session.scalars(
        select(Program)
        .where(Program.major_id == major("gen", generate.major_code(5)).id)
        .where(Program.status == "active")
        .order_by(Program.id)
        .limit(5)
    ).all()
    for p in moving:
        session.add(
            Program(
                college_id=p.college_id,
                major_id=there.id,
                level=p.level,
                intake=p.intake,
                length_years=3,
                since_year=2026,
            )
        )
    cells = []
    for i in range(3, MAJORS, 10):
        old = major("gen", generate.major_code(i))
        split = session.execute(
            select(College.code, Program.level, Program.intake, Program.id)
            .join(College, College.id == Program.college_id)
            .where(Program.major_id == old.id, Program.status.in_(("active", "suspended")))
        ).all()
        for college, level, intake, pid in split:
            new_code = generate.major_code(i) if pid % 2 else f"{3000 + i}"
            cells.append(
                {"college_code": college, "old_code": old.code, "level": level or ""}
                | {"intake": intake, "new_code": new_code}
            )
    return decisions.from_json(cells)


@pytest.mark.parametrize("chunk", [1, 7, 2000])
def test_applying_a_generated_plan_writes_and_answers_as_the_whole_plan(seeded, monkeypatch, chunk):
    monkeypatch.setattr(stream, "BATCH_ROWS", chunk)
    monkeypatch.setattr(recorder, "SPILL_ITEMS", 50)  # the feed's items wait in a file
    rows = _generated(seeded)
    refused = _same(seeded, GEN_NEW, "gen", decisions=rows[:-1])
    assert refused[:2] == (409, "adoption_needs_decisions")
    assert len(refused[2]["needs_decision"]) == 1
    plan = json.loads(_same(seeded, GEN_NEW, "gen", decisions=rows, keep_until=date(2099, 8, 31)))
    assert len(plan["moved"]) > 1000
    assert len(plan["collisions"]) > 20
    assert sum(m["decided"] for m in plan["moved"]) > 50
    assert {w["becomes"] for w in plan["withdrawn"]} == {"active"}
    after = json.loads(_same(seeded, GEN_NEW, "gen", decisions=[], today=date(2099, 9, 1)))
    assert {w["becomes"] for w in after["withdrawn"]} == {"suspended"}


def test_the_applied_answer_over_http_is_the_whole_plans(
    seeded_client, seeded, admin_headers, decided, monkeypatch
):
    monkeypatch.setattr(recorder, "SPILL_ITEMS", 5)
    body = {"from": OLD, "apply": True, "decisions": decided, "keep_until": "2099-08-31"}
    rows = decisions.from_json(decided)
    whole, state = _applied(seeded, NEW, OLD, True, decisions=rows, keep_until=date(2099, 8, 31))
    before = seeded_client.get("/api/v1/changes/head").json()
    response = seeded_client.post(ADOPTION, json=body, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.content == whole
    feed = seeded_client.get("/api/v1/changes", params={"since": before["last_seq"], "limit": 500})
    items = [(i["entity"], i["op"], str(i["key"]), i["data"]) for i in feed.json()["items"]]
    assert items == [(e, op, k, json.loads(data)) for e, op, k, data in state["changes"]]
    assert len(items) > 50


def test_an_edition_without_programs_is_superseded_as_by_the_whole_plan(seeded):
    """Nothing to move, withdraw or retire: the old edition is still superseded, the audit
    record written, and applying again writes nothing."""
    options = EditionOptions(title="g", system="technician")
    walk = "old_code,new_code,relation\n" + "".join(
        f"{generate.major_code(i)},{generate.major_code(i)},unchanged\n" for i in range(3)
    )
    with session_scope(seeded) as session:
        catalog = generate.catalog_csv(3)
        import_catalog(session, catalog, key="bare", options=options, actor=SYSTEM)
        import_catalog(session, catalog, key="bare-next", options=options, actor=SYSTEM)
        import_crosswalk(session, walk.encode(), key="bare-next", from_edition="bare", actor=SYSTEM)
    first = json.loads(_same(seeded, "bare-next", "bare", decisions=[]))
    assert (first["applied"], first["moved"], first["superseded_on"] is not None) == (
        True,
        [],
        True,
    )
    assert json.loads(_same(seeded, "bare-next", "bare", decisions=[]))["applied"] is False


def _major_indexes(engine) -> dict[str, object]:
    """The B-tree of each program index over major_id: SQLite's root page, PostgreSQL's oid."""
    if engine.dialect.name == "sqlite":
        query = "SELECT name, rootpage FROM sqlite_master WHERE type = 'index'"
    else:
        query = (
            "SELECT c.relname, c.oid FROM pg_class AS c JOIN pg_namespace AS n"
            " ON n.oid = c.relnamespace WHERE c.relkind = 'i' AND n.nspname = current_schema()"
        )
    with engine.connect() as conn:
        found = dict(conn.execute(text(query)).all())
    return {name: found[name] for name in service.MAJOR_INDEXES}


@pytest.mark.parametrize("share", [0.0, 2.0])
def test_the_major_indexes_set_aside_or_not_the_same_writes(seeded, monkeypatch, share):
    """An adoption that moves at least SET_ASIDE_SHARE of the programs makes the indexes over
    major_id again once at the end on SQLite (docs/benchmarks.md), one moving fewer keeps them:
    either way the writes and the answer are the whole plan's."""
    assert service.MAJOR_INDEXES == ["ix_program_major_id_id", "uq_program_active_offering"]
    monkeypatch.setattr(stream, "BATCH_ROWS", 7)
    rows = _generated(seeded)
    before = _major_indexes(seeded)
    with Session(seeded) as session:
        moving = stream.in_session(
            session, GEN_NEW, "gen", decisions=rows, keep_until=None, today=date(2026, 12, 7)
        ).moving_share()
    assert 0.5 < moving < 1
    monkeypatch.setattr(service, "SET_ASIDE_SHARE", share)
    plan = json.loads(_same(seeded, GEN_NEW, "gen", decisions=rows))
    assert len(plan["moved"]) > 1000
    after = _major_indexes(seeded)
    built_anew = {name for name in after if after[name] != before[name]}
    if share <= moving and seeded.dialect.name == "sqlite":
        assert built_anew == set(service.MAJOR_INDEXES)
    else:
        assert built_anew == set()


def test_the_moved_programs_feed_items_made_at_commit_on_sqlite(seeded, monkeypatch):
    """Each program an adoption writes is written once: on SQLite its feed item is left to the
    database at commit (``Selected``, a statement a chunk of ids: no read back, dict and JSON a
    program in Python), on PostgreSQL read back as before. The items are the same either way
    (the tests above, and the feed over HTTP)."""
    monkeypatch.setattr(stream, "BATCH_ROWS", 100)
    rows = _generated(seeded)
    with Session(writer(seeded)) as session:
        done = service.adopt(
            session, GEN_NEW, from_key="gen", decisions=rows, actor=ADMIN, out=answer.Applied()
        )
        programs = [
            i for i in recorder.pending(session) if isinstance(i, tuple) and i[0] == "program"
        ]
        selected = [i for i in recorder.pending(session) if isinstance(i, recorder.Selected)]
        written = done.counts.moved + done.counts.withdrawn + done.counts.collisions
        session.rollback()
    assert written > 1000
    if seeded.dialect.name == "sqlite":
        assert programs == []
        assert len(selected) >= written // 100
        assert {(s.entity, s.op) for s in selected} == {("program", "updated")}
    else:
        assert selected == []
        assert len(programs) >= written
