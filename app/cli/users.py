"""``registry user create``: people who sign in to the pages (audited as ``cli:<user>``)."""

from typing import Annotated

import typer

from app.cli.common import cli_actor, engine, err
from app.db import session_scope
from app.i18n import t

user_app = typer.Typer(help="People who sign in to the pages.", no_args_is_help=True)


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

    from app import accounts
    from app.errors import AppError

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        with session_scope(engine()) as session:
            _, secret = accounts.create_user(
                session,
                username=username,
                role=role,
                authority=authority,
                college=college,
                password=password,
                actor=cli_actor(),
            )
    except AppError as exc:
        err.print(t("cli.error", detail=exc.message))
        raise typer.Exit(2) from exc
    if secret is not None:
        typer.echo(secret)
    err.print(t("cli.user_created", username=username))
