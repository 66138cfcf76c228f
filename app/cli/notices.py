"""``registry notices show|mail``: a person's in-app notices on the console, or by e-mail (for a
daily cron job of the bureau: one line per role and address)."""

from typing import TYPE_CHECKING, Annotated

import typer
from sqlmodel import Session

from app.cli.common import engine
from app.config import get_settings
from app.db import session_scope
from app.errors import AppError, NotFound
from app.i18n import t

if TYPE_CHECKING:  # imported where used: the command line starts without them
    from app.access.principal import Principal
    from app.notices import Notice

notices_app = typer.Typer(help="In-app notices: show them, or e-mail them.", no_args_is_help=True)


def _principal(
    session: Session, role: str, college: str | None, authority: str | None
) -> "Principal":
    from sqlmodel import select

    from app.access.principal import Principal
    from app.authorities.models import Authority
    from app.colleges import service as colleges

    college_id = colleges.get_by_code(session, college).id if college else None
    authority_id = None
    if authority:
        found = session.exec(select(Authority).where(Authority.code == authority)).first()
        if found is None:
            raise NotFound(error="authority_not_found", code=authority)
        authority_id = found.id
    return Principal(
        name=f"notices:{role}", role=role, college_id=college_id, authority_id=authority_id
    )


def _notices(role: str, college: str | None, authority: str | None) -> list["Notice"]:
    from app.notices import notices_for

    settings = get_settings()
    with session_scope(engine()) as session:
        actor = _principal(session, role, college, authority)
        return notices_for(session, actor, zone=settings.zone)


Role = Annotated[str, typer.Option(help="admin | reviewer | college")]
College = Annotated[str | None, typer.Option(help="college code (role college)")]
AuthorityOpt = Annotated[str | None, typer.Option("--authority", help="authority code")]


@notices_app.command("show")
def show(role: Role, college: College = None, authority: AuthorityOpt = None) -> None:
    """Print the notices of a role (and its college or authority), one per line."""
    from app.i18n import t as text

    for notice in _notices(role, college, authority):
        typer.echo(f"{text(notice.key, **notice.params)}\t{notice.link}")


@notices_app.command("mail")
def mail(
    to: Annotated[str, typer.Option(help="the address to send them to")],
    role: Role,
    college: College = None,
    authority: AuthorityOpt = None,
) -> None:
    """E-mail the notices of a role to an address (nothing is sent when there are none)."""
    from app import mail as mailer

    settings = get_settings()
    try:
        found = _notices(role, college, authority)
        if found:
            mailer.send(settings, mailer.compose(settings, to, found))
    except AppError as exc:
        typer.echo(t("cli.error", detail=exc.detail), err=True)
        raise typer.Exit(2) from exc
    typer.echo(t("cli.notices.mailed", count=len(found), to=to), err=True)
