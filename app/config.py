"""Settings: environment variables prefixed ``REGISTRY_`` (each one documented in the README)."""

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTRY_", extra="ignore")

    database_url: str = "sqlite:///./registry.db"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    # SQLite: how long a writer waits for the lock before giving up (milliseconds).
    sqlite_busy_timeout_ms: int = 15000
    # PostgreSQL pool size per process.
    db_pool_size: int = 10
    db_max_overflow: int = 10
    # PostgreSQL: the planner's random_page_cost on the read connections (pages, exports' ids):
    # the registry's rows fit in memory, where a primary-key probe costs about a page read
    # (docs/benchmarks.md); 0 keeps the server's own (4 by default).
    db_read_random_page_cost: float = 1.1
    # Upload limits: request bodies and spreadsheets.
    max_body_bytes: int = 20 * 1024 * 1024
    max_upload_rows: int = 200_000
    # Tokens created by the CLI expire after this many days unless --days is given (0 = never).
    token_default_days: int = 0
    # The language of the `registry` command's messages: zh-CN (default) or en. Requests choose
    # theirs with Accept-Language (or the pages' language switch).
    lang: str = "zh-CN"

    # The bureau's time zone: deadlines are typed and shown in it; a date-only deadline means
    # the end of that day there (24:00), not midnight UTC.
    timezone: str = "Asia/Shanghai"
    # Optional e-mail of the in-app notices (`registry notices mail`); no host = no e-mail.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = "registry@localhost"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    # Links in e-mails point here (the address people open the pages at).
    public_url: str = "http://127.0.0.1:8000"

    # Webhooks (docs/changes.md): hosts a webhook may reach although they resolve to loopback,
    # private or link-local addresses (comma-separated, as written in the URL).
    webhook_allowed_hosts: str = ""
    # `registry serve` runs the delivery worker (false: run `registry webhooks work` yourself).
    webhook_worker: bool = True
    webhook_timeout_seconds: float = 10.0
    webhook_max_failures: int = 8  # consecutive failed attempts, then the webhook is disabled
    webhook_retry_base_seconds: float = 10.0  # first retry after 5-10 s, then doubling
    webhook_retry_max_seconds: float = 3600.0
    webhook_batch: int = 100  # changes per delivery
    webhook_poll_seconds: float = 2.0  # how often an idle worker looks for new changes
    # Rendered public GET answers kept per process for the current registry version (MB; 0: off).
    page_cache_mb: int = 32

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r} (an IANA name like Asia/Shanghai)"
            ) from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    # Browser origins allowed to call the API cross-origin (comma-separated); none by default.
    cors_origins: str = ""
    # Reverse proxies (comma-separated addresses) whose X-Forwarded-For / X-Forwarded-Proto are
    # believed: the client address of throttling and logs, and HTTPS for HSTS.
    trusted_proxies: str = ""
    # One JSON line per request on stderr (registry.access).
    access_log: bool = True
    # Failed authentication per client address: after this many bad tokens (or passwords) within
    # the window, 429 with Retry-After until the window ends (0 turns it off).
    auth_fail_limit: int = 20
    auth_fail_window_seconds: int = 60
    # Failed password sign-ins from one address (any usernames) within 15 minutes before that
    # address waits for the window's end (app/access/sign_in.py; 0 turns it off). An office
    # behind one NAT address shares it.
    login_address_limit: int = 20

    # ---- issue 26: deploy and operate (docs/deploy.md)
    # `registry serve` first upgrades the database (off: run `registry migrate` as its own step).
    migrate_on_start: bool = False
    # `registry serve` first loads a seed: empty (never) or gz2024 (the Guangzhou 2024 lists).
    seed: str = ""
    # App nodes (`registry serve` on several servers) sharing this database: the start-up check
    # of pool sizes against PostgreSQL's max_connections counts every node.
    nodes: int = 1
    # Seconds a stopping server waits for requests in flight before closing them (SIGTERM).
    timeout_graceful_shutdown: int = 8
    # Seconds uvicorn's supervisor waits for a worker process to answer its health check before
    # restarting it (workers > 1); uvicorn's own 5 s killed workers on a loaded machine.
    timeout_worker_healthcheck: int = 30
    # GET /metrics (Prometheus text); false: 404.
    metrics: bool = True

    @field_validator("seed")
    @classmethod
    def _known_seed(cls, value: str) -> str:
        if value.strip() not in ("", "gz2024"):
            raise ValueError(f"unknown seed {value!r} (empty, or gz2024)")
        return value.strip()

    @property
    def cors_origin_list(self) -> list[str]:
        return _split(self.cors_origins)

    @property
    def trusted_proxy_list(self) -> list[str]:
        return _split(self.trusted_proxies)


@lru_cache
def get_settings() -> Settings:
    return Settings()


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]
