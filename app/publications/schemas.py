from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from app.fields import DbId, Input, UtcDateTime
from app.vocab import YEARS_CN, Intake, Level


class LineIn(Input):
    """One printed line. Lines sharing ``seq`` form one numbered entry (same college and major)."""

    seq: int = Field(ge=1, le=1_000_000, description="序号 (entry number)")
    college: str = Field(max_length=20, description="college code")
    major_code: str = Field(max_length=8)
    major_name: str | None = Field(
        default=None, max_length=100, description="default: the catalog's name"
    )
    category: str | None = Field(
        default=None, max_length=40, description="default: the catalog's category"
    )
    intake: Intake
    level: Level | None = Field(default=None, description="none for 中职")
    length_years: int = Field(ge=1, le=8)
    remark: str = Field(default="", max_length=200, description="备注 as printed (official)")
    entry_id: DbId | None = Field(
        default=None,
        description="the approved filing entry of the list's round this line prints; default: "
        "the one approving the same offering",
    )
    reason: str = Field(
        default="",
        max_length=500,
        description="why a line no approved entry carries is added by hand (required for one)",
    )


class SpecialtyIn(Input):
    """附件2: 专业名称, 专业编码, 培养层次, 学制, 专业大类, 申报学校."""

    major_name: str = Field(min_length=1, max_length=100)
    major_code: str = Field(min_length=1, max_length=20)
    level: Level | None = None
    length_years: int = Field(ge=1, le=8)
    category: str = Field(min_length=1, max_length=40)
    applicant_college: str = Field(min_length=1, max_length=100, description="as printed")


class ProjectIn(Input):
    """附件2 of a 中职 list: 学校, 专业名称, 校企合作项目名称 — names as printed."""

    school: str = Field(min_length=1, max_length=100, description="as printed (a former name too)")
    college: str | None = Field(
        default=None, max_length=20, description="college code; default: by `school`"
    )
    major_name: str = Field(min_length=1, max_length=100, description="as printed")
    project: str = Field(min_length=1, max_length=200)


class DirectionRowIn(Input):
    """附件3 of a 中职 list: 学校名称, 原专业方向名称, 规范专业名称, 说明 — as printed."""

    school: str = Field(min_length=1, max_length=100, description="as printed (a former name too)")
    college: str | None = Field(
        default=None, max_length=20, description="college code; default: by `school`"
    )
    original_name: str = Field(min_length=1, max_length=100)
    normalised_name: str = Field(min_length=1, max_length=100)
    note: str = Field(default="", max_length=200)


class ProjectsIn(Input):
    projects: list[ProjectIn]


class DirectionsIn(Input):
    directions: list[DirectionRowIn]


AnnexIn = ProjectsIn | DirectionsIn


class ProjectPublic(BaseModel):
    seq: int
    school: str
    college_code: str
    major_name: str = Field(description="as printed")
    major_code: str | None = Field(description="when the printed name is a catalog name")
    suggestion: dict[str, str] | None = Field(
        description="the nearest catalog major when it is not: offered, never substituted"
    )
    project: str


class DirectionAnnexPublic(BaseModel):
    seq: int
    school: str = Field(description="as printed")
    college_code: str
    original_name: str
    normalised_name: str
    note: str


class AnnexLink(BaseModel):
    key: str
    sheet: str
    title: str
    header: list[str]
    rows: int
    csv: str
    xlsx: str


class PublicationMeta(Input):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    document_number: str | None = Field(default=None, max_length=100)
    published_on: date | None = None


class PublicationCreate(Input):
    """A draft: from a filing round's approved entries (``round_id`` alone is enough: year,
    authority and a default title come from the round) or from ``lines``."""

    authority: str | None = Field(
        default=None,
        max_length=40,
        description="authority code; default: the round's, else the token's authority",
    )
    year: int | None = Field(default=None, ge=1990, le=2100, description="default: the round's")
    title: str | None = Field(
        default=None, min_length=1, max_length=200, description="default: from the round"
    )
    document_number: str = Field(default="", max_length=100)
    published_on: date | None = None
    series: str | None = Field(
        default=None,
        max_length=60,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description="stable key shared by the revisions; default `<AUTHORITY>-<year>`",
    )
    round_id: DbId | None = Field(default=None, description="draft from this round's approvals")
    lines: list[LineIn] | None = None
    specialties: list[SpecialtyIn] | None = Field(
        default=None, description="附件2; default from a round: its new provincial specialties"
    )
    projects: list[ProjectIn] | None = Field(
        default=None, description="中职 附件2: 示范专业及校企合作项目"
    )
    directions: list[DirectionRowIn] | None = Field(
        default=None, description="中职 附件3: 专业（含专业方向）名称规范备案"
    )


class LinesIn(Input):
    lines: list[LineIn]


class SpecialtiesIn(Input):
    specialties: list[SpecialtyIn]


class CorrectionIn(Input):
    """A correction (勘误): a new draft revision copying the one it corrects."""

    reason: str = Field(min_length=1, max_length=1000)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    document_number: str | None = Field(default=None, max_length=100)
    published_on: date | None = None


class Announcement(BaseModel):
    from_: date = Field(alias="from", serialization_alias="from")
    until: date
    contact: str

    model_config = {"populate_by_name": True}


class AnnounceIn(Input):
    """公示: the public-notice period (dates in the bureau's time zone; may lie in the past when
    the notice is recorded afterwards) and the contact for objections."""

    from_: date = Field(alias="from", validation_alias="from")
    until: date
    contact: str = Field(min_length=1, max_length=200)

    model_config = {"populate_by_name": True}


class ObjectionIn(Input):
    text: str = Field(min_length=1, max_length=2000)
    seq: int | None = Field(default=None, ge=1, description="序号 of the entry it concerns")


class ObjectionUpdate(Input):
    status: Literal["dismissed", "upheld"]
    resolution: str = Field(min_length=1, max_length=2000)
    drop: bool = Field(
        default=False, description="upheld: drop the entry's lines from the draft (renumbered)"
    )


class ObjectionPublic(BaseModel):
    id: int
    publication_id: int
    seq: int | None
    text: str
    status: str
    resolution: str
    created_by: str
    created_at: UtcDateTime
    resolved_by: str | None
    resolved_at: UtcDateTime | None


class LinePublic(BaseModel):
    seq: int
    entry_id: int | None = None
    college_code: str
    college: str
    major_code: str
    major_name: str
    category: str
    intake: str
    level: str | None
    length_years: int
    length: str = Field(description="学制 as printed: 三年, 五年")
    remark: str


class EntryLine(BaseModel):
    intake: str
    level: str | None
    length_years: int
    length: str
    remark: str
    program_id: int | None = None
    entry_id: int | None = Field(
        default=None, description="the approved filing entry it prints; null: added by hand"
    )
    added: bool = Field(
        default=False, description="added by hand by the bureau (with `reason`), no filing"
    )
    reason: str = Field(default="", description="why it was added by hand")
    new: bool = Field(
        default=False, description="a correction's line that the corrected revision lacks"
    )


class ListEntryPublic(BaseModel):
    """A numbered entry as the notice prints it: one major, one or more lines."""

    seq: int
    college_code: str
    college: str
    major_code: str
    major_name: str
    category: str
    lines: list[EntryLine]


class SpecialtyPublic(BaseModel):
    major_name: str
    major_code: str
    level: str | None
    length_years: int
    length: str
    category: str
    applicant_college: str


class PublicationSummary(BaseModel):
    id: int
    series: str
    revision: int
    status: str
    latest: bool = Field(description="the newest published revision of its series")
    year: int
    authority: str
    authority_name: str
    system: str
    title: str
    document_number: str
    published_on: date | None
    published_at: UtcDateTime | None
    round_id: int | None = Field(description="the filing round it was drafted from")
    checksum: str | None = Field(description="SHA-256 of the default CSV download (BOM, CRLF)")
    corrects: int | None
    correction_reason: str | None
    corrected_by: list[int]
    line_count: int
    entry_count: int
    links: dict[str, str]
    announcement: Announcement | None = Field(
        default=None, description="公示: the period and contact (status `announced`: 公示中)"
    )
    announcement_open: bool = Field(
        default=False,
        description="the 公示 period runs: the bureau's today is on or before `until`",
    )


class PublicationPublic(PublicationSummary):
    header: list[str] = Field(description="the columns of the list's main table, as printed")
    entries: list[ListEntryPublic]
    specialties: list[SpecialtyPublic]
    projects: list[ProjectPublic] = Field(description="中职 附件2")
    directions: list[DirectionAnnexPublic] = Field(description="中职 附件3")
    annexes: list[AnnexLink] = Field(description="the annexes the list's layout prints")
    objections: list[ObjectionPublic] = Field(
        default_factory=list, description="异议 raised during 公示 (staff of the authority only)"
    )


class PublishResult(PublicationPublic):
    linked_programs: int = Field(description="programs now pointing to this revision")


def length_cn(years: int) -> str:
    return YEARS_CN.get(years, f"{years}年")
