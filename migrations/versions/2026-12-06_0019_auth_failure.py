"""auth_failure: failed authentications per client address, shared by every node

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 03:00:00

The bad-token throttle (app/access/throttle.py) counted per process: with N nodes an attacker got
N times the limit. On PostgreSQL its counts now live here (one row per address: the window's
start in epoch seconds and the failures in it). SQLite stays one node and counts in the process;
the table exists there too, so models and migrations agree.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auth_failure",
        sa.Column("address", sa.String(length=100), nullable=False),
        sa.Column("window_start", sa.Float(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("address", name=op.f("pk_auth_failure")),
    )


def downgrade() -> None:
    op.drop_table("auth_failure")
