"""Issue 26, 1.: the image's start command behaves as PID 1 — it serves /readyz, a SIGTERM lets a
request in flight finish and the process exits within docker stop's 10 s — and the image neither
migrates nor seeds unless told (REGISTRY_MIGRATE_ON_START, REGISTRY_SEED). The Dockerfile's own
facts (exec form, HEALTHCHECK, volume, numeric user, no compiler at run time) are read from it."""

import json
import os
import re
import signal
import socket
import subprocess
import time

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.ops.container import ROOT, Pid1, dockerfile_stages, free_port, image_env, runtime_stage

pytestmark = pytest.mark.slow


def test_dockerfile_runtime_stage_is_what_an_operator_expects():
    stages = dockerfile_stages()
    runtime = stages[-1]
    assert len(stages) >= 2, "a multi-stage build: dependencies built apart from the runtime"
    # The runtime base is slim (no gcc), and nothing installs a compiler into it.
    assert runtime.base.endswith("-slim"), runtime.base
    run_lines = " ".join(runtime.all("RUN"))
    assert not re.search(r"\b(gcc|build-essential|g\+\+|clang|make)\b", run_lines), run_lines
    assert any(args.startswith("--from=") for args in runtime.all("COPY"))
    # Exec form, no shell at PID 1, and neither migration nor seed in the start command.
    argv = runtime.cmd
    assert argv[0] not in ("sh", "bash", "/bin/sh"), argv
    assert "-c" not in argv, argv
    assert "migrate" not in argv, argv
    assert "seed" not in argv, argv
    # A numeric, non-root user; the data volume; a health check on /readyz.
    user = runtime.last("USER") or ""
    assert re.fullmatch(r"[1-9][0-9]*(:[0-9]+)?", user), user
    assert "/data" in json.loads(runtime.last("VOLUME") or "[]")
    assert any("/readyz" in part for part in runtime.healthcheck)
    assert runtime.env["REGISTRY_DATABASE_URL"].startswith("sqlite:////data/")


def _registry(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        ["registry", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _college_count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT COUNT(*) FROM college")).scalar_one()
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _read_response(sock: socket.socket) -> bytes:
    sock.settimeout(15)
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def test_pid1_serves_readyz_and_sigterm_finishes_the_request_in_flight(database_url, tmp_path):
    stage = runtime_stage()
    port = free_port()
    env = image_env(
        stage,
        REGISTRY_DATABASE_URL=database_url,
        REGISTRY_PORT=str(port),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    # What the operator does as separate steps: migrate (one-shot), seed and a token by hand.
    _registry(env, "migrate")
    _registry(env, "seed")
    token = _registry(env, "token", "create", "--role", "admin", "--name", "ops").strip()
    colleges = _college_count(database_url)

    server = Pid1(stage.cmd, env, tmp_path / "stderr.log")
    try:
        server.wait_ready()
        assert server.pid_in_namespace() == 1  # the server itself, not a shell, is PID 1
        # The image's HEALTHCHECK command passes against it.
        check = subprocess.run(stage.healthcheck, env=env, cwd=ROOT, timeout=30)
        assert check.returncode == 0

        body = json.dumps(
            {
                "code": "PID1TEST",
                "name": "停机测试技师学院",
                "type": "技师学院",
                "ownership": "公办",
                "province": "广东省",
                "city": "广州市",
            },
            ensure_ascii=False,
        ).encode()
        head = (
            "POST /api/v1/colleges HTTP/1.1\r\nHost: registry\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(head + body[:10])  # in flight: the server has the headers, half the body
        time.sleep(0.5)
        started = time.monotonic()
        os.kill(server.init_pid(), signal.SIGTERM)
        refused = False
        while not refused and time.monotonic() - started < 5:  # stopping: no new connection
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                time.sleep(0.1)
            except OSError:
                refused = True
        assert refused, "still taking connections after SIGTERM"
        sock.sendall(body[10:])
        answer = _read_response(sock)
        sock.close()
        server.outer.wait(timeout=15)
        elapsed = time.monotonic() - started
    finally:
        server.kill()
    assert answer.startswith(b"HTTP/1.1 201"), answer[:300]
    assert elapsed < 10, f"exited {elapsed:.1f} s after SIGTERM"
    assert server.outer.returncode == 0, server.stderr()
    assert _college_count(database_url) == colleges + 1  # what was acknowledged is there
    # Every line it wrote is JSON (uvicorn's own included).
    lines = [line for line in server.stderr().splitlines() if line.strip()]
    assert lines, lines
    assert all(json.loads(line)["message"] is not None for line in lines), lines
    assert any("Started server process" in json.loads(line)["message"] for line in lines)


def test_the_image_neither_migrates_nor_seeds_unless_told(database_url, tmp_path):
    stage = runtime_stage()
    port = free_port()
    env = image_env(
        stage,
        REGISTRY_DATABASE_URL=database_url,
        REGISTRY_PORT=str(port),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    server = Pid1(stage.cmd, env, tmp_path / "plain.log")
    try:
        server.wait_ready()  # the database answers; nothing was created in it
        assert server.terminate() < 10
    finally:
        server.kill()
    assert "alembic_version" not in _tables(database_url)
    assert "college" not in _tables(database_url)

    told = env | {"REGISTRY_MIGRATE_ON_START": "true", "REGISTRY_SEED": "gz2024"}
    server = Pid1(stage.cmd, told, tmp_path / "told.log")
    try:
        server.wait_ready()
        assert server.terminate() < 10
    finally:
        server.kill()
    assert "alembic_version" in _tables(database_url)
    assert _college_count(database_url) > 0
    # A second start with the same settings adds nothing (the seed is idempotent).
    colleges = _college_count(database_url)
    server = Pid1(stage.cmd, told, tmp_path / "again.log")
    try:
        server.wait_ready()
        assert server.terminate() < 10
    finally:
        server.kill()
    assert _college_count(database_url) == colleges


def test_an_unknown_seed_is_refused(database_url, tmp_path):
    env = image_env(runtime_stage(), REGISTRY_DATABASE_URL=database_url, REGISTRY_SEED="demo")
    done = subprocess.run(
        ["registry", "serve"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "gz2024" in done.stderr
