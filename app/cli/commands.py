"""The ``registry`` command's commands: migrate, seed, serve, webhooks, backup and restore here;
token, user, import, catalog and notices in this package's modules (what they share: ``common``).
``app.cli.main`` runs it."""

from pathlib import Path
from typing import Annotated

import typer

from app.cli.catalog import catalog_app
from app.cli.common import engine, err
from app.cli.imports import import_app
from app.cli.notices import notices_app
from app.cli.tokens import token_app
from app.cli.users import user_app
from app.config import get_settings
from app.i18n import t

app = typer.Typer(
    help="Registry of vocational college programs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(token_app, name="token")  # app/cli/tokens.py
webhooks_app = typer.Typer(help="Webhook deliveries.", no_args_is_help=True)
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(user_app, name="user")  # app/cli/users.py
app.add_typer(import_app, name="import")  # app/cli/imports.py
app.add_typer(catalog_app, name="catalog")  # app/cli/catalog.py
app.add_typer(notices_app, name="notices")  # app/cli/notices.py


@app.callback()
def _language(ctx: typer.Context) -> None:
    """Messages in REGISTRY_LANG (zh-CN unless it says en), for this command only."""
    from app.i18n.locale import locale_token, negotiate, reset_locale

    token = locale_token(negotiate(get_settings().lang))
    ctx.call_on_close(lambda: reset_locale(token))


@app.command()
def migrate(revision: str = "head") -> None:
    """Upgrade the database to the newest schema (or REVISION)."""
    from app import migrate as migrations

    migrations.upgrade(engine(), revision)
    err.print(t("cli.migrated", revision=revision))


@app.command()
def seed() -> None:
    """Load seed/ (catalogs, authorities, colleges, 2024 programs). A second run adds nothing."""
    from app import seed as seeding

    added = seeding.run(engine())
    summary = ", ".join(f"{name}: +{count}" for name, count in added.items())
    err.print(t("cli.seeded", summary=summary))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="default REGISTRY_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="default REGISTRY_PORT")] = None,
    workers: Annotated[int | None, typer.Option(help="default REGISTRY_WORKERS")] = None,
    webhook_worker: Annotated[
        bool | None,
        typer.Option(
            "--webhook-worker/--no-webhook-worker",
            help="deliver webhooks in this process (default REGISTRY_WEBHOOK_WORKER, true)",
        ),
    ] = None,
    timeout_graceful_shutdown: Annotated[
        int | None,
        typer.Option(
            help="seconds SIGTERM waits for requests in flight "
            "(default REGISTRY_TIMEOUT_GRACEFUL_SHUTDOWN, 8)"
        ),
    ] = None,
    timeout_worker_healthcheck: Annotated[
        int | None,
        typer.Option(
            help="seconds a worker process may take to answer the supervisor's health check "
            "(default REGISTRY_TIMEOUT_WORKER_HEALTHCHECK, 30)"
        ),
    ] = None,
) -> None:
    """Serve the API (OpenAPI UI at /docs), and deliver webhooks unless told otherwise.

    It neither migrates nor seeds unless REGISTRY_MIGRATE_ON_START / REGISTRY_SEED say so, and
    on PostgreSQL it refuses to start when its pools could outgrow max_connections
    (docs/deploy.md). Every line it writes on stderr is JSON. SIGTERM stops it: no new
    connections, requests in flight finish (at most the graceful-shutdown timeout), then exit."""
    import logging
    import logging.config

    import uvicorn

    from app import metrics, sizing
    from app.db import make_engine
    from app.middleware import configure_logging, log_config

    settings = get_settings()
    if workers is not None:
        settings = settings.model_copy(update={"workers": workers})
    logging.config.dictConfig(log_config(settings.log_level))
    configure_logging(settings.log_level)
    logging.captureWarnings(True)
    log = logging.getLogger("registry.serve")
    metrics.prepare_multiprocess_dir()  # before any metric exists, in this or a worker process

    run_worker = settings.webhook_worker if webhook_worker is None else webhook_worker
    if settings.database_url.startswith("sqlite") and settings.nodes > 1:
        log.error(t("sizing.sqlite_nodes", nodes=settings.nodes))  # one file, one machine
        raise typer.Exit(2)
    database = make_engine(settings.database_url, settings)
    try:
        if settings.migrate_on_start:
            from app import migrate as migrations

            migrations.upgrade(database)
            log.info(t("cli.serve.migrated"))
        if settings.seed:
            from app import seed as seeding

            added = seeding.run(database)
            summary = ", ".join(f"{name}: +{count}" for name, count in added.items())
            log.info(t("cli.serve.seeded", seed=settings.seed, summary=summary))
        fit = sizing.check(database, settings, webhook_worker=run_worker)
    finally:
        database.dispose()
    if fit is not None and not fit.fits:
        log.error(sizing.explain(settings, fit))
        raise typer.Exit(2)

    if run_worker:
        from app import models  # noqa: F401  (complete metadata: the worker needs every table)
        from app.webhooks.worker import Worker

        # A thread of this (supervising) process: one worker whatever REGISTRY_WORKERS is;
        # more processes may run `registry webhooks work` beside it (leases keep them apart).
        # Its own small pool (app/sizing.py counts it).
        small = settings.model_copy(
            update={"db_pool_size": sizing.WEBHOOK_POOL - 1, "db_max_overflow": 1}
        )
        worker = Worker(make_engine(settings.database_url, small), settings)
        delivering = worker.start_thread()
    uvicorn.run(
        "app.asgi:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        log_config=log_config(settings.log_level),
        proxy_headers=False,  # REGISTRY_TRUSTED_PROXIES decides whom to believe (app.middleware)
        access_log=False,  # the app writes one JSON line per request (registry.access)
        server_header=False,
        timeout_graceful_shutdown=(
            settings.timeout_graceful_shutdown
            if timeout_graceful_shutdown is None
            else timeout_graceful_shutdown
        ),
        timeout_worker_healthcheck=(
            settings.timeout_worker_healthcheck
            if timeout_worker_healthcheck is None
            else timeout_worker_healthcheck
        ),
    )
    if run_worker:
        # A delivery still in flight after this is sent again when its lease ends (receivers
        # tell deliveries apart by their id); most finish within the wait.
        worker.stop()
        delivering.join(timeout=2)


@webhooks_app.command("work")
def webhooks_work(
    once: Annotated[bool, typer.Option(help="send what is due now, then exit")] = False,
) -> None:
    """Deliver webhooks until stopped (Ctrl-C): several of these may run against PostgreSQL."""
    import logging.config

    from app.middleware import configure_logging, log_config
    from app.webhooks.worker import Worker

    logging.config.dictConfig(log_config("info"))  # JSON lines, as `registry serve` writes
    configure_logging("info")
    worker = Worker(engine(), get_settings())
    if once:
        while worker.run_once():
            pass
        return
    try:
        worker.run()
    except KeyboardInterrupt:
        worker.stop()


@app.command()
def backup(
    file: Annotated[Path, typer.Argument(help="the new file to write the copy to")],
) -> None:
    """A consistent copy of the SQLite database while the server runs (PostgreSQL: pg_dump)."""
    from app import backup as backups

    try:
        pages = backups.backup(get_settings().database_url, file)
    except backups.BackupError as exc:
        err.print(t("cli.error", detail=str(exc)))
        raise typer.Exit(2) from exc
    err.print(t("cli.backup_done", file=str(file), pages=pages))


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="a file written by `registry backup`")],
    yes: Annotated[bool, typer.Option("--yes", help="replace the database's content")] = False,
) -> None:
    """Replace the SQLite database's content with a backup (stop the server first)."""
    from app import backup as backups

    if not yes:
        err.print(t("cli.error", detail=t("cli.restore_needs_yes")))
        raise typer.Exit(2)
    try:
        pages = backups.restore(get_settings().database_url, file)
    except backups.BackupError as exc:
        err.print(t("cli.error", detail=str(exc)))
        raise typer.Exit(2) from exc
    err.print(t("cli.restore_done", file=str(file), pages=pages))
