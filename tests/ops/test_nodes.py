"""Issue 26, 3.: two app nodes (`registry serve` processes on two ports) on one PostgreSQL
database are one registry: a write on A is read back on B at once, bad tokens over both nodes meet
one limit, a session made on A works on B, and every change is delivered to a webhook once
(both nodes run the delivery worker). Every line of a node's stderr is JSON."""

import json
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from tests.changes.receiver import Receiver
from tests.factories import make_college, make_token
from tests.ops.container import ROOT, free_port, image_env, runtime_stage

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow]
API = "/api/v1"
PASSWORD = "Node-test passphrase 2026"


class Node:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = int(env["REGISTRY_PORT"])
        self.log = log
        self._file = open(log, "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            ["registry", "serve"], env=env, cwd=ROOT, stdout=self._file, stderr=self._file
        )
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=30)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if self.client.get("/readyz").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(self.log.read_text())

    def stop(self) -> None:
        self.client.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._file.close()


@pytest.fixture
def nodes(database_url, engine, tmp_path):
    env = image_env(
        runtime_stage(),
        REGISTRY_DATABASE_URL=database_url,
        REGISTRY_NODES="2",
        REGISTRY_DB_POOL_SIZE="3",  # the machine's PostgreSQL is shared: few connections
        REGISTRY_DB_MAX_OVERFLOW="2",
        REGISTRY_AUTH_FAIL_LIMIT="10",
        REGISTRY_TRUSTED_PROXIES="127.0.0.1",  # the tests speak as a proxy for other clients
        REGISTRY_WEBHOOK_ALLOWED_HOSTS="127.0.0.1",
        REGISTRY_WEBHOOK_POLL_SECONDS="0.1",
        REGISTRY_WEBHOOK_RETRY_BASE_SECONDS="0.2",
        REGISTRY_HOST="127.0.0.1",
    )
    pair = []
    try:
        for name in ("a", "b"):
            metrics_dir = tmp_path / f"metrics-{name}"
            node_env = env | {
                "REGISTRY_PORT": str(free_port()),
                "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
            }
            pair.append(Node(node_env, tmp_path / f"node-{name}.log"))
        for node in pair:
            node.wait_ready()
        yield pair, env
    finally:
        for node in pair:
            node.stop()


def test_two_nodes_on_one_database_are_one_registry(nodes, engine):
    (a, b), env = nodes
    make_college(engine, code="4401N001", name="节点测试技师学院")
    admin = {"Authorization": f"Bearer {make_token(engine, role='admin')}"}
    url = f"{API}/colleges/4401N001"

    with Receiver() as receiver:
        hook = a.client.post(
            f"{API}/webhooks",
            json={"url": f"{receiver.url}/hook", "entities": ["college"], "secret": "s" * 32},
            headers=admin,
        )
        assert hook.status_code == 201, hook.text

        # 1. A write on A is read back on B at once, 10 times of 10 (B's cache, ETag included).
        fresh = 0
        for i in range(10):
            name = f"节点测试技师学院{i}"
            assert b.client.get(url).status_code == 200  # B has the old answer cached
            assert a.client.patch(url, json={"name": name}, headers=admin).status_code == 200
            fresh += b.client.get(url).json()["name"] == name
        assert fresh == 10

        # 2. 100 changes over both nodes: 100 deliveries of them, each once.
        for i in range(100):
            node = a if i % 2 else b
            response = node.client.patch(url, json={"name": f"节点改名{i:03d}"}, headers=admin)
            assert response.status_code == 200, response.text
        with engine.connect() as conn:
            expected = [
                seq
                for (seq,) in conn.execute(
                    text("SELECT seq FROM change WHERE entity = 'college' ORDER BY seq")
                )
            ]
        assert len(expected) >= 110
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            seqs = [item["seq"] for item in receiver.accepted_items("/hook")]
            if len(seqs) >= len(expected):
                break
            time.sleep(0.2)
        time.sleep(1.0)  # a duplicate would arrive now
        seqs = [item["seq"] for item in receiver.accepted_items("/hook")]
    assert len(seqs) == len(set(seqs)), "a change was delivered twice"
    assert seqs == expected  # every change, once, in order

    # 3. 12 bad tokens over both nodes with a limit of 10: the 11th and 12th meet 429.
    bad = {"Authorization": "Bearer wrong-token", "X-Forwarded-For": "203.0.113.50"}
    statuses = [
        (a if i % 2 else b).client.get(f"{API}/me", headers=bad).status_code for i in range(12)
    ]
    assert statuses[:10] == [401] * 10, statuses
    assert statuses[10:] == [429, 429], statuses
    # another address is not throttled
    assert a.client.get(f"{API}/me", headers=admin).status_code == 200

    # 4. A session made on A works on B.
    user = subprocess.run(
        ["registry", "user", "create", "node-admin", "--role", "admin", "--password-stdin"],
        env=env,
        cwd=ROOT,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert user.returncode == 0, user.stderr
    login = a.client.get("/login")
    csrf = login.cookies["csrf"]
    signed = a.client.post(
        "/login",
        data={"username": "node-admin", "password": PASSWORD, "csrf_token": csrf},
        headers={"Cookie": f"csrf={csrf}"},
    )
    assert signed.status_code == 303, signed.text
    session = signed.cookies["session"]
    on_b = httpx.get(
        f"http://127.0.0.1:{b.port}/", headers={"Cookie": f"session={session}"}, timeout=30
    )
    assert on_b.status_code == 200
    assert "node-admin" in on_b.text
    anonymous = httpx.get(f"http://127.0.0.1:{b.port}/", timeout=30)
    assert "node-admin" not in anonymous.text

    # 5. Each node's metrics count what it answered; every line either wrote is JSON.
    scraped = a.client.get("/metrics").text
    patched = re.search(
        r'registry_http_requests_total\{method="PATCH",route="/api/v1/colleges/\{code\}",'
        r'status="200"\} (\d+)',
        scraped,
    )
    assert patched
    assert float(patched.group(1)) == 10 + 50
    for node in (a, b):
        node.stop()
        lines = [line for line in node.log.read_text().splitlines() if line.strip()]
        assert lines
        for line in lines:
            json.loads(line)
