"""Approval lists (新增专业名单): revisions, their lines, 附件2, and the programs they approve."""

from datetime import date, datetime

from sqlalchemy import DDL, Column, DateTime, event
from sqlmodel import Field, Index, SQLModel, UniqueConstraint

# The tables these reference must be in the metadata whoever imports this module first (the CLI's
# seed imports no app.models): authority, college, major, program, filing_round.
from app.authorities import models as _authorities  # noqa: F401
from app.catalog import models as _catalog  # noqa: F401
from app.clock import utcnow
from app.colleges import models as _colleges  # noqa: F401
from app.filings import models as _filings  # noqa: F401
from app.programs import models as _programs  # noqa: F401
from app.vocab import ObjectionStatus, PublicationStatus


class Publication(SQLModel, table=True):
    """One revision of a yearly list. Revisions of one list share a ``series``; revision 1 is the
    original notice, later ones are corrections (勘误) naming the revision they correct. Once
    ``status`` is ``published`` nothing of it changes: its lines are frozen and ``checksum`` is
    the SHA-256 of its canonical CSV (the default download: BOM, CRLF)."""

    __table_args__ = (UniqueConstraint("series", "revision"),)
    id: int | None = Field(default=None, primary_key=True)
    series: str = Field(max_length=60, index=True)
    revision: int = 1
    corrects_id: int | None = Field(default=None, foreign_key="publication.id")
    correction_reason: str | None = Field(default=None, max_length=1000)
    authority_id: int = Field(foreign_key="authority.id", index=True)
    system: str = Field(max_length=12)  # technician | secondary
    year: int = Field(index=True)
    title: str = Field(max_length=200)
    document_number: str = Field(default="", max_length=100)  # 文号, e.g. 穗人社函〔2024〕…
    published_on: date | None = None  # the notice's date (2024-04-16)
    round_id: int | None = Field(default=None, foreign_key="filing_round.id")
    status: str = Field(default=PublicationStatus.DRAFT, max_length=12)
    checksum: str | None = Field(default=None, max_length=64)
    line_count: int = 0
    created_by: str = Field(default="", max_length=100)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    published_by: str | None = Field(default=None, max_length=100)
    published_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    # 公示: the public-notice period (dates in the bureau's time zone) and whom to write to.
    announced_from: date | None = None
    announced_until: date | None = None
    announcement_contact: str = Field(
        default="", max_length=200, sa_column_kwargs={"server_default": ""}
    )


class PublicationLine(SQLModel, table=True):
    """One printed line (附件1): one offering. Lines sharing ``seq`` are one numbered entry (one
    major approved for several intakes or levels). Text is kept as printed, so a later rename of
    the college or major never changes a published list."""

    __tablename__ = "publication_line"
    __table_args__ = (
        UniqueConstraint("publication_id", "position"),
        # A diff looks each line's offering up on the other side (app/publications/diff_lines.py):
        # the key, then where it stands on its side — the first of a key is read off the index.
        Index(
            "ix_publication_line_key",
            "college_code",
            "major_code",
            "intake",
            "level",
            "publication_id",
            "position",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id")
    position: int  # 0-based order of publication
    seq: int  # 序号
    college_id: int = Field(foreign_key="college.id", index=True)
    college_code: str = Field(max_length=20)
    college: str = Field(max_length=100)
    major_id: int | None = Field(default=None, foreign_key="major.id")
    major_code: str = Field(max_length=20)
    major_name: str = Field(max_length=100)
    category: str = Field(max_length=40)
    intake: str = Field(max_length=20)  # 层次
    level: str = Field(default="", max_length=10)  # 级别; '' for 中职
    length_years: int  # 学制
    remark: str = Field(default="", max_length=200)  # 备注: 新增层次, 停招三年后复开, 原…改名
    # The approved filing entry this line prints; null for a line the bureau added by hand
    # (``reason`` says why) or one recording a program the registry ran before any list.
    entry_id: int | None = Field(default=None, foreign_key="filing_entry.id", index=True)
    reason: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})


class PublicationSpecialty(SQLModel, table=True):
    """附件2: a specialty major the province granted that year (专业名称, 专业编码, 培养层次,
    学制, 专业大类, 申报学校)."""

    __tablename__ = "publication_specialty"
    __table_args__ = (UniqueConstraint("publication_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id")
    position: int
    major_name: str = Field(max_length=100)
    major_code: str = Field(max_length=20)
    level: str = Field(default="", max_length=10)
    length_years: int
    category: str = Field(max_length=40)
    applicant_college: str = Field(max_length=100)


class PublicationProject(SQLModel, table=True):
    """附件2 of a 中职 list: 示范专业及校企合作项目 (学校, 专业名称, 校企合作项目名称), as printed.

    ``major_code`` is set when the printed name is a catalog name; otherwise ``suggested_code``
    holds the nearest catalog major — offered, never substituted (2024 line 11 prints
    新能源汽车制造与检修; the catalog has 660702 新能源汽车制造与检测)."""

    __tablename__ = "publication_project"
    __table_args__ = (UniqueConstraint("publication_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id")
    position: int
    school: str = Field(max_length=100)  # as printed
    college_id: int | None = Field(default=None, foreign_key="college.id")
    college_code: str = Field(default="", max_length=20)
    major_name: str = Field(max_length=100)  # as printed
    major_code: str | None = Field(default=None, max_length=20)
    suggested_code: str | None = Field(default=None, max_length=20)
    suggested_name: str | None = Field(default=None, max_length=100)
    project: str = Field(max_length=200)


class PublicationDirection(SQLModel, table=True):
    """附件3 of a 中职 list: 专业（含专业方向）名称规范备案 (学校名称, 原专业方向名称, 规范专业名称,
    说明), as printed — the school under the name the notice used (a former name resolves)."""

    __tablename__ = "publication_direction"
    __table_args__ = (UniqueConstraint("publication_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id")
    position: int
    school: str = Field(max_length=100)  # as printed
    college_id: int | None = Field(default=None, foreign_key="college.id")
    college_code: str = Field(default="", max_length=20)
    original_name: str = Field(max_length=100)
    normalised_name: str = Field(max_length=100)
    note: str = Field(default="", max_length=200)


class Objection(SQLModel, table=True):
    """An objection (异议) raised during 公示, about one numbered entry (``seq``) or the whole
    list, and its handling: ``open`` → ``dismissed`` (with a reason) or ``upheld`` (the line is
    dropped or corrected before publication)."""

    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id", index=True)
    seq: int | None = None  # 序号 of the entry it concerns
    text: str = Field(max_length=2000)
    status: str = Field(default=ObjectionStatus.OPEN, max_length=12)
    resolution: str = Field(default="", max_length=2000)
    created_by: str = Field(default="", max_length=100)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    resolved_by: str | None = Field(default=None, max_length=100)
    resolved_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class ProgramApproval(SQLModel, table=True):
    """A program approved by a published revision (set when it is published): how a program
    points to the list that approved it without touching the programs table."""

    __tablename__ = "program_approval"
    program_id: int = Field(foreign_key="program.id", primary_key=True)
    publication_id: int = Field(foreign_key="publication.id", primary_key=True, index=True)
    line_id: int = Field(foreign_key="publication_line.id")


# --- a published list is frozen by the database too ----------------------------------------
# The services refuse every change first (409 ``published``); these triggers make the database
# refuse one that bypasses them (a script, a bug). Migration 0003 repeats this DDL (migrations
# never import models); a later SQLite batch rebuild of these tables would have to recreate it.

FROZEN_MESSAGE = "a published list never changes"
_PUBLISHED = "(SELECT status FROM publication WHERE id = {row}.publication_id) = 'published'"
_ABORT = f"BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END"
_RAISE = f"RAISE EXCEPTION '{FROZEN_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'"
CHILD_TABLES = (
    "publication_line",
    "publication_specialty",
    "publication_project",
    "publication_direction",
)

# By table, so each table's triggers are created right after it (create_all and migration 0003).
SQLITE_FROZEN: dict[str, list[str]] = {
    "publication": [
        f"""CREATE TRIGGER publication_frozen_{op.lower()} BEFORE {op} ON publication
WHEN OLD.status = 'published' {_ABORT}"""
        for op in ("UPDATE", "DELETE")
    ],
} | {
    table: [
        f"""CREATE TRIGGER {table}_frozen_{op.lower()} BEFORE {op} ON {table}
WHEN {_PUBLISHED.format(row=row)} {_ABORT}"""
        for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))
    ]
    for table in CHILD_TABLES
}
POSTGRESQL_FROZEN: dict[str, list[str]] = {
    "publication": [
        f"""CREATE OR REPLACE FUNCTION publication_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE parent integer;
BEGIN
  IF TG_TABLE_NAME = 'publication' THEN
    IF OLD.status = 'published' THEN {_RAISE}; END IF;
  ELSE
    IF TG_OP = 'INSERT' THEN parent := NEW.publication_id; ELSE parent := OLD.publication_id;
    END IF;
    IF EXISTS (SELECT 1 FROM publication WHERE id = parent AND status = 'published') THEN
      {_RAISE};
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
        """CREATE TRIGGER publication_frozen BEFORE UPDATE OR DELETE ON publication
FOR EACH ROW EXECUTE FUNCTION publication_frozen()""",
    ],
} | {
    table: [
        f"""CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION publication_frozen()"""
    ]
    for table in CHILD_TABLES
}


def _install_frozen_triggers() -> None:
    for name in ("publication", *CHILD_TABLES):
        table = SQLModel.metadata.tables[name]
        for dialect, by_table in (("sqlite", SQLITE_FROZEN), ("postgresql", POSTGRESQL_FROZEN)):
            for statement in by_table[table.name]:
                event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))


_install_frozen_triggers()


# ---- issue 24: the closures annex ----------------------------------------------------------


class PublicationClosure(SQLModel, table=True):
    """停招、撤销专业名单: a program the list suspends (停招) or withdraws (撤销) from a year,
    drafted from the round's approved lifecycle entries; in effect once the list is published."""

    __tablename__ = "publication_closure"
    __table_args__ = (UniqueConstraint("publication_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id")
    position: int
    program_id: int = Field(foreign_key="program.id", index=True)
    entry_id: int | None = Field(default=None, foreign_key="filing_entry.id")
    college_id: int = Field(foreign_key="college.id")
    college_code: str = Field(max_length=20)
    college: str = Field(max_length=100)  # as printed
    major_code: str = Field(max_length=20)
    major_name: str = Field(max_length=100)
    intake: str = Field(max_length=20)
    level: str = Field(default="", max_length=10)
    kind: str = Field(max_length=12)  # 停招 | 撤销
    effective_year: int
    reason: str = Field(default="", max_length=1000)


# Frozen with its list like the other annexes (same trigger bodies; migration 0018 repeats them).
SQLITE_FROZEN["publication_closure"] = [
    f"""CREATE TRIGGER publication_closure_frozen_{op.lower()} BEFORE {op} ON publication_closure
WHEN {_PUBLISHED.format(row=row)} {_ABORT}"""
    for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))
]
POSTGRESQL_FROZEN["publication_closure"] = [
    """CREATE TRIGGER publication_closure_frozen BEFORE INSERT OR UPDATE OR DELETE
ON publication_closure FOR EACH ROW EXECUTE FUNCTION publication_frozen()"""
]
for _dialect, _by_table in (("sqlite", SQLITE_FROZEN), ("postgresql", POSTGRESQL_FROZEN)):
    for _statement in _by_table["publication_closure"]:
        event.listen(
            SQLModel.metadata.tables["publication_closure"],
            "after_create",
            DDL(_statement).execute_if(dialect=_dialect),
        )
