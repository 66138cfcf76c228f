"""catalog adoption: when and by which edition an edition was superseded

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 12:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("catalog_edition", schema=None) as batch_op:
        batch_op.add_column(sa.Column("superseded_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("superseded_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_catalog_edition_superseded_by_id_catalog_edition",
            "catalog_edition",
            ["superseded_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("catalog_edition", schema=None) as batch_op:
        batch_op.drop_constraint(
            "fk_catalog_edition_superseded_by_id_catalog_edition", type_="foreignkey"
        )
        batch_op.drop_column("superseded_by_id")
        batch_op.drop_column("superseded_on")
