"""A fresh database per benchmark run (an SQLite file, or a PostgreSQL database dropped after),
and the command-line tools of each backend that serve as the practical floors."""

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from bench.server import SERVER_CPU, pinned, process_cpu
from bench.tools import ensure

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

# The rows of GET /api/v1/programs.csv, in its column order and its order (by program id).
EXPORT_SQL = (
    "SELECT c.code AS college_code, c.name AS college, m.code AS major_code, "
    "m.name AS major_name, cat.name AS category, p.intake, p.level, p.length_years, p.status, "
    "p.since_year FROM program p JOIN college c ON c.id = p.college_id "
    "JOIN major m ON m.id = p.major_id JOIN category cat ON cat.id = m.category_id ORDER BY p.id"
)
BARE_TABLE = (
    "CREATE TABLE bare_import (college_code TEXT, college TEXT, major_code TEXT, "
    "major_name TEXT, category TEXT, intake TEXT, level TEXT, length_years INTEGER, "
    "status TEXT, since_year INTEGER)"
)


@dataclass
class Database:
    backend: str  # sqlite | postgresql
    url: str  # SQLAlchemy URL, what REGISTRY_DATABASE_URL gets
    path: Path | None = None  # the SQLite file

    @property
    def libpq(self) -> str:
        """The URL for psql (no driver suffix)."""
        return make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)


def backend_cpu(db: Database) -> dict[int, float]:
    """CPU seconds used so far by each PostgreSQL backend serving ``db`` (the server's pooled
    connections), by pid; empty on SQLite, or when the server's processes are not visible here.
    A page's database work is not in the uvicorn process's CPU time on PostgreSQL."""
    if db.backend != "postgresql":
        return {}
    with psycopg.connect(db.libpq, autocommit=True) as conn:
        pids = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        ).fetchall()
    return {pid: process_cpu(pid) for (pid,) in pids}


@contextmanager
def fresh_database(
    backend: str, work: Path, pg_url: str, *, keep: bool = False
) -> Iterator[Database]:
    """A new, empty database; removed afterwards unless ``keep``."""
    stamp = f"{int(time.time())}_{os.getpid()}"
    if backend == "sqlite":
        work.mkdir(parents=True, exist_ok=True)
        path = work / f"registry_{stamp}.db"
        try:
            yield Database("sqlite", f"sqlite:///{path}", path)
        finally:
            if not keep:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = f"registry_bench_{stamp}"
    admin = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database(
            "postgresql", make_url(pg_url).set(database=name).render_as_string(hide_password=False)
        )
    finally:
        if not keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _timed(command: list[str], *, stdout=subprocess.DEVNULL, stdin: str | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, input=stdin, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {done.stderr[-2000:]}")
    return elapsed


def tool_missing(db: Database) -> str | None:
    """Why the backend's reference tool cannot run (installed first when we can), or None."""
    found, why = ensure("sqlite3" if db.backend == "sqlite" else "psql")
    return None if found else why


def unreachable(pg_url: str) -> str | None:
    """Why the PostgreSQL server cannot be used, or None."""
    admin = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(admin, connect_timeout=5):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL at {make_url(pg_url).render_as_string()} is unreachable: {exc}"


def reference_export(db: Database, dest: Path) -> float:
    """Seconds for the backend's own CLI to write the export's rows as CSV with a header."""
    with open(dest, "w") as out:
        if db.backend == "sqlite":
            assert db.path is not None
            command = ["sqlite3", "-csv", "-header", str(db.path), EXPORT_SQL]
        else:
            command = [
                "psql",
                db.libpq,
                "-X",
                "-q",
                "-c",
                f"\\copy ({EXPORT_SQL}) to stdout with (format csv, header)",
            ]
        return _timed(pinned(SERVER_CPU, command), stdout=out)


def reference_import(db: Database, csv_file: Path, work: Path) -> float:
    """Seconds for the raw floor: the CSV into a bare table (sqlite3 .import / psql \\copy)."""
    if db.backend == "sqlite":
        scratch = work / "bare_import.db"
        scratch.unlink(missing_ok=True)
        script = f"{BARE_TABLE};\n.import --csv --skip 1 '{csv_file}' bare_import\n"
        try:
            return _timed(pinned(SERVER_CPU, ["sqlite3", str(scratch)]), stdin=script)
        finally:
            scratch.unlink(missing_ok=True)
    psql = ["psql", db.libpq, "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    _timed(psql + ["-c", BARE_TABLE])
    try:
        copy = f"\\copy bare_import from '{csv_file}' with (format csv, header)"
        return _timed(pinned(SERVER_CPU, psql + ["-c", copy]))
    finally:
        _timed(psql + ["-c", "DROP TABLE bare_import"])
