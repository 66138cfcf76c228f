"""Fixtures of the filings tests."""

import pytest

import tests.access.plugin as audit_plugin

_route_path = audit_plugin.route_path


@pytest.fixture(autouse=True)
def _dry_run_path_shim(monkeypatch):
    # tests/access/plugin.route_path does not see routes inside FastAPI 0.165's included routers
    # (it returns None), so POST /filings/validate — a dry run in its NOT_WRITES — would be
    # held to one audit record. A path without parameters is its own template.
    def route_path(app, method, path):
        return _route_path(app, method, path) or path

    monkeypatch.setattr(audit_plugin, "route_path", route_path)
