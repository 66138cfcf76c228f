"""the approval list as the source of truth: 公示 and objections, traced lines, closed rounds

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 02:40:00

An approval now reserves a program (status ``approved``, 批准待公布) and the published list
activates it; programs that are ``active`` today stay active (nothing here changes them).
``publication_line.entry_id`` traces a line to its approved filing entry (``reason`` explains a
line added by hand); ``publication`` keeps its 公示 period; ``objection`` records 异议;
``authority.notice_required``/``notice_days`` say whether a bureau announces first (教育局 lists
were announced, 人社局's were not); ``filing_round.closed_by_list`` closes a round whose list is
published (set here for rounds whose list is out already); ``filing_entry.public_remark`` is the
reviewer's 备注 for the list (the college's ``remark`` stays internal).

Columns are added with ALTER TABLE (no SQLite table rebuild), so the frozen-list triggers of
migration 0003 stay in place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK = "fk_publication_line_entry_id_filing_entry"
_PUBLISHED = "(SELECT status FROM publication WHERE id = {row}.publication_id) = 'published'"
SQLITE_LINE_FROZEN = [
    f"""CREATE TRIGGER publication_line_frozen_{op_.lower()} BEFORE {op_} ON publication_line
WHEN {_PUBLISHED.format(row=row)} BEGIN SELECT RAISE(ABORT, 'a published list never changes'); END"""
    for op_, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))
]


def upgrade() -> None:
    op.add_column(
        "authority",
        sa.Column("notice_required", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "authority", sa.Column("notice_days", sa.Integer(), nullable=False, server_default="0")
    )
    op.execute(
        "UPDATE authority SET notice_required = (system = 'secondary'), "
        "notice_days = CASE WHEN system = 'secondary' THEN 5 ELSE 0 END"
    )
    op.add_column(
        "filing_entry",
        sa.Column(
            "public_remark",
            sqlmodel.sql.sqltypes.AutoString(length=200),
            nullable=False,
            server_default="",
        ),
    )
    op.add_column("filing_round", sa.Column("closed_by_list", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE filing_round SET closed_by_list = (SELECT MIN(p.id) FROM publication p "
        "WHERE p.round_id = filing_round.id AND p.status = 'published')"
    )
    op.add_column("publication", sa.Column("announced_from", sa.Date(), nullable=True))
    op.add_column("publication", sa.Column("announced_until", sa.Date(), nullable=True))
    op.add_column(
        "publication",
        sa.Column(
            "announcement_contact",
            sqlmodel.sql.sqltypes.AutoString(length=200),
            nullable=False,
            server_default="",
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.add_column(
            "publication_line",
            sa.Column(
                "entry_id", sa.Integer(), sa.ForeignKey("filing_entry.id", name=FK), nullable=True
            ),
        )
    else:  # SQLite adds a column with an inline REFERENCES (no table rebuild)
        op.execute(
            f"ALTER TABLE publication_line ADD COLUMN entry_id INTEGER "
            f"CONSTRAINT {FK} REFERENCES filing_entry (id)"
        )
    op.add_column(
        "publication_line",
        sa.Column(
            "reason",
            sqlmodel.sql.sqltypes.AutoString(length=500),
            nullable=False,
            server_default="",
        ),
    )
    op.create_index(
        op.f("ix_publication_line_entry_id"), "publication_line", ["entry_id"], unique=False
    )
    op.create_table(
        "objection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("resolution", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_objection_publication_id_publication"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection")),
    )
    op.create_index(
        op.f("ix_objection_publication_id"), "objection", ["publication_id"], unique=False
    )


def downgrade() -> None:
    # Programs waiting for their list (批准待公布) had no such state before: the old meaning of an
    # approval was "active at once".
    op.execute("UPDATE program SET status = 'active' WHERE status = 'approved'")
    op.drop_index(op.f("ix_objection_publication_id"), table_name="objection")
    op.drop_table("objection")
    op.drop_index(op.f("ix_publication_line_entry_id"), table_name="publication_line")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(FK, "publication_line", type_="foreignkey")
        op.drop_column("publication_line", "reason")
        op.drop_column("publication_line", "entry_id")
    else:
        # SQLite drops no column used by a foreign key: the table is rebuilt, which drops its
        # frozen-list triggers (migration 0003), so they are created again; the program links
        # pointing to its lines are set aside meanwhile (DROP TABLE checks them).
        op.execute("CREATE TEMP TABLE kept_approval AS SELECT * FROM program_approval")
        op.execute("DELETE FROM program_approval")
        with op.batch_alter_table("publication_line") as batch:
            batch.drop_column("reason")
            batch.drop_column("entry_id")
        op.execute("INSERT INTO program_approval SELECT * FROM kept_approval")
        op.execute("DROP TABLE kept_approval")
        for statement in SQLITE_LINE_FROZEN:
            op.execute(statement)
    for column in ("announcement_contact", "announced_until", "announced_from"):
        op.drop_column("publication", column)
    op.drop_column("filing_round", "closed_by_list")
    op.drop_column("filing_entry", "public_remark")
    op.drop_column("authority", "notice_days")
    op.drop_column("authority", "notice_required")
