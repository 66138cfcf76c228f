"""HEAD on every GET route (contract "Clients"): the same status and headers as the GET, no body.

Walks every GET route the app has — API, pages, docs — rather than a list kept by hand, so a
route added tomorrow is covered."""

import re

from starlette.routing import Mount

from tests.changes.helpers import API

# headers that differ between two requests by nature
PER_REQUEST = {"date", "x-request-id", "server-timing"}


def get_paths(routes, prefix: str = "") -> list[str]:
    found: list[str] = []
    for route in routes:
        if hasattr(route, "original_router"):  # an included router
            found += get_paths(route.original_router.routes, prefix + route.include_context.prefix)
        elif isinstance(route, Mount):
            continue  # static files: tested below by one file
        elif "GET" in (getattr(route, "methods", None) or ()):
            found.append(prefix + route.path)
    return found


def _samples(client, headers) -> dict[str, str]:
    program = client.get(f"{API}/programs", params={"limit": 1}).json()["items"][0]
    publication = client.get(f"{API}/publications", params={"limit": 1}).json()["items"][0]
    catalog = client.get(f"{API}/catalogs").json()["items"][0]
    college = client.get(f"{API}/colleges", params={"limit": 1}).json()["items"][0]
    return {
        "program_id": str(program["id"]),
        "publication_id": str(publication["id"]),
        "series": str(publication.get("series") or "x"),
        "ext": "xlsx",
        "annex": "projects",
        "key": catalog["key"],
        "code": college["code"],
        "fmt": "xlsx",
        "locale": "en",
    }


def _fill(path: str, samples: dict[str, str]) -> str:
    return re.sub(r"{(\w+)(?::\w+)?}", lambda m: samples.get(m.group(1), "1"), path)


def _comparable(response) -> dict[str, str]:
    """The headers, with what is made afresh for each request (a CSP nonce, a cookie's value)
    blanked."""
    return {
        name: re.sub(r"'nonce-[^']+'|^(\w+)=[^;]*", lambda m: m.group(1) or "'nonce-'", value)
        for name, value in response.headers.items()
        if name not in PER_REQUEST
    }


def _same(get, head, what: str, again=None) -> None:
    """``again()`` repeats the GET: an XLSX made on the spot carries the second it was made in
    (openpyxl's document properties), so its length may move by a byte or two between two GETs;
    such a length is compared with that of a GET made in the same second instead."""
    assert head.status_code == get.status_code, what
    assert head.content == b"", what
    ours, theirs = _comparable(head), _comparable(get)
    if what.startswith("HEAD /metrics "):  # it counts the requests themselves: its length moves
        ours.pop("content-length"), theirs.pop("content-length")
    if again is not None and ours.get("content-length") != theirs.get("content-length"):
        lengths = {theirs.get("content-length")}
        for _ in range(5):
            lengths.add(_comparable(again()).get("content-length"))
        assert ours.get("content-length") in lengths, what
        assert len(lengths) > 1, what
        ours.pop("content-length"), theirs.pop("content-length")
    assert ours == theirs, what


def test_every_get_route_answers_head_with_the_get_status_and_headers(seeded_client, admin_headers):
    client = seeded_client
    samples = _samples(client, admin_headers)
    paths = get_paths(client.app.router.routes)
    assert len(paths) > 60  # the walk found the routers' routes, not only the app's own
    statuses = set()
    for template in paths:
        path = _fill(template, samples)
        for headers in ({}, admin_headers):
            # the first GET of a public answer streams it (no Content-Length) and keeps it; the
            # next ones are answered whole from memory: compare HEAD with a GET of the same kind
            client.get(path, headers=headers, follow_redirects=False)
            client.cookies.clear()  # each starts as a new visitor (a csrf cookie is set anew)
            get = client.get(path, headers=headers, follow_redirects=False)
            client.cookies.clear()
            head = client.head(path, headers=headers, follow_redirects=False)
            _same(
                get,
                head,
                f"HEAD {path} ({'admin' if headers else 'anonymous'})",
                lambda p=path, h=headers: client.get(p, headers=h, follow_redirects=False),
            )
            statuses.add(get.status_code)
    assert 200 in statuses
    assert 404 in statuses


def test_head_keeps_the_etag_and_its_304(seeded_client):
    get = seeded_client.get(f"{API}/programs.csv")
    assert get.headers["etag"]
    head = seeded_client.head(f"{API}/programs.csv", headers={"If-None-Match": get.headers["etag"]})
    assert head.status_code == 304
    assert head.content == b""
    full = seeded_client.head(f"{API}/programs.xlsx")
    assert full.status_code == 200
    assert full.content == b""
    assert full.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_head_on_a_static_file_and_a_post_only_route(seeded_client):
    css = seeded_client.get("/static/app.css")
    _same(css, seeded_client.head("/static/app.css"), "static")
    refused = seeded_client.head(f"{API}/filings/validate")
    assert refused.status_code == 405
    assert refused.content == b""
