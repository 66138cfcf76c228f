"""Programs: filtered keyset listing, lookups and single-program writes."""

from typing import Any

from sqlalchemy import Select, select
from sqlmodel import Session

from app import audit
from app.auth import Principal, ensure_manage_college
from app.catalog.models import CatalogEdition, Category, Major
from app.colleges import service as colleges
from app.colleges.models import College
from app.errors import Conflict, NotFound
from app.programs.models import Program
from app.programs.schemas import ProgramCreate, ProgramFilters, ProgramPublic, ProgramUpdate

COLUMNS = (
    Program.id,
    College.code.label("college_code"),
    College.name.label("college"),
    Major.code.label("major_code"),
    Major.name.label("major_name"),
    Category.name.label("category"),
    CatalogEdition.key.label("edition"),
    Program.intake,
    Program.level,
    Program.length_years,
    Program.status,
    Program.since_year,
)


def filtered_query(filters: ProgramFilters, columns: tuple = COLUMNS) -> Select:
    """SELECT … FROM program joined to college, major, category, edition, with the filters."""
    query: Select = (
        select(*columns)
        .select_from(Program)
        .join(College, College.id == Program.college_id)
        .join(Major, Major.id == Program.major_id)
        .join(Category, Category.id == Major.category_id)
        .join(CatalogEdition, CatalogEdition.id == Major.edition_id)
    )
    conditions: list[Any] = []
    if filters.college:
        conditions.append(College.code == filters.college)
    if filters.major_code:
        conditions.append(Major.code == filters.major_code)
    if filters.category:
        conditions.append(Category.name == filters.category)
    if filters.level:
        conditions.append(Program.level == filters.level.value)
    if filters.intake:
        conditions.append(Program.intake == filters.intake.value)
    if filters.status:
        conditions.append(Program.status == filters.status.value)
    if filters.province:
        conditions.append(College.province == filters.province)
    if filters.year:
        conditions.append(Program.since_year == filters.year)
    return query.where(*conditions) if conditions else query


def to_public(row: Any) -> ProgramPublic:
    data = dict(row._mapping)
    data["level"] = data["level"] or None
    return ProgramPublic(**data)


def list_programs(
    session: Session, filters: ProgramFilters, *, after: int | None, limit: int
) -> list[ProgramPublic]:
    """Ordered by id (stable); keyset on id, so page 3,000 costs what page 1 does."""
    query = filtered_query(filters).order_by(Program.id).limit(limit + 1)
    if after is not None:
        query = query.where(Program.id > after)
    return [to_public(row) for row in session.execute(query).all()]


def get_program(session: Session, program_id: int) -> ProgramPublic:
    row = session.execute(filtered_query(ProgramFilters()).where(Program.id == program_id)).first()
    if row is None:
        raise NotFound(f"no program {program_id}", error="program_not_found")
    return to_public(row)


def resolve_major(session: Session, code: str, *, edition: str | None, province: str) -> Major:
    """The major a code means for a college of ``province``: a named edition, else any in force."""
    query = (
        select(Major)
        .join(CatalogEdition, CatalogEdition.id == Major.edition_id)
        .where(Major.code == code, CatalogEdition.status == "in_force")
    )
    if edition:
        query = query.where(CatalogEdition.key == edition)
    for major in session.scalars(query).all():
        owner = session.get(CatalogEdition, major.edition_id)
        if owner and (owner.province is None or owner.province == province):
            return major
    raise NotFound(f"no major {code} in a catalog in force for {province}", error="major_not_found")


def create_program(session: Session, data: ProgramCreate, *, actor: Principal) -> Program:
    college = colleges.get_by_code(session, data.college)
    ensure_manage_college(session, actor, college)
    major = resolve_major(session, data.major_code, edition=data.edition, province=college.province)
    program = Program(
        college_id=college.id, major_id=major.id, level=data.level.value if data.level else "",
        intake=data.intake.value, length_years=data.length_years, status=data.status.value,
        since_year=data.since_year, source="api",
    )
    session.add(program)
    _flush_unique(session, college.code, major.code)
    audit.record(
        session, actor, action="program.create", target_type="program", target_id=program.id,
        after=data.model_dump(mode="json"), authority_id=college.authority_id,
    )
    return program


def update_program(
    session: Session, program_id: int, data: ProgramUpdate, *, actor: Principal
) -> Program:
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"no program {program_id}", error="program_not_found")
    ensure_manage_college(session, actor, session.get(College, program.college_id))
    changes = data.model_dump(exclude_unset=True, mode="json")
    before = {k: getattr(program, k) for k in changes}
    for key, value in changes.items():
        setattr(program, key, value)
    session.add(program)
    _flush_unique(session, str(program.college_id), str(program.major_id))
    college = session.get(College, program.college_id)
    audit.record(
        session, actor, action="program.update", target_type="program", target_id=program.id,
        before=before, after=changes, authority_id=college.authority_id if college else None,
    )
    return program


def _flush_unique(session: Session, college: str, major: str) -> None:
    from sqlalchemy.exc import IntegrityError

    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"college {college} already runs {major} at this level and intake as an active program",
            error="program_exists",
        ) from exc
