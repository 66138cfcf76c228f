"""Page routes bound their ids like the API does: an id beyond the database's INTEGER is refused
before a service runs (on PostgreSQL it was a 500: the id columns are 32-bit), on both backends."""

import importlib
import pkgutil
import re

import pytest
from fastapi.routing import APIRoute

import app.web

BEYOND_INTEGER = 2**31  # one more than PostgreSQL's INTEGER (the id columns) holds
HUGE = 2**63  # one more than a BIGINT holds (SQLite's own integer)


def _web_routes() -> list[APIRoute]:
    """The routes of app/web's page routers (the app includes them lazily)."""
    routes = []
    for module in pkgutil.iter_modules(app.web.__path__):
        router = getattr(importlib.import_module(f"app.web.{module.name}"), "router", None)
        routes += [r for r in getattr(router, "routes", []) if isinstance(r, APIRoute)]
    return routes


def _page_routes_with_ids() -> list[tuple[str, str]]:
    """Every GET page whose path carries a number, found from app/web's routers: a page added
    later is covered without touching this test."""
    found = []
    for route in _web_routes():
        params = re.findall(r"{(\w+)(?::\w+)?}", route.path)
        numeric = [
            p.name
            for p in route.dependant.path_params
            if p.name in params and p.field_info.annotation is int
        ]
        if numeric and "GET" in route.methods:
            found.append(("GET", route.path))
    return sorted(set(found))


PAGES = _page_routes_with_ids()


def test_pages_with_numeric_ids_exist():
    # The discovery above must find the pages (filings, rounds, lists, programs, referrals …).
    assert len(PAGES) >= 5, PAGES


@pytest.mark.parametrize("number", [BEYOND_INTEGER, HUGE])
@pytest.mark.parametrize(("method", "path"), PAGES)
def test_a_page_id_beyond_the_database_integer_is_422(client, tokens, method, path, number):
    url = re.sub(r"{\w+(?::\w+)?}", str(number), path)
    response = client.request(method, url, headers=tokens("admin"))
    assert response.status_code == 422, (url, response.status_code, response.text[:300])


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_a_page_id_that_is_not_a_number_is_404(client, tokens, method, path):
    # Ids are {name:int} in the paths: letters match no page (no 422, and /filings/new never
    # depends on being declared before /filings/{filing_id}).
    url = re.sub(r"{\w+(?::\w+)?}", "abc", path)
    response = client.request(method, url, headers=tokens("admin"))
    assert response.status_code == 404, (url, response.status_code, response.text[:300])
