"""program lifecycle: dated program history, lifecycle filing entries, closed and merged
colleges, the closures annex of a list

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 03:00:00

Columns are added in place on both backends (a SQLite batch rebuild of college would drop the
province trigger 0016 put on it, and the tables referencing it refuse the DROP); the ids they
hold are references without a foreign key so that the downgrade can drop them again.
``publication_closure`` is frozen with its list by the same triggers as the other annexes
(app/publications/models.py; repeated here: migrations never import models).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PUBLISHED = "(SELECT status FROM publication WHERE id = {row}.publication_id) = 'published'"
_ABORT = "BEGIN SELECT RAISE(ABORT, 'a published list never changes'); END"
SQLITE_FROZEN = [
    f"""CREATE TRIGGER publication_closure_frozen_{op_.lower()} BEFORE {op_} ON publication_closure
WHEN {_PUBLISHED.format(row=row)} {_ABORT}"""
    for op_, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))
]
POSTGRESQL_FROZEN = [
    """CREATE TRIGGER publication_closure_frozen BEFORE INSERT OR UPDATE OR DELETE
ON publication_closure FOR EACH ROW EXECUTE FUNCTION publication_frozen()"""
]
TEXT = sqlmodel.sql.sqltypes.AutoString

ADDED = {
    "program_event": [
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("reason", TEXT(length=1000), nullable=True),
        sa.Column("publication_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("former_college_id", sa.Integer(), nullable=True),
    ],
    "college": [
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", TEXT(length=1000), nullable=True),
    ],
    "filing_entry": [
        sa.Column("effective_year", sa.Integer(), nullable=True),
        sa.Column("reason", TEXT(length=1000), nullable=False, server_default=""),
    ],
}


def upgrade() -> None:
    for table, columns in ADDED.items():
        for column in columns:
            op.add_column(table, column)
    op.create_index(
        op.f("ix_program_event_publication_id"), "program_event", ["publication_id"], unique=False
    )
    op.create_table(
        "publication_closure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("college_id", sa.Integer(), nullable=False),
        sa.Column("college_code", TEXT(length=20), nullable=False),
        sa.Column("college", TEXT(length=100), nullable=False),
        sa.Column("major_code", TEXT(length=20), nullable=False),
        sa.Column("major_name", TEXT(length=100), nullable=False),
        sa.Column("intake", TEXT(length=20), nullable=False),
        sa.Column("level", TEXT(length=10), nullable=False),
        sa.Column("kind", TEXT(length=12), nullable=False),
        sa.Column("effective_year", sa.Integer(), nullable=False),
        sa.Column("reason", TEXT(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["college_id"], ["college.id"], name=op.f("fk_publication_closure_college_id_college")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["filing_entry.id"],
            name=op.f("fk_publication_closure_entry_id_filing_entry"),
        ),
        sa.ForeignKeyConstraint(
            ["program_id"], ["program.id"], name=op.f("fk_publication_closure_program_id_program")
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_publication_closure_publication_id_publication"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_closure")),
        sa.UniqueConstraint(
            "publication_id",
            "position",
            name=op.f("uq_publication_closure_publication_id_position"),
        ),
    )
    op.create_index(
        op.f("ix_publication_closure_program_id"),
        "publication_closure",
        ["program_id"],
        unique=False,
    )
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_FROZEN if dialect == "sqlite" else POSTGRESQL_FROZEN:
        op.execute(statement)


def downgrade() -> None:
    op.drop_index(op.f("ix_publication_closure_program_id"), table_name="publication_closure")
    op.drop_table("publication_closure")  # its triggers go with it
    op.drop_index(op.f("ix_program_event_publication_id"), table_name="program_event")
    # ALTER TABLE … DROP COLUMN in place (SQLite ≥ 3.35), as 0016's downgrade does.
    for table, columns in reversed(ADDED.items()):
        for column in reversed(columns):
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column.name}")
