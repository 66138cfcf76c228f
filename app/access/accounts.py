"""People: users with a role and a binding (the roles of contract.md "Access"), argon2 password
hashes, cookie sessions that can be listed and revoked, sign-in throttling, and the API tokens a
user owns. Services: ``session`` first, never commit (the request or the CLI's unit of work does).

A user becomes the same ``Principal`` a bearer token stands for, so every service's object-level
rules apply to pages exactly as to the API."""

import hashlib
import secrets
import string
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlmodel import Field, Session, SQLModel, col, select

from app import writes
from app.access import policy, sign_in
from app.access.models import ApiToken, SignInFailure
from app.access.passwords import check_password_rules
from app.access.policy import governed_authorities
from app.access.principal import Principal
from app.access.tokens import check_binding
from app.authorities.models import Authority
from app.clock import utcnow
from app.colleges.models import College
from app.errors import Conflict, Invalid, NotFound, TooManyRequests
from app.i18n import t

# argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile: 64 MiB, 3 passes).
HASHER = PasswordHasher()
# Verifying against this when the user does not exist takes as long as a real check: the time
# of an answer does not tell which usernames exist.
_DUMMY_HASH = HASHER.hash("not a password of anyone")
SESSION_DAYS = 14
ONE_TIME_ALPHABET = string.ascii_letters + string.digits


class User(SQLModel, table=True):
    __tablename__ = "user_account"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=64)
    role: str = Field(max_length=12)
    authority_id: int | None = Field(default=None, foreign_key="authority.id")
    college_id: int | None = Field(default=None, foreign_key="college.id")
    password_hash: str = Field(max_length=200)
    must_change_password: bool = False
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime | None = None


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random secret; only its SHA-256 is stored."""

    __tablename__ = "user_session"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    secret_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    user_agent: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=64)


class UserToken(SQLModel, table=True):
    """An API token that belongs to a user (the token keeps its own role and binding: the
    user's, at creation). A link table: the token table itself is unchanged."""

    __tablename__ = "user_token"
    token_id: int = Field(foreign_key="api_token.id", primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def principal_of(user: User) -> Principal:
    return Principal(
        name=user.username,
        role=user.role,
        authority_id=user.authority_id,
        college_id=user.college_id,
    )


# ---- users ---------------------------------------------------------------------------------


def _binding(session: Session, *, authority: str | None, college: str | None):
    authority_id = college_id = None
    if authority:
        found = session.exec(select(Authority.id).where(Authority.code == authority)).first()
        if found is None:
            raise NotFound(error="authority_not_found", code=authority)
        authority_id = found
    if college:
        found = session.exec(select(College.id).where(College.code == college)).first()
        if found is None:
            raise NotFound(error="college_not_found", code=college)
        college_id = found
    return authority_id, college_id


def one_time_password() -> str:
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(16))


def create_user(
    session: Session,
    *,
    username: str,
    role: str,
    authority: str | None,
    college: str | None,
    password: str | None,
    actor: Principal,
) -> tuple[User, str | None]:
    """The new user, and its one-time password when none was given (to change at first
    sign-in). An admin creates users only within the authority it governs."""
    username = username.strip()
    if not username or len(username) > 64:
        raise Invalid(error="invalid_username")
    authority_id, college_id = _binding(session, authority=authority, college=college)
    check_binding(role, authority_id=authority_id, college_id=college_id)
    _ensure_manages(session, actor, authority_id, college_id)
    if session.exec(select(User.id).where(User.username == username)).first() is not None:
        raise Conflict(error="user_exists", username=username)
    given = password is not None
    secret = password if given else one_time_password()
    assert secret is not None
    if given:
        check_password_rules(secret, username=username)
    user = User(
        username=username,
        role=role,
        authority_id=authority_id,
        college_id=college_id,
        password_hash=HASHER.hash(secret),
        must_change_password=not given,
    )
    session.add(user)
    session.flush()
    writes.record(
        session,
        actor,
        action="user.create",
        target_type="user",
        target_id=username,
        after={"role": role, "authority": authority, "college": college},
        authority_id=authority_id,
    )
    return user, None if given else secret


def _ensure_manages(
    session: Session, actor: Principal, authority_id: int | None, college_id: int | None
) -> None:
    """The superuser manages everyone; an authority's admin its authority's users and those
    of the colleges it governs (and of the authorities below it): policy.ensure_manage_user."""
    policy.ensure_manage_user(session, actor, _user_authority(session, authority_id, college_id))


def _user_authority(
    session: Session, authority_id: int | None, college_id: int | None
) -> int | None:
    """The authority a user belongs to: its own, or its college's."""
    if college_id is None:
        return authority_id
    college = session.get(College, college_id)
    return college.authority_id if college is not None else None


def manageable_users(session: Session, actor: Principal) -> list[User]:
    users = session.exec(select(User).order_by(col(User.username))).all()
    access = policy.Access(session, actor)
    return [
        u
        for u in users
        if access.can("user.manage", _user_authority(session, u.authority_id, u.college_id))
    ]


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(error="user_not_found", id=user_id)
    return user


def reset_password(session: Session, user_id: int, *, actor: Principal) -> str:
    """A new one-time password; the user's sessions end (a reset answers a lost or stolen one)."""
    user = get_user(session, user_id)
    _ensure_manages(session, actor, user.authority_id, user.college_id)
    secret = one_time_password()
    user.password_hash = HASHER.hash(secret)
    user.must_change_password = True
    session.add(user)
    _end_sessions(session, user)
    writes.record(
        session,
        actor,
        action="user.reset_password",
        target_type="user",
        target_id=user.username,
        authority_id=user.authority_id,
    )
    return secret


def set_active(session: Session, user_id: int, active: bool, *, actor: Principal) -> User:
    user = get_user(session, user_id)
    _ensure_manages(session, actor, user.authority_id, user.college_id)
    user.active = active
    session.add(user)
    if not active:
        _end_sessions(session, user)
    writes.record(
        session,
        actor,
        action="user.enable" if active else "user.disable",
        target_type="user",
        target_id=user.username,
        authority_id=user.authority_id,
    )
    return user


# ---- signing in ----------------------------------------------------------------------------


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
        _verify(_DUMMY_HASH, password)
        ok = False
    else:
        ok = _verify(user.password_hash, password)
    if not ok or user is None:
        failure = sign_in.record_failure(
            session, username=username, address=address, address_limit=address_limit
        )
        raise BadCredentials(failure)
    sign_in.succeeded(session, username=username, address=address)
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
        session.add(user)
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


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


def _end_sessions(session: Session, user: User, keep: int | None = None) -> None:
    for row in sessions_of(session, user):
        if row.id != keep:
            row.revoked_at = utcnow()
            session.add(row)


def change_password(
    session: Session, user: User, *, current: str, new: str, keep_session: int | None
) -> None:
    """Checks the current password; the other sessions of the user end."""
    if not _verify(user.password_hash, current):
        raise Invalid(error="wrong_password")
    if new == current:
        raise Invalid(error="same_password")
    check_password_rules(new, username=user.username)
    user.password_hash = HASHER.hash(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    session.add(user)
    _end_sessions(session, user, keep=keep_session)
    writes.record(
        session,
        principal_of(user),
        action="user.change_password",
        target_type="user",
        target_id=user.username,
        authority_id=user.authority_id,
    )


# ---- tokens a user owns ------------------------------------------------------------------


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
    from app.access import tokens

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


# ---- sign-in throttling, as the admins see it ----------------------------------------------


def sign_in_failures(session: Session, actor: Principal) -> list[SignInFailure]:
    """The counts an admin may see and clear: the superuser every one (addresses and unknown
    usernames included); an authority's admin those of the usernames it manages."""
    rows = sign_in.current(session)
    if actor.is_superuser:
        return rows
    _ensure_manages(session, actor, actor.authority_id, None)
    managed = {user.username for user in manageable_users(session, actor)}
    return [row for row in rows if row.kind == sign_in.ACCOUNT and row.username in managed]


def clear_sign_in_failure(session: Session, failure_id: int, *, actor: Principal) -> None:
    """Forget one count (a clerk who must sign in now from a slowed address)."""
    row = sign_in.get(session, failure_id)
    if row is None or row not in sign_in_failures(session, actor):
        raise NotFound(error="not_found")
    writes.record(
        session,
        actor,
        action="user.clear_sign_in_throttle",
        target_type="sign_in_failure",
        target_id=row.username or row.address,
        before={"kind": row.kind, "address": row.address, "failures": row.failures},
        authority_id=actor.authority_id,
    )
    session.delete(row)


def binding_names(session: Session, users: list[User]) -> dict[int, str]:
    """Each user's authority or college by name (the users page shows whose account it is)."""
    authorities = {a.id: a.name for a in session.exec(select(Authority)).all()}
    college_ids = {u.college_id for u in users if u.college_id is not None}
    colleges = {}
    if college_ids:
        query = select(College).where(col(College.id).in_(college_ids))
        colleges = {c.id: c.name for c in session.exec(query).all()}
    names = {}
    for user in users:
        assert user.id is not None
        if user.college_id is not None:
            names[user.id] = colleges.get(user.college_id, "")
        elif user.authority_id is not None:
            names[user.id] = authorities.get(user.authority_id, "")
    return names


def bindable(session: Session, actor: Principal) -> tuple[list[Authority], list[College]]:
    """The authorities and colleges an admin may bind a new user to (pick-lists by name)."""
    governed = governed_authorities(session, actor)
    authorities = select(Authority).order_by(col(Authority.code))
    colleges = select(College).order_by(col(College.code))
    if governed is not None:
        authorities = authorities.where(col(Authority.id).in_(governed))
        colleges = colleges.where(col(College.authority_id).in_(governed))
    return list(session.exec(authorities).all()), list(session.exec(colleges).all())
