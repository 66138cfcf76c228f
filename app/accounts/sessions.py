"""Signing in and cookie sessions: checking a password (sign-in throttling:
``app.access.sign_in``), the sessions of a user (listed, revoked, ended by a new password).
Services: ``session`` first, never commit (the request or the CLI's unit of work does)."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from app import writes
from app.access import sign_in
from app.access.passwords import check_password_rules
from app.accounts.hashing import hash_password, needs_rehash, verify, verify_nobody
from app.accounts.models import User, UserSession, principal_of
from app.clock import utcnow
from app.errors import Invalid, NotFound, TooManyRequests
from app.i18n import t

SESSION_DAYS = 14


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class BadCredentials(Exception):
    """Wrong username or password; the caller answers 401 after committing the failure count.
    ``failure`` says whether to warn (free attempts left) or that a delay has begun."""

    def __init__(self, failure: sign_in.Failure) -> None:
        super().__init__()
        self.failure = failure


class SignInDelayed(TooManyRequests):
    error = "login_throttled"

    def __init__(self, seconds: int) -> None:
        unit, n = ("seconds", seconds) if seconds < 120 else ("minutes", (seconds + 59) // 60)
        wait = t(f"login_throttled.{unit}", n=n)
        super().__init__(error=self.error, msg="login_throttled.wait", seconds=seconds, wait=wait)
        self.seconds = seconds
        self.headers = {"Retry-After": str(seconds)}


def authenticate(
    session: Session, username: str, password: str, *, address: str, address_limit: int
) -> User:
    """The user, when the password is right and this username (or this address) need not wait
    (``app.access.sign_in``). An unknown username costs the same argon2 time and is counted the
    same way, so the answer never tells whether a username exists."""
    wait = sign_in.wait_seconds(session, username=username, address=address)
    if wait is not None:
        raise SignInDelayed(wait)
    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None or not user.active:
        verify_nobody(password)
        ok = False
    else:
        ok = verify(user.password_hash, password)
    if not ok or user is None:
        failure = sign_in.record_failure(
            session, username=username, address=address, address_limit=address_limit
        )
        raise BadCredentials(failure)
    sign_in.succeeded(session, username=username, address=address)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
    return user


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def start_session(session: Session, user: User, *, user_agent: str, address: str) -> str:
    """A new session; returns the cookie's secret (shown to the browser only)."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    assert user.id is not None
    session.add(
        UserSession(
            user_id=user.id,
            secret_hash=_hash(secret),
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(days=SESSION_DAYS),
            user_agent=user_agent[:200],
            address=address[:64],
        )
    )
    writes.record(
        session,
        principal_of(user),
        action="user.sign_in",
        target_type="user",
        target_id=user.username,
        authority_id=user.authority_id,
    )
    return secret


def user_of_session(session: Session, secret: str) -> tuple[User, UserSession] | None:
    """The signed-in user of a cookie; None when unknown, revoked, expired or disabled."""
    row = session.exec(select(UserSession).where(UserSession.secret_hash == _hash(secret))).first()
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= utcnow():
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return user, row


def end_session(session: Session, secret: str) -> None:
    row = session.exec(select(UserSession).where(UserSession.secret_hash == _hash(secret))).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)


def sessions_of(session: Session, user: User) -> list[UserSession]:
    query = select(UserSession).where(
        UserSession.user_id == user.id, col(UserSession.revoked_at).is_(None)
    )
    now = utcnow()
    rows = session.exec(query.order_by(col(UserSession.last_seen_at).desc())).all()
    return [r for r in rows if _aware(r.expires_at) > now]


def revoke_session(session: Session, user: User, session_id: int) -> None:
    row = session.get(UserSession, session_id)
    if row is None or row.user_id != user.id:
        raise NotFound(error="session_not_found", id=session_id)
    row.revoked_at = utcnow()
    session.add(row)


def end_sessions_of(session: Session, user: User, keep: int | None = None) -> None:
    """The user's sessions end (but ``keep``)."""
    for row in sessions_of(session, user):
        if row.id != keep:
            row.revoked_at = utcnow()
            session.add(row)


def change_password(
    session: Session, user: User, *, current: str, new: str, keep_session: int | None
) -> None:
    """Checks the current password; the other sessions of the user end."""
    if not verify(user.password_hash, current):
        raise Invalid(error="wrong_password")
    if new == current:
        raise Invalid(error="same_password")
    check_password_rules(new, username=user.username)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    session.add(user)
    end_sessions_of(session, user, keep=keep_session)
    writes.record(
        session,
        principal_of(user),
        action="user.change_password",
        target_type="user",
        target_id=user.username,
        authority_id=user.authority_id,
    )
