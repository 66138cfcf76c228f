"""The suite-wide audit check (tests/access/plugin.py) itself: it fails a test whose successful
write leaves no record, two records or an unnamed one, and lets correct requests through."""

import pytest
from fastapi.testclient import TestClient

from app import audit
from app.access.principal import Principal
from app.db.depends import SessionDep
from app.main import create_app

ACTOR = Principal(name="probe", role="admin")


@pytest.fixture
def probe_client(settings, engine):
    app = create_app(settings, engine)

    @app.post("/probe/{records}")
    def write(records: int, session: SessionDep, named: bool = True):
        actor = ACTOR if named else Principal(name=" ", role="admin")
        for _ in range(records):
            entry = audit.record(session, ACTOR, action="probe", target_type="x", target_id=1)
            entry.actor = actor.name
        return {"records": records}

    @app.get("/probe-read")
    def read(session: SessionDep):
        audit.record(session, ACTOR, action="probe.read", target_type="x", target_id=1)
        return {}

    with TestClient(app) as client:
        yield client


def test_write_with_exactly_one_named_record_passes(probe_client):
    assert probe_client.post("/probe/1").status_code == 200


@pytest.mark.parametrize("records", [0, 2])
def test_write_with_zero_or_two_records_fails_the_test(probe_client, records):
    with pytest.raises(pytest.fail.Exception, match=f"POST /probe/{records} -> 200 added"):
        probe_client.post(f"/probe/{records}")


def test_write_whose_record_names_no_actor_fails_the_test(probe_client):
    with pytest.raises(pytest.fail.Exception, match="without actor"):
        probe_client.post("/probe/1", params={"named": "false"})


def test_read_that_writes_an_audit_record_fails_the_test(probe_client):
    with pytest.raises(pytest.fail.Exception, match="expected no audit record"):
        probe_client.get("/probe-read")


@pytest.mark.audit_unchecked
def test_marker_turns_the_check_off(probe_client):
    assert probe_client.post("/probe/0").status_code == 200
