"""Filing rounds: one per authority and year, with a window and the catalog editions in force."""

from datetime import datetime

from sqlmodel import Session, col, select

from app import audit
from app.auth import Principal
from app.authorities.models import Authority, AuthorityCatalog
from app.catalog import service as catalog
from app.catalog.models import CatalogEdition
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.filings.models import FilingRound, RoundEdition
from app.filings.schemas import RoundCreate, RoundPublic
from app.filings.service import as_utc


def _as_utc(moment: datetime) -> datetime:
    return as_utc(moment)


def _authority(session: Session, data: RoundCreate, actor: Principal) -> Authority:
    """The round's authority: the admin's own; a superuser names one."""
    if actor.authority_id is not None:
        own = session.get(Authority, actor.authority_id)
        assert own is not None
        if data.authority not in (None, own.code):
            raise Forbidden(
                "an admin opens rounds only for its own authority", error="not_your_authority"
            )
        return own
    if not data.authority:
        raise Invalid("name the round's authority", error="authority_required")
    found = session.exec(select(Authority).where(Authority.code == data.authority)).first()
    if found is None:
        raise NotFound(f"no authority {data.authority!r}", error="authority_not_found")
    return found


def _default_editions(session: Session, authority: Authority) -> list[int]:
    """The authority's catalogs, else its parent's (a city may apply the province's)."""
    current: Authority | None = authority
    while current is not None:
        ids = session.exec(
            select(AuthorityCatalog.edition_id).where(AuthorityCatalog.authority_id == current.id)
        ).all()
        if ids:
            return list(ids)
        current = session.get(Authority, current.parent_id) if current.parent_id else None
    return []


def create_round(session: Session, data: RoundCreate, *, actor: Principal) -> FilingRound:
    authority = _authority(session, data, actor)
    if _as_utc(data.closes_at) <= _as_utc(data.opens_at):
        raise Invalid("closes_at must be after opens_at", error="bad_window")
    exists = select(FilingRound).where(
        FilingRound.authority_id == authority.id, FilingRound.year == data.year
    )
    if session.exec(exists).first():
        raise Conflict(f"{authority.code} already has a {data.year} round", error="round_exists")
    if data.editions:
        edition_ids = [
            e.id
            for e in (catalog.get_edition(session, k) for k in data.editions)
            if e.id is not None
        ]
    else:
        edition_ids = _default_editions(session, authority)
    assert authority.id is not None
    filing_round = FilingRound(
        authority_id=authority.id,
        year=data.year,
        title=data.title,
        opens_at=_as_utc(data.opens_at),
        closes_at=_as_utc(data.closes_at),
        created_by=actor.name,
    )
    session.add(filing_round)
    session.flush()
    assert filing_round.id is not None
    session.add_all(
        [RoundEdition(round_id=filing_round.id, edition_id=e) for e in edition_ids if e is not None]
    )
    session.flush()
    audit.record(
        session,
        actor,
        action="round.create",
        target_type="filing_round",
        target_id=filing_round.id,
        after=data.model_dump(mode="json") | {"authority": authority.code},
        authority_id=authority.id,
    )
    return filing_round


def list_rounds(
    session: Session,
    *,
    authority: str | None = None,
    year: int | None = None,
    after: int | None = None,
    limit: int = 50,
) -> list[RoundPublic]:
    query = (
        select(FilingRound, Authority.code)
        .join(Authority, Authority.id == FilingRound.authority_id)
        .order_by(col(FilingRound.id))
        .limit(limit + 1)
    )
    if authority:
        query = query.where(Authority.code == authority)
    if year:
        query = query.where(FilingRound.year == year)
    if after is not None:
        query = query.where(col(FilingRound.id) > after)
    rows = session.exec(query).all()
    ids = [r.id for r, _ in rows]
    keys: dict[int, list[str]] = {}
    if ids:
        pairs = session.exec(
            select(RoundEdition.round_id, CatalogEdition.key)
            .join(CatalogEdition, CatalogEdition.id == RoundEdition.edition_id)
            .where(col(RoundEdition.round_id).in_(ids))
            .order_by(CatalogEdition.key)
        ).all()
        for round_id, key in pairs:
            keys.setdefault(round_id, []).append(key)
    return [round_public(r, code, keys.get(r.id or 0, [])) for r, code in rows]


def round_public(r: FilingRound, authority_code: str, editions: list[str]) -> RoundPublic:
    assert r.id is not None
    now = audit.utcnow()
    return RoundPublic(
        id=r.id,
        authority=authority_code,
        year=r.year,
        title=r.title,
        opens_at=_as_utc(r.opens_at),
        closes_at=_as_utc(r.closes_at),
        editions=editions,
        open=_as_utc(r.opens_at) <= now <= _as_utc(r.closes_at),
    )


def get_round_public(session: Session, round_id: int) -> RoundPublic:
    rows = list_rounds(session, after=round_id - 1, limit=1)
    if not rows or rows[0].id != round_id:
        raise NotFound(f"no round {round_id}", error="round_not_found")
    return rows[0]
