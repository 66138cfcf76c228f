"""Reading lists: who may see what, and the JSON that reads like the notice."""

from datetime import date
from itertools import groupby
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.access import policy
from app.access.principal import Principal
from app.authorities.models import Authority
from app.errors import NotFound
from app.programs.models import Program
from app.publications import tracing
from app.publications.layouts import layout_of
from app.publications.models import (
    ProgramApproval,
    Publication,
    PublicationDirection,
    PublicationLine,
    PublicationProject,
    PublicationSpecialty,
)
from app.publications.notice import objections_of as notice_objections
from app.publications.schemas import (
    AnnexLink,
    Announcement,
    DirectionAnnexPublic,
    EntryLine,
    LinePublic,
    ListEntryPublic,
    ObjectionPublic,
    ProjectPublic,
    PublicationPublic,
    PublicationSummary,
    SpecialtyPublic,
    length_cn,
)
from app.publications.service import annexes_of, get, latest_published, lines_of
from app.vocab import PublicationStatus

API = "/api/v1/publications"


PUBLIC_STATUSES = (PublicationStatus.PUBLISHED, PublicationStatus.ANNOUNCED)  # 公示中 is public


def get_visible(session: Session, publication_id: int, principal: Principal | None) -> Publication:
    """A published or announced (公示中) revision, or a draft the staff governing its authority
    may see (policy.can_see_drafts, the rule its writes follow); otherwise 404."""
    publication = get(session, publication_id)
    if publication.status not in PUBLIC_STATUSES and not policy.can_see_drafts(
        session, principal, publication.authority_id
    ):
        raise NotFound(error="publication_not_found", id=publication_id)
    return publication


def latest_of(session: Session, series: str) -> Publication:
    found = latest_published(session, series)
    if found is None:
        raise NotFound(
            error="publication_not_found", msg="publication_not_found.series", series=series
        )
    return found


def line_public(line: PublicationLine) -> LinePublic:
    return LinePublic(
        seq=line.seq,
        college_code=line.college_code,
        college=line.college,
        major_code=line.major_code,
        major_name=line.major_name,
        category=line.category,
        intake=line.intake,
        level=line.level or None,
        length_years=line.length_years,
        length=length_cn(line.length_years),
        remark=line.remark,
        entry_id=line.entry_id,
    )


def entries(
    lines: list[PublicationLine],
    programs: dict[int, int],
    before: set[tracing.Key] | None = None,
) -> list[ListEntryPublic]:
    """Lines grouped into numbered entries, as printed (one major, one or more lines);
    ``before``: the offerings of the revision a correction corrects (its other lines are new)."""
    result = []
    for seq, group in groupby(lines, key=lambda line: line.seq):
        members = list(group)
        first = members[0]
        result.append(
            ListEntryPublic(
                seq=seq,
                college_code=first.college_code,
                college=first.college,
                major_code=first.major_code,
                major_name=first.major_name,
                category=first.category,
                lines=[
                    EntryLine(
                        intake=m.intake,
                        level=m.level or None,
                        length_years=m.length_years,
                        length=length_cn(m.length_years),
                        remark=m.remark,
                        program_id=programs.get(m.id or 0),
                        entry_id=m.entry_id,
                        added=m.entry_id is None and bool(m.reason),
                        reason=m.reason,
                        new=before is not None and tracing.key_of(m) not in before,
                    )
                    for m in members
                ],
            )
        )
    return result


def _specialty(s: PublicationSpecialty) -> SpecialtyPublic:
    return SpecialtyPublic(
        major_name=s.major_name,
        major_code=s.major_code,
        level=s.level or None,
        length_years=s.length_years,
        length=length_cn(s.length_years),
        category=s.category,
        applicant_college=s.applicant_college,
    )


def _project(p: PublicationProject) -> ProjectPublic:
    suggestion = (
        {"code": p.suggested_code, "name": p.suggested_name or ""} if p.suggested_code else None
    )
    return ProjectPublic(
        seq=p.position + 1,
        school=p.school,
        college_code=p.college_code,
        major_name=p.major_name,
        major_code=p.major_code,
        suggestion=suggestion,
        project=p.project,
    )


def _direction(d: PublicationDirection) -> DirectionAnnexPublic:
    return DirectionAnnexPublic(
        seq=d.position + 1,
        school=d.school,
        college_code=d.college_code,
        original_name=d.original_name,
        normalised_name=d.normalised_name,
        note=d.note,
    )


def _entry_count(session: Session, publication_id: int) -> int:
    query = select(func.count(func.distinct(PublicationLine.seq))).where(
        PublicationLine.publication_id == publication_id
    )
    return session.exec(query).one()


def summary(
    session: Session, publication: Publication, today: date | None = None
) -> PublicationSummary:
    """``today``: the bureau's date, to say whether a 公示 period still runs."""
    assert publication.id is not None
    authority = session.get(Authority, publication.authority_id)
    latest = latest_published(session, publication.series)
    corrected_by = session.exec(
        select(Publication.id)
        .where(
            Publication.corrects_id == publication.id,
            Publication.status == PublicationStatus.PUBLISHED,
        )
        .order_by(col(Publication.id))
    ).all()
    pid = publication.id
    return PublicationSummary(
        id=pid,
        series=publication.series,
        revision=publication.revision,
        status=publication.status,
        latest=latest is not None and latest.id == pid,
        year=publication.year,
        authority=authority.code if authority else "",
        authority_name=authority.name if authority else "",
        system=publication.system,
        title=publication.title,
        document_number=publication.document_number,
        published_on=publication.published_on,
        published_at=publication.published_at,
        round_id=publication.round_id,
        checksum=publication.checksum,
        corrects=publication.corrects_id,
        correction_reason=publication.correction_reason,
        corrected_by=[i for i in corrected_by if i is not None],
        line_count=publication.line_count,
        entry_count=_entry_count(session, pid),
        links={
            "self": f"{API}/{pid}",
            "csv": f"{API}/{pid}.csv",
            "xlsx": f"{API}/{pid}.xlsx",
            **{
                f"{a.key}_csv": f"{API}/{pid}/{a.key}.csv"
                for a in layout_of(publication.system).annexes
            },
            "latest": f"{API}/{publication.series}/latest",
        },
        announcement=announcement_of(publication),
        announcement_open=publication.announced_until is not None
        and today is not None
        and today <= publication.announced_until,
    )


def announcement_of(publication: Publication) -> Announcement | None:
    start, until = publication.announced_from, publication.announced_until
    if start is None or until is None:
        return None
    return Announcement.model_validate(
        {
            "from": start,
            "until": until,
            "contact": publication.announcement_contact,
        }
    )


def _approved_programs(session: Session, publication_id: int) -> dict[int, int]:
    rows = session.exec(
        select(ProgramApproval.line_id, ProgramApproval.program_id).where(
            ProgramApproval.publication_id == publication_id
        )
    ).all()
    return dict(rows)


def _annex_links(publication: Publication, annexes: dict[str, list[Any]]) -> list[AnnexLink]:
    pid = publication.id
    return [
        AnnexLink(
            key=a.key,
            sheet=a.sheet,
            title=a.title,
            header=list(a.table.header),
            rows=len(annexes.get(a.key, [])),
            csv=f"{API}/{pid}/{a.key}.csv",
            xlsx=f"{API}/{pid}/{a.key}.xlsx",
        )
        for a in layout_of(publication.system).annexes
        if annexes.get(a.key) or not a.optional
    ]


def _corrected_keys(session: Session, publication: Publication) -> set[tracing.Key] | None:
    if publication.corrects_id is None or publication.status == PublicationStatus.PUBLISHED:
        return None
    return {tracing.key_of(x) for x in lines_of(session, publication.corrects_id)}


def public(
    session: Session,
    publication: Publication,
    principal: Principal | None = None,
    today: date | None = None,
) -> PublicationPublic:
    """The list as the notice prints it: its main table's header, numbered entries, and every
    annex of its layout (a page shows them from here). Its objections for the staff of its
    authority only; a correction's draft marks the lines new since the corrected revision."""
    assert publication.id is not None
    annexes = annexes_of(session, publication)
    staff = policy.can_see_drafts(session, principal, publication.authority_id)
    return PublicationPublic(
        **summary(session, publication, today).model_dump(by_alias=False),
        header=list(layout_of(publication.system).lines.header),
        entries=entries(
            lines_of(session, publication.id),
            _approved_programs(session, publication.id),
            _corrected_keys(session, publication),
        ),
        objections=[
            ObjectionPublic.model_validate(o, from_attributes=True)
            for o in (notice_objections(session, publication.id) if staff else [])
        ],
        specialties=[_specialty(s) for s in annexes.get("specialties", [])],
        projects=[_project(p) for p in annexes.get("projects", [])],
        directions=[_direction(d) for d in annexes.get("directions", [])],
        annexes=_annex_links(publication, annexes),
    )


def announced(session: Session) -> list[Publication]:
    """Lists in 公示 (public, not yet published), by id."""
    query = select(Publication).where(Publication.status == PublicationStatus.ANNOUNCED)
    return list(session.exec(query.order_by(col(Publication.id))).all())


def current_publications(
    session: Session,
    *,
    year: int | None = None,
    authority: str | None = None,
    system: str | None = None,
) -> list[Publication]:
    """The newest published revision of every list (a correction replaces what it corrects)."""
    newest = (
        select(Publication.series, func.max(Publication.revision).label("revision"))
        .where(Publication.status == PublicationStatus.PUBLISHED)
        .group_by(Publication.series)
        .subquery()
    )
    same = (newest.c.series == col(Publication.series)) & (
        newest.c.revision == col(Publication.revision)
    )
    query = select(Publication).join(newest, same)
    if year is not None:
        query = query.where(Publication.year == year)
    if system:
        query = query.where(Publication.system == system)
    if authority:
        query = query.join(Authority, col(Authority.id) == Publication.authority_id).where(
            Authority.code == authority
        )
    return list(session.exec(query.order_by(col(Publication.id))).all())


def list_publications(
    session: Session,
    principal: Principal | None,
    *,
    year: int | None,
    series: str | None,
    authority: str | None,
    status: str | None,
    after: int | None,
    limit: int,
) -> list[PublicationSummary]:
    """Newest first by id (keyset on id); the public sees published revisions only."""
    query = select(Publication).order_by(col(Publication.id).desc()).limit(limit + 1)
    public_ = col(Publication.status).in_(PUBLIC_STATUSES)
    access = policy.Access(session, principal)  # drafts: the staff governing the list's authority
    query = access.drafts_visible(query, col(Publication.authority_id), public_)
    if status:
        query = query.where(Publication.status == status)
    if year:
        query = query.where(Publication.year == year)
    if series:
        query = query.where(Publication.series == series)
    if authority:
        query = query.join(Authority, col(Authority.id) == Publication.authority_id).where(
            Authority.code == authority
        )
    if after is not None:
        query = query.where(col(Publication.id) < after)
    return [summary(session, p) for p in session.exec(query).all()]


def approvals_of_program(session: Session, program_id: int) -> list[PublicationSummary]:
    """The published revisions that approve a program, oldest first."""
    if session.get(Program, program_id) is None:
        raise NotFound(error="program_not_found", id=program_id)
    query = (
        select(Publication)
        .join(ProgramApproval, col(ProgramApproval.publication_id) == Publication.id)
        .where(ProgramApproval.program_id == program_id)
        .order_by(col(Publication.id))
    )
    return [summary(session, p) for p in session.exec(query).all()]
