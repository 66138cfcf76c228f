"""The dry run's answer (``POST …/adoption`` with ``"apply": false``) written as the plan is
computed (``stream.py``), so that it holds a chunk of programs, not the registry.

The bytes are those of the whole plan (``schemas.AdoptionPlan``) as the route used to answer it:
the same keys in the same order (``"from"``), the same lists in the same order, the same values,
compact, non-ASCII as UTF-8 (``tests/adoption/test_streamed_dry_run.py`` compares them). Each item
is the dict of its model, field by field (``plan.Outcome.public`` builds the models): orjson
writes a chunk of them at a time, and strings the way pydantic does.
"""

from collections.abc import Iterator
from datetime import date
from typing import Any

import orjson
from sqlalchemy.engine import Engine

from app.adoption import stream
from app.adoption.plan import CollisionMember, Row, Target
from app.jsonstream import items, joined, key
from app.vocab import ProgramStatus


def _move(row: Row, target: Target, relation: str, decided: bool) -> dict[str, Any]:
    return {
        **row.ref(),
        "relation": relation,
        "new_code": target.code,
        "new_name": target.name,
        "category": target.category,
        "decided": decided,
    }


def _needs_decision(row: Row, relation: str, candidates: list[Target]) -> dict[str, Any]:
    return {
        **row.ref(),
        "relation": relation,
        "candidates": [
            {"code": t.code, "name": t.name, "category": t.category} for t in candidates
        ],
    }


def _withdrawal(row: Row, until: date | None) -> dict[str, Any]:
    becomes = ProgramStatus.ACTIVE if until else ProgramStatus.SUSPENDED
    return {**row.ref(), "relation": "withdrawn", "becomes": becomes.value, "until": until}


def _member(member: CollisionMember) -> dict[str, Any]:
    return {
        "program_id": member.program_id,
        "old_edition": member.old_edition,
        "old_code": member.old_code,
        "old_name": member.old_name,
        "status": member.status,
    }


def _retired(row: Row) -> dict[str, Any]:
    return {
        "program_id": row.id,
        "old_edition": row.edition,
        "old_code": row.code,
        "old_name": row.name,
        "status": row.status,
    }


def _collision(item: stream.Collision) -> dict[str, Any]:
    keep, retired, target = item
    first = retired[0]
    return {
        "college_code": first.college_code,
        "college": first.college,
        "new_code": target.code,
        "new_name": target.name,
        "level": first.level or None,
        "intake": first.intake,
        "keep": _member(keep),
        "retire": [_retired(r) for r in retired],
    }


def plan_json(plan: stream.Plan) -> Iterator[bytes]:
    """The plan as the dry run answers it: ``{"edition", "from", "moved", "needs_decision",
    "withdrawn", "collisions", "applied", "superseded_on"}``. The collisions are found first
    (``moved`` leaves out the programs they retire) and held until their place at the end."""
    inputs = plan.inputs
    collisions = plan.collisions()
    yield (
        b'{"edition":' + orjson.dumps(inputs.new.key) + key("from") + orjson.dumps(inputs.old.key)
    )
    yield key("moved") + b"["
    yield from items([_move(*m) for m in moves] for moves in plan.moved())
    yield b"]" + key("needs_decision") + b"["
    yield from items([_needs_decision(*p) for p in pending] for pending in plan.needs_decision())
    yield b"]" + key("withdrawn") + b"["
    yield from items([_withdrawal(*w) for w in withdrawals] for withdrawals in plan.withdrawn())
    yield b"]" + key("collisions") + orjson.dumps([_collision(c) for c in collisions])
    superseded = inputs.old.superseded_on.isoformat() if inputs.old.superseded_on else None
    yield key("applied") + b"false" + key("superseded_on") + orjson.dumps(superseded) + b"}"


def dry_run(
    engine: Engine,
    new_key: str,
    old_key: str,
    *,
    decisions: stream.DecisionRows,
    keep_until: date | None = None,
) -> Iterator[bytes]:
    """The dry run's answer, in parts. Its first part comes once the snapshot is taken, the
    editions and the decisions are checked and the collisions found: ask for it before the
    response starts, and a 404, 409 or 422 is an answer of its own (``service.dry_run``)."""
    opened = stream.opened(engine, new_key, old_key, decisions=decisions, keep_until=keep_until)
    with opened as plan:
        yield from joined(plan_json(plan))
