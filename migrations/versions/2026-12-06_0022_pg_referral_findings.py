"""store the province's approval on the entry it decided: referral.approved replaces the stale
"no code, out of catalog" finding

Revision ID: 0022_pg
Revises: 0021
Create Date: 2026-12-06 16:20:00

Before, the filing page rewrote the finding when it showed the entry, so the API and every other
reader of ``filing_entry.findings`` still said "未填专业代码…" after the province had given a
code. The service now stores the new finding when it approves (app/filings/referrals.py); this
brings the entries the province approved before it to the same state. The message is written in
Chinese, the registry's default language, as the checks store theirs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_pg"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STALE = "major.out_of_catalog"
GIVEN = "referral.approved"
MESSAGE = "省级评审已批准此目录外专业，赋予代码 {code}"
OUT_OF_CATALOG = "未填专业代码：“{name}”为目录外专业，报省级评审"

entry = sa.table(
    "filing_entry",
    sa.column("id", sa.Integer),
    sa.column("major_code", sa.String),
    sa.column("major_name", sa.String),
    sa.column("findings", sa.JSON),
)
referral = sa.table(
    "referral",
    sa.column("entry_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("proposed_name", sa.String),
)


def _approved_entries(connection) -> list:
    query = (
        sa.select(entry.c.id, entry.c.major_code, entry.c.findings, referral.c.proposed_name)
        .join(referral, referral.c.entry_id == entry.c.id)
        .where(referral.c.status == "approved")
    )
    return list(connection.execute(query))


def upgrade() -> None:
    connection = op.get_bind()
    for entry_id, code, findings, _name in _approved_entries(connection):
        findings = list(findings or [])
        if any(f.get("code") == GIVEN for f in findings):
            continue
        kept = [f for f in findings if not str(f.get("code", "")).startswith(STALE)]
        kept.append(
            {
                "code": GIVEN,
                "severity": "info",
                "field": "major_code",
                "message": MESSAGE.format(code=code),
                "suggestion": None,
            }
        )
        connection.execute(entry.update().where(entry.c.id == entry_id).values(findings=kept))


def downgrade() -> None:
    connection = op.get_bind()
    for entry_id, _code, findings, name in _approved_entries(connection):
        findings = list(findings or [])
        if not any(f.get("code") == GIVEN for f in findings):
            continue
        kept = [f for f in findings if f.get("code") != GIVEN]
        kept.append(
            {
                "code": STALE,
                "severity": "info",
                "field": "major_code",
                "message": OUT_OF_CATALOG.format(name=name),
                "suggestion": None,
            }
        )
        connection.execute(entry.update().where(entry.c.id == entry_id).values(findings=kept))
