"""catalog adoption: when and by which edition an edition was superseded

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 12:40:00

Plain ADD/DROP COLUMN, no batch rebuild: rebuilding catalog_edition on SQLite would DROP TABLE it,
which the foreign keys of major, category and crosswalk refuse once there are rows. For the same
reason the replacing edition is named by its key (editions' keys never change), not by a foreign
key that SQLite's DROP COLUMN would refuse to drop.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("catalog_edition", sa.Column("superseded_on", sa.Date(), nullable=True))
    op.add_column(
        "catalog_edition", sa.Column("superseded_by", sa.String(length=60), nullable=True)
    )


def downgrade() -> None:
    op.execute("ALTER TABLE catalog_edition DROP COLUMN superseded_by")
    op.execute("ALTER TABLE catalog_edition DROP COLUMN superseded_on")
