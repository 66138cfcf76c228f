"""The change feed's answers as typed schemas, for /docs and generated clients (the routes write
the JSON themselves, app/changes/feed.py; tests/clients/test_openapi.py checks live answers
against these). One item type per entity, told apart by ``entity``; ``data`` is the entity's
public state after the change (the ``snapshots`` module of its package), null for ``deleted``."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.vocab import Intake, Level, ProgramStatus, System

Op = Literal["created", "updated", "deleted"]


class ProgramData(BaseModel):
    id: int
    college_code: str
    college: str
    major_code: str
    major_name: str
    category: str
    intake: Intake
    level: Level | None = Field(description="null for a 中职 program (no level)")
    length_years: int
    status: ProgramStatus
    since_year: int | None


class CollegeFormerName(BaseModel):
    name: str
    type: str
    until: str = Field(description="until when: RFC 3339, UTC, ending Z")


class CollegeData(BaseModel):
    code: str
    name: str
    type: str
    ownership: str
    province: str
    city: str
    status: str
    former_names: list[CollegeFormerName]


class MajorData(BaseModel):
    edition: str
    code: str
    name: str
    category: str
    category_code: str | None
    class_name: str | None
    levels: list[Level] | None
    status: str
    added_year: int | None


class EditionData(BaseModel):
    """A catalog edition itself: entity ``major`` with a key without ``/``."""

    key: str
    title: str
    system: System
    kind: str
    province: str | None
    year: int | None
    supplements: str | None
    status: str
    partial: bool
    note: str | None


class PublicationData(BaseModel):
    id: int
    series: str
    revision: int
    corrects: int | None
    correction_reason: str | None
    authority: str | None
    system: System
    year: int
    title: str
    document_number: str | None
    published_on: str | None = Field(description="YYYY-MM-DD")
    status: str
    checksum: str | None
    line_count: int | None
    published_at: str | None = Field(description="RFC 3339, UTC, ending Z")


class _Item(BaseModel):
    seq: int = Field(description="strictly increasing, in commit order")
    at: str = Field(description="the commit's time: RFC 3339, UTC, ending Z")
    op: Op


class ProgramChange(_Item):
    entity: Literal["program"]
    key: str = Field(description="the program's id")
    data: ProgramData | None


class CollegeChange(_Item):
    entity: Literal["college"]
    key: str = Field(description="the college's code")
    data: CollegeData | None


class MajorChange(_Item):
    entity: Literal["major"]
    key: str = Field(description="<edition>/<code> of a major, <edition> of an edition")
    data: MajorData | EditionData | None


class PublicationChange(_Item):
    entity: Literal["publication"]
    key: str = Field(description="the published list's id")
    data: PublicationData | None


ChangeItem = Annotated[
    ProgramChange | CollegeChange | MajorChange | PublicationChange,
    Field(discriminator="entity"),
]


class ChangesPage(BaseModel):
    items: list[ChangeItem]
    next: str | None = Field(description="cursor of the next page, null on the last")
    last_seq: int = Field(description="ask since=<last_seq> next")


class ChangesHead(BaseModel):
    last_seq: int = Field(description="the feed's newest seq")
