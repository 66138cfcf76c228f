"""docs/deploy.md's backup and restore drill, run as written on a PostgreSQL server of the
test's own: pg_dump -Fc of a migrated registry, pg_restore into a scratch database, registry
migrate there (nothing to do), and the restored registry answers what the original held."""

import subprocess

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.config import Settings
from app.main import create_app
from tests.factories import make_college
from tests.ops.container import ROOT, image_env, runtime_stage
from tests.ops.pgcluster import Cluster

pytestmark = pytest.mark.slow


def _registry(url: str, *args: str) -> subprocess.CompletedProcess:
    env = image_env(runtime_stage(), REGISTRY_DATABASE_URL=url)
    return subprocess.run(
        ["registry", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.mark.audit_unchecked  # reads only, against a database outside the test's fixtures
def test_the_restore_drill_of_the_deploy_guide(tmp_path):
    cluster = Cluster()
    try:
        cluster.start()
        assert cluster.run("createdb", "registry").returncode == 0
        source = cluster.url_of("registry")
        assert _registry(source, "migrate").returncode == 0
        engine = create_engine(source)
        from app.db import make_engine

        writer = make_engine(source)
        make_college(writer, code="4401R001", name="备份演练技师学院")
        writer.dispose()

        dump = tmp_path / "registry-2026-12-06.dump"
        done = cluster.run("pg_dump", "-Fc", "-d", "registry", "-f", str(dump))
        assert done.returncode == 0, done.stderr
        assert cluster.run("createdb", "registry_drill").returncode == 0
        done = cluster.run("pg_restore", "--no-owner", "-d", "registry_drill", str(dump))
        assert done.returncode == 0, done.stderr
        drill = cluster.url_of("registry_drill")
        migrated = _registry(drill, "migrate")
        assert migrated.returncode == 0, migrated.stderr

        with engine.connect() as conn:
            head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        engine.dispose()
        restored = create_engine(drill)
        with restored.connect() as conn:
            assert (
                conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head
            )
        settings = Settings(database_url=drill)
        with TestClient(create_app(settings, restored)) as client:
            assert client.get("/readyz").status_code == 200
            college = client.get("/api/v1/colleges/4401R001")
            assert college.status_code == 200
            assert college.json()["name"] == "备份演练技师学院"
        restored.dispose()
        assert cluster.run("dropdb", "registry_drill").returncode == 0
    finally:
        cluster.destroy()
