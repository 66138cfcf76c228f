"""index publication lines by offering key: a diff matches lines in the database

Revision ID: 0023
Revises: 0022_pg
Create Date: 2026-12-07 02:40:00

A diff between lists looks each line's offering (college code, major code, intake, level) up on
the other side and keeps the first line of a key on its side (app/publications/diff_lines.py);
without this index each lookup reads the side's lines. A plain CREATE INDEX: no table rebuild on
SQLite, so the frozen-list triggers stay in place.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022_pg"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["college_code", "major_code", "intake", "level", "publication_id", "position"]


def upgrade() -> None:
    op.create_index("ix_publication_line_key", "publication_line", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_publication_line_key", table_name="publication_line")
