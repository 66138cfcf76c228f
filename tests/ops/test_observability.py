"""Issue 26, 4.: /metrics in Prometheus text (counts by route template and status, latency
histograms, pool use, webhook queue and failures, feed head), the same whichever of several
worker processes answers the scrape; gzip of text answers, a streamed CSV export still streamed;
`registry serve`'s timeouts."""

import asyncio
import json
import re
import subprocess
import time
import zlib
from urllib.parse import urlencode

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from tests.ops.container import ROOT, free_port, image_env, runtime_stage
from tests.publications.test_streaming import bulk_programs


def samples(body: str) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def requests_of(scraped: dict, method: str, route: str, status: str) -> float:
    key = (
        "registry_http_requests_total",
        tuple(sorted({"method": method, "route": route, "status": status}.items())),
    )
    return scraped.get(key, 0.0)


def test_metrics_count_what_was_sent_by_route_template(seeded_client, seeded):
    before = samples(seeded_client.get("/metrics").text)
    with seeded.connect() as conn:
        codes = [c for (c,) in conn.execute(text("SELECT code FROM college LIMIT 3"))]
    for code in codes * 3:  # 9 requests, one route template
        assert seeded_client.get(f"/api/v1/colleges/{code}").status_code == 200
    for _ in range(4):
        assert seeded_client.get("/api/v1/colleges/NOPE404").status_code == 404
    scrape = seeded_client.get("/metrics")
    assert scrape.status_code == 200
    assert scrape.headers["content-type"].startswith("text/plain")
    after = samples(scrape.text)
    route = "/api/v1/colleges/{code}"
    assert requests_of(after, "GET", route, "200") - requests_of(before, "GET", route, "200") == 9
    assert requests_of(after, "GET", route, "404") - requests_of(before, "GET", route, "404") == 4
    count = ("registry_http_request_duration_seconds_count", (("method", "GET"), ("route", route)))
    assert after[count] - before.get(count, 0) == 13
    # the database's figures: the feed head is the newest change's seq
    with seeded.connect() as conn:
        head = conn.execute(text("SELECT COALESCE(MAX(seq), 0) FROM change")).scalar_one()
    assert after[("registry_feed_head_seq", ())] == head
    assert after[("registry_database_up", ())] == 1
    assert ("registry_webhook_pending_deliveries", ()) in after
    assert ("registry_webhook_queue_changes", ()) in after
    assert ("registry_webhook_failed_attempts_total", ()) in after


def test_metrics_can_be_turned_off(settings, engine):
    from fastapi.testclient import TestClient

    from app.main import create_app

    off = create_app(settings.model_copy(update={"metrics": False}), engine)
    with TestClient(off) as client:
        assert client.get("/metrics").status_code == 404


def test_text_answers_are_gzipped_and_keep_their_etag(seeded_client):
    plain = seeded_client.get("/api/v1/programs?limit=100", headers={"Accept-Encoding": "identity"})
    zipped = seeded_client.get("/api/v1/programs?limit=100", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["vary"]
    assert zipped.json() == plain.json()  # httpx decompressed it
    assert int(zipped.headers["content-length"]) < len(plain.content) / 3


# ---- a streamed export stays streamed ------------------------------------------------------


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"page_cache_mb": 0})  # the export itself, not the cache


def _serve(app, path: str, query: dict, encoding: str) -> tuple[dict, list[bytes]]:
    start: dict = {}
    chunks: list[bytes] = []

    async def receive():
        if start.get("asked"):
            await asyncio.Event().wait()  # asked once; the client never disconnects
        start["asked"] = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            start["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body" and message.get("body"):
            chunks.append(message["body"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": urlencode(query).encode(),
        "headers": [(b"host", b"test"), (b"accept-encoding", encoding.encode())],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }
    asyncio.run(app(scope, receive, send))
    return start["headers"], chunks


@pytest.mark.audit_unchecked  # straight to the ASGI app, not through TestClient
def test_a_gzipped_csv_export_still_streams(seeded, app):
    bulk_programs(seeded, 20_000, 1_000)
    headers, chunks = _serve(app, "/api/v1/programs.csv", {}, "gzip")
    assert headers["content-encoding"] == "gzip"
    assert "content-length" not in headers  # sent as it is made, not buffered to be measured
    assert len(chunks) > 3, "the export arrived in one piece"
    # The first piece alone decompresses to the header and rows: a client reads rows before the
    # export is finished (each chunk is flushed, not held back by the compressor).
    first = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(chunks[0])
    assert first.count(b"\r\n") >= 2
    whole = zlib.decompress(b"".join(chunks), 16 + zlib.MAX_WBITS)
    _, identity = _serve(app, "/api/v1/programs.csv", {}, "identity")
    assert whole == b"".join(identity)
    assert whole.count(b"\r\n") >= 20_000


# ---- several worker processes, one count -----------------------------------------------------


@pytest.mark.slow
def test_metrics_are_one_count_over_several_workers(database_url, engine, tmp_path):
    port = free_port()
    env = image_env(
        runtime_stage(),
        REGISTRY_DATABASE_URL=database_url,
        REGISTRY_PORT=str(port),
        REGISTRY_WORKERS="2",
        REGISTRY_DB_POOL_SIZE="2",
        REGISTRY_DB_MAX_OVERFLOW="1",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    log = tmp_path / "serve.log"
    with open(log, "wb") as stderr:
        server = subprocess.Popen(
            [
                "registry",
                "serve",
                "--timeout-worker-healthcheck",
                "40",
                "--timeout-graceful-shutdown",
                "5",
            ],
            env=env,
            cwd=ROOT,
            stderr=stderr,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            sent = 60
            with httpx.Client(base_url=base, timeout=30) as client:
                for _ in range(sent):  # new connections: both workers take some
                    assert client.get("/healthz", headers={"Connection": "close"}).is_success
                counts = set()
                for _ in range(6):
                    scraped = samples(
                        httpx.get(f"{base}/metrics", headers={"Connection": "close"}).text
                    )
                    counts.add(requests_of(scraped, "GET", "/healthz", "200"))
        finally:
            server.terminate()
            server.wait(timeout=30)
    lines = log.read_text().splitlines()
    for line in lines:  # the supervisor's and both workers' lines: JSON, every one
        json.loads(line)
    pids = {int(m) for m in re.findall(r"Started server process \[(\d+)\]", "\n".join(lines))}
    assert len(pids) == 2, lines  # two workers served
    # whichever worker answered a scrape, it reported both workers' requests: every scrape 60
    assert counts == {float(sent)}, counts
