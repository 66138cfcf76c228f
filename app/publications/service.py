"""Writing lists: draft → edit while draft → publish (frozen, checksummed) → corrections.

Every function here is one write request: it records exactly one audit entry and never commits.
A published revision is never changed: each write checks ``_editable`` first (409 ``published``).
"""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app import audit
from app.access import policy
from app.access.principal import Principal
from app.authorities import service as authorities
from app.authorities.models import Authority
from app.changes import snapshots
from app.clock import utcnow
from app.colleges.models import College
from app.errors import Conflict, Invalid, NotFound
from app.i18n import t
from app.programs.models import Program
from app.publications import annexes as annex_input
from app.publications import closures, drafting, export
from app.publications.layouts import layout_of
from app.publications.models import (
    ProgramApproval,
    Publication,
    PublicationClosure,
    PublicationDirection,
    PublicationLine,
    PublicationProject,
    PublicationSpecialty,
)
from app.publications.schemas import (
    LinesIn,
    PublicationCreate,
    PublicationMeta,
    SpecialtiesIn,
)

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
    if publication.status == "published":
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


def _check_colleges(session: Session, authority_id: int, lines: Sequence[PublicationLine]):
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


def _draft_lines(
    session: Session, data: PublicationCreate, authority_id: int
) -> list[PublicationLine]:
    if data.round_id is None:
        return drafting.lines_from_input(session, data.lines or [])
    from app.filings.models import FilingRound

    found = session.get(FilingRound, data.round_id)
    if found is None:
        raise NotFound(error="round_not_found", id=data.round_id)
    if found.authority_id != authority_id or found.year != data.year:
        raise Invalid(error="round_mismatch")
    if data.lines is not None:
        raise Invalid(error="round_and_lines")
    return drafting.lines_from_round(session, data.round_id)


def _draft_annexes(
    session: Session, data: PublicationCreate, publication: Publication
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
            session, authority_id=publication.authority_id, year=data.year
        )
    return out


def next_revision(session: Session, series: str) -> int:
    last = session.exec(select(func.max(Publication.revision)).where(Publication.series == series))
    return (last.one() or 0) + 1


def create_draft(session: Session, data: PublicationCreate, *, actor: Principal) -> Publication:
    """A draft revision 1 of a new series, from a round's approved entries or from lines."""
    authority = _authority(session, data.authority, actor)
    assert authority.id is not None
    series = data.series or f"{authority.code}-{data.year}"
    if next_revision(session, series) != 1:
        raise Conflict(error="series_exists", series=series)
    lines = _draft_lines(session, data, authority.id)
    specialties = (
        drafting.specialties_from_input(data.specialties)
        if data.specialties is not None
        else drafting.specialties_from_lines(session, lines, data.year)
    )
    publication = Publication(
        series=series,
        authority_id=authority.id,
        system=authority.system,
        year=data.year,
        title=data.title,
        document_number=data.document_number,
        published_on=data.published_on,
        round_id=data.round_id,
        created_by=actor.name,
    )
    session.add(publication)
    session.flush()
    annexes = _draft_annexes(session, data, publication) | closures.drafted(session, publication)
    store(session, publication, lines, specialties, annexes)
    audit.record(
        session,
        actor,
        action="publication.create",
        target_type="publication",
        target_id=publication.id,
        authority_id=authority.id,
        after={"series": series, "year": data.year, "lines": len(lines), "round_id": data.round_id},
    )
    return publication


def update_meta(
    session: Session, publication_id: int, data: PublicationMeta, *, actor: Principal
) -> Publication:
    publication = _editable(session, publication_id, actor)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    before = {key: getattr(publication, key) for key in changes}
    for key, value in changes.items():
        setattr(publication, key, value)
    session.add(publication)
    audit.record(
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
    store(session, publication, drafting.lines_from_input(session, data.lines))
    audit.record(
        session,
        actor,
        action="publication.lines",
        target_type="publication",
        target_id=publication.id,
        before={"lines": before},
        after={"lines": publication.line_count},
        authority_id=publication.authority_id,
    )
    return publication


def replace_specialties(
    session: Session, publication_id: int, data: SpecialtiesIn, *, actor: Principal
) -> Publication:
    publication = _editable(session, publication_id, actor)
    store(session, publication, specialties=drafting.specialties_from_input(data.specialties))
    audit.record(
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
    audit.record(
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
    audit.record(
        session,
        actor,
        action="publication.delete",
        target_type="publication",
        target_id=publication_id,
        before={"series": publication.series, "revision": publication.revision},
        authority_id=publication.authority_id,
    )


def _link_programs(
    session: Session, publication: Publication, lines: Sequence[PublicationLine]
) -> int:
    """Point each program the list approves to this revision (the active program of the line's
    college, major, level and intake; filings' review created it when the entry was approved)."""
    linked = 0
    for line in lines:
        program = session.exec(
            select(Program.id).where(
                Program.college_id == line.college_id,
                Program.major_id == line.major_id,
                Program.level == line.level,
                Program.intake == line.intake,
                Program.status == "active",
            )
        ).first()
        if program is not None and line.id is not None and publication.id is not None:
            session.add(
                ProgramApproval(program_id=program, publication_id=publication.id, line_id=line.id)
            )
            linked += 1
    return linked


def publish(session: Session, publication_id: int, *, actor: Principal) -> tuple[Publication, int]:
    """Freeze a draft: store its checksum, link the programs it approves. Twice → 409."""
    publication = _editable(session, publication_id, actor)
    lines = lines_of(session, publication_id)
    if not lines and not closures.rows_of(session, publication_id):
        raise Conflict(error="empty_publication")
    publication.status = "published"
    publication.checksum = export.checksum(layout_of(publication.system), lines)
    publication.published_at = utcnow()
    publication.published_by = actor.name
    session.add(publication)
    linked = _link_programs(session, publication, lines)
    closed = closures.take_effect(session, publication, actor=actor)  # 停招 / 撤销 (issue 24)
    session.flush()
    snapshots.publication(session, publication, "created")  # public from now on (drafts never)
    audit.record(
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
            "closures": closed,
        },
    )
    return publication, linked


def latest_published(session: Session, series: str) -> Publication | None:
    query = select(Publication).where(
        Publication.series == series, Publication.status == "published"
    )
    return session.exec(query.order_by(col(Publication.revision).desc())).first()
