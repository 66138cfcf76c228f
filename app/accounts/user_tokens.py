"""The API tokens a user owns (the account page): the user's own role and binding, created and
revoked by the user. Tokens as admins issue them: ``app.accounts.tokens``."""

from sqlmodel import Session, col, select

from app import writes
from app.access import tokens
from app.access.models import ApiToken
from app.accounts.models import User, UserToken, principal_of
from app.clock import utcnow
from app.errors import NotFound


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    query = (
        select(ApiToken)
        .join(UserToken, col(UserToken.token_id) == ApiToken.id)
        .where(UserToken.user_id == user.id, col(ApiToken.revoked_at).is_(None))
        .order_by(col(ApiToken.id).desc())
    )
    return list(session.exec(query).all())


def create_token(session: Session, user: User, *, name: str, days: int | None) -> str:
    """A token with the user's own role and binding, owned by the user; returns it (shown
    once). No admin is needed: a user delegates to a script no more than the user may do."""
    row, plain = tokens.create_token(
        session,
        role=user.role,
        name=name,
        authority_id=user.authority_id,
        college_id=user.college_id,
        days=days,
    )
    assert row.id is not None
    assert user.id is not None
    session.add(UserToken(token_id=row.id, user_id=user.id))
    writes.record(
        session,
        principal_of(user),
        action="token.create",
        target_type="token",
        target_id=row.id,
        after={"name": name, "role": user.role, "owner": user.username},
        authority_id=user.authority_id,
    )
    return plain


def revoke_token(session: Session, user: User, token_id: int) -> None:
    link = session.get(UserToken, token_id)
    if link is None or link.user_id != user.id:
        raise NotFound(error="token_not_found", id=token_id)
    row = session.get(ApiToken, token_id)
    assert row is not None
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
    writes.record(
        session,
        principal_of(user),
        action="token.revoke",
        target_type="token",
        target_id=token_id,
        authority_id=user.authority_id,
    )
