"""Fixtures of the access tests: one token per role on the seeded registry.

The route matrix needs a fresh seeded registry for each of its ~60 routes; seeding takes seconds,
so the registry is seeded once per session into a template and each test gets a copy: a file
copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL. Tests without ``seeded`` get the
usual empty database.
"""

import shutil
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.db import SQLModel, make_engine
from tests.conftest import BACKEND, PG_URL
from tests.factories import make_token

# Every role the route matrix walks. "admin"/"reviewer" belong to 广州市人社局 (GZ-HRSS), which
# governs the technician colleges 4401J001… ; the "other_" ones to 广州市教育局 (GZ-EDU), which
# governs the 中职 schools 4401Z… and none of the technician colleges.
OWN_COLLEGE = "4401J001"  # 广州市技师学院
OTHER_COLLEGE = "4401J002"  # 广州市工贸技师学院, same authority
OWN_AUTHORITY = "GZ-HRSS"
OTHER_AUTHORITY = "GZ-EDU"

ROLE_TOKENS: dict[str, dict | None] = {
    "anonymous": None,
    "superuser": {"role": "admin"},
    "admin": {"role": "admin", "authority": OWN_AUTHORITY},
    "other_admin": {"role": "admin", "authority": OTHER_AUTHORITY},
    "reviewer": {"role": "reviewer", "authority": OWN_AUTHORITY},
    "other_reviewer": {"role": "reviewer", "authority": OTHER_AUTHORITY},
    "college": {"role": "college", "college": OWN_COLLEGE},
    "other_college": {"role": "college", "college": OTHER_COLLEGE},
}
ROLES = tuple(ROLE_TOKENS)


@pytest.fixture
def role_headers(seeded) -> dict[str, dict[str, str]]:
    """Authorization headers by role name (anonymous: none)."""
    headers: dict[str, dict[str, str]] = {}
    for role, spec in ROLE_TOKENS.items():
        if spec is None:
            headers[role] = {}
        else:
            token = make_token(seeded, name=f"matrix-{role}", **spec)
            headers[role] = {"Authorization": f"Bearer {token}"}
    return headers


def _seed(url: str) -> None:
    from app import seed

    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    seed.run(engine)
    if BACKEND != "postgresql":
        with engine.connect() as conn:  # everything into the main file, so a copy is complete
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


def _pg_admin():
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory):
    """A seeded registry to copy: a SQLite file, or a PostgreSQL database name."""
    if BACKEND != "postgresql":
        path = tmp_path_factory.mktemp("template") / "seeded.db"
        _seed(f"sqlite:///{path}")
        yield str(path)
        return
    name = f"access_tmpl_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _seed(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def database_url(request, database_url, tmp_path):
    """The usual empty database, except for tests of a seeded registry: a copy of the template."""
    if "seeded" not in request.fixturenames:
        yield database_url
        return
    template = request.getfixturevalue("seeded_template")
    if BACKEND != "postgresql":
        copy = tmp_path / "seeded-copy.db"
        shutil.copyfile(template, copy)
        yield f"sqlite:///{copy}"
        return
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def seeded(engine):
    """Already seeded: the database is a copy of the seeded template."""
    return engine
