"""Fixtures: a fresh database per test — SQLite file by default, a fresh PostgreSQL schema when
REGISTRY_TEST_BACKEND=postgresql (REGISTRY_TEST_DATABASE_URL names the database)."""

import shutil
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from app import models  # noqa: F401
from app.config import Settings
from app.db import SQLModel, make_engine
from app.main import create_app
from tests.backend import BACKEND, PG_URL, pg_schema_url

pytest_plugins = ["tests.access.plugin"]  # every write leaves one audit record


def pytest_report_header(config):
    return f"registry test backend: {BACKEND}"


def pytest_collection_modifyitems(config, items):
    if BACKEND == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (REGISTRY_TEST_BACKEND=postgresql)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


def _template(url: str, *, seeded: bool) -> None:
    from app import seed

    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    if seeded:
        seed.run(engine)
    with engine.connect() as conn:  # everything into the main file, so a copy is complete
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> str:
    """A seeded SQLite registry, made once per session, that seeded tests copy (seeding takes
    about a second; copying the file a few milliseconds)."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    _template(f"sqlite:///{path}", seeded=True)
    return str(path)


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory) -> str:
    """An SQLite registry with every table and no rows, made once per session, that tests of the
    ``engine`` fixture copy (``create_all`` takes 100-200 ms a test; the copy under 1 ms)."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    _template(f"sqlite:///{path}", seeded=False)
    return str(path)


@pytest.fixture
def database_url(request, tmp_path) -> Iterator[str]:
    """An empty database: a new SQLite file, or a new PostgreSQL schema dropped afterwards. On
    SQLite a test of the seeded registry (``seeded`` among its fixtures) starts from a copy of
    the seeded template instead, and a test of ``engine`` from a copy of the empty template.
    PostgreSQL keeps the fresh schema, seeded by ``seeded`` (cloning a database there costs
    about as much and forces a checkpoint on a shared server)."""
    if BACKEND != "postgresql":
        path = tmp_path / "registry.db"
        if "seeded" in request.fixturenames:
            shutil.copyfile(request.getfixturevalue("seeded_template"), path)
        elif "engine" in request.fixturenames:
            shutil.copyfile(request.getfixturevalue("empty_template"), path)
        yield f"sqlite:///{path}"
        return
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield pg_schema_url(schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
def empty_engine(settings) -> Iterator[Engine]:
    """An engine on an empty database (no tables): for migration tests."""
    engine = make_engine(settings.database_url, settings)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(empty_engine) -> Engine:
    """An engine on a database with every table, no rows (on SQLite a copy of the empty
    template already; ``create_all`` then finds every table and creates nothing)."""
    SQLModel.metadata.create_all(empty_engine)
    return empty_engine


@pytest.fixture
def seeded(engine) -> Engine:
    """The database after `registry seed` (on SQLite already a copy of the seeded template)."""
    if BACKEND == "postgresql":
        from app import seed

        seed.run(engine)
    return engine


@pytest.fixture
def app(settings, engine):
    return create_app(settings, engine)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def seeded_client(seeded, app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def tokens(engine):
    """tokens(role, college=None, authority=None) -> Authorization headers for a new token."""
    from tests.factories import make_token

    def factory(role: str = "admin", **kwargs) -> dict[str, str]:
        return {"Authorization": f"Bearer {make_token(engine, role=role, **kwargs)}"}

    return factory


@pytest.fixture
def admin_headers(tokens) -> dict[str, str]:
    return tokens("admin")
