"""The ``registry`` command: migrate, seed, serve, token, import."""

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import select

from app.config import get_settings
from app.db import make_engine, session_scope

app = typer.Typer(
    help="Registry of vocational college programs.", no_args_is_help=True,
    pretty_exceptions_enable=False,
)
token_app = typer.Typer(help="Bearer tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")

err = Console(stderr=True)


def _engine():
    settings = get_settings()
    return make_engine(settings.database_url, settings)


@app.command()
def migrate(revision: str = "head") -> None:
    """Upgrade the database to the newest schema (or REVISION)."""
    from app import migrate as migrations

    migrations.upgrade(_engine(), revision)
    err.print(f"database at {revision}")


@app.command()
def seed() -> None:
    """Load seed/ (catalogs, authorities, colleges, 2024 programs). A second run adds nothing."""
    from app import seed as seeding

    added = seeding.run(_engine())
    err.print(", ".join(f"{name}: +{count}" for name, count in added.items()))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="default REGISTRY_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="default REGISTRY_PORT")] = None,
) -> None:
    """Serve the API (OpenAPI UI at /docs)."""
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "app.asgi:app", host=host or settings.host, port=port or settings.port,
        workers=settings.workers, log_level=settings.log_level, proxy_headers=False,
    )


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="admin | reviewer | college")],
    name: Annotated[str, typer.Option(help="who holds it (shown in the audit log)")],
    college: Annotated[str | None, typer.Option(help="college code (role college)")] = None,
    authority: Annotated[str | None, typer.Option(help="authority code; none = superuser")] = None,
    days: Annotated[int | None, typer.Option(help="expires after N days")] = None,
) -> None:
    """Create a token and print it (only the token) on stdout."""
    from app.auth import create_token
    from app.authorities.models import Authority
    from app.colleges.service import get_by_code
    from app.errors import AppError

    try:
        with session_scope(_engine()) as session:
            college_id = get_by_code(session, college).id if college else None
            authority_id = None
            if authority:
                found = session.exec(select(Authority).where(Authority.code == authority)).first()
                if found is None:
                    raise typer.BadParameter(f"no authority {authority!r}")
                authority_id = found.id
            _, plain = create_token(
                session, role=role, name=name, college_id=college_id, authority_id=authority_id,
                days=days if days is not None else (get_settings().token_default_days or None),
            )
    except AppError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(2) from exc
    print(plain)


@token_app.command("list")
def token_list() -> None:
    """List tokens (never the tokens themselves)."""
    from app.auth import ApiToken

    table = Table("id", "name", "role", "authority", "college", "hint", "created", "expires", "revoked")
    with session_scope(_engine()) as session:
        for t in session.exec(select(ApiToken).order_by(ApiToken.id)).all():
            table.add_row(
                str(t.id), t.name, t.role, str(t.authority_id or ""), str(t.college_id or ""),
                t.hint + "…", str(t.created_at)[:19], str(t.expires_at or "")[:19],
                str(t.revoked_at or "")[:19],
            )
    Console().print(table)


@token_app.command("revoke")
def token_revoke(token_id: int) -> None:
    """Revoke a token by its id (see `registry token list`)."""
    from app.auth import revoke_token

    with session_scope(_engine()) as session:
        revoke_token(session, token_id=token_id)
    err.print(f"token {token_id} revoked")


def main() -> None:
    app()
