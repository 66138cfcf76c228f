"""Online backup and restore of the embedded SQLite database (``registry backup|restore``).

SQLite's backup API copies the database page by page inside read transactions: the copy is one
consistent state (in WAL mode the server keeps reading and writing meanwhile; a write that lands
during a step makes SQLite restart the copy from a later state). A plain ``cp`` of a live
database can miss the WAL or tear a page. PostgreSQL has its own tools: ``pg_dump`` and
``pg_restore`` (docs/security.md, "Backups")."""

import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

PAGES_PER_STEP = 1024  # ~4 MiB a step: writers wait at most one step for the copy


class BackupError(Exception):
    pass


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "registry backup copies the embedded SQLite database; for PostgreSQL use "
            "pg_dump --format=custom (and pg_restore to restore)"
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    return Path(url.database)


def _check(connection: sqlite3.Connection, what: str) -> None:
    result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{what} failed the integrity check: {result}")


def backup(
    database_url: str, target: Path, *, progress: Callable[[int, int], None] | None = None
) -> int:
    """A consistent copy of the live database in ``target`` (a new file); returns its pages."""
    source_path = sqlite_path(database_url)
    if not source_path.exists():
        raise BackupError(f"no database at {source_path}")
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(partial)
    try:

        def step(_status: int, remaining: int, total: int) -> None:
            if progress:
                progress(total - remaining, total)

        source.backup(copy, pages=PAGES_PER_STEP, progress=step)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        _check(copy, "the copy")
        pages = copy.execute("PRAGMA page_count").fetchone()[0]
    finally:
        copy.close()
        source.close()
    partial.replace(target)  # the file name appears only when the copy is whole
    return pages


def restore(database_url: str, source_file: Path) -> int:
    """Replace the database's content with a backup, in one step for its readers (SQLite's
    backup API into the live file: connections see the old state or the new one). Stop the
    server first: writes of a running server would be lost with the state they belong to."""
    target_path = sqlite_path(database_url)
    if not source_file.exists():
        raise BackupError(f"no backup at {source_file}")
    source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
    try:
        _check(source, "the backup")
        target = sqlite3.connect(target_path, timeout=30)
        try:
            source.backup(target)
            pages = target.execute("PRAGMA page_count").fetchone()[0]
            _check(target, "the restored database")
        finally:
            target.close()
    finally:
        source.close()
    return pages
