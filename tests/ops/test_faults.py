"""Issue 26, 6.: a database that is down, restarting or full answers 503 service_unavailable
with Retry-After, never 500, and nothing acknowledged is lost: a PostgreSQL server of the test's
own stopped and started under load (never the machine's shared one), and SQLite on a real small
filesystem (tmpfs) filled to the last byte."""

import contextlib
import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.config import Settings
from app.db import SQLModel, make_engine
from app.main import create_app
from tests.factories import make_college, make_token
from tests.ops.container import ROOT, free_port, image_env, runtime_stage
from tests.ops.pgcluster import Cluster

API = "/api/v1"


def _college(code: str) -> dict:
    return {
        "code": code,
        "name": f"故障测试学院{code}",
        "type": "技师学院",
        "ownership": "公办",
        "province": "广东省",
        "city": "广州市",
    }


def _present(url: str, codes: list[str]) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT code FROM college")).scalars().all()
    finally:
        engine.dispose()
    return set(codes) & set(rows)


# ---- PostgreSQL restarted under load ---------------------------------------------------------


@pytest.mark.slow
def test_a_postgresql_restart_under_load_answers_only_2xx_or_503(tmp_path):
    cluster = Cluster()
    server = None
    statuses: Counter[int] = Counter()
    retry_after: set[str | None] = set()
    acknowledged: list[str] = []
    try:
        cluster.start()
        engine = make_engine(cluster.url)
        SQLModel.metadata.create_all(engine)
        make_college(engine, code="4401F000", name="故障测试基准学院")
        token = make_token(engine, role="admin")
        engine.dispose()
        port = free_port()
        env = image_env(
            runtime_stage(),
            REGISTRY_DATABASE_URL=cluster.url,
            REGISTRY_PORT=str(port),
            REGISTRY_DB_POOL_SIZE="4",
            REGISTRY_DB_MAX_OVERFLOW="2",
            PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
        )
        log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115
        server = subprocess.Popen(["registry", "serve"], env=env, cwd=ROOT, stderr=log)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)

        stop = threading.Event()
        lock = threading.Lock()
        headers = {"Authorization": f"Bearer {token}"}

        def client(n: int) -> None:
            i = 0
            with httpx.Client(base_url=base, timeout=30, headers=headers) as http:
                while not stop.is_set():
                    i += 1
                    code = f"F{n}X{i:05d}"
                    answers = [
                        ("POST", http.post(f"{API}/colleges", json=_college(code)), code),
                        ("GET", http.get(f"{API}/colleges/4401F000"), None),
                        ("GET", http.get(f"{API}/programs?limit=5"), None),
                    ]
                    with lock:
                        for method, response, made in answers:
                            statuses[response.status_code] += 1
                            if response.status_code == 503:
                                retry_after.add(response.headers.get("retry-after"))
                                assert response.json()["error"] == "service_unavailable"
                            if method == "POST" and response.status_code == 201:
                                acknowledged.append(made)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        time.sleep(2)
        cluster.stop()  # the server goes down under load ...
        time.sleep(2)
        ready_while_down = httpx.get(f"{base}/readyz", timeout=10).status_code
        cluster.start()  # ... and comes back
        time.sleep(3)
        with lock:
            statuses_before_end = sum(statuses.values())
        time.sleep(2)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        after_recovery = httpx.post(
            f"{base}{API}/colleges", json=_college("F9LAST"), headers=headers, timeout=30
        )
        server.terminate()
        assert server.wait(timeout=30) in (0, -15)  # uvicorn re-raises the SIGTERM it handled
        present = _present(cluster.url, acknowledged)
    finally:
        if server is not None and server.poll() is None:
            server.kill()
            server.wait(timeout=30)
        cluster.destroy()

    print(f"\nstatuses under a PostgreSQL restart: {dict(statuses)}")
    assert set(statuses) <= {200, 201, 503}, statuses  # never a 500
    assert statuses[503] > 0  # the outage was met ...
    assert statuses[201] > 0
    assert sum(statuses.values()) > statuses_before_end
    assert retry_after == {"5"}
    assert ready_while_down == 503
    assert after_recovery.status_code == 201
    assert present == set(acknowledged)  # every acknowledged write is there


# ---- SQLite on a full filesystem ---------------------------------------------------------------


@contextlib.contextmanager
def small_disk(directory: Path, megabytes: int):
    """A tmpfs of ``megabytes`` (root can mount one here and in CI) at ``directory``."""
    directory.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(directory)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"cannot mount a small filesystem: {done.stderr}"
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=False)


def _fill(directory: Path) -> Path:
    """A file that takes every byte left on the filesystem."""
    ballast = directory / "ballast"
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 16, 1 << 12, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return ballast


@pytest.mark.audit_unchecked  # writes that fail for want of space leave no audit record
def test_sqlite_on_a_full_disk_answers_503_then_recovers(seeded_template, tmp_path):
    megabytes = os.path.getsize(seeded_template) // 2**20 + 3
    with small_disk(tmp_path / "disk", megabytes) as disk:
        full_disk(seeded_template, disk)


def full_disk(seeded_template: str, disk: Path) -> None:
    path = disk / "registry.db"
    shutil.copyfile(seeded_template, path)
    url = f"sqlite:///{path}"
    settings = Settings(database_url=url, page_cache_mb=0)
    engine = make_engine(url, settings)
    token = make_token(engine, role="admin")
    headers = {"Authorization": f"Bearer {token}"}
    statuses: Counter[int] = Counter()
    acknowledged = []
    with TestClient(create_app(settings, engine)) as client:
        code = next(iter(client.get(f"{API}/colleges?limit=1").json()["items"]))["code"]
        ballast = _fill(disk)  # not a byte left
        for i in range(200):
            name = f"D{i:04d}"
            response = client.post(
                f"{API}/colleges", json=_college(name) | {"name": "满" * 100}, headers=headers
            )
            statuses[response.status_code] += 1
            if response.status_code == 201:
                acknowledged.append(name)
            else:
                assert response.status_code == 503, response.text
                assert response.headers["retry-after"] == "5"
                assert response.json()["error"] == "service_unavailable"
            read = client.get(f"{API}/colleges/{code}")
            assert read.status_code in (200, 503), read.text
            statuses[read.status_code] += 1
        page = client.get("/colleges", headers={"Accept": "text/html"})
        assert page.status_code in (200, 503)
        full_page = client.post(
            f"{API}/colleges", json=_college("DPAGE"), headers=headers | {"Accept": "text/html"}
        )
        os.remove(ballast)  # space again
        again = client.post(f"{API}/colleges", json=_college("DAFTER"), headers=headers)
    print(f"\nstatuses on a full disk: {dict(statuses)}")
    assert set(statuses) <= {200, 201, 503}
    assert statuses[503] > 0  # the full disk was met
    assert full_page.status_code in (201, 503)
    assert again.status_code == 201
    engine.dispose()
    check = create_engine(url)
    with check.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        stored = set(conn.execute(text("SELECT code FROM college")).scalars())
    check.dispose()
    assert set(acknowledged) | {"DAFTER"} <= stored  # nothing acknowledged was lost


def test_a_page_route_answers_a_chinese_503_page(settings, engine):
    """The error page for a page route (a browser), JSON for the API, when the database fails."""
    import sqlite3

    from app.errors import database_unavailable

    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13  # type: ignore[attr-defined]
    assert database_unavailable(full)
    syntax = sqlite3.OperationalError("near x: syntax error")
    syntax.sqlite_errorcode = 1  # type: ignore[attr-defined]
    assert not database_unavailable(syntax)  # a bug stays a 500

    app = create_app(settings, engine)

    @app.get("/broken-page-for-test")
    def broken():
        raise full

    @app.get("/api/v1/broken-for-test")
    def broken_api():
        raise full

    with TestClient(app) as client:
        page = client.get("/broken-page-for-test", headers={"Accept": "text/html"})
        api = client.get("/api/v1/broken-for-test")
    assert page.status_code == 503
    assert page.headers["retry-after"] == "5"
    assert "text/html" in page.headers["content-type"]
    assert "数据库暂时无法访问" in page.text
    assert api.status_code == 503
    assert api.json()["error"] == "service_unavailable"
