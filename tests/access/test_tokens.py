"""Tokens: random, stored hashed, expire, revoked; the CLI prints only the token; who may issue
and revoke which tokens through the API."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.access.models import ApiToken
from app.access.tokens import hash_token
from app.audit import AuditLog, utcnow
from app.cli.commands import app as cli_app
from app.config import get_settings
from tests.access.helpers import OTHER_AUTHORITY, OWN_AUTHORITY, OWN_COLLEGE
from tests.factories import make_token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_is_stored_only_as_its_hash(seeded):
    token = make_token(seeded, role="admin", name="ops")
    with Session(seeded) as session:
        row = session.exec(select(ApiToken)).one()
    assert row.token_hash == hash_token(token)
    assert token not in (row.hint, row.token_hash)
    assert token.startswith(row.hint)
    assert len(token) > 40


def test_revoked_token_gets_401_on_a_route_it_could_use_before(seeded_client, role_headers):
    token = make_token(seeded_client.app.state.engine, role="admin", authority=OWN_AUTHORITY)
    assert seeded_client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    token_id = seeded_client.get("/api/v1/me", headers=bearer(token)).json()["token_id"]
    revoked = seeded_client.delete(f"/api/v1/tokens/{token_id}", headers=role_headers["superuser"])
    assert revoked.status_code == 200
    assert revoked.json()["active"] is False
    response = seeded_client.get("/api/v1/tokens", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert response.headers["www-authenticate"] == "Bearer"


def test_expired_token_gets_401(seeded_client):
    engine = seeded_client.app.state.engine
    token = make_token(engine, role="college", college=OWN_COLLEGE, days=1)
    assert seeded_client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with Session(engine) as session:  # a day and a second later
        row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
        session.commit()
    response = seeded_client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


@pytest.mark.parametrize("header", ["Bearer reg_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer"])
def test_unknown_or_malformed_credentials_get_401_never_anonymous_access(seeded_client, header):
    response = seeded_client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ({"role": "reviewer"}, "authority_required"),
        ({"role": "college"}, "college_required"),
        (
            {"role": "college", "college": OWN_COLLEGE, "authority": OWN_AUTHORITY},
            "invalid_binding",
        ),
        ({"role": "admin", "college": OWN_COLLEGE}, "invalid_binding"),
        ({"role": "owner"}, "invalid_role"),
    ],
)
def test_token_with_a_binding_its_role_cannot_have_is_refused(
    seeded_client, role_headers, spec, error
):
    response = seeded_client.post(
        "/api/v1/tokens", json={"name": "x", **spec}, headers=role_headers["superuser"]
    )
    assert response.status_code == 422
    assert response.json()["error"] == error


def test_authority_admin_issues_college_token_for_its_college_but_not_others(
    seeded_client, role_headers
):
    own = seeded_client.post(
        "/api/v1/tokens",
        headers=role_headers["admin"],
        json={
            "name": "教务处",
            "role": "college",
            "college": OWN_COLLEGE,
            "days": 90,
        },
    )
    assert own.status_code == 201
    assert own.json()["token"].startswith(own.json()["hint"].rstrip("…"))
    me = seeded_client.get("/api/v1/me", headers=bearer(own.json()["token"])).json()
    assert (me["role"], me["college"], me["superuser"]) == ("college", OWN_COLLEGE, False)
    secondary_school = seeded_client.post(
        "/api/v1/tokens",
        headers=role_headers["admin"],
        json={
            "name": "x",
            "role": "college",
            "college": "4401Z001",
        },
    )
    assert secondary_school.status_code == 403


def test_authority_admin_cannot_mint_a_superuser_or_another_authoritys_reviewer(
    seeded_client, role_headers
):
    for spec in (
        {"role": "admin"},
        {"role": "reviewer", "authority": OTHER_AUTHORITY},
        {"role": "admin", "authority": "GD-HRSS"},
    ):
        response = seeded_client.post(
            "/api/v1/tokens", headers=role_headers["admin"], json={"name": "x", **spec}
        )
        assert response.status_code == 403, spec


def test_province_admin_governs_the_city_authority_under_it(seeded_client):
    province = bearer(make_token(seeded_client.app.state.engine, role="admin", authority="GD-HRSS"))
    response = seeded_client.post(
        "/api/v1/tokens",
        headers=province,
        json={
            "name": "city reviewer",
            "role": "reviewer",
            "authority": OWN_AUTHORITY,
        },
    )
    assert response.status_code == 201


def test_token_list_never_shows_secrets_and_is_scoped_to_the_authority(seeded_client, role_headers):
    everything = seeded_client.get("/api/v1/tokens", headers=role_headers["superuser"]).json()
    own = seeded_client.get("/api/v1/tokens", headers=role_headers["admin"]).json()
    names = {t["name"] for t in own["items"]}
    # GZ-HRSS sees its admin and reviewer and its colleges' tokens, not GZ-EDU's nor superusers.
    assert names == {"matrix-admin", "matrix-reviewer", "matrix-college", "matrix-other_college"}
    assert len(everything["items"]) == 7
    assert all("token" not in t and t["hint"].endswith("…") for t in everything["items"])


def test_token_list_pages_with_a_cursor(seeded_client, role_headers):
    first = seeded_client.get(
        "/api/v1/tokens", params={"limit": 4}, headers=role_headers["superuser"]
    ).json()
    second = seeded_client.get(
        "/api/v1/tokens",
        params={"limit": 4, "cursor": first["next"]},
        headers=role_headers["superuser"],
    ).json()
    ids = [t["id"] for t in first["items"] + second["items"]]
    assert len(ids) == 7 == len(set(ids))
    assert ids == sorted(ids, reverse=True)
    assert second["next"] is None


def test_other_authority_admin_cannot_revoke_our_colleges_token(seeded_client, role_headers):
    me = seeded_client.get("/api/v1/me", headers=role_headers["college"]).json()
    response = seeded_client.delete(
        f"/api/v1/tokens/{me['token_id']}", headers=role_headers["other_admin"]
    )
    assert response.status_code == 403
    assert seeded_client.get("/api/v1/me", headers=role_headers["college"]).status_code == 200


def test_token_creation_is_audited_without_the_secret(seeded_client, role_headers):
    created = seeded_client.post(
        "/api/v1/tokens",
        headers=role_headers["admin"],
        json={
            "name": "专家甲",
            "role": "reviewer",
            "authority": OWN_AUTHORITY,
        },
    ).json()
    with Session(seeded_client.app.state.engine) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.action == "token.create")).one()
    assert (entry.actor, entry.target_id) == ("matrix-admin", str(created["id"]))
    assert created["token"] not in str(entry.summary)


# --- the CLI (contract: `token create` prints ONLY the token on stdout) ------------------------


@pytest.fixture
def cli_env(seeded, settings, monkeypatch):
    monkeypatch.setenv("REGISTRY_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    yield seeded
    get_settings.cache_clear()


def test_cli_token_create_prints_only_a_working_superuser_token(cli_env, app):
    result = CliRunner().invoke(cli_app, ["token", "create", "--role", "admin", "--name", "ops"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert result.stdout == token + "\n"
    assert token.startswith("reg_")
    with Session(cli_env) as session:
        row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).one()
        entry = session.exec(select(AuditLog).where(AuditLog.action == "token.create")).one()
    assert (row.role, row.authority_id, row.college_id) == ("admin", None, None)
    assert entry.actor.startswith("cli:")


def test_cli_refuses_a_reviewer_without_authority_and_prints_nothing_on_stdout(cli_env):
    result = CliRunner().invoke(cli_app, ["token", "create", "--role", "reviewer", "--name", "r"])
    assert result.exit_code == 2
    assert result.stdout == ""


def test_cli_revoke_makes_the_token_answer_401(cli_env, app):
    from fastapi.testclient import TestClient

    runner = CliRunner()
    token = runner.invoke(
        cli_app,
        [
            "token",
            "create",
            "--role",
            "college",
            "--name",
            "c",
            "--college",
            OWN_COLLEGE,
            "--days",
            "30",
        ],
    ).stdout.strip()
    with TestClient(app) as client:
        token_id = client.get("/api/v1/me", headers=bearer(token)).json()["token_id"]
        assert runner.invoke(cli_app, ["token", "revoke", str(token_id)]).exit_code == 0
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    listing = runner.invoke(cli_app, ["token", "list", "--all"], env={"COLUMNS": "200"})
    assert "已撤销" in listing.stdout
    assert token not in listing.stdout
