"""Fixtures of the access tests: one token per role on the seeded registry.

The route matrix needs a fresh seeded registry for each of its ~60 routes; seeding takes seconds,
so on SQLite the registry is seeded once per session into a template file and each test gets a
copy. Tests without ``seeded`` get the usual empty database.
"""

import shutil

import pytest

from app.db import SQLModel, make_engine
from tests.conftest import BACKEND
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
    with engine.connect() as conn:  # everything into the main file, so a copy is complete
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> str:
    """A seeded SQLite registry to copy."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    _seed(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def database_url(request, database_url, tmp_path):
    """On SQLite, a test of the seeded registry starts from a copy of the seeded template.
    PostgreSQL keeps the usual fresh schema, seeded (cloning a database there costs about as
    much and forces a checkpoint on a server the other suites share)."""
    if BACKEND == "postgresql" or "seeded" not in request.fixturenames:
        yield database_url
        return
    copy = tmp_path / "seeded-copy.db"
    shutil.copyfile(request.getfixturevalue("seeded_template"), copy)
    yield f"sqlite:///{copy}"


@pytest.fixture
def seeded(engine):
    """The seeded registry: on SQLite the database is already a copy of the seeded template."""
    if BACKEND == "postgresql":
        from app import seed

        seed.run(engine)
    return engine
