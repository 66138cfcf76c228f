"""Finding 5: examples/follow_registry.py survives the registry going away and coming back
(retries with backoff instead of a ConnectError traceback), polls with If-None-Match (304s), and
keeps every entity — programs, colleges, majors and editions, published lists."""

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.clients.test_generated_clients import LiveServer
from tests.factories import make_token

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "follow_registry.py"


def _wait(condition, timeout: float = 120.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _state(path: Path) -> dict:
    try:
        return json.loads(path.read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def test_the_follower_survives_a_restart_and_keeps_every_entity(seeded, settings, tmp_path):
    token = make_token(seeded, role="admin")
    headers = {"Authorization": f"Bearer {token}"}
    env = {"REGISTRY_DATABASE_URL": settings.database_url, "REGISTRY_WEBHOOK_WORKER": "false"}
    state_file, log = tmp_path / "copy.json", tmp_path / "follower.log"
    first = LiveServer("app.asgi:app", env=env, ready="/healthz")
    with first:
        command = [sys.executable, str(EXAMPLE), first.url, str(state_file)]
        with open(log, "w") as log_file:  # the child keeps its own copy of the descriptor
            follower = subprocess.Popen(
                [*command, "--interval", "0.3", "--max-wait", "1"],
                stdout=subprocess.PIPE,
                stderr=log_file,
                text=True,
            )
        try:
            _wait(lambda: _state(state_file).get("seq"), what="the first copy")
            copy = _state(state_file)
            assert {e: bool(copy[e]) for e in ("program", "college", "major", "publication")} == {
                "program": True,
                "college": True,
                "major": True,
                "publication": True,
            }
            _wait(lambda: "unreachable" not in log.read_text() and follower.poll() is None)
        except BaseException:
            follower.kill()
            raise
    try:
        # the registry is gone: the follower waits and retries, it does not die
        _wait(lambda: "registry unreachable" in log.read_text(), what="a retry")
        time.sleep(2)
        assert follower.poll() is None, log.read_text()
        second = LiveServer("app.asgi:app", env=env, ready="/healthz")
        second.port, second.url = first.port, first.url  # back at the same address
        with second:
            patched = httpx.patch(
                f"{second.url}/api/v1/programs/2",
                json={"status": "suspended", "reason": "更正"},
                headers=headers,
            )
            assert patched.is_success, patched.text
            college = next(iter(_state(state_file)["college"]))
            renamed = httpx.patch(
                f"{second.url}/api/v1/colleges/{college}", json={"city": "韶关市"}, headers=headers
            )
            assert renamed.is_success, renamed.text
            _wait(
                lambda: (
                    _state(state_file).get("program", {}).get("2", {}).get("status") == "suspended"
                    and _state(state_file)["college"][college]["city"] == "韶关市"
                ),
                what="the changes after the restart",
            )
            time.sleep(1.5)  # a few idle polls: answered 304
    finally:
        follower.terminate()
        out, _ = follower.communicate(timeout=30)
    assert "Traceback" not in log.read_text(), log.read_text()
    last = [line for line in out.splitlines() if line.startswith("applied")][-1]
    assert int(last.split(";")[2].split()[0]) > 0, out  # "N unchanged (304)"
