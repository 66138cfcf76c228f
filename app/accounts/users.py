"""User management: creating users within the authority an admin governs, resetting passwords,
disabling, and the sign-in counts an admin may see and clear. Who may manage whom:
``policy.ensure_manage_user``. Services: ``session`` first, never commit."""

import secrets
import string

from sqlmodel import Session, col, select

from app import writes
from app.access import policy, sign_in
from app.access.models import SignInFailure
from app.access.passwords import check_password_rules
from app.access.policy import governed_authorities
from app.access.principal import Principal
from app.access.tokens import check_binding
from app.accounts.hashing import hash_password
from app.accounts.models import User, UserToken
from app.accounts.sessions import end_sessions_of
from app.authorities.models import Authority
from app.colleges.models import College
from app.errors import Conflict, Invalid, NotFound

ONE_TIME_ALPHABET = string.ascii_letters + string.digits


def _binding(
    session: Session, *, authority: str | None, college: str | None
) -> tuple[int | None, int | None]:
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
        password_hash=hash_password(secret),
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
    user.password_hash = hash_password(secret)
    user.must_change_password = True
    session.add(user)
    end_sessions_of(session, user)
    writes.record(
        session,
        actor,
        action="user.reset_password",
        target_type="user",
        target_id=user.username,
        authority_id=user.authority_id,
    )
    return secret


def is_self(session: Session, actor: Principal, user: User) -> bool:
    """Whether ``actor`` is ``user``: signed in as them, or one of their API tokens."""
    if actor.token_id is None:
        return actor.name == user.username
    link = session.get(UserToken, actor.token_id)
    return link is not None and link.user_id == user.id


def set_active(session: Session, user_id: int, active: bool, *, actor: Principal) -> User:
    """Enables or disables an account. Not one's own: the admin would lock themself out
    mid-session, perhaps the authority's last admin (another admin disables it)."""
    user = get_user(session, user_id)
    _ensure_manages(session, actor, user.authority_id, user.college_id)
    if not active and is_self(session, actor, user):
        raise Conflict(error="user_disable_self")
    user.active = active
    session.add(user)
    if not active:
        end_sessions_of(session, user)
    writes.record(
        session,
        actor,
        action="user.enable" if active else "user.disable",
        target_type="user",
        target_id=user.username,
        authority_id=user.authority_id,
    )
    return user


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
