"""publications: yearly approval lists, their revisions, 附件2 and the programs they approve

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 08:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A published list is frozen by the database too: the same DDL app/publications/models.py attaches
# to create_all (migrations never import models). Created after the tables and their indexes; a
# later SQLite batch rebuild of these tables would drop the triggers and must recreate them.
SQLITE_FROZEN = {
    "publication": [
        """CREATE TRIGGER publication_frozen_update BEFORE UPDATE ON publication
WHEN OLD.status = 'published' BEGIN SELECT RAISE(ABORT, 'a published list never changes'); END""",
        """CREATE TRIGGER publication_frozen_delete BEFORE DELETE ON publication
WHEN OLD.status = 'published' BEGIN SELECT RAISE(ABORT, 'a published list never changes'); END""",
    ],
    "publication_line": [
        """CREATE TRIGGER publication_line_frozen_insert BEFORE INSERT ON publication_line
WHEN (SELECT status FROM publication WHERE id = NEW.publication_id) = 'published' BEGIN SELECT RAISE(ABORT, 'a published list never changes'); END""",
        """CREATE TRIGGER publication_line_frozen_update BEFORE UPDATE ON publication_line
WHEN (SELECT status FROM publication WHERE id = OLD.publication_id) = 'published' BEGIN SELECT RAISE(ABORT, 'a published list never changes'); END""",
        """CREATE TRIGGER publication_line_frozen_delete BEFORE DELETE ON publication_line
WHEN (SELECT status FROM publication WHERE id = OLD.publication_id) = 'published' BEGIN SELECT RAISE(ABORT, 'a published list never changes'); END""",
    ],
    "publication_specialty": [
        """CREATE TRIGGER publication_specialty_frozen_insert BEFORE INSERT ON publication_specialty
WHEN (SELECT status FROM publication WHERE id = NEW.publication_id) = 'published' BEGIN SELECT RAISE(ABORT, 'a published list never changes'); END""",
        """CREATE TRIGGER publication_specialty_frozen_update BEFORE UPDATE ON publication_specialty
WHEN (SELECT status FROM publication WHERE id = OLD.publication_id) = 'published' BEGIN SELECT RAISE(ABORT, 'a published list never changes'); END""",
        """CREATE TRIGGER publication_specialty_frozen_delete BEFORE DELETE ON publication_specialty
WHEN (SELECT status FROM publication WHERE id = OLD.publication_id) = 'published' BEGIN SELECT RAISE(ABORT, 'a published list never changes'); END""",
    ],
}
POSTGRESQL_FROZEN = {
    "publication": [
        """CREATE OR REPLACE FUNCTION publication_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE parent integer;
BEGIN
  IF TG_TABLE_NAME = 'publication' THEN
    IF OLD.status = 'published' THEN RAISE EXCEPTION 'a published list never changes' USING ERRCODE = 'integrity_constraint_violation'; END IF;
  ELSE
    IF TG_OP = 'INSERT' THEN parent := NEW.publication_id; ELSE parent := OLD.publication_id;
    END IF;
    IF EXISTS (SELECT 1 FROM publication WHERE id = parent AND status = 'published') THEN
      RAISE EXCEPTION 'a published list never changes' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
        """CREATE TRIGGER publication_frozen BEFORE UPDATE OR DELETE ON publication
FOR EACH ROW EXECUTE FUNCTION publication_frozen()""",
    ],
    "publication_line": [
        """CREATE TRIGGER publication_line_frozen BEFORE INSERT OR UPDATE OR DELETE ON publication_line
FOR EACH ROW EXECUTE FUNCTION publication_frozen()""",
    ],
    "publication_specialty": [
        """CREATE TRIGGER publication_specialty_frozen BEFORE INSERT OR UPDATE OR DELETE ON publication_specialty
FOR EACH ROW EXECUTE FUNCTION publication_frozen()""",
    ],
}
SQLITE_UNFREEZE = [
    f"DROP TRIGGER IF EXISTS {table}_frozen_{op}"
    for table, ops in (
        ("publication", ("update", "delete")),
        ("publication_line", ("insert", "update", "delete")),
        ("publication_specialty", ("insert", "update", "delete")),
    )
    for op in ops
]
POSTGRESQL_UNFREEZE = [
    "DROP TRIGGER IF EXISTS publication_specialty_frozen ON publication_specialty",
    "DROP TRIGGER IF EXISTS publication_line_frozen ON publication_line",
    "DROP TRIGGER IF EXISTS publication_frozen ON publication",
    "DROP FUNCTION IF EXISTS publication_frozen()",
]


def _freeze() -> None:
    by_table = {"sqlite": SQLITE_FROZEN, "postgresql": POSTGRESQL_FROZEN}.get(
        op.get_bind().dialect.name, {}
    )
    for statements in by_table.values():
        for statement in statements:
            op.execute(statement)


def _unfreeze() -> None:
    statements = {"sqlite": SQLITE_UNFREEZE, "postgresql": POSTGRESQL_UNFREEZE}.get(
        op.get_bind().dialect.name, []
    )
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    # autogenerated against 0002, then read; only this domain's tables
    op.create_table(
        "publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column(
            "correction_reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True
        ),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("system", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("document_number", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("checksum", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["authority_id"], ["authority.id"], name=op.f("fk_publication_authority_id_authority")
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"], ["publication.id"], name=op.f("fk_publication_corrects_id_publication")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["filing_round.id"], name=op.f("fk_publication_round_id_filing_round")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication")),
        sa.UniqueConstraint("series", "revision", name=op.f("uq_publication_series_revision")),
    )
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publication_authority_id"), ["authority_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_publication_series"), ["series"], unique=False)
        batch_op.create_index(batch_op.f("ix_publication_year"), ["year"], unique=False)

    op.create_table(
        "publication_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("college_id", sa.Integer(), nullable=False),
        sa.Column("college_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("college", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("major_id", sa.Integer(), nullable=True),
        sa.Column("major_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("major_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("intake", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("length_years", sa.Integer(), nullable=False),
        sa.Column("remark", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["college_id"], ["college.id"], name=op.f("fk_publication_line_college_id_college")
        ),
        sa.ForeignKeyConstraint(
            ["major_id"], ["major.id"], name=op.f("fk_publication_line_major_id_major")
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_publication_line_publication_id_publication"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_line")),
        sa.UniqueConstraint(
            "publication_id", "position", name=op.f("uq_publication_line_publication_id_position")
        ),
    )
    with op.batch_alter_table("publication_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publication_line_college_id"), ["college_id"], unique=False
        )

    op.create_table(
        "publication_specialty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("major_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("major_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("length_years", sa.Integer(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column(
            "applicant_college", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_publication_specialty_publication_id_publication"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_specialty")),
        sa.UniqueConstraint(
            "publication_id",
            "position",
            name=op.f("uq_publication_specialty_publication_id_position"),
        ),
    )
    op.create_table(
        "program_approval",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["publication_line.id"],
            name=op.f("fk_program_approval_line_id_publication_line"),
        ),
        sa.ForeignKeyConstraint(
            ["program_id"], ["program.id"], name=op.f("fk_program_approval_program_id_program")
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_program_approval_publication_id_publication"),
        ),
        sa.PrimaryKeyConstraint("program_id", "publication_id", name=op.f("pk_program_approval")),
    )
    with op.batch_alter_table("program_approval", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_program_approval_publication_id"), ["publication_id"], unique=False
        )
    _freeze()


def downgrade() -> None:
    _unfreeze()
    with op.batch_alter_table("program_approval", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_program_approval_publication_id"))

    op.drop_table("program_approval")
    op.drop_table("publication_specialty")
    with op.batch_alter_table("publication_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_line_college_id"))

    op.drop_table("publication_line")
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_year"))
        batch_op.drop_index(batch_op.f("ix_publication_series"))
        batch_op.drop_index(batch_op.f("ix_publication_authority_id"))

    op.drop_table("publication")
