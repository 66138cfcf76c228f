"""Who may act on what: the one set of ``can_*`` predicates and their ``ensure_*`` forms, used by
every domain. A denial is ``403`` with one error name per meaning:

- ``forbidden_role`` — the caller's role (or not being the superuser) does not allow this;
- ``not_your_authority`` — the object belongs to an authority the caller does not govern;
- ``not_your_college`` — a college token reaching for another college's data;
- ``draft`` — a reviewer asking for a filing its college has not submitted yet.

Governance follows the authority tree everywhere (filings, decisions, referrals, colleges,
programs, tokens, the audit log, rounds and published lists): the superuser governs every
authority; an admin or reviewer governs its own authority and the ones under it (广东省人社厅
governs 广州市人社局, not the other way round); a college token governs none.
"""

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from sqlalchemy import Select, event, false, or_
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from app.access.principal import FILERS, STAFF, Principal, Role
from app.authorities import service as authorities
from app.authorities.models import Authority
from app.errors import Forbidden, Unauthorized
from app.i18n import Joined
from app.vocab import FilingStatus

Q = TypeVar("Q", bound=Select[*tuple[Any, ...]])


class CollegeLike(Protocol):
    id: int | None
    authority_id: int | None


class FilingLike(Protocol):
    college_id: int
    authority_id: int | None
    status: str


# --- the authority tree ------------------------------------------------------------------------


def governed_authorities(session: Session, principal: Principal | None) -> list[int] | None:
    """Ids of the authorities the principal governs (its own and their descendants);
    None means every authority (the superuser). Colleges (and the anonymous) govern none.
    Read from the authority table once per transaction (``_subtree``)."""
    if principal is None:
        return []
    if principal.is_superuser:
        return None
    if principal.role == Role.COLLEGE or principal.authority_id is None:
        return []
    return list(_subtree(session, principal.authority_id))


def governs(session: Session, principal: Principal | None, authority_id: int | None) -> bool:
    """Nothing but the superuser governs an unknown (None) authority."""
    if principal is not None and principal.is_superuser:
        return True
    governed = governed_authorities(session, principal)
    return authority_id is not None and governed is not None and authority_id in governed


_CACHE = "access.subtrees"


def _subtree(session: Session, authority_id: int) -> tuple[int, ...]:
    """``authorities.descendants``, kept on the session until its transaction ends or an
    authority row changes in it: every check of a request walks the tree once."""
    cache: dict[int, tuple[int, ...]] = session.info.setdefault(_CACHE, {})
    if authority_id not in cache:
        cache[authority_id] = tuple(authorities.descendants(session, authority_id))
    return cache[authority_id]


def _forget_tree(session: OrmSession, *_: Any) -> None:
    session.info.pop(_CACHE, None)


@event.listens_for(OrmSession, "before_flush")
def _authority_changed(session: OrmSession, *_: Any) -> None:
    if any(isinstance(o, Authority) for o in (*session.new, *session.dirty, *session.deleted)):
        _forget_tree(session)


for _end in ("after_commit", "after_rollback", "after_soft_rollback"):
    event.listen(OrmSession, _end, _forget_tree)


def governs_all(
    session: Session, principal: Principal, authority_ids: Iterable[int | None]
) -> bool:
    """True when the principal governs every one of these authorities (bulk imports)."""
    governed = governed_authorities(session, principal)
    if governed is None:
        return True
    return all(a is not None and a in governed for a in authority_ids)


def restrict(query: Q, column: Any, governed: list[int] | None) -> Q:
    """A list query narrowed to rows whose authority ``column`` the caller governs."""
    return query if governed is None else query.where(column.in_(governed))


def ensure_governs(
    session: Session,
    principal: Principal,
    authority_id: int | None,
    *,
    msg: str = "not_your_authority",
) -> None:
    """``msg``: the catalog key of the wording (``not_your_authority.filing``…)."""
    if not governs(session, principal, authority_id):
        raise Forbidden(error="not_your_authority", msg=msg)


def ensure_governs_all(
    session: Session, principal: Principal, authority_ids: Iterable[int | None]
) -> None:
    if not governs_all(session, principal, authority_ids):
        raise Forbidden(error="not_your_authority", msg="not_your_authority.rows")


# --- roles -------------------------------------------------------------------------------------


def ensure_role(principal: Principal, *roles: Role, msg: str = "forbidden_role.roles") -> None:
    if principal.role not in roles:
        raise Forbidden(error="forbidden_role", msg=msg, roles=Joined(roles))


def ensure_superuser(principal: Principal, *, msg: str = "forbidden_role.superuser") -> None:
    if not principal.is_superuser:
        raise Forbidden(error="forbidden_role", msg=msg)


def ensure_admin_of(
    session: Session,
    principal: Principal,
    authority_id: int | None,
    *,
    msg: str = "not_your_authority",
) -> None:
    """Admin work on something of ``authority_id`` (rounds, lists, referrals)."""
    ensure_role(principal, Role.ADMIN)
    ensure_governs(session, principal, authority_id, msg=msg)


def can_see_drafts(session: Session, principal: Principal | None, authority_id: int | None) -> bool:
    """A list's drafts (and its objections) are its authority's working copies: the admins and
    reviewers governing that authority (the province's over a city's) and the superuser see
    them — the same tree walk as every write on them (``ensure_admin_of``)."""
    if principal is None or principal.role not in STAFF:
        return False
    return governs(session, principal, authority_id)


def ensure_staff_of(
    session: Session,
    principal: Principal,
    authority_id: int | None,
    *,
    msg: str = "not_your_authority.list",
) -> None:
    """Staff work on a list (recording 公示 objections): an admin or reviewer governing it."""
    ensure_role(principal, *STAFF, msg="forbidden_role.staff")
    ensure_governs(session, principal, authority_id, msg=msg)


# --- colleges and their data -------------------------------------------------------------------


def is_own_college(principal: Principal, college_id: int | None) -> bool:
    return principal.college_id is not None and principal.college_id == college_id


def ensure_own_college(
    principal: Principal, college_id: int | None, *, msg: str = "not_your_college"
) -> None:
    """A college token acts only for its own college; other roles pass this check."""
    if principal.role == Role.COLLEGE and not is_own_college(principal, college_id):
        raise Forbidden(error="not_your_college", msg=msg)


def can_manage_college(session: Session, principal: Principal, college: CollegeLike) -> bool:
    """Admin writes on a college and its programs: an admin governing the college's authority."""
    return principal.role == Role.ADMIN and governs(session, principal, college.authority_id)


def ensure_manage_college(session: Session, principal: Principal, college: CollegeLike) -> None:
    ensure_admin_of(session, principal, college.authority_id, msg="not_your_authority.college")


def can_act_for_college(session: Session, principal: Principal, college: CollegeLike) -> bool:
    """Filing for a college: its own college token, or an admin governing it."""
    if principal.role == Role.COLLEGE:
        return is_own_college(principal, college.id)
    return can_manage_college(session, principal, college)


def ensure_act_for_college(session: Session, principal: Principal, college: CollegeLike) -> None:
    """Filing for a college (``can_act_for_college``); a reviewer decides, it never files."""
    ensure_own_college(principal, college.id)
    ensure_role(principal, *FILERS, msg="forbidden_role.reviewer_files")
    if principal.role == Role.ADMIN:
        ensure_governs(session, principal, college.authority_id, msg="not_your_authority.college")


def can_see_college_private(session: Session, principal: Principal, college: CollegeLike) -> bool:
    """Non-public data of a college (its drafts, filings, findings): the college itself, or an
    admin or reviewer governing it."""
    if principal.role == Role.COLLEGE:
        return is_own_college(principal, college.id)
    return governs(session, principal, college.authority_id)


def ensure_see_college_private(
    session: Session, principal: Principal, college: CollegeLike
) -> None:
    ensure_own_college(principal, college.id)
    if not can_see_college_private(session, principal, college):
        raise Forbidden(error="not_your_authority", msg="not_your_authority.college")


# --- filings -----------------------------------------------------------------------------------


def can_read_filing(session: Session, principal: Principal, filing: FilingLike) -> bool:
    """The filing college; an admin or reviewer governing its authority (a reviewer once it is
    submitted: a draft is the college's until then)."""
    if principal.role == Role.COLLEGE:
        return is_own_college(principal, filing.college_id)
    if principal.role == Role.REVIEWER and filing.status == FilingStatus.DRAFT:
        return False
    return governs(session, principal, filing.authority_id)


def ensure_read_filing(session: Session, principal: Principal, filing: FilingLike) -> None:
    ensure_own_college(principal, filing.college_id, msg="not_your_college.filing")
    if principal.role != Role.COLLEGE:
        ensure_governs(session, principal, filing.authority_id, msg="not_your_authority.filing")
    if principal.role == Role.REVIEWER and filing.status == FilingStatus.DRAFT:
        raise Forbidden(error="draft")


def ensure_write_filing(session: Session, principal: Principal, filing: FilingLike) -> None:
    """Editing, submitting, withdrawing: the filing college, or an admin of its authority."""
    ensure_role(principal, *FILERS, msg="forbidden_role.reviewer_edits")
    ensure_read_filing(session, principal, filing)


def can_decide(session: Session, principal: Principal, authority_id: int | None) -> bool:
    """Review decisions on a filing of ``authority_id``: a reviewer or admin governing it."""
    return principal.role in STAFF and governs(session, principal, authority_id)


def ensure_decide(session: Session, principal: Principal, authority_id: int | None) -> None:
    ensure_role(principal, *STAFF, msg="forbidden_role.decisions")
    ensure_governs(session, principal, authority_id, msg="not_your_authority.filing")


def can_see_referral(
    session: Session, principal: Principal, *, filing_authority_id: int | None, province_id: int
) -> bool:
    """A referral is seen by every admin and reviewer on its path: those governing the city
    that referred it (they follow what they sent up) or the province deciding it."""
    if principal.role not in STAFF:
        return False
    return governs(session, principal, filing_authority_id) or governs(
        session, principal, province_id
    )


def ensure_see_referral(
    session: Session, principal: Principal, *, filing_authority_id: int | None, province_id: int
) -> None:
    ensure_role(principal, *STAFF)
    if not can_see_referral(
        session, principal, filing_authority_id=filing_authority_id, province_id=province_id
    ):
        raise Forbidden(error="not_your_authority", msg="not_your_authority.referral")


def referral_decider(session: Session, principal: Principal) -> Callable[[int], bool]:
    """Whether the principal may decide a referral to province ``id``: only the province's
    admins (or the superuser). A predicate, so a list reads the authority tree once."""
    if principal.role != Role.ADMIN:
        return lambda _province_id: False
    governed = governed_authorities(session, principal)
    return lambda province_id: governed is None or province_id in governed


def visible_referrals(
    session: Session, principal: Principal, query: Q, *, filing_authority: Any, province: Any
) -> Q:
    """A referral list narrowed to what ``can_see_referral`` allows, as SQL."""
    if principal.role not in STAFF:
        return query.where(false())
    governed = governed_authorities(session, principal)
    if governed is None:
        return query
    return query.where(or_(filing_authority.in_(governed), province.in_(governed)))


def visible_filings(
    session: Session,
    principal: Principal,
    query: Q,
    *,
    college_id: Any,
    authority_id: Any,
    status: Any,
) -> Q:
    """A filing list narrowed to what ``can_read_filing`` allows, as SQL."""
    if principal.role == Role.COLLEGE:
        return query.where(college_id == principal.college_id)
    query = restrict(query, authority_id, governed_authorities(session, principal))
    return query.where(status != FilingStatus.DRAFT) if principal.role == Role.REVIEWER else query


# --- catalogs ----------------------------------------------------------------------------------


def can_manage_edition(
    session: Session, principal: Principal, *, province: str | None, system: str
) -> bool:
    """Catalog writes. National editions and their supplements are the Ministry's: the superuser
    loads them. A provincial specialty catalog (特色专业目录) is kept by that province's bureau of
    its system (广东省人社厅 for 广东省 technician colleges), so its province-level admins may."""
    if principal.is_superuser:
        return True
    if principal.role != Role.ADMIN or principal.authority_id is None or province is None:
        return False
    own = session.get(Authority, principal.authority_id)
    return (
        own is not None
        and own.level == "province"
        and own.province == province
        and own.system == system
    )


def ensure_manage_edition(
    session: Session, principal: Principal, *, province: str | None, system: str
) -> None:
    ensure_role(principal, Role.ADMIN)
    if province is None:  # national catalogs are the Ministry's: the superuser's
        ensure_superuser(principal, msg="forbidden_role.national_catalog")
    if not can_manage_edition(session, principal, province=province, system=system):
        raise Forbidden(error="not_your_authority", msg="not_your_authority.catalog")


# --- webhooks and user accounts ----------------------------------------------------------------


def can_manage_webhook(session: Session, principal: Principal, authority_id: int | None) -> bool:
    """A webhook belongs to the authority whose admin registered it (None: the superuser's);
    the admins governing that authority manage it, the province's over a city's."""
    return principal.role == Role.ADMIN and governs(session, principal, authority_id)


def ensure_manage_user(session: Session, principal: Principal, authority_id: int | None) -> None:
    """User accounts: the superuser manages everyone; an admin the users of the authorities it
    governs and of their colleges (``authority_id``: the user's own, or its college's)."""
    ensure_role(principal, Role.ADMIN)
    if not governs(session, principal, authority_id):
        raise Forbidden(error="not_your_authority", msg="not_your_authority.user")


# --- the access object -------------------------------------------------------------------------


class WebhookLike(Protocol):
    authority_id: int | None


class FilingFlags:
    """What a filing's page offers its reader (each an action the API would allow)."""

    def __init__(self, *, can_edit: bool, can_withdraw: bool, can_decide: bool, staff: bool):
        self.can_edit = can_edit
        self.can_withdraw = can_withdraw
        self.can_decide = can_decide
        self.staff = staff  # sees the college's history beside the filing


class Access:
    """One caller's access for one request: the principal (None: anonymous) and the authorities
    it governs, read once. Routes, pages and presenters ask it — ``ensure(action, obj)`` raises
    the 403 of the rule, ``can(action, obj)`` answers it as a flag, ``restrict(query, column)``
    narrows a list to the governed authorities, ``filing_flags(filing)`` gives a page its
    buttons. Actions: see ``RULES``."""

    def __init__(self, session: Session, principal: Principal | None):
        self.session = session
        self.principal = principal
        self._governed: list[int] | None | bool = False  # False: not read yet

    @property
    def role(self) -> str | None:
        return self.principal.role if self.principal else None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF

    @property
    def governed(self) -> list[int] | None:
        """The governed authority ids; None for the superuser (every authority)."""
        if self._governed is False:
            self._governed = governed_authorities(self.session, self.principal)
        return self._governed  # type: ignore[return-value]

    def governs(self, authority_id: int | None) -> bool:
        governed = self.governed
        return governed is None or (authority_id is not None and authority_id in governed)

    def restrict(self, query: Q, column: Any) -> Q:
        """``query`` narrowed to rows whose authority ``column`` the caller governs."""
        return restrict(query, column, self.governed)

    def drafts_visible(self, query: Q, column: Any, public: Any) -> Q:
        """A list of lists: the public ones (``public``, a SQL condition) and the drafts of the
        authorities whose staff the caller is (``can_see_drafts`` as SQL)."""
        governed = self.governed if self.is_staff else []
        if governed is None:
            return query
        return query.where(public | column.in_(governed or [-1]))

    def _who(self) -> Principal:
        if self.principal is None:
            raise Unauthorized(error="not_authenticated")
        return self.principal

    def ensure(self, action: str, obj: Any = None) -> None:
        RULES[action][1](self.session, self._who(), obj)

    def can(self, action: str, obj: Any = None) -> bool:
        return self.principal is not None and RULES[action][0](self.session, self.principal, obj)

    def filing_flags(self, filing: FilingLike) -> FilingFlags:
        writes = self.can("filing.write", filing)
        return FilingFlags(
            can_edit=filing.status == FilingStatus.DRAFT and writes,
            can_withdraw=filing.status in (FilingStatus.DRAFT, FilingStatus.SUBMITTED) and writes,
            can_decide=filing.status == FilingStatus.SUBMITTED
            and self.can("filing.decide", filing),
            staff=self.is_staff,
        )


def _can_write_filing(session: Session, principal: Principal, filing: FilingLike) -> bool:
    return principal.role in FILERS and can_read_filing(session, principal, filing)


def _ensure_webhook(session: Session, principal: Principal, hook: WebhookLike) -> None:
    ensure_role(principal, Role.ADMIN)
    if not can_manage_webhook(session, principal, hook.authority_id):
        raise Forbidden(error="not_your_authority")


def _can_manage_user(session: Session, principal: Principal, authority_id: int | None) -> bool:
    return principal.role == Role.ADMIN and governs(session, principal, authority_id)


_Rule = Callable[[Session, Principal, Any], Any]

# action -> (the question as a flag, the check that raises its 403)
RULES: dict[str, tuple[_Rule, _Rule]] = {
    "filing.read": (can_read_filing, ensure_read_filing),
    "filing.write": (_can_write_filing, ensure_write_filing),
    "filing.decide": (
        lambda s, p, f: can_decide(s, p, f.authority_id),
        lambda s, p, f: ensure_decide(s, p, f.authority_id),
    ),
    "college.manage": (can_manage_college, ensure_manage_college),
    "college.file": (can_act_for_college, ensure_act_for_college),
    "college.private": (can_see_college_private, ensure_see_college_private),
    # obj: the list's authority id
    "list.drafts": (can_see_drafts, ensure_staff_of),
    "list.admin": (
        lambda s, p, a: p.role == Role.ADMIN and governs(s, p, a),
        ensure_admin_of,
    ),
    "webhook.manage": (lambda s, p, h: can_manage_webhook(s, p, h.authority_id), _ensure_webhook),
    # obj: the user's authority id (its own, or its college's)
    "user.manage": (_can_manage_user, ensure_manage_user),
}
