"""Issue 26, 3.: the bad-token throttle counts in the database on PostgreSQL, so two app
instances on one database (two nodes) share one limit; SQLite stays one node and counts in the
process (documented)."""

from fastapi.testclient import TestClient

from app.access.throttle import FailedAuthThrottle, SharedFailedAuthThrottle
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from tests.backend import BACKEND


def test_bad_tokens_over_two_instances_meet_one_limit(database_url, engine):
    settings = Settings(database_url=database_url, auth_fail_limit=10)
    other = make_engine(database_url, settings)
    a, b = create_app(settings, engine), create_app(settings, other)
    bad = {"Authorization": "Bearer not-a-token"}
    try:
        with TestClient(a) as node_a, TestClient(b) as node_b:
            statuses = [
                (node_a if i % 2 == 0 else node_b).get("/api/v1/me", headers=bad).status_code
                for i in range(12)
            ]
    finally:
        other.dispose()
    if BACKEND == "postgresql":
        assert isinstance(a.state.auth_throttle, SharedFailedAuthThrottle)
        assert statuses[:10] == [401] * 10
        assert statuses[10:] == [429, 429]  # 5 + 5 failures met the limit of 10 together
    else:
        assert isinstance(a.state.auth_throttle, FailedAuthThrottle)
        assert statuses == [401] * 12  # each process counts its own six


def test_the_shared_window_ends(engine):
    from app.db import make_read_engine

    if BACKEND != "postgresql":
        # SQLite: the in-process counter's window (the same rule)
        throttle: FailedAuthThrottle | SharedFailedAuthThrottle = FailedAuthThrottle(2, 10)
    else:
        throttle = SharedFailedAuthThrottle(make_read_engine(engine, Settings()), 2, 10)
    throttle.failed("203.0.113.9", now=100.0)
    assert throttle.retry_after("203.0.113.9", now=101.0) is None
    throttle.failed("203.0.113.9", now=101.0)
    assert throttle.retry_after("203.0.113.9", now=102.0) == 8
    assert throttle.retry_after("198.51.100.1", now=102.0) is None
    assert throttle.retry_after("203.0.113.9", now=110.0) is None
    throttle.failed("203.0.113.9", now=111.0)  # a new window: one failure
    assert throttle.retry_after("203.0.113.9", now=111.5) is None
