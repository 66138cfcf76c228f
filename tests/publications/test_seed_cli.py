"""`registry migrate` + `registry seed` in a fresh interpreter (nothing imports app.models first)
publish the 2024 list with the checksum of the expected file; a second seed adds nothing."""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from tests.publications.helpers import EXPECTED_2024_CSV, EXPECTED_SECONDARY_CSV, sha256

REGISTRY = Path(sys.executable).parent / "registry"


def run(command: str, database_url: str) -> str:
    env = {**os.environ, "REGISTRY_DATABASE_URL": database_url}
    done = subprocess.run([str(REGISTRY), command], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_registry_seed_publishes_the_2024_list_once(database_url, empty_engine):
    run("migrate", database_url)
    assert "publications: +98" in run("seed", database_url)  # 82 technician + 16 中职 lines
    assert "publications: +0" in run("seed", database_url)
    with empty_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT status, line_count, checksum FROM publication ORDER BY id")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("published", 82, sha256(EXPECTED_2024_CSV.read_bytes())),
        ("published", 16, sha256(EXPECTED_SECONDARY_CSV.read_bytes())),
    ]
