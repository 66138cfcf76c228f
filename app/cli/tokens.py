"""``registry token create|list|revoke``: bearer tokens from the command line (audited as
``cli:<user>``)."""

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app.cli.common import cli_actor, engine, err
from app.config import get_settings
from app.db import session_scope
from app.i18n import t

token_app = typer.Typer(help="Bearer tokens.", no_args_is_help=True)


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

    from app.accounts import tokens
    from app.accounts.schemas import TokenCreate
    from app.errors import AppError, validation_message

    try:
        data = TokenCreate(
            role=role,
            name=name,
            college=college,
            authority=authority,
            days=days if days is not None else (get_settings().token_default_days or None),
        )
        with session_scope(engine()) as session:
            created = tokens.issue(session, data, actor=cli_actor())
    except ValidationError as exc:
        first = exc.errors()[0]
        message = t("cli.invalid_option", field=first["loc"][0], message=validation_message(first))
        err.print(t("cli.error", detail=message))
        raise typer.Exit(2) from exc
    except AppError as exc:
        err.print(t("cli.error", detail=exc.detail))
        raise typer.Exit(2) from exc
    typer.echo(created.token)


@token_app.command("list")
def token_list(
    all_: Annotated[bool, typer.Option("--all", help="include revoked and expired tokens")] = False,
) -> None:
    """List tokens (never the tokens themselves): newest first."""
    from app.accounts import tokens

    table = Table(*t("cli.token.columns").split(","))
    with session_scope(engine()) as session:
        for row in tokens.list_tokens(session, cli_actor(), after=None, limit=1_000_000):
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
    from app.accounts import tokens
    from app.errors import AppError

    try:
        with session_scope(engine()) as session:
            tokens.revoke(session, token_id, actor=cli_actor(), keep_last_superuser=False)
    except AppError as exc:
        err.print(t("cli.error", detail=exc.detail))
        raise typer.Exit(2) from exc
    err.print(t("cli.token_revoked", id=token_id))
