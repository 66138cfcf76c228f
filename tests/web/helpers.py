"""Helpers of the browser tests: the `registry` command on the live server's database."""

import os
import subprocess
import sys
from pathlib import Path

REGISTRY = str(Path(sys.executable).with_name("registry"))
PASSWORD = "correct horse battery"


def registry_command(live_server, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    """The `registry` command on the live server's database."""
    env = {**os.environ, "REGISTRY_DATABASE_URL": live_server.database_url}
    return subprocess.run(
        [REGISTRY, *args], input=stdin, env=env, capture_output=True, text=True, timeout=120
    )
