"""Bulk writes of programs: Core executemany on SQLite, COPY on PostgreSQL.

psycopg's executemany still sends one INSERT per row (pipelined) — about 6,000 rows/s here —
while COPY streams rows into the same transaction at several times that, so an import stays
all-or-nothing either way.
"""

from collections.abc import Callable, Iterator

from sqlalchemy import bindparam, select, update
from sqlmodel import Session, SQLModel

from app.catalog import models as _catalog_models  # noqa: F401  (major, category tables)
from app.db import table_of
from app.programs.models import Program

CHUNK = 5000
INSERT_COLUMNS = (
    "college_id",
    "major_id",
    "level",
    "intake",
    "length_years",
    "status",
    "since_year",
    "source",
    "category",
)
UPDATE_COLUMNS = ("status", "length_years", "since_year")

Tick = Callable[[int], None]


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _copy(session: Session, sql: str, rows: Iterator[tuple], tick: Tick) -> None:
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[union-attr]
        for i, row in enumerate(rows, start=1):
            copy.write_row(row)
            if i % CHUNK == 0:
                tick(CHUNK)


def _with_categories(session: Session, rows: list[dict]) -> None:
    """Each row's ``category``: its major's (a few hundred majors, one query). Given here, the
    insert trigger of models.py has nothing to fill — on PostgreSQL a PL/pgSQL call per COPY row
    otherwise, on SQLite a second write of each row."""
    t, c = SQLModel.metadata.tables["major"], SQLModel.metadata.tables["category"]
    ids = sorted({r["major_id"] for r in rows})
    names: dict[int, str] = {}
    for chunk in _chunks(ids, 500):
        query = select(t.c.id, c.c.name).join(c, c.c.id == t.c.category_id).where(t.c.id.in_(chunk))
        names.update((row[0], row[1]) for row in session.connection().execute(query))
    for r in rows:
        r["category"] = names[r["major_id"]]


def new_ids(session: Session, count: int) -> list[int]:
    """Ids for ``count`` new programs, so that the change feed can name them (COPY returns
    nothing): drawn from the id sequence on PostgreSQL; on SQLite the transaction holds the
    write lock (BEGIN IMMEDIATE), so the ids after the highest are free."""
    if count == 0:
        return []
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        found = conn.exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence('program', 'id')) FROM generate_series(1, %s)",
            (count,),
        )
        return sorted(found.scalars())
    top = conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM program").scalar_one()
    return list(range(top + 1, top + 1 + count))


def insert_programs(session: Session, rows: list[dict], tick: Tick) -> list[int]:
    """Inserts the rows in their order; returns their new ids (in the same order)."""
    _with_categories(session, rows)
    ids = new_ids(session, len(rows))
    columns = ("id", *INSERT_COLUMNS)
    if session.get_bind().dialect.name == "postgresql":
        sql = f"COPY program ({', '.join(columns)}) FROM STDIN"
        values = ((i, *(r[c] for c in INSERT_COLUMNS)) for i, r in zip(ids, rows, strict=True))
        _copy(session, sql, values, tick)
        return ids
    # The driver's executemany with tuples: SQLAlchemy's per-row parameter processing cost
    # more CPU than SQLite's own inserts (2.5 s vs 1 s for 150k rows).
    sql = f"INSERT INTO program ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        chunk_ids = ids[start : start + CHUNK]
        cursor.executemany(
            sql,
            [(i, *(r[c] for c in INSERT_COLUMNS)) for i, r in zip(chunk_ids, chunk, strict=True)],
        )
        tick(len(chunk))
    cursor.close()
    return ids


def update_programs(session: Session, rows: list[dict], tick: Tick) -> None:
    """Rows of ``{"_id", "status", "length_years", "since_year"}``, applied in their order."""
    if session.get_bind().dialect.name == "postgresql" and len(rows) > CHUNK:
        _update_via_copy(session, rows, tick)
        return
    t = table_of(Program)
    stmt = (
        update(t)
        .where(t.c.id == bindparam("_id"))
        .values({c: bindparam(c) for c in UPDATE_COLUMNS})
    )
    for chunk in _chunks(rows):
        session.execute(stmt, chunk)
        tick(len(chunk))


def _update_via_copy(session: Session, rows: list[dict], tick: Tick) -> None:
    """COPY the new values into a temporary table, then two UPDATE … FROM: programs leaving
    'active' first, so the active-offering index never sees two active rows of one key."""
    conn = session.connection()
    conn.exec_driver_sql(
        "CREATE TEMPORARY TABLE program_import_update (id integer PRIMARY KEY, status text,"
        " length_years integer, since_year integer) ON COMMIT DROP"
    )
    sql = "COPY program_import_update (id, status, length_years, since_year) FROM STDIN"
    _copy(session, sql, ((r["_id"], *(r[c] for c in UPDATE_COLUMNS)) for r in rows), tick)
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
    page instead of 3 ms."""
    if changed < ANALYZE_AFTER:
        return
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA analysis_limit=2000")  # sampled: fast, close enough
    for table in ANALYZED:
        conn.exec_driver_sql(f"ANALYZE {table}")
