"""`registry backup FILE` while writes go on, and `registry restore FILE` (issue 11)."""

import sqlite3
import threading

import pytest
from typer.testing import CliRunner

from app.cli.commands import app as cli_app
from app.config import get_settings
from app.db import session_scope
from app.programs.models import Program
from tests.backend import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "sqlite", reason="the embedded SQLite database")


@pytest.fixture
def cli(database_url, monkeypatch):
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(cli_app, [str(a) for a in args])
    get_settings.cache_clear()


def _counts(path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        programs = conn.execute("SELECT COUNT(*) FROM program").fetchone()[0]
        events = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return programs, events


def _writer(engine, stop: threading.Event, written: list[int]) -> None:
    """Moves programs' lengths and writes an audit row with each, one transaction each time:
    a consistent copy has as many audit rows as writes that reached it."""
    from app import audit
    from app.access.principal import SYSTEM

    while not stop.is_set():
        with session_scope(engine) as session:
            program = session.get(Program, 1 + len(written) % 50)
            assert program is not None
            program.length_years = 3 if program.length_years != 3 else 5
            session.add(program)
            audit.record(session, SYSTEM, action="test.write", target_type="program", target_id=1)
        written.append(1)


def test_backup_while_writing_is_consistent_and_restores(seeded, database_url, cli, tmp_path):
    live = database_url.removeprefix("sqlite:///")
    _, audits_before = _counts(live)
    stop, written = threading.Event(), []
    thread = threading.Thread(target=_writer, args=(seeded, stop, written))
    thread.start()
    try:
        while len(written) < 20:  # writes are under way
            threading.Event().wait(0.01)
        copy = tmp_path / "backup.db"
        result = cli("backup", copy)
        during = len(written)
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    programs, audits = _counts(copy)
    # One audit row per write, and the copy holds a whole number of writes made so far.
    assert 20 <= audits - audits_before <= during + 1
    assert programs == _counts(live)[0]

    # More writes after the backup; the restore brings the database back to the copy.
    assert _counts(live)[1] > audits
    assert cli("restore", copy).exit_code == 2  # --yes is required
    restored = cli("restore", copy, "--yes")
    assert restored.exit_code == 0, restored.output
    assert _counts(live) == (programs, audits)


def test_backup_refuses_an_existing_file_and_names_pg_dump_for_postgresql(
    engine, cli, tmp_path, monkeypatch
):
    existing = tmp_path / "exists.db"
    existing.write_bytes(b"keep me")
    assert cli("backup", existing).exit_code == 2
    assert existing.read_bytes() == b"keep me"
    monkeypatch.setenv("REGISTRY_DATABASE_URL", "postgresql+psycopg://u@db.example/registry")
    get_settings.cache_clear()
    result = cli("backup", tmp_path / "pg.db")
    assert result.exit_code == 2
    assert "pg_dump" in result.output
