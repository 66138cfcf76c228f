"""The database backend under test: REGISTRY_TEST_BACKEND (sqlite, or postgresql with
REGISTRY_TEST_DATABASE_URL naming the database)."""

import os

from sqlalchemy.engine import make_url

BACKEND = os.environ.get("REGISTRY_TEST_BACKEND", "sqlite")
PG_URL = os.environ.get("REGISTRY_TEST_DATABASE_URL", "")

if BACKEND == "postgresql" and not PG_URL:
    raise RuntimeError("REGISTRY_TEST_BACKEND=postgresql needs REGISTRY_TEST_DATABASE_URL")


def pg_schema_url(schema: str) -> str:
    url = make_url(PG_URL)
    query = dict(url.query)
    query["options"] = f"-csearch_path={schema}"
    return url.set(query=query).render_as_string(hide_password=False)
