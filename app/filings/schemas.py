"""Request and response bodies of rounds, filings, checks and decisions."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.fields import DB_INT_MAX, Input, UtcDateTime
from app.localtime import Moment

MAX_ENTRIES = 20_000


class EntryIn(Input):
    """One entry as a spreadsheet row would give it: every value optional and lenient, so a
    missing or unknown value becomes a finding on the entry rather than a 422 for the body."""

    model_config = ConfigDict(extra="ignore")
    # Lengths: the columns of filing_entry (a draft stores what was sent).
    major_code: str | None = Field(default=None, max_length=20)
    major_name: str | None = Field(default=None, max_length=100)
    category: str | None = Field(default=None, max_length=40)
    intake: str | None = Field(default=None, max_length=20)
    level: str | None = Field(default=None, max_length=20)
    length_years: str | None = Field(
        default=None,
        max_length=20,
        description="5, '5', '5年' or '五年'",
        # a number is accepted as well (contract.md sends 5): the schema says so
        json_schema_extra={
            "anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 20}, {"type": "null"}]
        },
    )
    kind: str | None = Field(
        default=None, max_length=12, description="新增专业 新增层次 停招后复开 改名 停招 撤销"
    )
    remark: str | None = Field(default=None, max_length=200)
    former_name: str | None = Field(
        default=None, max_length=100, description="改名: the program's former name"
    )
    row: int | None = Field(
        default=None,
        ge=1,
        le=10_000_000,
        description="the spreadsheet row the entry came from; send it back on PUT to keep it",
    )
    # ---- issue 24: 停招 / 撤销 entries
    effective_year: str | None = Field(
        default=None,
        max_length=10,
        description="停招/撤销: the year it takes effect (default: the round's year)",
        json_schema_extra={"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}]},
    )
    reason: str | None = Field(
        default=None, max_length=1000, description="停招/撤销: why (required; the bureau reads it)"
    )

    @field_validator("*", mode="before")
    @classmethod
    def _as_text(cls, value: Any, info: Any) -> Any:
        if info.field_name == "row" or isinstance(value, bool) or value is None:
            return value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value) if isinstance(value, int | float) else value


class ValidateRequest(Input):
    college: str = Field(max_length=20, description="college code")
    year: int | None = Field(default=None, ge=1949, le=2100)
    entries: list[EntryIn] = Field(max_length=MAX_ENTRIES)


class FindingOut(BaseModel):
    code: str
    severity: str
    field: str
    message: str
    suggestion: str | None = None


class EntryResult(BaseModel):
    index: int
    kind: str
    findings: list[FindingOut]


class ValidationResult(BaseModel):
    entries: list[EntryResult]
    errors: int
    warnings: int


class FilingCreate(Input):
    college: str = Field(max_length=20, description="college code")
    year: int = Field(ge=1949, le=2100)
    entries: list[EntryIn] = Field(default_factory=list, max_length=MAX_ENTRIES)


class FilingUpdate(Input):
    version: int = Field(
        ge=0, le=DB_INT_MAX, description="the version you read; a stale one gets 409 stale_version"
    )
    entries: list[EntryIn] = Field(max_length=MAX_ENTRIES)


class VersionIn(Input):
    version: int | None = Field(
        default=None, ge=0, le=DB_INT_MAX, description="optional: refuse if it changed"
    )


class FilingEntryPublic(BaseModel):
    index: int
    row: int | None
    major_code: str
    major_name: str
    category: str
    intake: str
    level: str | None
    length_years: int | None
    declared_kind: str | None
    kind: str
    former_name: str | None
    remark: str
    findings: list[FindingOut]
    decision: str | None
    decision_reason: str | None
    decided_at: UtcDateTime | None
    referral: int | None = None
    referral_status: str | None = None
    effective_year: int | None = None
    reason: str = ""
    program_id: int | None = None


class HistoryItem(BaseModel):
    at: UtcDateTime
    actor: str
    role: str
    action: str
    entry_index: int | None
    detail: dict[str, Any]
    reason: str | None


class FilingCounts(BaseModel):
    """What a reviewer's queue shows per filing."""

    entries: int = 0
    errors: int = 0
    warnings: int = 0
    undecided: int = 0
    referred: int = Field(default=0, description="entries referred and waiting at the province")


Waiting = Literal["college", "bureau", "province", "decided", "withdrawn"]


class FilingSummary(BaseModel):
    id: int
    college: str
    college_name: str
    year: int
    round: int | None
    status: str
    waiting: Waiting = Field(
        description="where the filing waits: `college` (a draft), `bureau` (entries undecided), "
        "`province` (only referrals open), `decided`, `withdrawn`"
    )
    version: int
    source: str
    created_at: UtcDateTime
    submitted_at: UtcDateTime | None
    decided_at: UtcDateTime | None
    updated_at: UtcDateTime | None = None
    counts: FilingCounts = Field(default_factory=FilingCounts)


class FilingPublic(FilingSummary):
    errors: int
    warnings: int
    entries: list[FilingEntryPublic]
    history: list[HistoryItem]


class DecisionIn(Input):
    decision: Literal["approved", "rejected", "referred"]
    reason: str | None = Field(default=None, max_length=1000)
    remark: str | None = Field(
        default=None,
        max_length=200,
        description="the 备注 printed in the list (public); default: derived from the kind. "
        "The college's own remark is internal and never printed",
    )


class EntryDecisionIn(DecisionIn):
    index: int = Field(ge=0)


class BulkDecisionIn(Input):
    """Several decisions on one filing, all or nothing (one transaction, one audit record)."""

    decisions: list[EntryDecisionIn] = Field(min_length=1, max_length=MAX_ENTRIES)


class ReferralDecisionIn(Input):
    decision: Literal["approved", "rejected"]
    reason: str | None = Field(default=None, max_length=1000)
    name: str | None = Field(
        default=None,
        max_length=100,
        description="the name the province adopts (default: the proposal)",
    )
    category: str | None = Field(default=None, max_length=40)
    code: str | None = Field(
        default=None,
        max_length=4,
        description="the next free code as shown before confirming (next_code of GET "
        "/referrals/{id}); 409 code_changed if another approval took it meanwhile",
    )


class ReferralPublic(BaseModel):
    """A proposal on its way from the city to the province, with what both need to judge and
    follow it: the college, the entry as filed, the city's reason and the province's outcome."""

    id: int
    filing: int
    entry_index: int
    entry_row: int = Field(description="the entry's 行号 as the filing shows it")
    college: str = Field(description="college code")
    college_name: str
    authority: str = Field(description="the deciding province's authority code")
    authority_name: str
    referred_from: str | None = Field(description="the referring (city) authority's code")
    referred_from_name: str | None
    referred_by: str | None = Field(description="who referred it")
    referred_reason: str | None = Field(description="the city's reason for referring it")
    proposed_name: str
    category: str
    intake: str
    level: str | None
    length_years: int | None
    remark: str
    status: str
    reason: str | None = Field(description="the province's reason")
    major_code: str | None
    created_at: UtcDateTime
    decided_at: UtcDateTime | None
    decided_by: str | None
    can_decide: bool = Field(description="whether the caller may decide it now")
    next_code: str | None = Field(
        default=None, description="pending: the 8xxx code an approval would give now"
    )


MOMENT_HELP = (
    "a date (an opening: 00:00 of that day; a deadline: 24:00 of that day, in the bureau's "
    "time zone REGISTRY_TIMEZONE), a local date-time without offset, or an ISO moment with one"
)


class RoundCreate(Input):
    authority: str | None = Field(
        default=None, max_length=40, description="authority code; default: the token's"
    )
    year: int = Field(ge=1949, le=2100)
    title: str = Field(default="", max_length=200)
    opens_at: Moment = Field(description=MOMENT_HELP)
    closes_at: Moment = Field(description=MOMENT_HELP)
    editions: list[Annotated[str, Field(max_length=60)]] | None = Field(
        default=None,
        max_length=50,
        description="catalog keys in force; default: the authority's catalogs",
    )


class RoundUpdate(Input):
    """Edit a round: its title, window (extend, shorten, reopen) and editions in force."""

    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, max_length=200)
    opens_at: Moment | None = Field(default=None, description=MOMENT_HELP)
    closes_at: Moment | None = Field(default=None, description=MOMENT_HELP)
    editions: list[Annotated[str, Field(max_length=60)]] | None = Field(
        default=None, min_length=1, max_length=50
    )
    reason: str | None = Field(default=None, max_length=1000, description="kept in the audit log")


class RoundClose(Input):
    reason: str | None = Field(default=None, max_length=1000, description="kept in the audit log")


class RoundPublic(BaseModel):
    id: int
    authority: str
    year: int
    title: str
    opens_at: UtcDateTime
    closes_at: UtcDateTime
    timezone: str = Field(description="the bureau's time zone the local times are in")
    opens_at_local: str = Field(description="local start, e.g. 2026-01-01 00:00")
    closes_at_local: str = Field(description="local deadline, e.g. 2026-03-31 24:00")
    editions: list[str]
    open: bool
    created_by: str
    closed_by_list: int | None = Field(
        default=None,
        description="the published list that closed the round to new submissions",
    )


class ApprovedEntry(BaseModel):
    """An approved entry as publications need it (see ``service.approved_entries``)."""

    filing_id: int
    entry_index: int
    round_id: int | None
    year: int
    college_id: int
    college_code: str
    college: str
    major_id: int
    major_code: str
    major_name: str
    category: str
    intake: str
    level: str | None
    length_years: int
    kind: str
    remark: str = Field(description="the college's note to the bureau (internal)")
    public_remark: str = Field(default="", description="the reviewer's 备注 for the list")
    former_name: str = ""
    entry_id: int | None = None
    decision: str
    decided_at: UtcDateTime | None
    program_id: int | None
