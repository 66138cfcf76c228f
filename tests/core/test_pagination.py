"""GET /api/v1/programs: keyset pages return every row exactly once, with and without filters."""

import json

import pytest
from sqlmodel import Session, select

from app.colleges.models import College
from app.db import session_scope
from app.programs.models import Program
from app.programs.schemas import ProgramFilters
from app.programs.service import filtered_query
from tests.core import generate
from tests.core.generate import college_code
from tests.factories import make_token


@pytest.fixture
def big(engine):
    """3,000 programs: 60 colleges in 8 provinces × 50 offerings of 40 majors."""
    with session_scope(engine) as session:
        generate.load(session)
    return engine


def walk(client, limit: int, **filters) -> list[int]:
    ids, cursor = [], None
    while True:
        params = {**filters, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = client.get("/api/v1/programs", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= limit
        ids += [item["id"] for item in body["items"]]
        cursor = body["next"]
        if cursor is None:
            return ids


def expected(engine, **filters) -> list[int]:
    query = filtered_query(ProgramFilters(**filters), columns=(Program.id,)).order_by(Program.id)
    with Session(engine) as session:
        return list(session.scalars(query).all())


def test_every_program_exactly_once_in_pages_of_seven(big, client):
    ids = walk(client, 7)
    assert len(ids) == 3000
    assert ids == expected(big)
    assert len(set(ids)) == 3000


@pytest.mark.parametrize(
    "filters",
    [
        {"college": college_code(7)},
        {"province": "四川省"},
        {"major_code": "1005"},
        {"category": "信息类"},
        {"year": 2010},
        {"status": "suspended"},
        {"level": "预备技师", "intake": "高中起点"},
        {"province": "广东省", "status": "active", "year": 2003},
    ],
)
def test_filtered_pages_return_each_matching_row_once(big, client, filters):
    want = expected(big, **filters)
    assert want  # the generated data has rows for each filter
    assert walk(client, 7, **filters) == want


def test_a_code_of_two_majors_pages_in_id_order(big, client):
    """A code can name a major in several editions (the provinces' specialty catalogs): the
    pages of ``major_code`` walk all of them in id order (PostgreSQL takes each major's own
    range of ids, ``listing._per_major_ids``)."""
    with session_scope(big) as session:
        colleges = session.exec(select(College).order_by(College.id)).all()
        _, added = generate.second_edition_programs(session, "1005", colleges[::3])
        added_ids = {p.id for p in added}
    want = expected(big, major_code="1005")
    assert added_ids < set(want)  # both majors' programs
    for limit in (7, 50):
        assert walk(client, limit, major_code="1005") == want
    assert walk(client, 3, major_code="1005", year=2010) == expected(
        big, major_code="1005", year=2010
    )


def test_a_filter_that_matches_nothing_is_an_empty_page(big, client):
    assert client.get("/api/v1/programs", params={"category": "冶金类"}).json() == {
        "items": [],
        "next": None,
    }
    assert walk(client, 7, college="NOPE") == []


def test_new_rows_appear_after_the_cursor_and_nothing_repeats(big, client):
    first = client.get("/api/v1/programs", params={"limit": 7}).json()
    with Session(big) as session:
        college = session.exec(select(College).order_by(College.id)).first()
    body = {
        "college": college.code,
        "major_code": "1039",
        "level": "中级",
        "intake": "中技起点",
        "length_years": 2,
        "since_year": 2026,
    }
    headers = {"Authorization": f"Bearer {make_token(big)}"}
    assert client.post("/api/v1/programs", json=body, headers=headers).status_code == 201
    ids, cursor = [i["id"] for i in first["items"]], first["next"]
    while cursor:
        page = client.get("/api/v1/programs", params={"limit": 500, "cursor": cursor}).json()
        ids += [i["id"] for i in page["items"]]
        cursor = page["next"]
    assert len(ids) == len(set(ids)) == 3001


def test_a_cursor_not_issued_by_the_api_is_422(client):
    response = client.get("/api/v1/programs", params={"cursor": "not-a-cursor!"})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_cursor"


@pytest.mark.postgres_only
def test_pages_survive_the_server_dropping_the_read_connections(big, app, client):
    """The read engine has no pre-ping (docs/benchmarks.md, 2.): a connection the server
    closed (a restart, an idle timeout) is replaced and the page is read again, not a 500."""
    first = client.get("/api/v1/programs", params={"limit": 5}).json()
    read_engine = app.state.read_engine
    assert read_engine is not app.state.engine
    with read_engine.connect() as conn:  # every pooled read connection, then kill them all
        ours = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with app.state.engine.connect() as conn:
        killed = conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = %(pid)s",
            {"pid": ours},
        ).scalar()
    assert killed
    again = client.get("/api/v1/programs", params={"limit": 5})
    assert again.status_code == 200, again.text
    assert again.json() == first


def test_the_query_string_is_checked_like_any_other_route(client):
    """GET /programs reads its query string itself (docs/benchmarks.md, 2.): the same 422s,
    and the parameters still documented in the OpenAPI schema."""
    for query, field in (
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("level=初级", "level"),
        ("year=twenty", "year"),
        ("status=closed", "status"),
    ):
        response = client.get(f"/api/v1/programs?{query}")
        assert response.status_code == 422, query
        body = response.json()
        assert body["error"] == "validation_error"
        assert [e["loc"] for e in body["detail"]] == [["query", field]]
    documented = client.get("/openapi.json").json()["paths"]["/api/v1/programs"]["get"]
    names = {p["name"]: p for p in documented["parameters"]}
    assert set(names) == {
        "college",
        "major_code",
        "category",
        "level",
        "intake",
        "status",
        "province",
        "year",
        "system",
        "authority",
        "cursor",
        "limit",
    }
    assert names["limit"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 500,
        "default": 50,
    }
    assert "预备技师" in names["level"]["schema"]["enum"]


def test_pages_answered_before_the_router_are_the_routes_answers(big, settings, capsys):
    """ListFastPath answers GET /programs without the router (docs/benchmarks.md, 2.): the
    same bytes and headers as the route, the route named in the access log; what it cannot
    answer (a 422, a bad cursor) it hands to the route. (The page cache off: it would answer
    the repeated page before either.)"""
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.programs.routes import ListFastPath

    app = create_app(settings.model_copy(update={"page_cache_mb": 0}), big)
    client = TestClient(app)
    params = {"limit": 7, "province": "四川省"}
    first = client.get("/api/v1/programs", params=params)  # through the router: the route
    layer = app.middleware_stack
    while not isinstance(layer, ListFastPath):
        layer = layer.app
    inner, routed = layer.app, []

    async def counting(scope, receive, send):
        routed.append(scope["query_string"].decode())
        await inner(scope, receive, send)

    layer.app = counting
    again = client.get("/api/v1/programs", params=params)
    assert routed == []  # answered before the router
    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    assert len(first.json()["items"]) == 7
    for name in ("content-type", "content-length", "etag", "cache-control"):
        assert again.headers[name] == first.headers[name], name
    logged = [json.loads(x) for x in capsys.readouterr().err.splitlines() if "registry.acc" in x]
    assert len(logged) == 2
    assert logged[0]["route"]
    assert logged[1]["route"] == logged[0]["route"]
    bad = client.get("/api/v1/programs", params={"cursor": "not-a-cursor!"})
    assert bad.status_code == 422
    assert bad.json()["error"] == "invalid_cursor"
    assert client.get("/api/v1/programs", params={"limit": 0}).status_code == 422
    assert routed == ["cursor=not-a-cursor%21", "limit=0"]
