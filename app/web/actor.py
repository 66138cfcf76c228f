"""Who is looking at a page of the yearly cycle.

The signed-in person's principal (set on ``request.state.principal`` by the session layer), or a
bearer token sent by a script or a test (the same identities as the API). Without either, a page
of the cycle answers a redirect to /login. Which objects a principal may see or change is decided
by the services the pages call, exactly as for the API."""

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from app.access.policy import ensure_role
from app.access.principal import Principal, Role
from app.access.tokens import resolve


class LoginRequired(Exception):
    """Raised by ``signed_in`` when nobody is signed in; answered with a redirect to /login."""


def page_principal(request: Request, session: Session) -> Principal | None:
    principal = getattr(request.state, "principal", None)
    if isinstance(principal, Principal):
        return principal
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return resolve(session, header[7:].strip())
    return None


def signed_in(request: Request, session: Session, *roles: Role) -> Principal:
    """The page's principal, of one of ``roles`` (any role when none is given)."""
    principal = page_principal(request, session)
    if principal is None:
        raise LoginRequired()
    if roles:
        ensure_role(principal, *roles)
    return principal


def install_login_redirect(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, _: LoginRequired) -> RedirectResponse:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
