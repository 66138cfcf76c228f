"""The import progress bar: drawn on stderr when it is a terminal, absent otherwise."""

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.core.generate import catalog_csv

REGISTRY = str(Path(sys.executable).with_name("registry"))


def _run(database_url: str, path: Path, *, tty: bool) -> tuple[int, str, str]:
    env = {**os.environ, "REGISTRY_DATABASE_URL": database_url, "COLUMNS": "100"}
    args = [REGISTRY, "import", "catalog", str(path), "--edition", "gen"]
    if not tty:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
        return done.returncode, done.stdout, done.stderr
    leader, follower = pty.openpty()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    stdout = proc.stdout.read() if proc.stdout else ""
    proc.wait(timeout=120)
    os.close(leader)
    return proc.returncode, stdout, b"".join(chunks).decode(errors="replace")


def test_progress_bar_is_drawn_on_a_terminal_only(engine, database_url, tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_bytes(catalog_csv(300))
    code, stdout, stderr = _run(database_url, path, tty=True)
    assert code == 0
    assert "新增 300" in stdout
    assert "写入" in stderr
    assert "\x1b[" in stderr
    code, stdout, stderr = _run(database_url, path, tty=False)
    assert code == 0
    assert "未变 300" in stdout
    assert stderr == ""
