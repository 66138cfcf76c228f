"""SQLite: a program moved to another major (college) keeps a category (province) that is
already right without writing the row again

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 09:00:00

SQLite's ``program_category_major`` and ``program_province_college`` are AFTER triggers that
UPDATE the row they follow: every move wrote it twice, with the category's (province's) three
indexes, even when the value stays — as for most programs of an adoption, whose codes carry
into the new edition in the same category. With a WHEN the second write happens only when the
value changes: 0.33× the CPU of an adoption's 135,821 moves. The end state is the same.
PostgreSQL's BEFORE triggers set the row being written: unchanged. app/programs/models.py
has the same DDL for ``create_all``.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MAJOR_CATEGORY = (
    "(SELECT c.name FROM major AS m JOIN category AS c ON c.id = m.category_id"
    " WHERE m.id = NEW.major_id)"
)
_COLLEGE_PROVINCE = "(SELECT province FROM college WHERE id = NEW.college_id)"


def _triggers(guarded: bool) -> list[str]:
    category = f"WHEN NEW.category IS NOT {_MAJOR_CATEGORY}\n" if guarded else ""
    province = f"WHEN NEW.province IS NOT {_COLLEGE_PROVINCE}\n" if guarded else ""
    return [
        "DROP TRIGGER IF EXISTS program_category_major",
        f"""CREATE TRIGGER program_category_major AFTER UPDATE OF major_id ON program
{category}BEGIN UPDATE program SET category = {_MAJOR_CATEGORY} WHERE id = NEW.id; END""",
        "DROP TRIGGER IF EXISTS program_province_college",
        f"""CREATE TRIGGER program_province_college AFTER UPDATE OF college_id ON program
{province}BEGIN UPDATE program SET province = {_COLLEGE_PROVINCE} WHERE id = NEW.id; END""",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _triggers(guarded=True):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _triggers(guarded=False):
            op.execute(statement)
