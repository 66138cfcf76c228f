"""Turning input into a list's lines: from an admin's lines, or from a round's approved entries."""

from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, select

from app.catalog.models import CatalogEdition, Category, Major
from app.colleges.models import College
from app.errors import AppError, Invalid
from app.filings.schemas import ApprovedEntry
from app.i18n import Joined
from app.programs.lifecycle import offering_program, reopen_remark, suspended_since
from app.programs.service import resolve_major
from app.publications.models import PublicationLine, PublicationSpecialty
from app.publications.schemas import LineIn, SpecialtyIn
from app.vocab import Kind

# 备注 as the 2024 list prints it for each kind; 改名 prints the former name (原重型车辆维修改名)
# and 复开 the years it was suspended when the registry knows them (停招三年后复开, entry 35).
KIND_REMARK = {Kind.NEW_LEVEL: "新增层次", Kind.REOPEN: "停招后复开"}


def official_remark(session: Session, entry: ApprovedEntry) -> str:
    """The 备注 the list prints: the reviewer's public remark, else what the kind says. The
    college's own remark is its note to the bureau and is never printed."""
    if entry.public_remark:
        return entry.public_remark
    if entry.kind == Kind.RENAME and entry.former_name:
        return f"原{entry.former_name}改名"
    if entry.kind == Kind.REOPEN:
        since = _suspended_since(session, entry)
        if since is not None:
            return reopen_remark(since, entry.year)
    return KIND_REMARK.get(entry.kind, "")  # type: ignore[call-overload]


def _suspended_since(session: Session, entry: ApprovedEntry) -> int | None:
    """The year the reopened program was suspended from (its history), when the registry knows."""
    program_id = entry.program_id or offering_program(
        session,
        college_id=entry.college_id,
        major_id=entry.major_id,
        level=entry.level or "",
        intake=entry.intake,
    )
    return suspended_since(session, program_id) if program_id else None


def check_numbering(keys: Sequence[tuple[int, str, str]]) -> None:
    """Entries are numbered 1, 2, 3… in order; the lines of one entry (same 序号) follow each
    other and name the same college and major. ``keys`` are (seq, college, major_code)."""
    previous: tuple[int, str, str] | None = None
    for index, key in enumerate(keys):
        seq = key[0]
        expected = (1,) if previous is None else (previous[0], previous[0] + 1)
        if seq not in expected:
            raise Invalid(
                {
                    "line": index,
                    "field": "seq",
                },
                error="bad_numbering",
                seq=seq,
                expected=Joined(map(str, expected)),
            )
        if previous is not None and seq == previous[0] and key[1:] != previous[1:]:
            raise Invalid(
                {
                    "line": index,
                    "field": "seq",
                },
                error="bad_numbering",
                msg="bad_numbering.lines",
                seq=seq,
            )
        previous = key


def _category_name(session: Session, major: Major) -> str:
    category = session.get(Category, major.category_id)
    return category.name if category else ""


def _college(session: Session, code: str, index: int) -> College:
    college = session.exec(select(College).where(College.code == code)).first()
    if college is None:
        raise Invalid({"line": index, "field": "college"}, error="unknown_college", code=code)
    return college


def _major(session: Session, code: str, province: str, index: int) -> Major:
    try:
        return resolve_major(session, code, edition=None, province=province)
    except AppError as exc:
        raise Invalid(
            {"line": index, "field": "major_code", "message": str(exc.detail)},
            error="unknown_major",
        ) from exc


def lines_from_input(session: Session, lines: Sequence[LineIn]) -> list[PublicationLine]:
    """Lines as the admin typed them; names and category default to the catalog's."""
    check_numbering([(line.seq, line.college, line.major_code) for line in lines])
    rows = []
    for index, line in enumerate(lines):
        college = _college(session, line.college, index)
        major = _major(session, line.major_code, college.province, index)
        assert college.id is not None
        rows.append(
            PublicationLine(
                publication_id=0,
                position=index,
                seq=line.seq,
                college_id=college.id,
                college_code=college.code,
                college=college.name,
                major_id=major.id,
                major_code=major.code,
                major_name=line.major_name or major.name,
                category=line.category or _category_name(session, major),
                intake=line.intake.value,
                level=line.level.value if line.level else "",
                length_years=line.length_years,
                remark=line.remark,
            )
        )
    return rows


def lines_from_round(session: Session, round_id: int) -> list[PublicationLine]:
    """The round's approved entries in the filings' order (college code, filing, entry); the
    consecutive lines of one college and major share a 序号, as on the 2024 list."""
    from app.filings.service import approved_entries

    rows: list[PublicationLine] = []
    seq = 0
    previous: tuple[int, int] | None = None
    for index, entry in enumerate(approved_entries(session, round_id=round_id)):
        key = (entry.college_id, entry.major_id)
        seq += key != previous
        previous = key
        rows.append(
            PublicationLine(
                publication_id=0,
                position=index,
                seq=seq,
                college_id=entry.college_id,
                college_code=entry.college_code,
                college=entry.college,
                major_id=entry.major_id,
                major_code=entry.major_code,
                major_name=entry.major_name,
                category=entry.category,
                intake=entry.intake,
                level=entry.level or "",
                length_years=entry.length_years,
                remark=official_remark(session, entry),
                entry_id=entry.entry_id,
            )
        )
    return rows


def specialties_from_input(specialties: Iterable[SpecialtyIn]) -> list[PublicationSpecialty]:
    return [
        PublicationSpecialty(
            publication_id=0,
            position=index,
            major_name=s.major_name,
            major_code=s.major_code,
            level=s.level.value if s.level else "",
            length_years=s.length_years,
            category=s.category,
            applicant_college=s.applicant_college,
        )
        for index, s in enumerate(specialties)
    ]


def specialties_from_lines(
    session: Session, lines: Sequence[PublicationLine], year: int
) -> list[PublicationSpecialty]:
    """附件2 by default: the provincial specialty majors added in ``year`` that the lines use,
    once each, with the first line that names them (its college applied for it)."""
    ids = {line.major_id for line in lines if line.major_id is not None}
    if not ids:
        return []
    new = set(
        session.exec(
            select(Major.id)
            .join(CatalogEdition, col(CatalogEdition.id) == Major.edition_id)
            .where(
                col(Major.id).in_(ids),
                CatalogEdition.kind == "provincial",
                Major.added_year == year,
            )
        ).all()
    )
    seen: set[int | None] = set()
    result: list[PublicationSpecialty] = []
    for line in lines:
        if line.major_id in new and line.major_id not in seen:
            seen.add(line.major_id)
            result.append(
                PublicationSpecialty(
                    publication_id=0,
                    position=len(result),
                    major_name=line.major_name,
                    major_code=line.major_code,
                    level=line.level,
                    length_years=line.length_years,
                    category=line.category,
                    applicant_college=line.college,
                )
            )
    return result
