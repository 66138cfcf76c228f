"""The ``registry`` command: migrate, seed, serve, token, import, backup, restore."""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app.cli_catalog import catalog_app
from app.cli_import import import_app
from app.cli_notices import notices_app
from app.config import get_settings
from app.db import make_engine, session_scope
from app.i18n import t

app = typer.Typer(
    help="Registry of vocational college programs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
token_app = typer.Typer(help="Bearer tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")
webhooks_app = typer.Typer(help="Webhook deliveries.", no_args_is_help=True)
app.add_typer(webhooks_app, name="webhooks")
user_app = typer.Typer(help="People who sign in to the pages.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(import_app, name="import")  # app/cli_import.py (owner: core)
app.add_typer(catalog_app, name="catalog")  # app/cli_catalog.py
app.add_typer(notices_app, name="notices")  # app/cli_notices.py

err = Console(stderr=True)


@app.callback()
def _language(ctx: typer.Context) -> None:
    """Messages in REGISTRY_LANG (zh-CN unless it says en), for this command only."""
    from app.i18n.locale import locale_token, negotiate, reset_locale

    token = locale_token(negotiate(get_settings().lang))
    ctx.call_on_close(lambda: reset_locale(token))


def _engine():
    settings = get_settings()
    return make_engine(settings.database_url, settings)


@app.command()
def migrate(revision: str = "head") -> None:
    """Upgrade the database to the newest schema (or REVISION)."""
    from app import migrate as migrations

    migrations.upgrade(_engine(), revision)
    err.print(t("cli.migrated", revision=revision))


@app.command()
def seed() -> None:
    """Load seed/ (catalogs, authorities, colleges, 2024 programs). A second run adds nothing."""
    from app import seed as seeding

    added = seeding.run(_engine())
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
        Worker(_engine(), settings).start_thread()
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
    worker = Worker(_engine(), get_settings())
    if once:
        while worker.run_once():
            pass
        return
    try:
        worker.run()
    except KeyboardInterrupt:
        worker.stop()


def _cli_actor():
    """Who the audit log names for CLI token commands: the shell user, as a superuser."""
    import getpass

    from app.access.principal import Principal

    return Principal(name=f"cli:{getpass.getuser()}", role="admin")


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="admin | reviewer | college")],
    name: Annotated[str, typer.Option(help="who holds it (shown in the audit log)")],
    college: Annotated[str | None, typer.Option(help="college code (role college)")] = None,
    authority: Annotated[
        str | None, typer.Option(help="authority code (reviewers need one); none: superuser")
    ] = None,
    days: Annotated[int | None, typer.Option(help="expires after N days")] = None,
) -> None:
    """Create a token and print it (only the token) on stdout."""
    from pydantic import ValidationError

    from app.access import tokens
    from app.access.schemas import TokenCreate
    from app.errors import AppError, validation_message

    try:
        data = TokenCreate(
            role=role,
            name=name,
            college=college,
            authority=authority,
            days=days if days is not None else (get_settings().token_default_days or None),
        )
        with session_scope(_engine()) as session:
            created = tokens.issue(session, data, actor=_cli_actor())
    except ValidationError as exc:
        first = exc.errors()[0]
        message = t("cli.invalid_option", field=first["loc"][0], message=validation_message(first))
        err.print(t("cli.error", detail=message))
        raise typer.Exit(2) from exc
    except AppError as exc:
        err.print(t("cli.error", detail=exc.detail))
        raise typer.Exit(2) from exc
    print(created.token)


@token_app.command("list")
def token_list(
    all_: Annotated[bool, typer.Option("--all", help="include revoked and expired tokens")] = False,
) -> None:
    """List tokens (never the tokens themselves): newest first."""
    from app.access import tokens

    table = Table(*t("cli.token.columns").split(","))
    with session_scope(_engine()) as session:
        for row in tokens.list_tokens(session, _cli_actor(), after=None, limit=1_000_000):
            tok = tokens.to_public(session, row)
            if not (tok.active or all_):
                continue
            state = "active" if tok.active else ("revoked" if tok.revoked_at else "expired")
            table.add_row(
                str(tok.id),
                tok.name,
                tok.role,
                tok.authority or "",
                tok.college or "",
                tok.hint,
                str(tok.created_at)[:19],
                str(tok.expires_at or "")[:19],
                t(f"cli.token.{state}"),
            )
    Console().print(table)


@token_app.command("revoke")
def token_revoke(token_id: int) -> None:
    """Revoke a token by its id (see `registry token list`); it answers 401 from now on."""
    from app.access import tokens
    from app.errors import AppError

    try:
        with session_scope(_engine()) as session:
            tokens.revoke(session, token_id, actor=_cli_actor(), keep_last_superuser=False)
    except AppError as exc:
        err.print(t("cli.error", detail=exc.detail))
        raise typer.Exit(2) from exc
    err.print(t("cli.token_revoked", id=token_id))


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Argument(help="the name they sign in with")],
    role: Annotated[str, typer.Option(help="admin | reviewer | college")],
    college: Annotated[str | None, typer.Option(help="college code (role college)")] = None,
    authority: Annotated[
        str | None, typer.Option(help="authority code (reviewers need one); none: superuser")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
) -> None:
    """Create a user. With --password-stdin prints nothing on stdout; without, prints only a
    one-time password, to be changed at first sign-in."""
    import sys

    from app.access import accounts
    from app.errors import AppError

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        with session_scope(_engine()) as session:
            _, secret = accounts.create_user(
                session,
                username=username,
                role=role,
                authority=authority,
                college=college,
                password=password,
                actor=_cli_actor(),
            )
    except AppError as exc:
        err.print(t("cli.error", detail=exc.message))
        raise typer.Exit(2) from exc
    if secret is not None:
        print(secret)
    err.print(t("cli.user_created", username=username))


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
