"""program.province: the college's province on the program row, and the pair indexes

Revision ID: 0016
Revises: 0015u
Create Date: 2026-11-24 20:10:00

``GET /programs?province=`` and the pairs planners ask for (category+year, category+province,
province+year) each become one index range in id order: (province, id), (category, since_year,
id), (category, province, id), (province, since_year, id). Backfilled from the college; kept
right by the triggers app/programs/models.py attaches to ``create_all`` (repeated here:
migrations never import models). tests/core/test_program_category.py checks every write path.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015u"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLLEGE_PROVINCE = "(SELECT province FROM college WHERE id = NEW.college_id)"
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER program_province_insert AFTER INSERT ON program WHEN NEW.province = ''
BEGIN UPDATE program SET province = {_COLLEGE_PROVINCE} WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER program_province_college AFTER UPDATE OF college_id ON program
BEGIN UPDATE program SET province = {_COLLEGE_PROVINCE} WHERE id = NEW.id; END""",
    """CREATE TRIGGER college_province_programs AFTER UPDATE OF province ON college
WHEN OLD.province IS NOT NEW.province
BEGIN UPDATE program SET province = NEW.province WHERE college_id = NEW.id; END""",
]
POSTGRESQL_TRIGGERS = [
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
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS college_province_programs",
    "DROP TRIGGER IF EXISTS program_province_college",
    "DROP TRIGGER IF EXISTS program_province_insert",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS college_province_programs ON college",
    "DROP TRIGGER IF EXISTS program_province_college ON program",
    "DROP TRIGGER IF EXISTS program_province_insert ON program",
    "DROP FUNCTION IF EXISTS college_province_programs()",
    "DROP FUNCTION IF EXISTS program_province_fill()",
]
BACKFILL = "UPDATE program SET province = (SELECT province FROM college WHERE college.id = program.college_id)"
INDEXES = {
    "ix_program_province_id": ["province", "id"],
    "ix_program_category_since_year_id": ["category", "since_year", "id"],
    "ix_program_category_province_id": ["category", "province", "id"],
    "ix_program_province_since_year_id": ["province", "since_year", "id"],
}


def _run(statements_by_dialect: dict[str, list[str]]) -> None:
    for statement in statements_by_dialect.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade() -> None:
    # ADD COLUMN in place on both backends (a SQLite batch rebuild would drop program's triggers).
    op.add_column(
        "program",
        sa.Column(
            "province",
            sqlmodel.sql.sqltypes.AutoString(length=20),
            nullable=False,
            server_default="",
        ),
    )
    op.execute(BACKFILL)
    for name, columns in INDEXES.items():
        op.create_index(name, "program", columns, unique=False)
    _run({"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS})
    op.execute("ANALYZE program")


def downgrade() -> None:
    _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})
    for name in reversed(list(INDEXES)):
        op.drop_index(name, table_name="program")
    # ALTER TABLE … DROP COLUMN in place (SQLite ≥ 3.35), as 0005's downgrade does.
    op.execute("ALTER TABLE program DROP COLUMN province")
