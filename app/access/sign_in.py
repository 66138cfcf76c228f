"""Throttling of password sign-ins (OWASP Authentication Cheat Sheet, "Protect against
automated attacks"): it slows guessing down without letting anyone lock a person out.

- **Per account and address**: the failures of one typed username from one address. The first
  ``FREE_FAILURES`` cost nothing; each further one makes that pair wait longer (30 s, 60 s, …
  up to 15 minutes). The same username from another address is not slowed: a guesser cannot
  keep a clerk out on the last day of a round. The count is forgotten after a day without
  failures, and when that pair signs in.
- **Per address**: every failed sign-in from one address, whatever the username; after
  ``address_limit`` within ``ADDRESS_WINDOW`` the address waits until the window ends (one
  address trying many usernames).
- Unknown usernames are counted exactly like known ones (the same rows, the same statements,
  the same answers), so neither the answer nor its time tells which usernames exist.

The counts are rows of ``sign_in_failure``: every process of the registry shares them. Services
take ``session`` first and never commit."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from app.access.models import SignInFailure
from app.clock import utcnow

FREE_FAILURES = 5  # wrong passwords of one username from one address before any delay
WARN_BEFORE = 2  # the answer warns when this many free failures (or fewer) are left
FIRST_DELAY = timedelta(seconds=30)  # then doubled with every further failure
MAX_DELAY = timedelta(minutes=15)
ACCOUNT_MEMORY = timedelta(days=1)  # a username's count is forgotten after a day without failure
ADDRESS_WINDOW = timedelta(minutes=15)
ACCOUNT, ADDRESS = "account", "address"


@dataclass(frozen=True)
class Failure:
    """What a failed sign-in tells the person: free attempts left before a delay (None when
    no warning is due), or the seconds to wait now."""

    left: int | None
    wait_seconds: int | None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _key(username: str, address: str) -> tuple[str, str]:
    return username.strip()[:64], address[:64]


def _rows(session: Session, username: str, address: str) -> list[SignInFailure]:
    name, addr = _key(username, address)
    query = select(SignInFailure).where(
        col(SignInFailure.address) == addr,
        ((col(SignInFailure.kind) == ACCOUNT) & (col(SignInFailure.username) == name))
        | ((col(SignInFailure.kind) == ADDRESS) & (col(SignInFailure.username) == "")),
    )
    return list(session.exec(query.with_for_update()).all())


def wait_seconds(session: Session, *, username: str, address: str) -> int | None:
    """Seconds before ``username`` may try again from ``address``; None when it may now."""
    now = utcnow()
    waits = [
        (_aware(row.blocked_until) - now).total_seconds()
        for row in _rows(session, username, address)
        if row.blocked_until is not None and _aware(row.blocked_until) > now
    ]
    return max(1, int(max(waits) + 0.999)) if waits else None


def _ensure_rows(session: Session, name: str, addr: str) -> None:
    """Both rows exist (an insert that two processes may race: the loser's does nothing)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    for kind, username in ((ACCOUNT, name), (ADDRESS, "")):
        statement = insert(SignInFailure).values(
            kind=kind, username=username, address=addr, failures=0, first_at=now, last_at=now
        )
        session.execute(statement.on_conflict_do_nothing())


def record_failure(session: Session, *, username: str, address: str, address_limit: int) -> Failure:
    """One wrong password (or unknown username) from ``address``."""
    name, addr = _key(username, address)
    _ensure_rows(session, name, addr)
    now = utcnow()
    left: int | None = None
    waits: list[float] = []
    for row in _rows(session, name, addr):
        if row.kind == ACCOUNT:
            if now - _aware(row.last_at) > ACCOUNT_MEMORY:
                row.failures, row.first_at, row.blocked_until = 0, now, None
            row.failures += 1
            beyond = row.failures - FREE_FAILURES
            if beyond > 0:
                delay = min(FIRST_DELAY * 2 ** min(beyond - 1, 16), MAX_DELAY)
                row.blocked_until = now + delay
                waits.append(delay.total_seconds())
            elif FREE_FAILURES - row.failures <= WARN_BEFORE:
                left = FREE_FAILURES - row.failures
        else:
            if now - _aware(row.first_at) >= ADDRESS_WINDOW:
                row.failures, row.first_at, row.blocked_until = 0, now, None
            row.failures += 1
            if address_limit > 0 and row.failures >= address_limit:
                row.blocked_until = _aware(row.first_at) + ADDRESS_WINDOW
                waits.append((row.blocked_until - now).total_seconds())
        row.last_at = now
        session.add(row)
    wait = max(1, int(max(waits) + 0.999)) if waits else None
    return Failure(left=None if wait else left, wait_seconds=wait)


def succeeded(session: Session, *, username: str, address: str) -> None:
    """The person signed in from ``address``: that username's count there is forgotten (the
    address's count is not: one good password does not license guessing others)."""
    name, addr = _key(username, address)
    for row in _rows(session, name, addr):
        if row.kind == ACCOUNT:
            session.delete(row)


def current(session: Session) -> list[SignInFailure]:
    """Every count that slows someone down now or warned them (newest first), for the admins."""
    query = select(SignInFailure).where(col(SignInFailure.failures) > 0)
    return list(session.exec(query.order_by(col(SignInFailure.last_at).desc())).all())


def get(session: Session, failure_id: int) -> SignInFailure | None:
    return session.get(SignInFailure, failure_id)
