"""A real uvicorn server process on 127.0.0.1, pinned to one core, and its memory."""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SERVER_CPU = 0  # the server's core; wrk and the reference tools run on the other one
CLIENT_CPU = 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pinned(cpu: int, command: list[str]) -> list[str]:
    """``command`` pinned to one core with taskset, when this machine has it and that core."""
    if shutil.which("taskset") and cpu < (os.cpu_count() or 1):
        return ["taskset", "-c", str(cpu), *command]
    return command


def process_cpu(pid: int) -> float:
    """User + system CPU seconds process ``pid`` has used (0 when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """``uvicorn APP`` with one worker and the same settings for the registry and the reference.

    taskset execs the command, so ``pid`` is uvicorn's own process (its /proc status is what we
    read for memory).
    """

    def __init__(
        self,
        app: str,
        *,
        env: dict[str, str] | None = None,
        ready: str = "/docs",
        root: Path = ROOT,
        python: str = sys.executable,
    ):
        """``root``/``python``: another checkout served by its own interpreter
        (``bench.checkouts``); by default this one."""
        self.app = app
        self.root = root
        self.python = python
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **(env or {})}
        self.ready = ready
        self.process: subprocess.Popen | None = None
        self.log = ROOT / "bench" / "out" / f"server-{self.port}.log"

    def __enter__(self) -> "Server":
        command = [
            self.python,
            "-m",
            "uvicorn",
            self.app,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            "1",
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            pinned(SERVER_CPU, command),
            cwd=self.root,
            env=self.env,
            stdout=open(self.log, "w"),
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.app} exited: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + self.ready, timeout=1.0).status_code < 500:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.app} did not answer within {timeout} s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if exc[0] is None:
            self.log.unlink(missing_ok=True)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process (all its threads) has used so far.

        Unlike wall-clock figures this does not grow when other work shares the core, so the
        per-request CPU cost stays comparable on a busy machine."""
        return process_cpu(self.pid)

    def memory_kib(self) -> dict[str, int]:
        """VmRSS (now) and VmHWM (peak since start) of the server process, in KiB."""
        out: dict[str, int] = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
        return out


class RssSampler:
    """Samples the server's VmRSS every few milliseconds while a request runs (peak as seen)."""

    def __init__(self, server: Server, interval: float = 0.02):
        self.server, self.interval = server, interval
        self.peak_kib = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, self.server.memory_kib()["VmRSS"])
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
