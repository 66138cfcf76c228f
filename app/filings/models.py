"""Filing rounds, filings, their entries, provincial referrals and the filing history."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel, UniqueConstraint

from app.clock import utcnow
from app.vocab import FilingStatus, ReferralStatus


class FilingRound(SQLModel, table=True):
    """One authority's yearly filing round: the window and the catalog editions in force."""

    __tablename__ = "filing_round"
    __table_args__ = (UniqueConstraint("authority_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    authority_id: int = Field(foreign_key="authority.id")
    year: int
    title: str = Field(default="", max_length=200)
    opens_at: datetime = Field()
    closes_at: datetime = Field()
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="", max_length=100)
    # Set when the round's list is published: the round is closed for new submissions from then
    # on (a late approval reaches the list through a correction). The publication's id.
    closed_by_list: int | None = None


class RoundEdition(SQLModel, table=True):
    """A catalog edition in force for a round (copied from authority_catalog when not given)."""

    __tablename__ = "round_edition"
    round_id: int = Field(foreign_key="filing_round.id", primary_key=True)
    edition_id: int = Field(foreign_key="catalog_edition.id", primary_key=True)


class Filing(SQLModel, table=True):
    """A college's set of entries for a year: draft → submitted → decided (or withdrawn)."""

    __table_args__ = (
        Index("ix_filing_college_id_status", "college_id", "status"),
        Index("ix_filing_authority_id_status", "authority_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    college_id: int = Field(foreign_key="college.id")
    authority_id: int | None = Field(default=None, foreign_key="authority.id")
    year: int
    round_id: int | None = Field(default=None, foreign_key="filing_round.id", index=True)
    status: str = Field(default=FilingStatus.DRAFT, max_length=12)
    version: int = 1
    source: str = Field(default="api", max_length=20)  # api | import:<xlsx|utf-8|gbk>
    created_by: str = Field(default="", max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    decided_at: datetime | None = None


class FilingEntry(SQLModel, table=True):
    """One offering filed: the values as filed (kept even when invalid), the derived kind, the
    findings of the last check and the decision."""

    __tablename__ = "filing_entry"
    __table_args__ = (UniqueConstraint("filing_id", "index"),)
    id: int | None = Field(default=None, primary_key=True)
    filing_id: int = Field(foreign_key="filing.id")
    index: int
    row: int | None = None  # spreadsheet row it came from (imports)
    major_code: str = Field(default="", max_length=20)
    major_name: str = Field(default="", max_length=100)
    category: str = Field(default="", max_length=40)
    intake: str = Field(default="", max_length=20)
    level: str = Field(default="", max_length=20)  # '' for 中职 (no level)
    length_years: int | None = None
    length_text: str = Field(default="", max_length=20)  # as filed, when not a number
    declared_kind: str = Field(default="", max_length=12)
    kind: str = Field(default="", max_length=12)  # derived by the registry
    former_name: str = Field(default="", max_length=100)  # 改名: the program's old name
    remark: str = Field(default="", max_length=200)  # the college's note to the bureau: internal
    # the reviewer's 备注 for the list (public)
    public_remark: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    major_id: int | None = Field(default=None, foreign_key="major.id")  # resolved catalog major
    findings: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    decision: str | None = Field(default=None, max_length=10)  # a Decision
    decision_reason: str | None = Field(default=None, max_length=1000)
    decided_by: str | None = Field(default=None, max_length=100)
    decided_at: datetime | None = None
    program_id: int | None = Field(default=None, foreign_key="program.id")
    # ---- issue 24: a 停招 / 撤销 entry's year it takes effect and the college's reason
    effective_year: int | None = None
    reason: str = Field(default="", max_length=1000)


class Referral(SQLModel, table=True):
    """An out-of-catalog proposal sent to the province for review (目录外专业)."""

    __table_args__ = (Index("ix_referral_authority_id_status", "authority_id", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="filing_entry.id", unique=True)
    authority_id: int = Field(foreign_key="authority.id")  # the province deciding it
    status: str = Field(default=ReferralStatus.PENDING, max_length=10)
    proposed_name: str = Field(max_length=100)
    category: str = Field(default="", max_length=40)
    reason: str | None = Field(default=None, max_length=1000)
    major_id: int | None = Field(default=None, foreign_key="major.id")  # the new specialty major
    created_at: datetime = Field(default_factory=utcnow)
    decided_by: str | None = Field(default=None, max_length=100)
    decided_at: datetime | None = None


class FilingEvent(SQLModel, table=True):
    """A filing's history: every state change with who, when, what and why."""

    __tablename__ = "filing_event"
    id: int | None = Field(default=None, primary_key=True)
    filing_id: int = Field(foreign_key="filing.id", index=True)
    entry_index: int | None = None
    at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=100)
    role: str = Field(max_length=12)
    action: str = Field(max_length=40)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reason: str | None = Field(default=None, max_length=1000)
