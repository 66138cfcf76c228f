"""Writing lists: draft → edit while draft → publish (frozen, checksummed) → corrections.

Every function here is one write request: it records exactly one audit entry and never commits.
A published revision is never changed: each write checks ``_editable`` first (409 ``published``).
"""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app import writes
from app.access import policy
from app.access.principal import Principal
from app.authorities import service as authorities
from app.authorities.models import Authority
from app.clock import utcnow
from app.colleges.models import College
from app.errors import Conflict, Invalid, NotFound
from app.filings.models import FilingRound
from app.i18n import t
from app.localtime import local
from app.publications import annexes as annex_input
from app.publications import closures, drafting, effect, export, snapshots, tracing
from app.publications.layouts import layout_of
from app.publications.models import (
    Objection,
    Publication,
    PublicationClosure,
    PublicationDirection,
    PublicationLine,
    PublicationProject,
    PublicationSpecialty,
)
from app.publications.schemas import (
    LineIn,
    LinesIn,
    PublicationCreate,
    PublicationMeta,
    SpecialtiesIn,
)
from app.vocab import ObjectionStatus, PublicationStatus

# The table of each annex a layout names (layouts.py): one row model per printed table.
ANNEX_MODELS: dict[str, Any] = {
    "specialties": PublicationSpecialty,
    "projects": PublicationProject,
    "directions": PublicationDirection,
    "closures": PublicationClosure,  # issue 24 (closures.py)
}


def get(session: Session, publication_id: int, *, lock: bool = False) -> Publication:
    publication = session.get(Publication, publication_id, with_for_update=lock)
    if publication is None:
        raise NotFound(error="publication_not_found", id=publication_id)
    return publication


def lines_of(session: Session, publication_id: int) -> list[PublicationLine]:
    query = select(PublicationLine).where(PublicationLine.publication_id == publication_id)
    return list(session.exec(query.order_by(col(PublicationLine.position))).all())


def annex_rows(session: Session, publication_id: int, key: str) -> list[Any]:
    """The rows of one annex (附件2, 附件3…) in printed order."""
    model = ANNEX_MODELS[key]
    query = select(model).where(model.publication_id == publication_id)
    return list(session.exec(query.order_by(col(model.position))).all())


def specialties_of(session: Session, publication_id: int) -> list[PublicationSpecialty]:
    return annex_rows(session, publication_id, "specialties")


def annexes_of(session: Session, publication: Publication) -> dict[str, list[Any]]:
    """Every annex the list's layout prints, by key."""
    assert publication.id is not None
    layout = layout_of(publication.system)
    return {a.key: annex_rows(session, publication.id, a.key) for a in layout.annexes}


def _editable(session: Session, publication_id: int, actor: Principal) -> Publication:
    """The draft to change, locked; a published revision gets 409 and stays as it is."""
    publication = get(session, publication_id, lock=True)
    policy.ensure_admin_of(session, actor, publication.authority_id, msg="not_your_authority.list")
    if publication.status == PublicationStatus.PUBLISHED:
        raise Conflict(
            {
                "id": publication.id,
                "checksum": publication.checksum,
            },
            error="published",
        )
    return publication


def _authority(session: Session, code: str | None, actor: Principal) -> Authority:
    if code is None:
        if actor.authority_id is None:
            raise Invalid(error="authority_required", msg="authority_required.publication")
        found = session.get(Authority, actor.authority_id)
    else:
        found = authorities.get_by_code(session, code)
    if found is None or found.id is None:
        raise NotFound(error="authority_not_found", code=code)
    policy.ensure_admin_of(session, actor, found.id, msg="not_your_authority.list")
    return found


def _check_colleges(session: Session, authority_id: int, lines: Sequence[PublicationLine]) -> None:
    """A list approves programs of the colleges its authority governs only: 广州市人社局's list
    cannot carry a 中职 school's major, whoever drafts it."""
    ids = {line.college_id for line in lines}
    owners = dict(
        session.exec(select(College.id, College.authority_id).where(col(College.id).in_(ids))).all()
    )
    governed = {a: authorities.is_within(session, a, authority_id) for a in set(owners.values())}
    outside = [i for i, line in enumerate(lines) if not governed.get(owners.get(line.college_id))]
    if outside:
        raise Invalid(
            {
                "lines": outside[:100],
            },
            error="college_outside_authority",
        )


def store(
    session: Session,
    publication: Publication,
    lines: Sequence[PublicationLine] | None = None,
    specialties: Sequence[PublicationSpecialty] | None = None,
    annexes: Mapping[str, Sequence[Any]] | None = None,
) -> None:
    """Replace the draft's lines and/or annexes (whichever is given; ``specialties`` is 附件2 of
    a technician list)."""
    assert publication.id is not None
    if lines is not None:
        _check_colleges(session, publication.authority_id, lines)
        session.execute(
            delete(PublicationLine).where(col(PublicationLine.publication_id) == publication.id)
        )
        for line in lines:
            line.publication_id = publication.id
            session.add(line)
        publication.line_count = len(lines)
    replaced = dict(annexes or {})
    if specialties is not None:
        replaced["specialties"] = specialties
    for key, rows in replaced.items():
        model = ANNEX_MODELS[key]
        session.execute(delete(model).where(col(model.publication_id) == publication.id))
        for row in rows:
            row.publication_id = publication.id
            session.add(row)
    session.add(publication)
    session.flush()


def _round_of(session: Session, round_id: int | None) -> FilingRound | None:
    if round_id is None:
        return None
    found = session.get(FilingRound, round_id)
    if found is None:
        raise NotFound(error="round_not_found", id=round_id)
    return found


def _draft_lines(
    session: Session, data: PublicationCreate, publication: Publication
) -> list[PublicationLine]:
    if data.round_id is None:
        return traced_lines(session, publication, data.lines or [])
    found = _round_of(session, data.round_id)
    assert found is not None
    if found.authority_id != publication.authority_id or found.year != publication.year:
        raise Invalid(error="round_mismatch")
    if data.lines is not None:
        raise Invalid(error="round_and_lines")
    return drafting.lines_from_round(session, data.round_id)


def traced_lines(
    session: Session, publication: Publication, given: Sequence[LineIn]
) -> list[PublicationLine]:
    """Lines as typed, each traced to an approval or explained by its reason (tracing.py)."""
    lines = drafting.lines_from_input(session, given)
    _check_colleges(session, publication.authority_id, lines)
    extras = [tracing.Given(entry_id=g.entry_id, reason=g.reason) for g in given]
    tracing.trace(session, publication, lines, extras)
    return lines


def default_title(authority: Authority, year: int) -> str:
    """The notice's title as the 2024 lists print it: 2024年广州市技工院校新增专业名单,
    2024年广州市中等职业学校新设专业名单."""
    place = authority.city or authority.province
    kind = (
        "技工院校新增专业名单" if authority.system == "technician" else "中等职业学校新设专业名单"
    )
    return f"{year}年{place}{kind}"


def _head(
    session: Session, data: PublicationCreate, actor: Principal
) -> tuple[Authority, int, str]:
    """Authority, year and title of a new draft: given, or the round's (a default title)."""
    found = _round_of(session, data.round_id)
    code = data.authority
    if code is None and found is not None:
        own = session.get(Authority, found.authority_id)
        code = own.code if own else None
    authority = _authority(session, code, actor)
    year = data.year or (found.year if found else None)
    missing = [k for k, v in (("year", year), ("title", data.title or found)) if not v]
    if year is None or missing:
        raise Invalid({"fields": missing}, error="draft_fields_required")
    return authority, year, data.title or default_title(authority, year)


def _draft_annexes(
    session: Session, data: PublicationCreate, publication: Publication, year: int
) -> dict[str, list[Any]]:
    """附件2 and 附件3 of a 中职 list as given (a layout without them refuses them: 422); drafted
    from a round, 附件3 defaults to the 专业方向 recorded that year."""
    system = publication.system
    given = {"projects": data.projects, "directions": data.directions}
    layout = layout_of(system)
    out: dict[str, list[Any]] = {}
    for key, rows in given.items():
        if rows is None:
            continue
        if layout.annex(key) is None:
            raise Invalid(
                {"field": key},
                error="annex_not_in_layout",
                system=t(f"system.{system}"),
                key=key,
            )
        out[key] = annex_input.rows_from_input(session, key, rows)
    if data.round_id is not None and data.directions is None and layout.annex("directions"):
        out["directions"] = annex_input.recorded_directions(
            session, authority_id=publication.authority_id, year=year
        )
    return out


def next_revision(session: Session, series: str) -> int:
    last = session.exec(select(func.max(Publication.revision)).where(Publication.series == series))
    return (last.one() or 0) + 1


def create_draft(session: Session, data: PublicationCreate, *, actor: Principal) -> Publication:
    """A draft revision 1 of a new series, from a round's approved entries or from lines."""
    authority, year, title = _head(session, data, actor)
    assert authority.id is not None
    series = data.series or f"{authority.code}-{year}"
    if next_revision(session, series) != 1:
        raise Conflict(error="series_exists", series=series)
    publication = Publication(
        series=series,
        authority_id=authority.id,
        system=authority.system,
        year=year,
        title=title,
        document_number=data.document_number,
        published_on=data.published_on,
        round_id=data.round_id,
        created_by=actor.name,
    )
    lines = _draft_lines(session, data, publication)
    specialties = (
        drafting.specialties_from_input(data.specialties)
        if data.specialties is not None
        else drafting.specialties_from_lines(session, lines, year)
    )
    session.add(publication)
    session.flush()
    annexes = _draft_annexes(session, data, publication, year) | closures.drafted(
        session, publication
    )
    store(session, publication, lines, specialties, annexes)
    writes.record(
        session,
        actor,
        action="publication.create",
        target_type="publication",
        target_id=publication.id,
        authority_id=authority.id,
        after={
            "series": series,
            "year": year,
            "lines": len(lines),
            "round_id": data.round_id,
            "added": _additions(lines),
        },
    )
    return publication


def _additions(lines: Sequence[PublicationLine]) -> list[dict[str, Any]]:
    """Lines added by hand (no filing entry), for the audit: what and why."""
    return [
        {"seq": x.seq, "college": x.college_code, "major_code": x.major_code, "reason": x.reason}
        for x in lines
        if x.entry_id is None and x.reason
    ][:100]


def update_meta(
    session: Session, publication_id: int, data: PublicationMeta, *, actor: Principal
) -> Publication:
    publication = _editable(session, publication_id, actor)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    before = {key: getattr(publication, key) for key in changes}
    for key, value in changes.items():
        setattr(publication, key, value)
    session.add(publication)
    writes.record(
        session,
        actor,
        action="publication.update",
        target_type="publication",
        target_id=publication.id,
        before=before,
        after=changes,
        authority_id=publication.authority_id,
    )
    return publication


def replace_lines(
    session: Session, publication_id: int, data: LinesIn, *, actor: Principal
) -> Publication:
    publication = _editable(session, publication_id, actor)
    before = publication.line_count
    lines = traced_lines(session, publication, data.lines)
    store(session, publication, lines)
    writes.record(
        session,
        actor,
        action="publication.lines",
        target_type="publication",
        target_id=publication.id,
        before={"lines": before},
        after={"lines": publication.line_count, "added": _additions(lines)},
        authority_id=publication.authority_id,
    )
    return publication


def replace_specialties(
    session: Session, publication_id: int, data: SpecialtiesIn, *, actor: Principal
) -> Publication:
    publication = _editable(session, publication_id, actor)
    store(session, publication, specialties=drafting.specialties_from_input(data.specialties))
    writes.record(
        session,
        actor,
        action="publication.specialties",
        target_type="publication",
        target_id=publication.id,
        after={"specialties": len(data.specialties)},
        authority_id=publication.authority_id,
    )
    return publication


def replace_annex(
    session: Session, publication_id: int, key: str, given: Sequence[Any], *, actor: Principal
) -> Publication:
    """Replace a draft's 附件2 (示范专业及校企合作项目) or 附件3 (专业方向名称规范备案)."""
    publication = _editable(session, publication_id, actor)
    if layout_of(publication.system).annex(key) is None:
        system = t(f"system.{publication.system}")
        raise NotFound(error="annex_not_found", system=system, key=key)
    rows = annex_input.rows_from_input(session, key, given)
    store(session, publication, annexes={key: rows})
    writes.record(
        session,
        actor,
        action=f"publication.{key}",
        target_type="publication",
        target_id=publication.id,
        after={key: len(rows)},
        authority_id=publication.authority_id,
    )
    return publication


def delete_draft(session: Session, publication_id: int, *, actor: Principal) -> None:
    publication = _editable(session, publication_id, actor)
    store(session, publication, [], annexes={key: [] for key in ANNEX_MODELS})
    session.delete(publication)
    writes.record(
        session,
        actor,
        action="publication.delete",
        target_type="publication",
        target_id=publication_id,
        before={"series": publication.series, "revision": publication.revision},
        authority_id=publication.authority_id,
    )


def today_in(zone: ZoneInfo) -> date:
    """The bureau's today (setting REGISTRY_TIMEZONE): 公示 periods are its dates."""
    return local(utcnow(), zone).date()


def check_ready(
    session: Session,
    publication: Publication,
    lines: Sequence[PublicationLine],
    *,
    today: date,
    notice_recorded: bool = False,
) -> None:
    """What publishing needs: lines, a 发布日期, the 公示 its authority requires over (the
    bureau's today after ``until``) with no objection open, and lines that can take effect."""
    if not lines and not closures.rows_of(session, publication.id or 0):
        raise Conflict(error="empty_publication")
    if publication.published_on is None:
        raise Conflict(error="published_on_required")
    authority = session.get(Authority, publication.authority_id)
    until = publication.announced_until
    if (
        until is None
        and authority is not None
        and authority.notice_required
        and not notice_recorded
    ):
        raise Conflict(error="announcement_required", days=authority.notice_days)
    if until is not None and today <= until:
        raise Conflict({"until": until.isoformat()}, error="announcement_open", until=until)
    open_ = session.exec(
        select(Objection.id).where(
            Objection.publication_id == publication.id, Objection.status == ObjectionStatus.OPEN
        )
    ).all()
    if open_:
        raise Conflict({"objections": list(open_)}, error="objection_open", count=len(open_))
    tracing.conflicts(session, publication, lines)


def publish(
    session: Session,
    publication_id: int,
    *,
    actor: Principal,
    today: date,
    notice_recorded: bool = False,
) -> tuple[Publication, int]:
    """Freeze a draft: store its checksum; the approvals it carries take effect (their programs
    become active, linked to this revision); the round it was drafted from is closed. Twice →
    409. ``notice_recorded``: the list records a notice published outside the registry (the
    seed's 2024 notices), whose 公示 the registry never held."""
    publication = _editable(session, publication_id, actor)
    lines = lines_of(session, publication_id)
    check_ready(session, publication, lines, today=today, notice_recorded=notice_recorded)
    publication.status = PublicationStatus.PUBLISHED
    publication.checksum = export.checksum(layout_of(publication.system), lines)
    publication.published_at = utcnow()
    publication.published_by = actor.name
    session.add(publication)
    linked = effect.approvals_take_effect(session, publication, lines, actor=actor)
    _close_round(session, publication)
    closed = closures.take_effect(session, publication, actor=actor)  # 停招 / 撤销 (issue 24)
    session.flush()
    writes.record(
        session,
        actor,
        action="publication.publish",
        target_type="publication",
        target_id=publication.id,
        authority_id=publication.authority_id,
        after={
            "series": publication.series,
            "revision": publication.revision,
            "checksum": publication.checksum,
            "lines": len(lines),
            "programs": linked,
            "added": _additions(lines),
            "closures": closed,
        },
        changes=[snapshots.publication(publication, "created")],  # public from now on
    )
    return publication, linked


def _close_round(session: Session, publication: Publication) -> None:
    """The round's list is out: no new submissions to it (late approvals reach a correction)."""
    found = _round_of(session, publication.round_id)
    if found is not None and found.closed_by_list is None:
        found.closed_by_list = publication.id
        session.add(found)


def latest_published(session: Session, series: str) -> Publication | None:
    query = select(Publication).where(
        Publication.series == series, Publication.status == PublicationStatus.PUBLISHED
    )
    return session.exec(query.order_by(col(Publication.revision).desc())).first()
