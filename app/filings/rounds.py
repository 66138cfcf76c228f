"""Filing rounds: one per authority and year, with a window and the catalog editions in force.

One round per authority and year (a unique constraint): a filing belongs to the round of its
year, and the year's approval list is drafted from that round. A late window (补报) is the same
round extended or reopened (``update_round``), never a second round of the year.
Moments are typed and shown in the bureau's time zone (``app.localtime``), stored in UTC.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app import writes
from app.access.policy import ensure_governs
from app.access.principal import Principal
from app.authorities import service as authorities
from app.authorities.models import Authority
from app.catalog import service as catalog
from app.catalog.models import CatalogEdition
from app.clock import rfc3339, utcnow
from app.errors import Conflict, Invalid, NotFound
from app.filings.models import FilingRound, RoundEdition
from app.filings.schemas import RoundClose, RoundCreate, RoundPublic, RoundUpdate
from app.localtime import as_utc, show, to_utc


def _as_utc(moment: datetime) -> datetime:
    return as_utc(moment)


def _authority(session: Session, data: RoundCreate, actor: Principal) -> Authority:
    """The round's authority: the one named (within the admin's), else the admin's own."""
    if data.authority:
        found = authorities.get_by_code(session, data.authority)
    elif actor.authority_id is not None:
        found = session.get_one(Authority, actor.authority_id)
    else:
        raise Invalid(error="authority_required", msg="authority_required.round")
    ensure_governs(session, actor, found.id, msg="not_your_authority.round")
    return found


def _check_window(opens_at: datetime, closes_at: datetime) -> None:
    if as_utc(closes_at) <= as_utc(opens_at):
        raise Invalid(
            {
                "opens_at": rfc3339(opens_at),
                "closes_at": rfc3339(closes_at),
            },
            error="bad_window",
        )


def _edition_ids(session: Session, keys: list[str]) -> list[int]:
    editions = [catalog.get_edition(session, k) for k in dict.fromkeys(keys)]
    return [e.id for e in editions if e.id is not None]


def create_round(
    session: Session, data: RoundCreate, *, actor: Principal, zone: ZoneInfo
) -> FilingRound:
    authority = _authority(session, data, actor)
    opens_at = to_utc(data.opens_at, zone, end_of_day=False)
    closes_at = to_utc(data.closes_at, zone, end_of_day=True)
    _check_window(opens_at, closes_at)
    exists = select(FilingRound).where(
        FilingRound.authority_id == authority.id, FilingRound.year == data.year
    )
    found = session.exec(exists).first()
    if found:
        raise Conflict(
            {
                "round": found.id,
            },
            error="round_exists",
            authority=authority.code,
            year=data.year,
            id=found.id,
        )
    if data.editions:
        edition_ids = _edition_ids(session, data.editions)
    else:
        chain = authorities.chain(session, authority.id)
        edition_ids = authorities.nearest_editions(session, chain)
    assert authority.id is not None
    filing_round = FilingRound(
        authority_id=authority.id,
        year=data.year,
        title=data.title,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor.name,
    )
    session.add(filing_round)
    session.flush()
    assert filing_round.id is not None
    session.add_all(
        [RoundEdition(round_id=filing_round.id, edition_id=e) for e in edition_ids if e is not None]
    )
    session.flush()
    writes.record(
        session,
        actor,
        action="round.create",
        target_type="filing_round",
        target_id=filing_round.id,
        after=data.model_dump(mode="json")
        | {
            "authority": authority.code,
            "opens_at": rfc3339(opens_at),
            "closes_at": rfc3339(closes_at),
        },
        authority_id=authority.id,
    )
    return filing_round


def _locked_round(session: Session, round_id: int) -> FilingRound:
    query = select(FilingRound).where(FilingRound.id == round_id).with_for_update()
    found = session.exec(query).first()
    if found is None:
        raise NotFound({}, error="round_not_found", id=round_id)
    return found


def _round_state(session: Session, r: FilingRound) -> dict[str, Any]:
    return {
        "title": r.title,
        "opens_at": rfc3339(r.opens_at),
        "closes_at": rfc3339(r.closes_at),
        "editions": sorted(_round_editions(session, r.id or 0)),
    }


def _round_editions(session: Session, round_id: int) -> list[str]:
    return list(
        session.exec(
            select(CatalogEdition.key)
            .join(RoundEdition, col(RoundEdition.edition_id) == CatalogEdition.id)
            .where(RoundEdition.round_id == round_id)
        ).all()
    )


def _changed(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in after if after[k] != before[k]]
    return {k: before[k] for k in keys}, {k: after[k] for k in keys}


def update_round(
    session: Session, round_id: int, data: RoundUpdate, *, actor: Principal, zone: ZoneInfo
) -> FilingRound:
    """Edit the title, the window (extend, shorten, reopen) and the editions in force; one audit
    record with what changed (before and after) and the reason. Filings already checked keep
    their findings until they are checked again (at the next save or at submission)."""
    filing_round = _locked_round(session, round_id)
    ensure_governs(session, actor, filing_round.authority_id, msg="not_your_authority.round")
    before = _round_state(session, filing_round)
    if data.title is not None:
        filing_round.title = data.title
    if data.opens_at is not None:
        filing_round.opens_at = to_utc(data.opens_at, zone, end_of_day=False)
    if data.closes_at is not None:
        filing_round.closes_at = to_utc(data.closes_at, zone, end_of_day=True)
    _check_window(filing_round.opens_at, filing_round.closes_at)
    if data.editions is not None:
        ids = _edition_ids(session, data.editions)
        for row in session.exec(select(RoundEdition).where(RoundEdition.round_id == round_id)):
            session.delete(row)
        session.flush()
        session.add_all([RoundEdition(round_id=round_id, edition_id=e) for e in ids])
    session.add(filing_round)
    session.flush()
    old, new = _changed(before, _round_state(session, filing_round))
    writes.record(
        session,
        actor,
        action="round.update",
        target_type="filing_round",
        target_id=round_id,
        before=old,
        after=new,
        reason=data.reason,
        authority_id=filing_round.authority_id,
    )
    return filing_round


def close_round(
    session: Session, round_id: int, data: RoundClose, *, actor: Principal
) -> FilingRound:
    """Close the window now (before its deadline); 409 when it is already closed. Reopening is
    an edit of ``closes_at``."""
    filing_round = _locked_round(session, round_id)
    ensure_governs(session, actor, filing_round.authority_id, msg="not_your_authority.round")
    now = utcnow()
    if as_utc(filing_round.closes_at) <= now:
        raise Conflict(
            {"closes_at": rfc3339(filing_round.closes_at)},
            error="round_already_closed",
        )
    before = {"opens_at": as_utc(filing_round.opens_at), "closes_at": filing_round.closes_at}
    filing_round.closes_at = now
    if as_utc(filing_round.opens_at) > now:  # closing a round that never opened
        filing_round.opens_at = now
    session.add(filing_round)
    session.flush()
    writes.record(
        session,
        actor,
        action="round.close",
        target_type="filing_round",
        target_id=round_id,
        before={k: rfc3339(v) for k, v in before.items()},
        after={"opens_at": rfc3339(filing_round.opens_at), "closes_at": rfc3339(now)},
        reason=data.reason,
        authority_id=filing_round.authority_id,
    )
    return filing_round


def list_rounds(
    session: Session,
    *,
    zone: ZoneInfo,
    authority: str | None = None,
    year: int | None = None,
    after: int | None = None,
    limit: int = 50,
) -> list[RoundPublic]:
    query = (
        select(FilingRound, Authority.code)
        .join(Authority, col(Authority.id) == FilingRound.authority_id)
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
            .join(CatalogEdition, col(CatalogEdition.id) == RoundEdition.edition_id)
            .where(col(RoundEdition.round_id).in_(ids))
            .order_by(CatalogEdition.key)
        ).all()
        for round_id, key in pairs:
            keys.setdefault(round_id, []).append(key)
    return [round_public(r, code, keys.get(r.id or 0, []), zone) for r, code in rows]


def round_public(
    r: FilingRound, authority_code: str, editions: list[str], zone: ZoneInfo
) -> RoundPublic:
    assert r.id is not None
    now = utcnow()
    return RoundPublic(
        id=r.id,
        authority=authority_code,
        year=r.year,
        title=r.title,
        opens_at=_as_utc(r.opens_at),
        closes_at=_as_utc(r.closes_at),
        timezone=zone.key,
        opens_at_local=show(r.opens_at, zone),
        closes_at_local=show(r.closes_at, zone, deadline=True),
        editions=editions,
        open=r.closed_by_list is None and _as_utc(r.opens_at) <= now <= _as_utc(r.closes_at),
        created_by=r.created_by,
        closed_by_list=r.closed_by_list,
    )


def get_round_public(session: Session, round_id: int, *, zone: ZoneInfo) -> RoundPublic:
    rows = list_rounds(session, zone=zone, after=round_id - 1, limit=1)
    if not rows or rows[0].id != round_id:
        raise NotFound({}, error="round_not_found", id=round_id)
    return rows[0]
