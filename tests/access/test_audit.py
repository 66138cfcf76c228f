"""The audit log: append-only in the database itself, and readable by admins of the authority."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app import migrate
from tests.access.helpers import OWN_COLLEGE

INSERT = text(
    "INSERT INTO audit_log (at, actor, role, action, target_type, target_id, summary) "
    "VALUES (CURRENT_TIMESTAMP, 'someone', 'admin', 'x.test', 'x', '1', '{}')"
)
TAMPER = [
    "UPDATE audit_log SET actor = 'nobody'",
    "DELETE FROM audit_log",
]


def _assert_append_only(engine):
    with engine.begin() as conn:
        conn.execute(INSERT)
    for statement in TAMPER:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM audit_log")).scalars().all() == ["someone"]


def test_database_refuses_update_and_delete_of_audit_rows_when_built_by_create_all(engine):
    _assert_append_only(engine)


def test_database_refuses_update_and_delete_of_audit_rows_after_migrations(empty_engine):
    migrate.upgrade(empty_engine)
    _assert_append_only(empty_engine)


@pytest.mark.postgres_only
def test_postgresql_refuses_truncate_of_the_audit_log(engine):
    with engine.begin() as conn:
        conn.execute(INSERT)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_log"))


def test_downgrade_of_access_control_removes_the_triggers_and_upgrade_restores_them(empty_engine):
    migrate.upgrade(empty_engine)
    migrate.downgrade(empty_engine, "0003")
    with empty_engine.begin() as conn:
        conn.execute(INSERT)
        conn.execute(text("DELETE FROM audit_log"))  # no trigger at 0003
    migrate.upgrade(empty_engine)
    _assert_append_only(empty_engine)


def _write_as(client, headers, name):
    response = client.post(
        "/api/v1/tokens",
        headers=headers,
        json={
            "name": name,
            "role": "college",
            "college": OWN_COLLEGE,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_audit_entry_names_actor_role_action_target_and_change(seeded_client, role_headers):
    token_id = _write_as(seeded_client, role_headers["admin"], "教务处")
    entry = seeded_client.get("/api/v1/audit", headers=role_headers["admin"]).json()["items"][0]
    assert (entry["actor"], entry["role"], entry["action"], entry["target_type"]) == (
        "matrix-admin",
        "admin",
        "token.create",
        "token",
    )
    assert entry["target_id"] == str(token_id)
    assert entry["authority"] == "GZ-HRSS"
    assert entry["summary"]["after"]["college"] == OWN_COLLEGE
    assert entry["at"]


def test_authority_admin_reads_only_its_authoritys_records(seeded_client, role_headers):
    ours = _write_as(seeded_client, role_headers["admin"], "ours")
    theirs = seeded_client.post(
        "/api/v1/tokens",
        headers=role_headers["other_admin"],
        json={
            "name": "theirs",
            "role": "college",
            "college": "4401Z001",
        },
    ).json()["id"]
    seen = {
        role: {
            e["target_id"]
            for e in seeded_client.get(
                "/api/v1/audit", params={"target_type": "token"}, headers=role_headers[role]
            ).json()["items"]
        }
        for role in ("admin", "other_admin", "superuser")
    }
    assert seen["admin"] == {str(ours)}
    assert seen["other_admin"] == {str(theirs)}
    assert seen["superuser"] >= {str(ours), str(theirs)}


def test_province_admin_reads_the_records_of_the_city_under_it(seeded_client, role_headers):
    from tests.factories import make_token

    ours = _write_as(seeded_client, role_headers["admin"], "ours")
    province = {
        "Authorization": "Bearer "
        + make_token(seeded_client.app.state.engine, role="admin", authority="GD-HRSS")
    }
    items = seeded_client.get(
        "/api/v1/audit", params={"target_type": "token"}, headers=province
    ).json()["items"]
    assert [e["target_id"] for e in items] == [str(ours)]


def test_audit_filters_by_actor_action_prefix_and_target(seeded_client, role_headers):
    first = _write_as(seeded_client, role_headers["admin"], "a")
    _write_as(seeded_client, role_headers["superuser"], "b")
    seeded_client.delete(f"/api/v1/tokens/{first}", headers=role_headers["superuser"])
    headers = role_headers["superuser"]

    def targets(**params):
        body = seeded_client.get("/api/v1/audit", params=params, headers=headers).json()
        return [(e["action"], e["target_id"]) for e in body["items"]]

    assert targets(actor="matrix-admin") == [("token.create", str(first))]
    assert [a for a, _ in targets(action="token.")] == [
        "token.revoke",
        "token.create",
        "token.create",
    ]
    assert targets(action="token.revoke") == [("token.revoke", str(first))]
    assert targets(target_type="token", target_id=str(first)) == [
        ("token.revoke", str(first)),
        ("token.create", str(first)),
    ]


def test_audit_pages_newest_first_with_a_cursor(seeded_client, role_headers):
    made = [_write_as(seeded_client, role_headers["admin"], f"t{i}") for i in range(5)]
    headers, seen, cursor = role_headers["admin"], [], None
    while True:
        params = {"limit": 2, "target_type": "token", **({"cursor": cursor} if cursor else {})}
        body = seeded_client.get("/api/v1/audit", params=params, headers=headers).json()
        seen += [int(e["target_id"]) for e in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == list(reversed(made))


def test_refused_write_leaves_no_audit_record(seeded_client, role_headers):
    response = seeded_client.post(
        "/api/v1/tokens",
        headers=role_headers["other_admin"],
        json={
            "name": "x",
            "role": "college",
            "college": OWN_COLLEGE,
        },
    )
    assert response.status_code == 403
    body = seeded_client.get(
        "/api/v1/audit", params={"action": "token."}, headers=role_headers["superuser"]
    ).json()
    assert body["items"] == []


def test_a_college_tokens_write_belongs_to_its_colleges_bureau(seeded):
    """A college token has no authority of its own: without one named by the write, its entry
    is its college's bureau's (the log reads it from the college table), so that bureau's admins
    read it."""
    from sqlmodel import Session, select

    from app import writes
    from app.access.principal import Principal, Role
    from app.authorities.models import Authority
    from app.colleges.models import College

    with Session(seeded) as session:
        college = session.exec(select(College).where(College.code == OWN_COLLEGE)).one()
        actor = Principal(name="教务处", role=Role.COLLEGE, college_id=college.id)
        entry = writes.record(
            session, actor, action="college.test", target_type="college", target_id=college.code
        )
        bureau = session.get(Authority, entry.authority_id)
        assert bureau is not None
        assert bureau.code == "GZ-HRSS"
        named = writes.record(
            session,
            actor,
            action="college.test",
            target_type="college",
            target_id=college.code,
            authority_id=college.authority_id + 1000,
        )
        assert named.authority_id == college.authority_id + 1000
