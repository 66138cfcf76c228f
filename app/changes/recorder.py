"""Recording changes in the writing transaction: the one mechanism every write path uses.

A service that changes a public entity calls ``record`` (or a snapshot helper of the entity's
package, ``app.programs.snapshots``…, which reads its public state and calls ``record``) after its
write is flushed. Nothing is inserted then: the items wait in ``session.info`` and are written by
the session's ``before_commit`` hook, in the same transaction, right before COMMIT:

1. ``UPDATE registry_version SET version = version + 1`` — on PostgreSQL this takes the row lock
   of the one version row, held until COMMIT; on SQLite the writer already holds the database's
   write lock. Writers therefore pass from here to their commit one at a time,
2. the items are inserted into ``change``; their ``seq`` (a sequence / rowid) is drawn under that
   lock, so seqs are handed out in commit order: a reader that saw seq N has seen every seq < N,
   and no transaction can commit a seq below one that is already visible,
3. on PostgreSQL ``pg_notify('registry_version', <version>)``, delivered at COMMIT, tells the other
   processes' HTTP caches that the data changed.

A rolled-back transaction (or savepoint) drops its items; a committed one has written them. The
lock is taken last, when every other lock of the transaction is held, so it cannot deadlock.
A big write's items (an adoption's: one a program) wait in a temporary file once SPILL_ITEMS
are queued outside a savepoint, so the transaction's memory does not grow with them; the bulk
import's (``record_many``) stay in memory, where they cost no encoding. On SQLite the import's new
programs are one ``Selected`` item instead (``record_selected``): a statement that makes their rows
in the database at commit, in their place in the order — no Python object a program.

Any transaction that wrote (an ORM flush with changes, a DML statement through the session,
``mark_written``; ``audit.record`` calls it) bumps the version even when it changed nothing
public: the version is the ETag of every public answer (``app.caching``). A session that must
not bump it (the webhook worker's bookkeeping) sets ``session.info[QUIET] = True``.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from tempfile import TemporaryFile
from typing import Any, cast

import orjson
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

from app.db.bulk import COPY_NULL, copy_text, insert_values

ENTITIES = ("major", "college", "program", "publication")
OPS = ("created", "updated", "deleted")

PENDING = "registry.changes"  # [(entity, op, key, data_json | None)]
WROTE = "registry.wrote"
QUIET = "registry.quiet"
_MARKS = "registry.change_marks"  # savepoint -> len(PENDING) when it began
SPILLED = "registry.changes_spilled"  # a temporary file of items queued before PENDING's
SPILL_ITEMS = 2000  # items held in PENDING before ``record`` writes them to SPILLED
# … and before ``record_selected`` does: a Selected item carries up to 500 ids (~4 KiB), so 2,000
# of them (an adoption of 1,000,000 programs queues one a chunk of 500) held 9 MiB.
SPILL_SELECTED = 100
Item = tuple[str, str, str, str | None]


@dataclass(frozen=True)
class Selected:
    """Changes the database makes itself when the transaction commits (SQLite only): one row
    for each row of ``SELECT {key}, {data} {source}`` (``source``: FROM … ORDER BY …, in the
    feed's order; ``params`` its named parameters), ``key`` and ``data`` SQL expressions of the
    item's key (text) and its JSON, byte for byte what ``record`` would store."""

    entity: str
    op: str
    key: str
    data: str
    source: str
    params: dict[str, Any]


Queued = Item | Selected

# Called after a commit that bumped the version: (engine url, version, changed_at).
on_commit: list[Callable[[str, int, str], None]] = []


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def record(session: Session, entity: str, op: str, key: object, data: Any) -> None:
    """Queue one change of ``entity`` ``key``; ``data`` is its public state after the change
    (JSON-serialisable), None for a deletion. Written at commit, in this transaction."""
    if entity not in ENTITIES or op not in OPS:
        raise ValueError(f"unknown change {entity!r} {op!r}")
    payload = None if data is None else orjson.dumps(data).decode()
    _queue(session, (entity, op, str(key), payload), SPILL_ITEMS)


def _queue(session: Session, item: Queued, spill_at: int) -> None:
    """``item`` queued; the queue spilled to the file once it holds ``spill_at`` items."""
    queued = session.info.setdefault(PENDING, [])
    queued.append(item)
    session.info[WROTE] = True
    if len(queued) >= spill_at and not session.in_nested_transaction():
        _spill(session, queued)


def _spill(session: Session, queued: list[Queued]) -> None:
    """The queued items written to the transaction's temporary file, in order (no savepoint is
    open: a rollback of one never has to take items back from it)."""
    spilled = session.info.get(SPILLED)
    if spilled is None:
        spilled = session.info[SPILLED] = TemporaryFile(prefix="registry-changes-")  # noqa: SIM115 (closed by _clear)
    spilled.write(b"".join([_encoded(item) + b"\n" for item in queued]))
    queued.clear()


def _encoded(item: Queued) -> bytes:
    return orjson.dumps(asdict(item) if isinstance(item, Selected) else item)


def _decoded(line: bytes) -> Queued:
    value = orjson.loads(line)
    return Selected(**value) if isinstance(value, dict) else tuple(value)  # type: ignore[return-value]


def _queued(session: Session) -> Iterator[list[Queued]]:
    """Every queued item in blocks, in the order recorded: the spilled ones first, read back
    SPILL_ITEMS at a time or up to a ``Selected`` item (its rows are one statement anyway), so a
    file of Selected items is not held whole either."""
    spilled = session.info.get(SPILLED)
    if spilled is not None:
        spilled.seek(0)
        block: list[Queued] = []
        for line in spilled:
            item = _decoded(line)
            block.append(item)
            if len(block) >= SPILL_ITEMS or isinstance(item, Selected):
                yield block
                block = []
        if block:
            yield block
    if session.info.get(PENDING):
        yield session.info[PENDING]


def record_selected(session: Session, item: Selected) -> None:
    """Queue ``item``, whose rows the database makes at commit (``Selected``): the state they
    show is the one at commit, so it is for rows nothing changes after it in the transaction (an
    import's new programs, an adoption's). SQLite only (its JSON functions write orjson's
    bytes)."""
    if item.entity not in ENTITIES or item.op not in OPS:
        raise ValueError(f"unknown change {item.entity!r} {item.op!r}")
    if session.get_bind().dialect.name != "sqlite":
        raise ValueError("changes made by the database are SQLite's only")
    _queue(session, item, SPILL_SELECTED)


def record_many(session: Session, entity: str, op: str, items: Iterable[tuple[Any, Any]]) -> None:
    """``record`` for many (key, data) of one entity and op, in their order (bulk imports)."""
    if entity not in ENTITIES or op not in OPS:
        raise ValueError(f"unknown change {entity!r} {op!r}")
    dumps = orjson.dumps
    session.info.setdefault(PENDING, []).extend(
        (entity, op, str(key), None if data is None else dumps(data).decode())
        for key, data in items
    )
    session.info[WROTE] = True


def mark_written(session: Session) -> None:
    """This transaction wrote something: the registry's version moves when it commits."""
    session.info[WROTE] = True


def pending(session: Session) -> list[Queued]:
    return [item for block in _queued(session) for item in block]


@event.listens_for(Session, "before_flush")
def _flushing(session: Session, _context: Any, _instances: Any) -> None:
    # A write that neither audits nor records (a script, a test factory) still moves the
    # version, so no cached public answer outlives it.
    if session.new or session.dirty or session.deleted:
        session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executing(state: Any) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_transaction_create")
def _remember_savepoint(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        # keyed by the transaction itself (not its id, which a later one could reuse)
        session.info.setdefault(_MARKS, {})[transaction] = len(session.info.get(PENDING, ()))


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.nested:
        mark = session.info.get(_MARKS, {}).get(previous_transaction)
        if mark is not None and PENDING in session.info:
            del session.info[PENDING][mark:]
    else:
        _clear(session)


@event.listens_for(Session, "after_transaction_end")
def _end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and not transaction.nested:
        _clear(session)


def _clear(session: Session) -> None:
    for name in (PENDING, WROTE, _MARKS):
        session.info.pop(name, None)
    spilled = session.info.pop(SPILLED, None)
    if spilled is not None:
        spilled.close()


@event.listens_for(Session, "before_commit")
def write_changes(session: Session) -> None:
    """The feed's rows and the version's move, written as the transaction commits (a benchmark
    that rolls back calls it to count that work too)."""
    items = bool(session.info.get(PENDING) or session.info.get(SPILLED))
    # the commit flushes after this hook: objects still unflushed are a write too
    wrote = session.info.get(WROTE) or session.new or session.dirty or session.deleted
    if not items and (session.info.get(QUIET) or not wrote):
        return
    conn = session.connection()
    at = now_iso()
    version = bump_version(conn, at)
    if items:
        insert_changes(conn, _queued(session), at)
    session.info.pop(PENDING, None)
    spilled = session.info.pop(SPILLED, None)
    if spilled is not None:
        spilled.close()
    session.info["registry.committing"] = (conn.engine.url.render_as_string(), version, at)


@event.listens_for(Session, "after_commit")
def _announce(session: Session) -> None:
    committed = session.info.pop("registry.committing", None)
    if committed is not None:
        for hook in on_commit:
            hook(*committed)


def bump_version(conn: Connection, at: str) -> int:
    """Takes the version row's lock (PostgreSQL) and returns the new version."""
    conn.execute(
        text("UPDATE registry_version SET version = version + 1, changed_at = :at WHERE id = 1"),
        {"at": at},
    )
    version = conn.execute(text("SELECT version FROM registry_version WHERE id = 1")).scalar_one()
    if conn.dialect.name == "postgresql":
        # "<schema>|<version>|<changed_at>", delivered at COMMIT to app.caching's listeners
        conn.execute(
            text(
                "SELECT pg_notify('registry_version', current_schema() || '|' || :v || '|' || :at)"
            ),
            {"v": str(version), "at": at},
        )
    return int(version)


def insert_changes(conn: Connection, blocks: Iterable[list[Queued]], at: str) -> None:
    """Rows in the order recorded, given in blocks (their seqs follow that order): COPY on
    PostgreSQL, the driver with many rows per INSERT on SQLite — 150,000 changes of a big import
    cost well under a second — and a ``Selected`` item's rows by one INSERT … SELECT."""
    driver: Any = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":  # items only: record_selected refuses PostgreSQL
        _copy_changes(driver, cast(Iterable[list[Item]], blocks), at)
        return
    cursor = driver.cursor()
    try:
        for items in blocks:
            rows: list[tuple[Any, ...]] = []
            for item in items:
                if isinstance(item, Selected):
                    insert_values(cursor, "INSERT INTO change (at, entity, op, key, data)", 5, rows)
                    rows = []
                    cursor.execute(
                        "INSERT INTO change (at, entity, op, key, data) SELECT :at, :entity, "
                        f":op, {item.key}, {item.data} {item.source}",
                        {**item.params, "at": at, "entity": item.entity, "op": item.op},
                    )
                else:
                    rows.append((at, *item))
            insert_values(cursor, "INSERT INTO change (at, entity, op, key, data)", 5, rows)
    finally:
        cursor.close()


_COPY_BLOCK = 5000  # lines per write


def _copy_changes(driver: Any, blocks: Iterable[list[Item]], at: str) -> None:
    """The change rows as lines of COPY's text format, written in blocks: psycopg's
    ``write_row`` per row cost more than making the line here (an import's 150,000 changes)."""
    text = copy_text
    head = f"{text(at)}\t"
    with (
        driver.cursor() as cursor,
        cursor.copy("COPY change (at, entity, op, key, data) FROM STDIN") as copy,
    ):
        for items in blocks:
            for start in range(0, len(items), _COPY_BLOCK):
                copy.write(
                    "".join(
                        [
                            f"{head}{entity}\t{op}\t{text(key)}\t"  # entity, op: ENTITIES, OPS
                            f"{COPY_NULL if data is None else text(data)}\n"
                            for entity, op, key, data in items[start : start + _COPY_BLOCK]
                        ]
                    )
                )
