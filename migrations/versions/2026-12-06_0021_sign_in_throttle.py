"""sign-in throttling in the database: failures per username and address, and per address

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-06 02:50:00

The counts of failed password sign-ins move from the user row (5 in a row locked the account for
15 minutes, the right password included) to ``sign_in_failure``: one row per typed username and
address (a growing delay) and one per address (a limit across usernames), shared by every app
process (app/access/sign_in.py). The user row's ``failed_logins`` and ``throttled_until`` go.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0021"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("blocked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failure")),
        sa.UniqueConstraint(
            "kind", "username", "address", name=op.f("uq_sign_in_failure_kind_username_address")
        ),
    )
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("failed_logins")
        batch.drop_column("throttled_until")


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("throttled_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    op.drop_table("sign_in_failure")
