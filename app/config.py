"""Settings: environment variables prefixed ``REGISTRY_`` (each one documented in the README)."""

from functools import lru_cache

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
    # Upload limits: request bodies and spreadsheets.
    max_body_bytes: int = 20 * 1024 * 1024
    max_upload_rows: int = 200_000
    # Tokens created by the CLI expire after this many days unless --days is given (0 = never).
    token_default_days: int = 0


@lru_cache
def get_settings() -> Settings:
    return Settings()
