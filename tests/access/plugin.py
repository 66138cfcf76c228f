"""Suite-wide check: every write leaves exactly one audit record that names its actor.

Registered from tests/conftest.py (``pytest_plugins``), so it runs for EVERY test of every domain:
each request made through a ``TestClient`` is wrapped; a successful (2xx) non-GET request must add
exactly one ``audit_log`` row with a non-empty actor and role, and any other request (a read, or a
refused write) must add none. Dry runs that store nothing are listed in ``NOT_WRITES``.

A test that drives the client from several threads at once (the counts would interleave) opts out
with ``@pytest.mark.audit_unchecked``.
"""

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from starlette.testclient import TestClient

READ_METHODS = {"GET", "HEAD", "OPTIONS"}
# (method, route path) of requests that use POST but store nothing (contract: "a dry run").
NOT_WRITES = {("POST", "/api/v1/filings/validate")}
# Routes that are a dry run unless their answer says it wrote something (``"applied": true``).
WRITES_WHEN_APPLIED = {("POST", "/api/v1/catalogs/{key}/adoption")}


@dataclass
class AuditViolation:
    method: str
    path: str
    status: int
    added: int
    unnamed: int

    def message(self) -> str:
        expected = "exactly 1 audit record" if self.expected_one else "no audit record"
        return (
            f"{self.method} {self.path} -> {self.status} added {self.added} audit record(s) "
            f"({self.unnamed} without actor/role); expected {expected}"
        )

    @property
    def expected_one(self) -> bool:
        return self.method not in READ_METHODS and 200 <= self.status < 300


def _operations(app) -> list[tuple[str, str]]:
    """(method, path template) of every operation the app's OpenAPI schema lists: the API routes
    included in the schema, read from the routes themselves. Building the schema to learn them
    cost about a second per app (models and JSON schemas of every route), paid once per test."""
    from fastapi.routing import APIRoute, iter_route_contexts

    found = []
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute) and route.include_in_schema:
            found += [(method, route.path_format) for method in route.methods]
    return found


# Templates by the app's operations: apps of the suite are built alike, so one list serves all.
_COMPILED: dict[tuple[tuple[str, str], ...], list[tuple[str, str, re.Pattern]]] = {}


def _templates(app) -> list[tuple[str, str, re.Pattern]]:
    """(method, path template, regex) of every operation in the app's OpenAPI schema; the most
    literal templates first, so ``/filings/validate`` wins over ``/filings/{filing_id}``."""
    cached = getattr(app.state, "_audit_plugin_templates", None)
    if cached is None:
        operations = tuple(dict.fromkeys(_operations(app)))  # in route order, as the schema
        cached = _COMPILED.get(operations)
        if cached is None:
            cached = []
            for method, path in operations:
                pattern = re.compile(
                    "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$"
                )
                cached.append((method.upper(), path, pattern))
            cached.sort(key=lambda t: (t[1].count("{"), -len(t[1])))
            _COMPILED[operations] = cached
        app.state._audit_plugin_templates = cached
    return cached


def route_path(app, method: str, path: str) -> str | None:
    """The route template (as the OpenAPI schema spells it) a request path matches."""
    if not hasattr(app, "openapi"):
        return None
    for candidate_method, template, pattern in _templates(app):
        if candidate_method == method and pattern.match(path):
            return template
    return None


def _last_id(engine) -> int | None:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM audit_log")).scalar_one()
    except DBAPIError:  # a database without tables (migration tests): nothing to check
        return None


def _added(engine, after: int) -> tuple[int, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT actor, role FROM audit_log WHERE id > :after"), {"after": after}
        ).all()
    return len(rows), sum(1 for actor, role in rows if not (actor or "").strip() or not role)


def _applied(response) -> bool:
    try:
        return bool(response.json().get("applied"))
    except ValueError:
        return False


def _noop_import(template: str | None, response) -> bool:
    """An import that inserted and updated nothing wrote nothing: it records no audit row."""
    if template is None or not template.endswith("/import") or response is None:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("inserted") == 0 and body.get("updated") == 0


def check_request(
    app, engine, method: str, path: str, status: int, before: int, response=None
) -> "AuditViolation | None":
    added, unnamed = _added(engine, before)
    violation = AuditViolation(method, path, status, added, unnamed)
    template = route_path(app, method, path)
    if (method, template) in NOT_WRITES or _noop_import(template, response):
        expected = 0
    elif (method, template) in WRITES_WHEN_APPLIED and violation.expected_one:
        expected = 1 if response is not None and _applied(response) else 0
    else:
        expected = 1 if violation.expected_one else 0
    if added != expected or unnamed:
        return violation
    return None


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "audit_unchecked: the client is driven from several threads; skip the "
        "one-audit-record-per-write check",
    )


@pytest.fixture(autouse=True)
def _every_write_is_audited(request, monkeypatch):
    if request.node.get_closest_marker("audit_unchecked"):
        yield
        return
    original = TestClient.request

    def checked(self, method, url, *args, **kwargs):
        engine = getattr(getattr(getattr(self, "app", None), "state", None), "engine", None)
        if engine is None:
            return original(self, method, url, *args, **kwargs)
        before = _last_id(engine)
        response = original(self, method, url, *args, **kwargs)
        if before is None:
            return response
        violation = check_request(
            self.app,
            engine,
            method.upper(),
            response.request.url.path,
            response.status_code,
            before,
            response,
        )
        if violation is not None:
            pytest.fail(f"audit check: {violation.message()}", pytrace=False)
        return response

    monkeypatch.setattr(TestClient, "request", checked)
    yield
