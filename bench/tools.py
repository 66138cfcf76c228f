"""Command-line tools the benchmarks drive, installed from Debian's packages when missing."""

import os
import shutil
import subprocess

# tool -> the Debian package that has it
PACKAGES = {"wrk": "wrk", "sqlite3": "sqlite3", "psql": "postgresql-client", "curl": "curl"}


def ensure(tool: str) -> tuple[str | None, str]:
    """The tool's path, installing its package when we are root; else (None, what to do)."""
    found = shutil.which(tool)
    if found:
        return found, ""
    package = PACKAGES[tool]
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, f"{tool} is missing: run `sudo apt-get install -y {package}` and re-run"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    print(f"installing {package} (apt-get) for {tool}", flush=True)
    if subprocess.run(["apt-get", "install", "-y", "-q", package], **quiet).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], **quiet)
        subprocess.run(["apt-get", "install", "-y", "-q", package], **quiet)
    found = shutil.which(tool)
    return found, "" if found else f"apt-get install {package} failed"
