from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from app.fields import Input, Year
from app.vocab import Level, System


class EditionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    key: str
    title: str
    system: str
    kind: str
    province: str | None
    year: int | None
    status: str
    partial: bool
    note: str
    supplements: str | None = None
    majors: int = 0
    superseded_on: date | None = None  # set by adopting the edition that replaced it
    superseded_by: str | None = None


class EditionCreate(Input):
    key: str = Field(min_length=2, max_length=60, pattern=r"^[0-9A-Za-z_.-]+$")
    title: str = Field(min_length=2, max_length=200)
    system: System = System.TECHNICIAN
    province: str | None = Field(
        default=None, max_length=20, description="makes it a provincial specialty catalog"
    )
    supplements: str | None = Field(
        default=None, max_length=60, description="key of the edition this supplements"
    )
    year: Year | None = None
    partial: bool = False
    note: str = Field(default="", max_length=500)


class MajorBase(Input):
    code: str = Field(min_length=1, max_length=8)
    name: str = Field(min_length=1, max_length=100)
    category: str = Field(min_length=1, max_length=40)
    levels: list[Level] | None = None


class MajorCreate(MajorBase):
    class_name: str | None = Field(default=None, max_length=40)
    added_year: Year | None = None


class MajorUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    category: str | None = Field(default=None, max_length=40)
    levels: list[Level] | None = None
    status: str | None = Field(default=None, pattern="^(active|withdrawn)$")


class MajorPublic(BaseModel):
    edition: str
    code: str
    name: str
    category: str
    category_code: str | None = None
    class_name: str | None = None
    levels: list[str] | None = None
    status: str
    added_year: int | None = None


class SearchHit(MajorPublic):
    match: str  # code | exact | name | pinyin | initials | near
    score: float


class EditionOptions(Input):
    """How `import catalog` creates a new edition; on an existing one only ``title`` and
    ``partial`` may change and ``system``/``province``, when given, must agree."""

    title: str | None = Field(default=None, max_length=200)
    system: System | None = None
    province: str | None = Field(default=None, max_length=20)
    supplements: str | None = Field(default=None, max_length=60)
    year: Year | None = None
    partial: bool | None = None
    note: str | None = Field(default=None, max_length=500)


class Relation(StrEnum):
    """新旧专业对照: how a code of an older edition continues in a newer one."""

    UNCHANGED = "unchanged"
    RENAMED = "renamed"
    MERGED = "merged"
    SPLIT = "split"
    MOVED = "moved"
    WITHDRAWN = "withdrawn"


class CrosswalkCreate(Input):
    """One line of a 新旧专业对照 into the edition of the URL (the newer one)."""

    from_edition: str = Field(max_length=60, description="key of the older edition")
    from_code: str = Field(min_length=1, max_length=8)
    to_code: str | None = Field(
        default=None, max_length=8, description="the successor; none when withdrawn"
    )
    relation: Relation


class CrosswalkPublic(BaseModel):
    id: int
    from_edition: str
    from_code: str
    from_name: str | None = None
    to_edition: str
    to_code: str | None
    to_name: str | None = None
    relation: str
