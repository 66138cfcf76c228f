"""The answers of ``POST …/adoption``, written as the plan is computed (``stream.py``), so that
they hold a chunk of programs, not the registry: the dry run's streamed as it is read
(``dry_run``), the applied one written to temporary files as the chunks are written and sent
after the commit (``Applied``).

The bytes are those of the plan's model (``schemas.AdoptionPlan``, the route's response model) as
FastAPI wrote it when the plan was held whole: the same keys in the same order (``"from"``), the
same lists in the same order, the same values, compact, non-ASCII as UTF-8
(``tests/adoption/test_streamed_dry_run.py`` and ``test_streamed_apply.py`` compare them). Each
item is the dict of its model, field by field: orjson writes a chunk of them at a time, and
strings the way pydantic does.
"""

from collections.abc import Iterator
from datetime import date
from tempfile import SpooledTemporaryFile
from typing import Any

import orjson
from sqlalchemy.engine import Engine

from app.adoption import stream
from app.adoption.plan import CollisionMember, Row, Target
from app.jsonstream import PIECE_BYTES, items, joined, key
from app.vocab import ProgramStatus

# What an applied answer's lists hold in memory before they go to a temporary file.
SPOOL_BYTES = 256 * 1024


def _move(row: Row, target: Target, relation: str, decided: bool) -> dict[str, Any]:
    return {
        **row.ref(),
        "relation": relation,
        "new_code": target.code,
        "new_name": target.name,
        "category": target.category,
        "decided": decided,
    }


def needs_decision(row: Row, relation: str, candidates: list[Target]) -> dict[str, Any]:
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


def _head(new_key: str, old_key: str) -> bytes:
    return b'{"edition":' + orjson.dumps(new_key) + key("from") + orjson.dumps(old_key)


def _tail(collisions: list[stream.Collision], applied: bool, superseded: str | None) -> bytes:
    return (
        key("collisions")
        + orjson.dumps([_collision(c) for c in collisions])
        + key("applied")
        + (b"true" if applied else b"false")
        + key("superseded_on")
        + orjson.dumps(superseded)
        + b"}"
    )


def plan_json(plan: stream.Plan) -> Iterator[bytes]:
    """The plan as the dry run answers it: ``{"edition", "from", "moved", "needs_decision",
    "withdrawn", "collisions", "applied", "superseded_on"}``. The collisions are found first
    (``moved`` leaves out the programs they retire) and held until their place at the end."""
    inputs = plan.inputs
    collisions = plan.collisions()
    yield _head(inputs.new.key, inputs.old.key)
    yield key("moved") + b"["
    yield from items([_move(*m) for m in moves] for moves in plan.moved())
    yield b"]" + key("needs_decision") + b"["
    yield from items([needs_decision(*p) for p in pending] for pending in plan.needs_decision())
    yield b"]" + key("withdrawn") + b"["
    yield from items([_withdrawal(*w) for w in withdrawals] for withdrawals in plan.withdrawn())
    superseded = inputs.old.superseded_on.isoformat() if inputs.old.superseded_on else None
    yield b"]" + _tail(collisions, False, superseded)


class _Spool:
    """The items of one JSON list, written to a temporary file (in memory while small)."""

    def __init__(self) -> None:
        self.file = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by Applied)
        self.comma = b""

    def add(self, chunk: list[dict[str, Any]]) -> None:
        if chunk:
            self.file.write(self.comma + orjson.dumps(chunk)[1:-1])
            self.comma = b","

    def read(self) -> Iterator[bytes]:
        self.file.seek(0)
        while part := self.file.read(PIECE_BYTES):
            yield part


class Applied:
    """The answer of an applied ``POST …/adoption``, the same JSON as the dry run's (the plan
    as it was before the rows changed, ``"applied": true`` and the day): ``service.adopt`` tells
    it each chunk as it writes it (its ``Sections``), the moves and the withdrawals go to
    temporary files, and ``body`` reads them back once the transaction has committed."""

    def __init__(self) -> None:
        self._moved, self._withdrawn = _Spool(), _Spool()
        self._collisions: list[stream.Collision] = []

    def collisions(self, items: list[stream.Collision]) -> None:
        self._collisions = items

    def withdrawn(self, items: list[tuple[Row, date | None]]) -> None:
        self._withdrawn.add([_withdrawal(*w) for w in items])

    def moved(self, items: list[tuple[Row, Target, str, bool]]) -> None:
        self._moved.add([_move(*m) for m in items])

    def close(self) -> None:
        self._moved.file.close()
        self._withdrawn.file.close()

    def body(
        self, new_key: str, old_key: str, applied: bool, superseded_on: str | None
    ) -> Iterator[bytes]:
        """The answer's parts; the files are closed at its end."""
        try:
            yield _head(new_key, old_key) + key("moved") + b"["
            yield from self._moved.read()
            yield b"]" + key("needs_decision") + b"[]" + key("withdrawn") + b"["
            yield from self._withdrawn.read()
            yield b"]" + _tail(self._collisions, applied, superseded_on)
        finally:
            self.close()


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
