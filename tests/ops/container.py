"""The Dockerfile read as a container engine reads it, and its start command run as PID 1 of a
new PID namespace (``unshare --pid --fork --mount-proc``): what ``docker run`` does to the
process without the image (no engine or base image can be had here)."""

import contextlib
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
IMAGE_VENV_BIN = "/opt/registry/bin"  # where the Dockerfile installs the environment


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def last(self, keyword: str) -> str | None:
        found = self.all(keyword)
        return found[-1] if found else None

    @property
    def env(self) -> dict[str, str]:
        env: dict[str, str] = {}
        for args in self.all("ENV"):
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                env[key] = value
        return env

    @property
    def cmd(self) -> list[str]:
        """ENTRYPOINT + CMD in exec form (a shell-form one raises: it would put sh at PID 1)."""
        argv: list[str] = []
        for keyword in ("ENTRYPOINT", "CMD"):
            text = self.last(keyword)
            if text is not None:
                value = json.loads(text)  # exec form is a JSON array; shell form is not JSON
                assert isinstance(value, list), f"{keyword} is not in exec form: {text}"
                argv += value
        return argv

    @property
    def healthcheck(self) -> list[str]:
        text = self.last("HEALTHCHECK") or ""
        _, _, command = text.partition("CMD ")
        return json.loads(command)


def dockerfile_stages(path: Path = ROOT / "Dockerfile") -> list[Stage]:
    lines: list[str] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.lstrip().startswith("#") and not pending:
            continue
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1] + " "
            continue
        line = (pending + raw).strip()
        pending = ""
        if line:
            lines.append(line)
    stages: list[Stage] = []
    for line in lines:
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            parts = args.split()
            name = parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else None
            stages.append(Stage(parts[0], name))
        else:
            stages[-1].instructions.append((keyword, args.strip()))
    return stages


def runtime_stage() -> Stage:
    return dockerfile_stages()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def image_env(stage: Stage, **overrides: str) -> dict[str, str]:
    """The process environment of the image here: the stage's ENV (its virtual environment is
    this one), this machine's PATH behind it, no REGISTRY_ setting of the caller's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    for key, value in stage.env.items():
        value = value.replace("$PATH", os.environ.get("PATH", ""))
        env[key] = value.replace(IMAGE_VENV_BIN, str(VENV_BIN))
    env.update(overrides)
    return env


class Pid1:
    """The start command as PID 1 of its own PID namespace; its stderr kept in a file."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._log_file = open(log, "wb")  # noqa: SIM115 (closed in stop)
        self.outer = subprocess.Popen(
            ["unshare", "--pid", "--fork", "--mount-proc", "--", *argv],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=self._log_file,
        )
        self.url = f"http://127.0.0.1:{env['REGISTRY_PORT']}"

    def init_pid(self) -> int:
        """The host's pid of the namespace's PID 1 (unshare's forked child)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            path = Path(f"/proc/{self.outer.pid}/task/{self.outer.pid}/children")
            children = path.read_text().split() if path.exists() else []
            if children:
                return int(children[0])
            time.sleep(0.05)
        raise AssertionError("unshare started no child")

    def pid_in_namespace(self) -> int:
        status = Path(f"/proc/{self.init_pid()}/status").read_text()
        nspid = next(line for line in status.splitlines() if line.startswith("NSpid:"))
        return int(nspid.split()[-1])

    def wait_ready(self, timeout: float = 120) -> None:  # a loaded CI machine starts slowly
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.outer.poll() is not None:
                raise AssertionError(f"it exited ({self.outer.returncode}): {self.stderr()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"/readyz never answered 200: {self.stderr()}")

    def terminate(self) -> float:
        """SIGTERM to PID 1 as `docker stop` sends it; seconds until the namespace is gone."""
        started = time.monotonic()
        os.kill(self.init_pid(), signal.SIGTERM)
        try:
            self.outer.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        return time.monotonic() - started

    def kill(self) -> None:
        if self.outer.poll() is None:
            with contextlib.suppress(AssertionError, ProcessLookupError):
                os.kill(self.init_pid(), signal.SIGKILL)
            self.outer.kill()
            self.outer.wait(timeout=10)
        self._log_file.close()

    def stderr(self) -> str:
        if not self._log_file.closed:
            self._log_file.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")
