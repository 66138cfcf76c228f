"""Bulk writes of programs: the driver's executemany on SQLite, COPY on PostgreSQL.

psycopg's executemany still sends one INSERT per row (pipelined) — about 6,000 rows/s here —
while COPY streams rows into the same transaction at several times that, so an import stays
all-or-nothing either way. Rows are plain tuples: no dict or SQLAlchemy parameter per row.
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from app.catalog import models as _catalog_models  # noqa: F401  (major, category tables)
from app.db.bulk import copy_text, insert_values

CHUNK = 5000
INSERT_COLUMNS = (
    "id",
    "college_id",
    "major_id",
    "level",
    "intake",
    "length_years",
    "status",
    "since_year",
    "source",
    "category",
    "province",
)
# A new program as the importer plans it: (college_id, major_id, level, intake, length_years,
# status, since_year); an update: (id, status, length_years, since_year).
New = tuple[int, int, str, str, int, str, int]
Update = tuple[int, str, int, int]

Tick = Callable[[int], None]

# A bulk insert of at least this many rows into a table with at most REBUILD_RATIO times as
# many rebuilds program's plain secondary indexes after the rows are in, in the same
# transaction, instead of updating them row by row (SQLite, measured 2026-11-24, 150,000 new
# rows into an empty registry: 5.1 s → 1.2 s for the write; PostgreSQL, 2026-12-07: 0.72× the
# import's time, docs/benchmarks.md "Latest figures"). The unique active-offering index is kept,
# so the database checks it as each row goes in as before.
T = TypeVar("T")

REBUILD_MIN = 20_000
REBUILD_RATIO = 3


def _chunks(items: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _driver(session: Session) -> Any:
    return session.connection().connection.driver_connection


def copy_lines(session: Session, sql: str, lines: Iterable[str], tick: Tick | None = None) -> None:
    """COPY … FROM STDIN of lines already in COPY's text format (``copy_text``), sent in blocks
    of CHUNK lines: psycopg's write_row costs more than formatting the line here."""
    with _driver(session).cursor() as cursor, cursor.copy(sql) as copy:
        block: list[str] = []
        for line in lines:
            block.append(line)
            if len(block) == CHUNK:
                copy.write("".join(block))
                block.clear()
                if tick:
                    tick(CHUNK)
        if block:
            copy.write("".join(block))
            if tick:
                tick(len(block))


def major_facts(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """major id -> (code, name, category name): a few hundred majors, one query per 500."""
    t, c = SQLModel.metadata.tables["major"], SQLModel.metadata.tables["category"]
    out: dict[int, tuple[str, str, str]] = {}
    for chunk in _chunks(sorted(set(ids)), 500):
        query = (
            select(t.c.id, t.c.code, t.c.name, c.c.name)
            .join(c, c.c.id == t.c.category_id)
            .where(t.c.id.in_(chunk))
        )
        out.update((r[0], (r[1], r[2], r[3])) for r in session.connection().execute(query))
    return out


def new_ids(session: Session, count: int) -> list[int]:
    """Ids for ``count`` new programs, so that the change feed can name them (COPY returns
    nothing): drawn from the id sequence on PostgreSQL; on SQLite the transaction holds the
    write lock (BEGIN IMMEDIATE), so the ids after the highest are free."""
    if count == 0:
        return []
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        with _driver(session).cursor() as cursor:
            # The sequence looked up once: as nextval's argument pg_get_serial_sequence ran per id
            # (a catalog lookup each: 6% of the server's CPU in a 150,000-row import).
            cursor.execute("SELECT pg_get_serial_sequence('program', 'id')::regclass::oid")
            found = cursor.fetchone()
            assert found is not None
            sequence = int(found[0])
            cursor.execute(
                f"SELECT array_agg(nextval({sequence}::regclass)) FROM generate_series(1, %s)",
                (count,),
            )
            row = cursor.fetchone()
        return sorted(row[0]) if row else []
    top = conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM program").scalar_one()
    return list(range(top + 1, top + 1 + count))


def insert_programs(
    session: Session,
    rows: list[New],
    source: str,
    categories: dict[int, str],
    provinces: dict[int, str],
    tick: Tick,
    sent: Callable[[list[int], list[New]], None] | None = None,
) -> list[int]:
    """Inserts the rows in their order; returns their new ids (in the same order).

    Each row's ``category`` is its major's (``categories`` by major id) and its ``province`` its
    college's (``provinces`` by college id), given here: the insert triggers of models.py have
    nothing to fill — on PostgreSQL a PL/pgSQL call per COPY row otherwise, on SQLite a second
    write of each row. ``sent(ids, rows)`` is called after each block of rows is handed to the
    database: on PostgreSQL the server inserts them meanwhile, so work done there overlaps."""
    ids = new_ids(session, len(rows))
    if not rows:
        return ids
    done = 0

    def block(count: int) -> None:
        nonlocal done
        if sent:
            sent(ids[done : done + count], rows[done : done + count])
        done += count
        tick(count)

    if session.get_bind().dialect.name == "postgresql":
        source_text = copy_text(source)
        category_text = {k: copy_text(v) for k, v in categories.items()}
        province_text = {k: copy_text(v) for k, v in provinces.items()}
        # level, intake and status are words of the vocabulary (checked): nothing to escape
        lines = (
            f"{i}\t{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]}\t{r[5]}\t{r[6]}"
            f"\t{source_text}\t{category_text[r[1]]}\t{province_text[r[0]]}\n"
            for i, r in zip(ids, rows, strict=True)
        )
        with _driver(session).cursor() as cursor:
            rebuilt = _drop_secondary_indexes_pg(cursor, len(rows))
            held = _references_held(cursor, rows)
            copy_lines(
                session, f"COPY program ({', '.join(INSERT_COLUMNS)}) FROM STDIN", lines, block
            )
            if held:
                cursor.execute("SELECT set_config('session_replication_role', 'origin', true)")
            if rebuilt:  # each index sorted in memory (1.5 million rows: ~60 MB a sort)
                cursor.execute(
                    "SELECT set_config('maintenance_work_mem', %s, true)", (SORT_MEMORY,)
                )
            for statement in rebuilt:
                cursor.execute(statement)
        return ids
    # Plain tuples through the driver, many rows per INSERT: SQLAlchemy's per-row parameter
    # processing cost more CPU than SQLite's own inserts (2.5 s vs 1 s for 150k rows).
    insert = f"INSERT INTO program ({', '.join(INSERT_COLUMNS)})"
    cursor = _driver(session).cursor()
    try:
        rebuilt = _drop_secondary_indexes(cursor, len(rows))
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            values = [
                (i, *r, source, categories[r[1]], provinces[r[0]])
                for i, r in zip(ids[start : start + CHUNK], chunk, strict=True)
            ]
            insert_values(cursor, insert, len(INSERT_COLUMNS), values)
            block(len(chunk))
        for statement in rebuilt:
            cursor.execute(statement)
    finally:
        cursor.close()
    return ids


def _drop_secondary_indexes(cursor: Any, count: int) -> list[str]:
    """SQLite: drops program's plain (non-unique) indexes when ``count`` new rows make
    rebuilding them cheaper than updating them row by row; returns the statements that make
    them again, exactly as the schema has them. Within the import's transaction: a failure
    rolls the drop back with everything else, and no reader ever sees the table without them
    (WAL readers see the last commit)."""
    if count < REBUILD_MIN:
        return []
    (existing,) = cursor.execute("SELECT count(*) FROM program").fetchone()
    if existing > REBUILD_RATIO * count:
        return []
    indexes = cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'program'"
        " AND sql IS NOT NULL ORDER BY name"
    ).fetchall()
    statements = []
    for name, sql in indexes:
        if sql.lstrip().upper().startswith("CREATE UNIQUE"):
            continue
        cursor.execute(f'DROP INDEX "{name}"')
        statements.append(sql)
    return statements


# PostgreSQL: how long the import waits for the table's lock before it keeps the indexes
# instead (a long read, an export, holds it back; every read that came after it would queue
# behind the import's request meanwhile).
REBUILD_LOCK_TIMEOUT = "2s"
# and the memory each rebuild may sort in, for this transaction only (the server's default, 64
# MB, spills a national-scale index to disk)
SORT_MEMORY = "256MB"


def _drop_secondary_indexes_pg(cursor: Any, count: int) -> list[str]:
    """PostgreSQL: ``_drop_secondary_indexes``' rule, for program's plain indexes. The drop takes
    the table's exclusive lock until the import commits: reads of programs wait for the import
    (they never see the table without its indexes) — hence only when the rows are few beside
    the new ones (a registry's first load), and only when the lock comes within
    REBUILD_LOCK_TIMEOUT; otherwise the rows go in with the indexes kept, as before."""
    if count < REBUILD_MIN:
        return []
    # count(*) of at most the threshold: no walk of a big table to learn it is big
    cursor.execute(
        "SELECT count(*) FROM (SELECT 1 FROM program LIMIT %s) AS p", (REBUILD_RATIO * count + 1,)
    )
    if cursor.fetchone()[0] > REBUILD_RATIO * count:
        return []
    from psycopg.errors import LockNotAvailable  # here: an import into SQLite never loads psycopg

    cursor.execute("SAVEPOINT program_rebuild")
    cursor.execute("SELECT current_setting('lock_timeout')")
    setting = cursor.fetchone()[0]
    try:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", (REBUILD_LOCK_TIMEOUT,))
        cursor.execute("LOCK TABLE program IN ACCESS EXCLUSIVE MODE")
    except LockNotAvailable:
        cursor.execute("ROLLBACK TO SAVEPOINT program_rebuild")
        cursor.execute("RELEASE SAVEPOINT program_rebuild")
        return []
    cursor.execute("SELECT set_config('lock_timeout', %s, true)", (setting,))
    cursor.execute("RELEASE SAVEPOINT program_rebuild")
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index AS i"
        " JOIN pg_class AS c ON c.oid = i.indexrelid"
        " WHERE i.indrelid = 'program'::regclass AND NOT i.indisunique AND NOT i.indisprimary"
        " ORDER BY c.relname"
    )
    statements = []
    for name, definition in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{name}"')
        statements.append(definition)
    return statements


def _references_held(cursor: Any, rows: list[New]) -> bool:
    """PostgreSQL, a big insert: the foreign keys of the new rows checked once per college and
    major instead of once per row, when the role may say so.

    Each row's two foreign-key triggers lock the college and the major it names (``FOR KEY
    SHARE``: nobody deletes them or changes their id until the import commits) and fail if
    either is missing — ~0.9 s of the server's 2.9 s in a 150,000-row load (docs/benchmarks.md).
    Here the same locks are taken in two statements over the distinct ids (2,500 colleges and a
    few hundred majors at national scale); when every one is there, the COPY runs with
    ``session_replication_role = replica`` for this transaction only, which skips the rows'
    triggers: program's are those two checks and the category and province fills, which have
    nothing to fill (each row carries both). The setting is the server's bulk-load switch
    (pg_restore's ``--disable-triggers``) and needs a superuser or, from PostgreSQL 15, ``GRANT
    SET ON PARAMETER session_replication_role``; without it, or when an id is missing (the
    triggers then refuse the row, as always), the rows go in with their triggers."""
    if len(rows) < REBUILD_MIN or not _may_skip_triggers(cursor):
        return False
    for table, ids in (("college", {r[0] for r in rows}), ("major", {r[1] for r in rows})):
        cursor.execute(f"SELECT id FROM {table} WHERE id = ANY(%s) FOR KEY SHARE", (sorted(ids),))
        if len(cursor.fetchall()) != len(ids):
            return False
    cursor.execute("SELECT set_config('session_replication_role', 'replica', true)")
    return True


def _may_skip_triggers(cursor: Any) -> bool:
    cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    if cursor.fetchone()[0]:
        return True
    if cursor.connection.info.server_version < 150000:
        return False
    cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
    return bool(cursor.fetchone()[0])


def update_programs(session: Session, rows: list[Update], tick: Tick) -> None:
    """Rows of (id, status, length_years, since_year), applied in their order."""
    if session.get_bind().dialect.name == "postgresql" and len(rows) > CHUNK:
        _update_via_copy(session, rows, tick)
        return
    driver = _driver(session)
    placeholder = "%s" if session.get_bind().dialect.name == "postgresql" else "?"
    sql = (
        f"UPDATE program SET status = {placeholder}, length_years = {placeholder},"
        f" since_year = {placeholder} WHERE id = {placeholder}"
    )
    cursor = driver.cursor()
    try:
        for chunk in _chunks(rows):
            cursor.executemany(sql, [(r[1], r[2], r[3], r[0]) for r in chunk])
            tick(len(chunk))
    finally:
        cursor.close()


def _update_via_copy(session: Session, rows: list[Update], tick: Tick) -> None:
    """COPY the new values into a temporary table, then two UPDATE … FROM: programs leaving
    'active' first, so the active-offering index never sees two active rows of one key."""
    conn = session.connection()
    conn.exec_driver_sql(
        "CREATE TEMPORARY TABLE program_import_update (id integer PRIMARY KEY, status text,"
        " length_years integer, since_year integer) ON COMMIT DROP"
    )
    sql = "COPY program_import_update (id, status, length_years, since_year) FROM STDIN"
    copy_lines(session, sql, (f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\n" for r in rows), tick)
    for condition in ("u.status <> 'active'", "u.status = 'active'"):
        conn.exec_driver_sql(
            "UPDATE program AS p SET status = u.status, length_years = u.length_years,"
            f" since_year = u.since_year FROM program_import_update AS u"
            f" WHERE p.id = u.id AND {condition}"
        )
    conn.exec_driver_sql("DROP TABLE program_import_update")


# After this many changed rows the planner's statistics are refreshed within the import.
ANALYZE_AFTER = 10_000


# program and the tables GET /programs looks its filters up in.
ANALYZED = ("program", "college", "major", "category")


def refresh_statistics(session: Session, changed: int) -> None:
    """Without statistics SQLite picks the status index for college+status and scans ~36 ms
    per page at 150k rows (5 ms with them); PostgreSQL would wait for autovacuum, and until then
    took a category's pages for one major's (no statistics on major and category): 90 ms a
    page instead of 3 ms.

    SQLite reads every index whole (no ``analysis_limit``): a limit samples each index's first
    entries, which for ``(status, id)`` are all of one status — it counted 2,001 programs a
    status where there are 200,000, so the 布点 of active programs took the status index and
    sorted them rather than walking the partial index of active programs in college order
    (coverage.py). The whole pass costs ~0.5 s of CPU at 600,000 programs."""
    if changed < ANALYZE_AFTER:
        return
    conn = session.connection()
    for table in ANALYZED:
        conn.exec_driver_sql(f"ANALYZE {table}")
