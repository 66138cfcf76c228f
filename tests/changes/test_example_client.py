"""examples/follow_registry.py against a real `registry serve`-like uvicorn process: a full copy,
changes, a catch-up run; its CSV equals programs.csv?bom=false byte for byte."""

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.clients.test_generated_clients import LiveServer
from tests.factories import make_token

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "follow_registry.py"


def test_the_example_client_keeps_an_exact_copy(seeded, settings, tmp_path):
    token = make_token(seeded, role="admin")
    env = {"REGISTRY_DATABASE_URL": settings.database_url, "REGISTRY_WEBHOOK_WORKER": "false"}
    state, out = tmp_path / "copy.json", tmp_path / "programs.csv"
    # waits up to 120 s for a loaded machine and never leaves the server behind
    with LiveServer("app.asgi:app", env=env, ready="/healthz") as server:

        def follow() -> str:
            command = [sys.executable, str(EXAMPLE), server.url, str(state), "--once"]
            done = subprocess.run(
                [*command, "--csv", str(out)], capture_output=True, text=True, env=os.environ
            )
            assert done.returncode == 0, done.stderr
            return done.stdout

        assert "copied" in follow()
        headers = {"Authorization": f"Bearer {token}"}
        for body in ({"status": "suspended", "reason": "停招"}, {"length_years": 4}):
            patched = httpx.patch(f"{server.url}/api/v1/programs/2", json=body, headers=headers)
            assert patched.is_success, patched.text
        assert "applied 2 changes" in follow()
        expected = httpx.get(f"{server.url}/api/v1/programs.csv", params={"bom": "false"})
    assert out.read_bytes() == expected.content
