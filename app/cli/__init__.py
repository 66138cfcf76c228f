"""The ``registry`` command: migrate, seed, serve, webhooks, backup and restore here; token, user,
import, catalog and notices in this package's modules (what they share: ``common``)."""

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
    webhook_worker: Annotated[
        bool | None,
        typer.Option(
            "--webhook-worker/--no-webhook-worker",
            help="deliver webhooks in this process (default REGISTRY_WEBHOOK_WORKER, true)",
        ),
    ] = None,
) -> None:
    """Serve the API (OpenAPI UI at /docs), and deliver webhooks unless told otherwise."""
    import uvicorn

    settings = get_settings()
    if settings.webhook_worker if webhook_worker is None else webhook_worker:
        from app.webhooks.worker import Worker

        # A thread of this (supervising) process: one worker whatever REGISTRY_WORKERS is;
        # more processes may run `registry webhooks work` beside it (leases keep them apart).
        Worker(engine(), settings).start_thread()
    uvicorn.run(
        "app.asgi:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        proxy_headers=False,  # REGISTRY_TRUSTED_PROXIES decides whom to believe (app.middleware)
        access_log=False,  # the app writes one JSON line per request (registry.access)
    )


@webhooks_app.command("work")
def webhooks_work(
    once: Annotated[bool, typer.Option(help="send what is due now, then exit")] = False,
) -> None:
    """Deliver webhooks until stopped (Ctrl-C): several of these may run against PostgreSQL."""
    import logging

    from app.webhooks.worker import Worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
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


def main() -> None:
    app()
