"""access control: audit log filters and append-only triggers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 08:30:00

The triggers repeat the DDL that app/audit.py attaches to ``create_all`` (migrations do not import
app models); tests/access/test_audit_append_only.py checks both paths refuse UPDATE and DELETE.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "audit_log is append-only"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER audit_log_no_{op_name.lower()} BEFORE {op_name} ON audit_log
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for op_name in ("UPDATE", "DELETE")
]
POSTGRESQL_TRIGGERS = [
    f"""CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_log_no_update",
    "DROP TRIGGER IF EXISTS audit_log_no_delete",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
    "DROP FUNCTION IF EXISTS audit_log_append_only()",
]


def _run(statements_by_dialect: dict[str, list[str]]) -> None:
    for statement in statements_by_dialect.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_action", ["action"], unique=False)
        batch_op.create_index("ix_audit_log_actor", ["actor"], unique=False)
        batch_op.create_index("ix_audit_log_target", ["target_type", "target_id"], unique=False)
    # After the indexes: a batch operation that rebuilt the table on SQLite would drop triggers.
    _run({"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_target")
        batch_op.drop_index("ix_audit_log_actor")
        batch_op.drop_index("ix_audit_log_action")
