"""program.category: the major's category on the program row, with (category, id)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 12:40:00

Backfilled from the major's category; kept right by the triggers app/programs/models.py attaches
to ``create_all`` (repeated here: migrations never import models). tests/core/test_program_category.py
checks every write path leaves it equal to the major's category.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MAJOR_CATEGORY = (
    "(SELECT c.name FROM major AS m JOIN category AS c ON c.id = m.category_id"
    " WHERE m.id = NEW.major_id)"
)
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER program_category_insert AFTER INSERT ON program WHEN NEW.category = ''
BEGIN UPDATE program SET category = {_MAJOR_CATEGORY} WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER program_category_major AFTER UPDATE OF major_id ON program
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
POSTGRESQL_TRIGGERS = [
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
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS category_name_programs",
    "DROP TRIGGER IF EXISTS major_category_programs",
    "DROP TRIGGER IF EXISTS program_category_major",
    "DROP TRIGGER IF EXISTS program_category_insert",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS category_name_programs ON category",
    "DROP TRIGGER IF EXISTS major_category_programs ON major",
    "DROP TRIGGER IF EXISTS program_category_major ON program",
    "DROP TRIGGER IF EXISTS program_category_insert ON program",
    "DROP FUNCTION IF EXISTS category_name_programs()",
    "DROP FUNCTION IF EXISTS major_category_programs()",
    "DROP FUNCTION IF EXISTS program_category_fill()",
]
BACKFILL = (
    "UPDATE program SET category = (SELECT c.name FROM major AS m"
    " JOIN category AS c ON c.id = m.category_id WHERE m.id = program.major_id)"
)


def _run(statements_by_dialect: dict[str, list[str]]) -> None:
    for statement in statements_by_dialect.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade() -> None:
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "category",
                sqlmodel.sql.sqltypes.AutoString(length=40),
                nullable=False,
                server_default="",
            )
        )
    op.execute(BACKFILL)
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.create_index("ix_program_category_id", ["category", "id"], unique=False)
    # After the batch operations: a SQLite table rebuild would drop triggers.
    _run({"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS})
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE program")


def downgrade() -> None:
    _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})
    op.drop_index("ix_program_category_id", table_name="program")
    # ALTER TABLE … DROP COLUMN in place (SQLite ≥ 3.35): a batch rebuild of program would
    # DROP TABLE it, which the foreign keys of program_approval and program_event refuse.
    op.execute("ALTER TABLE program DROP COLUMN category")
