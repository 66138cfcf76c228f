"""Safe defaults of every response (issue 11, items 10 and 11): JSON 500 bodies with a request id,
X-Request-ID everywhere, JSON access logs naming actor and route, security headers, CORS, the
vendored API docs and the health probes."""

import io
import json
import logging
import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.middleware import JsonFormatter


@pytest.fixture
def boom_client(settings, engine):
    app = create_app(settings, engine)

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("a bug")

    with TestClient(app) as client:
        yield client


@pytest.fixture
def log_lines():
    """JSON lines the registry loggers write during the test."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("registry")
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)


def test_an_unhandled_error_answers_json_500_with_the_request_id(boom_client, log_lines):
    response = boom_client.get("/boom-for-test")
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "internal_error"
    request_id = response.headers["X-Request-ID"]
    assert body["detail"]["request_id"] == request_id
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    errors = [line for line in log_lines() if line["logger"] == "registry.error"]
    assert len(errors) == 1
    assert errors[0]["request_id"] == request_id
    assert "RuntimeError: a bug" in errors[0]["exception"]


def test_500_message_is_english_when_asked(boom_client):
    response = boom_client.get("/boom-for-test", headers={"Accept-Language": "en"})
    assert "administrator" in response.json()["detail"]["message"]
    chinese = boom_client.get("/boom-for-test").json()["detail"]["message"]
    assert "服务器内部错误" in chinese


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/catalogs", 200),
        ("GET", "/api/v1/colleges/NOPE", 404),
        ("GET", "/api/v1/programs?limit=0", 422),
        ("POST", "/api/v1/programs", 401),
        ("DELETE", "/healthz", 405),
        ("GET", "/no-such-page", 404),
    ],
)
def test_every_response_carries_a_request_id(client, method, path, status):
    response = client.request(method, path)
    assert response.status_code == status
    assert re.fullmatch(r"[0-9a-f]{16}", response.headers["X-Request-ID"])


def test_a_413_from_the_body_limit_carries_the_headers(settings, engine):
    small = Settings(database_url=settings.database_url, max_body_bytes=10)
    with TestClient(create_app(small, engine)) as client:
        response = client.post("/api/v1/programs", content=b"x" * 100)
    assert response.status_code == 413
    assert response.headers["X-Request-ID"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_a_safe_incoming_request_id_is_kept_and_an_unsafe_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42"})
    assert kept.headers["X-Request-ID"] == "lb-7f3a.42"
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id\twith <script>"})
    assert re.fullmatch(r"[0-9a-f]{16}", replaced.headers["X-Request-ID"])


def test_the_access_log_is_json_with_actor_route_and_request_id(client, tokens, log_lines):
    headers = tokens("admin", name="日志测试管理员")
    response = client.delete("/api/v1/tokens/999999", headers=headers)
    entry = [line for line in log_lines() if line["logger"] == "registry.access"][-1]
    assert entry["request_id"] == response.headers["X-Request-ID"]
    assert entry["actor"] == "日志测试管理员"
    assert entry["role"] == "admin"
    assert entry["route"] == "/api/v1/tokens/{token_id}"
    assert entry["path"] == "/api/v1/tokens/999999"
    assert entry["status"] == 404
    assert entry["method"] == "DELETE"
    assert isinstance(entry["duration_ms"], float)


@pytest.mark.parametrize(
    "created",
    [
        1795549593.0,
        1795549593.0004995,  # rounds down to .000499: millisecond 000
        1795549593.9994996,  # rounds up to .999500: still 999
        1795549593.9999996,  # rounds up to the next second, as datetime does
        1795549594.5,
        1795636799.999,  # 23:59:59.999, then midnight: a new date prefix
        1795636800.001,
    ],
)
def test_the_log_timestamp_is_the_isoformat_of_the_time(created):
    formatter = JsonFormatter()
    formatter.timestamp(created - 1)  # a prefix of another second cached before
    expected = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
    assert formatter.timestamp(created) == expected


def test_a_log_line_orjson_refuses_is_still_written_as_json():
    record = logging.LogRecord(
        "registry.error", logging.ERROR, "", 0, "bad \udc80 %s", (2**70,), None
    )
    record.path = "/p\udc80"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == f"bad \udc80 {2**70}"
    assert line["path"] == "/p\udc80"


def test_security_headers_without_hsts_over_plain_http(client):
    response = client.get("/api/v1/catalogs")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "Strict-Transport-Security" not in response.headers


def test_each_response_has_its_own_script_nonce(client):
    nonces = {
        re.search(r"'nonce-([^']+)'", client.get("/healthz").headers["Content-Security-Policy"])[1]
        for _ in range(3)
    }
    assert len(nonces) == 3


def test_hsts_over_https_and_behind_a_trusted_proxy_only(settings, engine):
    direct = TestClient(create_app(settings, engine), base_url="https://registry.example")
    assert "max-age=" in direct.get("/healthz").headers["Strict-Transport-Security"]
    forwarded = {"X-Forwarded-Proto": "https"}
    untrusted = TestClient(create_app(settings, engine))
    assert "Strict-Transport-Security" not in untrusted.get("/healthz", headers=forwarded).headers
    behind = Settings(database_url=settings.database_url, trusted_proxies="testclient")
    trusted = TestClient(create_app(behind, engine))
    assert "Strict-Transport-Security" in trusted.get("/healthz", headers=forwarded).headers


def test_cors_is_closed_by_default(client):
    preflight = client.options(
        "/api/v1/programs",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 403
    assert preflight.json()["error"] == "cors_forbidden"
    assert "Access-Control-Allow-Origin" not in preflight.headers
    simple = client.get("/api/v1/catalogs", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in simple.headers


def test_cors_allows_the_listed_origins_only(settings, engine):
    allowed = Settings(
        database_url=settings.database_url,
        cors_origins="https://plan.example.edu.cn, https://other.example",
    )
    with TestClient(create_app(allowed, engine)) as client:
        preflight = client.options(
            "/api/v1/filings/validate",
            headers={
                "Origin": "https://plan.example.edu.cn",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 204
        assert preflight.headers["Access-Control-Allow-Origin"] == "https://plan.example.edu.cn"
        assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
        assert "Access-Control-Allow-Credentials" not in preflight.headers
        simple = client.get("/api/v1/catalogs", headers={"Origin": "https://plan.example.edu.cn"})
        assert simple.headers["Access-Control-Allow-Origin"] == "https://plan.example.edu.cn"
        assert "X-Request-ID" in simple.headers["Access-Control-Expose-Headers"]
        refused = client.options(
            "/api/v1/catalogs",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        )
        assert refused.status_code == 403


def test_cors_preflights_answer_as_documented_not_as_starlette_would(settings, engine):
    """204 for a listed origin (whatever it asks: the browser holds back what is not allowed),
    403 cors_forbidden in the reader's language with a request id for any other."""
    allowed = Settings(database_url=settings.database_url, cors_origins="https://plan.example/")
    with TestClient(create_app(allowed, engine)) as client:
        preflight = client.options(
            "/api/v1/programs",
            headers={
                "Origin": "https://plan.example",
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "x-not-listed",
            },
        )
        assert preflight.status_code == 204
        assert preflight.content == b""
        assert preflight.headers["Access-Control-Allow-Origin"] == "https://plan.example"
        assert "X-Request-ID" in preflight.headers["Access-Control-Allow-Headers"]
        assert preflight.headers["Access-Control-Max-Age"] == "600"
        refused = client.options(
            "/api/v1/programs",
            headers={
                "Origin": "https://evil.example",
                "Access-Control-Request-Method": "GET",
                "Accept-Language": "en",
                "X-Request-ID": "trace-cors-1",
            },
        )
        assert refused.status_code == 403
        assert refused.json() == {
            "error": "cors_forbidden",
            "detail": "this origin may not call the API from a browser",
        }
        assert refused.headers["X-Request-ID"] == "trace-cors-1"
        plain = client.get("/api/v1/catalogs")  # no Origin: no CORS headers at all
        assert not any(name.startswith("access-control-") for name in plain.headers)


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_load_only_assets_served_by_the_registry(client, page):
    response = client.get(page)
    assert response.status_code == 200
    html = response.text
    assert "http://" not in html
    assert "https://" not in html
    assert "//cdn" not in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        fetched = client.get(asset)
        assert fetched.status_code == 200, asset
        assert len(fetched.content) > 100, asset
    assert "<script>" not in html  # no inline script: the CSP would block it


def test_healthz_and_readyz(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"


def test_readyz_is_503_when_the_database_does_not_answer(settings, engine, tmp_path):
    broken = make_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'registry.db'}")
    app = create_app(settings, engine)
    app.state.engine = broken
    with TestClient(app) as client:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["error"] == "not_ready"
        assert client.get("/healthz").status_code == 200


def test_openapi_documents_the_error_body_for_422_and_other_errors(client):
    schema = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in json.dumps(schema)
    error_body = schema["components"]["schemas"]["ErrorBody"]
    assert error_body["required"] == ["error", "detail"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if str(code).startswith("4"):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorBody"), (method, path, code)
    assert "422" in schema["paths"]["/api/v1/programs/{program_id}"]["get"]["responses"]
    real = client.get("/api/v1/programs/abc").json()
    assert set(real) == {"error", "detail"}


def test_failed_authentication_is_throttled_per_address(settings, engine, tokens):
    strict = Settings(
        database_url=settings.database_url, auth_fail_limit=5, auth_fail_window_seconds=60
    )
    good = tokens("admin")
    with TestClient(create_app(strict, engine)) as client:
        bad = {"Authorization": "Bearer reg_not-a-token"}
        statuses = [client.get("/api/v1/me", headers=bad).status_code for _ in range(7)]
        assert statuses == [401] * 5 + [429] * 2
        throttled = client.get("/api/v1/me", headers=good)
        assert throttled.status_code == 429  # the address waits, whatever token it sends now
        assert throttled.json()["error"] == "too_many_failures"
        assert 1 <= int(throttled.headers["Retry-After"]) <= 60
        assert client.get("/api/v1/catalogs").status_code == 200  # public reads go on
        # Another address (a trusted proxy's forwarded client) is not affected.
    behind = Settings(
        database_url=settings.database_url,
        auth_fail_limit=5,
        trusted_proxies="testclient",
    )
    with TestClient(create_app(behind, engine)) as client:
        for _ in range(6):
            forwarded = {"Authorization": "Bearer reg_bad", "X-Forwarded-For": "203.0.113.9"}
            client.get("/api/v1/me", headers=forwarded)
        other = {**good, "X-Forwarded-For": "198.51.100.7"}
        assert client.get("/api/v1/me", headers=other).status_code == 200
        same = {**good, "X-Forwarded-For": "203.0.113.9"}
        assert client.get("/api/v1/me", headers=same).status_code == 429


def test_the_throttle_window_ends(settings):
    from app.access.throttle import FailedAuthThrottle

    throttle = FailedAuthThrottle(limit=2, window_seconds=10)
    throttle.failed("a", now=100.0)
    throttle.failed("a", now=101.0)
    assert throttle.retry_after("a", now=102.0) == 8
    assert throttle.retry_after("b", now=102.0) is None
    assert throttle.retry_after("a", now=110.0) is None
    assert FailedAuthThrottle(limit=0, window_seconds=10).retry_after("a") is None


@pytest.mark.parametrize(
    ("path", "route"),
    [
        ("/api/v1/programs", "/api/v1/programs"),
        ("/api/v1/programs?limit=x", "/api/v1/programs"),
        ("/api/v1/programs/1", "/api/v1/programs/{program_id}"),
        ("/api/v1/programs.csv", "/api/v1/programs.csv"),
        ("/api/v1/colleges", "/api/v1/colleges"),
        ("/healthz", "/healthz"),
    ],
)
def test_the_access_log_names_the_whole_route_template(client, log_lines, path, route):
    """Routers included in routers (programs/ under /api/v1) log their whole template too."""
    client.get(path)
    entry = [line for line in log_lines() if line["logger"] == "registry.access"][-1]
    assert entry["route"] == route


def test_a_page_cache_hit_is_logged_with_the_route_that_answered_it(app, client, log_lines):
    from app.caching import HttpCache

    first = client.get("/api/v1/colleges", params={"province": "广东省"})
    layer = app.middleware_stack
    while not isinstance(layer, HttpCache):
        layer = layer.app
    assert layer.pages is not None
    assert len(layer.pages.entries) == 1
    second = client.get("/api/v1/colleges", params={"province": "广东省"})
    assert second.content == first.content
    entries = [line for line in log_lines() if line["logger"] == "registry.access"][-2:]
    assert [entry["route"] for entry in entries] == ["/api/v1/colleges", "/api/v1/colleges"]
