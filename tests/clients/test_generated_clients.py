"""Finding 2: clients generated from the live /openapi.json just work. openapi-python-client and
openapi-typescript generate from the running server's schema with zero warnings, the TypeScript
types compile under ``tsc --strict`` with clients/check.ts, and the generated Python client reads
programs, a list's XLSX and the change feed from the live server, typed.

The npm tools come from clients/package-lock.json (``make clients``, which ``make test`` runs)."""

import importlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from bench.server import Server
from tests.factories import make_token

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "clients"
NODE_BIN = CLIENTS / "node_modules" / ".bin"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"


class LiveServer(Server):
    """``bench.server.Server`` that waits longer for a loaded machine and never leaves its
    process behind when it did not come up."""

    def _wait_ready(self, timeout: float = 120.0) -> None:
        super()._wait_ready(timeout)

    def __enter__(self) -> "LiveServer":
        try:
            super().__enter__()
        except BaseException:
            self.__exit__(RuntimeError, None, None)
            raise
        return self


def _tools() -> None:
    if (NODE_BIN / "tsc").exists() and (NODE_BIN / "openapi-typescript").exists():
        return
    if os.environ.get("CI"):
        pytest.fail("the npm tools are missing: make clients")
    pytest.skip("the npm tools are not installed here: run `make clients` (make test does)")


def _run(command: list[str], cwd: Path) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


def test_generated_clients_have_no_warnings_and_read_the_live_registry(seeded, settings, tmp_path):
    _tools()
    token = make_token(seeded, role="admin")
    env = {"REGISTRY_DATABASE_URL": settings.database_url, "REGISTRY_WEBHOOK_WORKER": "false"}
    with LiveServer("app.asgi:app", env=env, ready="/healthz") as server:
        schema = httpx.get(f"{server.url}/openapi.json", timeout=30)
        assert schema.status_code == 200
        (tmp_path / "openapi.json").write_bytes(schema.content)

        # Python: zero warnings (the generator says "Warning(s) encountered" on any)
        output = _run(
            [
                str(GENERATOR),
                "generate",
                "--path",
                "openapi.json",
                "--meta",
                "none",
                "--config",
                str(CLIENTS / "openapi-python-client.yaml"),
                "--output-path",
                "registry_client",
            ],
            tmp_path,
        )
        assert "warning" not in output.lower(), output

        # TypeScript: zero warnings, then tsc --strict over the types and clients/check.ts
        output = _run(
            [str(NODE_BIN / "openapi-typescript"), "openapi.json", "-o", "registry.d.ts"],
            tmp_path,
        )
        assert "warn" not in output.lower(), output
        assert "⚠" not in output, output
        shutil.copy(CLIENTS / "check.ts", tmp_path / "check.ts")
        shutil.copy(CLIENTS / "tsconfig.json", tmp_path / "tsconfig.json")
        output = _run([str(NODE_BIN / "tsc"), "--strict", "-p", "tsconfig.json"], tmp_path)
        assert output.strip() == "", output

        # the generated Python client against the live server
        sys.path.insert(0, str(tmp_path))
        try:
            _drive(server.url, token)
        finally:
            sys.path.remove(str(tmp_path))
            for name in [m for m in sys.modules if m.split(".")[0] == "registry_client"]:
                del sys.modules[name]


def _drive(url: str, token: str) -> None:
    client_module = importlib.import_module("registry_client")
    programs_list = importlib.import_module("registry_client.api.programs.programs_list")
    publications_list = importlib.import_module(
        "registry_client.api.publications.publications_list"
    )
    publication_xlsx = importlib.import_module("registry_client.api.publications.publication_xlsx")
    changes_list = importlib.import_module("registry_client.api.changes.changes_list")
    models = importlib.import_module("registry_client.models")

    client = client_module.AuthenticatedClient(base_url=url, token=token)

    page = programs_list.sync(client=client, limit=5)
    assert len(page.items) == 5
    assert page.next_
    first = page.items[0]
    assert isinstance(first.major_code, str)
    assert first.college_code

    lists = publications_list.sync(client=client, year=2024)
    publication = lists.items[0]
    answer = publication_xlsx.sync_detailed(publication.id, client=client)
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.parsed.payload.read()))
    assert book.sheetnames  # a real workbook came through the typed call

    feed = changes_list.sync(client=client, since=0, limit=50)
    assert isinstance(feed, models.ChangesPage)
    assert feed.items
    kinds = {type(item).__name__ for item in feed.items}
    assert kinds <= {"ProgramChange", "CollegeChange", "MajorChange", "PublicationChange"}
    assert feed.last_seq >= feed.items[-1].seq
    programs = [item for item in feed.items if isinstance(item, models.ProgramChange)]
    for item in programs:
        assert item.data is None or isinstance(item.data, models.ProgramData)
