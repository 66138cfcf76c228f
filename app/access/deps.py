"""FastAPI dependencies: the caller from its bearer token, and one dependency per role rule."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.access import policy, throttle, tokens
from app.access.principal import FILERS, STAFF, Principal, Role
from app.db.depends import SessionDep
from app.errors import Unauthorized
from app.middleware import set_actor

bearer = HTTPBearer(auto_error=False, description="A token from `registry token create`.")


def optional_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal | None:
    if credentials is None:
        return None
    throttle.check(request)  # 429 for an address that sent too many bad tokens
    principal = tokens.resolve(session, credentials.credentials)
    if principal is None:
        throttle.record_failure(request)
        raise Unauthorized(error="invalid_token")
    set_actor(principal)  # the request's log line names the caller
    return principal


def current_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise Unauthorized(error="not_authenticated")
    return principal


def require_role(*roles: Role) -> Callable[[Principal], Principal]:
    def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        policy.ensure_role(principal, *roles)
        return principal

    return dependency


def require_superuser(
    principal: Annotated[Principal, Depends(require_role(Role.ADMIN))],
) -> Principal:
    policy.ensure_superuser(principal)
    return principal


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
AnyPrincipal = Annotated[Principal, Depends(current_principal)]
AdminPrincipal = Annotated[Principal, Depends(require_role(Role.ADMIN))]
ReviewerPrincipal = Annotated[Principal, Depends(require_role(*STAFF))]
CollegePrincipal = Annotated[Principal, Depends(require_role(Role.COLLEGE))]
# Those who may file for a college (its own token, or an admin governing it).
FilerPrincipal = Annotated[Principal, Depends(require_role(*FILERS))]
SuperuserPrincipal = Annotated[Principal, Depends(require_superuser)]


def access_of(session: SessionDep, principal: OptionalPrincipal) -> policy.Access:
    """The caller's access for this request (anonymous included): what routes and presenters
    ask instead of comparing roles or authorities themselves."""
    return policy.Access(session, principal)


AccessDep = Annotated[policy.Access, Depends(access_of)]

# Responses every protected route documents in OpenAPI.
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing, unknown, expired or revoked token"},
    403: {"description": "The token's role or binding does not allow this"},
}
