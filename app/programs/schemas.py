from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from app.fields import YEAR_FILTER_MAX, YEAR_FILTER_MIN, Input
from app.pagination import MAX_LIMIT
from app.vocab import Intake, Level, ProgramStatus, System

# 状态 of the planners' layout (contract.md) → the status it names. 批准待公布 is ``approved``
# (an approval not yet carried by a published list).
STATUS_LABELS = {
    "在办": ProgramStatus.ACTIVE,
    "停招": ProgramStatus.SUSPENDED,
    "撤销": ProgramStatus.WITHDRAWN,
    "批准待公布": ProgramStatus.APPROVED,
}


class Layout(StrEnum):
    """Column layout of programs.csv/.xlsx: ``en`` (the default, what the import has always
    read) or ``zh`` (contract.md "Planners' layout")."""

    en = "en"
    zh = "zh"


class ProgramFilters(BaseModel):
    """The filters shared by ``GET /programs`` and its CSV/XLSX exports (contract.md)."""

    college: str | None = Field(default=None, description="college code")
    major_code: str | None = None
    category: str | None = None
    level: Level | None = None
    intake: Intake | None = None
    status: ProgramStatus | None = Field(
        default=None,
        description="also the planners' labels 在办, 停招, 撤销, 批准待公布 (contract.md)",
    )
    province: str | None = None
    year: int | None = Field(
        default=None,
        ge=YEAR_FILTER_MIN,
        le=YEAR_FILTER_MAX,
        description="first approved in this year (since_year)",
    )
    system: System | None = Field(
        default=None, description="technician (技工院校) or secondary (中职): the college's type"
    )
    authority: str | None = Field(
        default=None,
        max_length=40,
        description="authority code: programs of the colleges it governs, the tree walked down "
        "(GD-HRSS: the province's own and its cities')",
    )

    @field_validator("status", mode="before")
    @classmethod
    def _status_label(cls, value: object) -> object:
        """The planners' layout prints 状态 in words: the same words filter."""
        return STATUS_LABELS.get(value, value) if isinstance(value, str) else value


class ProgramPageQuery(ProgramFilters):
    """The query string of ``GET /programs``: the filters, then the page."""

    cursor: str | None = Field(default=None, description="`next` of the previous page")
    limit: int = Field(default=50, ge=1, le=MAX_LIMIT)


class ProgramCreate(Input):
    college: str = Field(max_length=20, description="college code")
    major_code: str = Field(max_length=8)
    edition: str | None = Field(
        default=None, max_length=60, description="catalog key; default: the one in force"
    )
    level: Level | None = None
    intake: Intake
    length_years: int = Field(ge=1, le=8)
    since_year: int = Field(ge=1949, le=2100)
    status: ProgramStatus = ProgramStatus.ACTIVE


class ProgramUpdate(Input):
    status: ProgramStatus | None = None
    length_years: int | None = Field(default=None, ge=1, le=8)
    since_year: int | None = Field(default=None, ge=1949, le=2100)
    reason: str | None = Field(
        default=None,
        max_length=1000,
        description="why (required with a change of status): kept in the history and the audit",
    )


class ProgramPublic(BaseModel):
    id: int
    college_code: str
    college: str
    major_code: str
    major_name: str
    category: str
    edition: str
    intake: str
    level: str | None
    length_years: int
    status: str
    since_year: int


class FormerCode(BaseModel):
    """A code (and name) the program had before: renamed by a filing (改名) or moved by the
    adoption of a new catalog edition (``changed_by``: that edition's key)."""

    code: str
    name: str
    edition: str
    changed_by: str | None = None
    relation: str
    at: str


class ProgramDetail(ProgramPublic):
    former_codes: list[FormerCode] = Field(default_factory=list)
    status_since: int | None = Field(
        default=None, description="the year the current status began, from the history"
    )


HistoryEvent = Literal[
    "approved", "activated", "suspended", "reactivated", "withdrawn", "renamed", "moved"
]


class ProgramHistoryItem(BaseModel):
    """One change of a program (contract.md "Program lifecycle"), oldest first."""

    event: HistoryEvent
    year: int | None = Field(description="the year it takes effect")
    at: str = Field(description="when it was recorded (ISO 8601)")
    reason: str | None
    publication_id: int | None = Field(description="the list that caused it")
    entry_id: int | None = Field(default=None, description="the filing entry decided")
    filing_id: int | None = None
    actor: str = ""
    source: str = ""
    former_name: str | None = None
    former_college: str | None = Field(default=None, description="moved: the college's code")
    college: str | None = Field(default=None, description="moved: the receiving college's code")
    detail: dict[str, Any] = Field(default_factory=dict)


class ProgramHistory(BaseModel):
    items: list[ProgramHistoryItem]
