"""Issue 26, 4.: pools × workers × nodes must fit PostgreSQL's max_connections; `registry serve`
checks it at start and refuses with a clear message (Chinese by default, English on request)."""

import subprocess

import pytest

from app.config import Settings
from app.sizing import connections_needed
from tests.backend import BACKEND
from tests.ops.container import ROOT, image_env, runtime_stage


def test_the_arithmetic_counts_every_pool_of_every_worker_of_every_node():
    settings = Settings(workers=4, nodes=2, db_pool_size=10, db_max_overflow=10)
    # 4 workers × (2 engines × 20 + 10 asyncpg + 1 LISTEN) = 204 per node, + 2 for the webhook
    # thread; × 2
    assert connections_needed(settings, webhook_worker=True) == 2 * (204 + 2)
    assert connections_needed(settings, webhook_worker=False) == 408
    assert connections_needed(Settings(), webhook_worker=True) == 53


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    ("lang", "words"), [("zh-CN", "数据库连接不够"), ("en", "not enough database connections")]
)
def test_serve_refuses_pools_that_outgrow_max_connections(database_url, lang, words):
    env = image_env(
        runtime_stage(),
        REGISTRY_DATABASE_URL=database_url,
        REGISTRY_WORKERS="4",
        REGISTRY_NODES="2",
        REGISTRY_LANG=lang,
    )
    done = subprocess.run(
        ["registry", "serve"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert words in done.stderr
    assert "max_connections" in done.stderr
    assert "412" in done.stderr  # what it needs, named


def test_the_check_reads_the_servers_limit_or_none_on_sqlite(engine):
    from app.sizing import check

    found = check(engine, Settings(workers=64, nodes=9), webhook_worker=True)
    if BACKEND == "sqlite":
        assert found is None  # one file: no connection limit to check
    else:
        assert found is not None
        assert found.needed == 9 * (64 * 51 + 2)  # 2 engines × 20 + 10 asyncpg + 1 LISTEN
        assert 0 < found.available < found.needed
        assert not found.fits


def test_sqlite_refuses_several_nodes(tmp_path):
    env = image_env(
        runtime_stage(),
        REGISTRY_DATABASE_URL=f"sqlite:///{tmp_path / 'one.db'}",
        REGISTRY_NODES="2",
        REGISTRY_LANG="en",
    )
    done = subprocess.run(
        ["registry", "serve"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "SQLite serves one node only" in done.stderr
