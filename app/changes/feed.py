"""The read side of the feed: ``GET /api/v1/changes`` as bytes, without a model per item.

Two statements on the read engine: the newest seq first, then the page bounded by it. Every seq up
to the newest one read is committed (seqs are drawn in commit order, ``recorder``), so the page
and ``last_seq`` agree even though they are two snapshots, and a client that continues from
``last_seq`` never skips a change that commits later. Items are stored as JSON text and spliced
into the answer as they are: a page of 500 is one indexed range scan and a join of strings.
"""

from collections.abc import Sequence
from typing import Any

import orjson
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine

from app.changes.recorder import ENTITIES
from app.db import read_rows
from app.errors import Invalid
from app.i18n import Joined
from app.pagination import MAX_LIMIT, decode_after, encode_cursor


class ChangesQuery(BaseModel):
    since: int = Field(
        default=0,
        ge=0,
        le=2**63 - 1,  # seq is a BIGINT on PostgreSQL: beyond it 422, not an overflow (500)
        description="the last seq you have seen (0: from the start)",
    )
    entity: str | None = Field(
        default=None,
        description="only changes of this entity: major, college, program, publication",
    )
    cursor: str | None = Field(default=None, description="`next` of the previous page")
    limit: int = Field(default=50, ge=1, le=MAX_LIMIT)


# On full exports (programs.csv/.xlsx): the feed's newest seq when the export began.
SEQ_HEADER = "X-Registry-Seq"

_SQL: dict[tuple[str, bool], str] = {}


def _sql(engine: Engine, by_entity: bool) -> str:
    key = (engine.dialect.name, by_entity)
    if key not in _SQL:
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        where = f"seq > {mark} AND seq <= {mark}"
        if by_entity:
            where += f" AND entity = {mark}"
        _SQL[key] = (
            f"SELECT seq, at, entity, op, key, data FROM change WHERE {where} "
            f"ORDER BY seq LIMIT {mark}"
        )
    return _SQL[key]


def last_seq(engine: Engine) -> int:
    rows = read_rows(engine, "SELECT MAX(seq) FROM change", ())
    return int(rows[0][0] or 0)


def since_of(query: ChangesQuery) -> int:
    """``since``, or the seq a ``next`` cursor carries (the cursor wins)."""
    after = decode_after(query.cursor, int)
    return query.since if after is None else after


def check_entity(entity: str | None) -> None:
    if entity is not None and entity not in ENTITIES:
        allowed = Joined(ENTITIES)
        raise Invalid(
            {"entity": entity, "allowed": list(ENTITIES)},
            error="invalid_entity",
            entity=entity,
            allowed=allowed,
        )


def page_rows(
    engine: Engine, *, since: int, entity: str | None, limit: int
) -> tuple[Sequence[Any], int]:
    """Up to ``limit`` + 1 rows after ``since`` (of ``entity``), and the newest seq."""
    newest = last_seq(engine)
    params: tuple[int | str, ...] = (
        (since, newest, entity, limit + 1) if entity else (since, newest, limit + 1)
    )
    return read_rows(engine, _sql(engine, entity is not None), params), newest


def item_json(row: Sequence[Any]) -> bytes:
    seq, at, entity, op, key, data = row
    return b'{"seq":%d,"at":"%s","entity":"%s","op":"%s","key":%s,"data":%s}' % (
        seq,
        at.encode(),
        entity.encode(),
        op.encode(),
        orjson.dumps(key),
        data.encode() if data is not None else b"null",
    )


def page_json(engine: Engine, query: ChangesQuery) -> bytes:
    """``{"items", "next", "last_seq"}``. ``last_seq``: the seq to ask ``since=`` next — the last
    item's when there are more pages, else the feed's newest (nothing of ``entity`` below it is
    still to come)."""
    check_entity(query.entity)
    since = since_of(query)
    rows, newest = page_rows(engine, since=since, entity=query.entity, limit=query.limit)
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    last = rows[-1][0] if more else max(newest, since)
    nxt = orjson.dumps(encode_cursor([last])) if more else b"null"
    items = b",".join(item_json(row) for row in rows)
    return b'{"items":[%s],"next":%s,"last_seq":%d}' % (items, nxt, last)
