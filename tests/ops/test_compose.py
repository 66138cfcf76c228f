"""Issue 26, 2.: compose.yaml runs PostgreSQL, a one-shot migration, two app nodes and a reverse
proxy with TLS; the proxy's config sets header and body timeouts; the nodes' pools fit the
database's max_connections by the start-up check's own arithmetic (app/sizing.py)."""

import re
from pathlib import Path

import yaml

from app.config import Settings
from app.sizing import connections_needed

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def app_services(services: dict) -> dict:
    return {
        name: s
        for name, s in services.items()
        if s.get("build") and "command" not in s  # the image's own start command
    }


def test_compose_has_the_database_migration_nodes_and_proxy():
    services = compose()["services"]
    db = [s for s in services.values() if str(s.get("image", "")).startswith("postgres:")]
    assert len(db) == 1
    assert db[0]["healthcheck"]["test"][1] == "pg_isready"

    migrate = services["migrate"]
    assert migrate["command"] == ["registry", "migrate"]
    assert migrate["restart"] == "no"  # a one-shot step
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"

    nodes = app_services(services)
    assert len(nodes) >= 2
    for node in nodes.values():
        assert node["build"] == "."  # the Dockerfile of this repository
        assert node["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        env = node["environment"]
        assert env["REGISTRY_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert "REGISTRY_MIGRATE_ON_START" not in env
        assert "REGISTRY_SEED" not in env
        assert int(env["REGISTRY_NODES"]) == len(nodes)

    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert "443:443" in proxy["ports"]
    proxy_address = proxy["networks"]["backend"]["ipv4_address"]
    for node in nodes.values():
        assert node["environment"]["REGISTRY_TRUSTED_PROXIES"] == proxy_address
    mounted = {v.split(":")[0] for v in proxy["volumes"]}
    assert "./deploy/nginx.conf" in mounted
    assert "./deploy/tls" in mounted


def test_the_nodes_pools_fit_the_database():
    services = compose()["services"]
    command = " ".join(
        next(s for s in services.values() if "postgres" in str(s.get("image")))["command"]
    )
    max_connections = int(re.search(r"max_connections=(\d+)", command).group(1))
    nodes = app_services(services)
    env = next(iter(nodes.values()))["environment"]
    settings = Settings(
        **{k.removeprefix("REGISTRY_").lower(): v for k, v in env.items() if k != "REGISTRY_SEED"}
    )
    needed = connections_needed(settings, webhook_worker=True)
    assert needed <= max_connections - 3  # superuser_reserved_connections' default


def test_nginx_terminates_tls_forwards_the_client_and_cuts_slow_clients():
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    services = compose()["services"]
    for directive in (
        "listen 443 ssl",
        "ssl_certificate ",
        "ssl_certificate_key ",
        "client_header_timeout",
        "client_body_timeout",
        "send_timeout",
        "client_max_body_size",
        "proxy_set_header X-Forwarded-For",
        "proxy_set_header X-Forwarded-Proto",
    ):
        assert directive in conf, directive
    for name in app_services(services):
        assert re.search(rf"server {name}:8000\b", conf), name
    # the header timeout is short: a trickling client is cut within seconds
    seconds = int(re.search(r"client_header_timeout (\d+)s;", conf).group(1))
    assert seconds <= 30
