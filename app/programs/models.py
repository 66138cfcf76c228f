"""Programs: college × major × level × intake × length."""

from sqlalchemy import DDL, Index, event, text
from sqlmodel import Field, SQLModel

from app.vocab import ProgramStatus


class Program(SQLModel, table=True):
    __table_args__ = (
        # A college never runs two active programs with the same (major, level, intake).
        Index(
            "uq_program_active_offering",
            "college_id",
            "major_id",
            "level",
            "intake",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_program_college_id_id", "college_id", "id"),
        Index("ix_program_major_id_id", "major_id", "id"),
        # GET /programs filters ordered by id (keyset): a rare year or status seeks here instead
        # of scanning 150,000 rows (EXPLAIN on both backends, docs/api.md "Programs, deep pages").
        Index("ix_program_since_year_id", "since_year", "id"),
        Index("ix_program_status_id", "status", "id"),
        # ?category= seeks here: a category name is ~70 majors over several editions, so through
        # (major_id, id) a page needed a sort or a semi-join per row (docs/benchmarks.md).
        Index("ix_program_category_id", "category", "id"),
        # ?province= on the row (a province is ~300 colleges: through (college_id, id) a page
        # read and sorted all of them, or walked ids filtering ~7 of 8 rows out).
        Index("ix_program_province_id", "province", "id"),
        # The pairs GET /programs is asked for most (docs/benchmarks.md, 2.): each one index
        # range in id order. Through one column's index a pair page walked ~10-20 rows per
        # match and filtered the other column (p99 up to 98 ms under 32 clients).
        Index("ix_program_category_since_year_id", "category", "since_year", "id"),
        Index("ix_program_category_province_id", "category", "province", "id"),
        Index("ix_program_province_since_year_id", "province", "since_year", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    college_id: int = Field(foreign_key="college.id")
    major_id: int = Field(foreign_key="major.id")
    # '' for 中职 programs, which have no training level (so the unique index sees them).
    level: str = Field(default="", max_length=10)
    intake: str = Field(max_length=20)
    length_years: int
    status: str = Field(default=ProgramStatus.ACTIVE, max_length=12)
    since_year: int
    source: str = Field(default="", max_length=60)
    # The major's category name, copied so ?category= is one index range. Kept by the database
    # (triggers below), whatever writes: '' on insert means "fill it from the major".
    category: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
    # The college's province, copied the same way (triggers below): ?province= and its pairs.
    province: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})


# --- program.category follows the major's category -------------------------------------------
# Triggers, so no write path (imports, approvals, renames, recategorisations, a script) can leave
# it stale: an inserted program with category '' takes its major's; a program moved to another
# major takes the new one's; a major moved to another category, or a category renamed, updates
# its programs. Migration 0005 repeats this DDL (migrations never import models); a later SQLite
# batch rebuild of program, major or category would drop these triggers and must recreate them.
# SQLite's are AFTER triggers writing the row again: a move that keeps the category (most of an
# adoption's, a code carried into the new edition) skips that second write and the three category
# indexes' (WHEN, migration 0024): 0.33× the CPU of an adoption's 135,821 moves. PostgreSQL's
# BEFORE triggers set the row being written.

_MAJOR_CATEGORY = (
    "(SELECT c.name FROM major AS m JOIN category AS c ON c.id = m.category_id"
    " WHERE m.id = NEW.major_id)"
)
SQLITE_CATEGORY = [
    f"""CREATE TRIGGER program_category_insert AFTER INSERT ON program WHEN NEW.category = ''
BEGIN UPDATE program SET category = {_MAJOR_CATEGORY} WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER program_category_major AFTER UPDATE OF major_id ON program
WHEN NEW.category IS NOT {_MAJOR_CATEGORY}
BEGIN UPDATE program SET category = {_MAJOR_CATEGORY} WHERE id = NEW.id; END""",
    """CREATE TRIGGER major_category_programs AFTER UPDATE OF category_id ON major
WHEN OLD.category_id IS NOT NEW.category_id
BEGIN UPDATE program SET category = (SELECT name FROM category WHERE id = NEW.category_id)
WHERE major_id = NEW.id; END""",
    """CREATE TRIGGER category_name_programs AFTER UPDATE OF name ON category
WHEN OLD.name IS NOT NEW.name
BEGIN UPDATE program SET category = NEW.name
WHERE major_id IN (SELECT id FROM major WHERE category_id = NEW.id); END""",
]
POSTGRESQL_CATEGORY = [
    f"""CREATE OR REPLACE FUNCTION program_category_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.category := {_MAJOR_CATEGORY}; RETURN NEW; END $$""",
    """CREATE TRIGGER program_category_insert BEFORE INSERT ON program
FOR EACH ROW WHEN (NEW.category = '') EXECUTE FUNCTION program_category_fill()""",
    """CREATE TRIGGER program_category_major BEFORE UPDATE OF major_id ON program
FOR EACH ROW EXECUTE FUNCTION program_category_fill()""",
    """CREATE OR REPLACE FUNCTION major_category_programs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE program SET category = (SELECT name FROM category WHERE id = NEW.category_id)
  WHERE major_id = NEW.id;
  RETURN NULL;
END $$""",
    """CREATE TRIGGER major_category_programs AFTER UPDATE OF category_id ON major
FOR EACH ROW WHEN (OLD.category_id IS DISTINCT FROM NEW.category_id)
EXECUTE FUNCTION major_category_programs()""",
    """CREATE OR REPLACE FUNCTION category_name_programs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE program SET category = NEW.name
  WHERE major_id IN (SELECT id FROM major WHERE category_id = NEW.id);
  RETURN NULL;
END $$""",
    """CREATE TRIGGER category_name_programs AFTER UPDATE OF name ON category
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION category_name_programs()""",
]

# --- program.province follows the college's province ------------------------------------------
# The same way: an inserted program with province '' takes its college's; a program moved to
# another college takes the new one's; a college moved to another province updates its
# programs. Migration 0016 repeats this DDL (0024 SQLite's WHEN, as for the category).

_COLLEGE_PROVINCE = "(SELECT province FROM college WHERE id = NEW.college_id)"
SQLITE_PROVINCE = [
    f"""CREATE TRIGGER program_province_insert AFTER INSERT ON program WHEN NEW.province = ''
BEGIN UPDATE program SET province = {_COLLEGE_PROVINCE} WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER program_province_college AFTER UPDATE OF college_id ON program
WHEN NEW.province IS NOT {_COLLEGE_PROVINCE}
BEGIN UPDATE program SET province = {_COLLEGE_PROVINCE} WHERE id = NEW.id; END""",
    """CREATE TRIGGER college_province_programs AFTER UPDATE OF province ON college
WHEN OLD.province IS NOT NEW.province
BEGIN UPDATE program SET province = NEW.province WHERE college_id = NEW.id; END""",
]
POSTGRESQL_PROVINCE = [
    f"""CREATE OR REPLACE FUNCTION program_province_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.province := {_COLLEGE_PROVINCE}; RETURN NEW; END $$""",
    """CREATE TRIGGER program_province_insert BEFORE INSERT ON program
FOR EACH ROW WHEN (NEW.province = '') EXECUTE FUNCTION program_province_fill()""",
    """CREATE TRIGGER program_province_college BEFORE UPDATE OF college_id ON program
FOR EACH ROW EXECUTE FUNCTION program_province_fill()""",
    """CREATE OR REPLACE FUNCTION college_province_programs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE program SET province = NEW.province WHERE college_id = NEW.id;
  RETURN NULL;
END $$""",
    """CREATE TRIGGER college_province_programs AFTER UPDATE OF province ON college
FOR EACH ROW WHEN (OLD.province IS DISTINCT FROM NEW.province)
EXECUTE FUNCTION college_province_programs()""",
]

# On program's table: create_all makes college, major and category before it (foreign keys).
for _dialect, _statements in (
    ("sqlite", SQLITE_CATEGORY + SQLITE_PROVINCE),
    ("postgresql", POSTGRESQL_CATEGORY + POSTGRESQL_PROVINCE),
):
    for _statement in _statements:
        event.listen(
            SQLModel.metadata.tables["program"],
            "after_create",
            DDL(_statement).execute_if(dialect=_dialect),
        )
