from pydantic import BaseModel, Field, model_validator

from app.fields import Input, UtcDateTime


class DirectionCreate(Input):
    """A direction the bureau recorded for a school: kept (``normalised_name`` omitted or equal to
    ``name``) or normalised to the catalog major ``normalised_name``."""

    college: str | None = Field(default=None, max_length=20, description="college code")
    school: str | None = Field(
        default=None,
        max_length=100,
        description="the school's name, current or former (instead of `college`)",
    )
    name: str = Field(
        min_length=1, max_length=100, description="原专业方向名称: `<catalog major>（<direction>）`"
    )
    normalised_name: str | None = Field(
        default=None, max_length=100, description="规范专业名称; default: `name` (kept)"
    )
    reason: str = Field(default="", max_length=200, description="说明")
    year: int = Field(ge=1990, le=2100)

    @model_validator(mode="after")
    def names_a_school(self) -> "DirectionCreate":
        if not (self.college or self.school):
            raise ValueError("give `college` (code) or `school` (name)")
        return self


class DirectionUpdate(Input):
    normalised_name: str | None = Field(default=None, min_length=1, max_length=100)
    reason: str | None = Field(default=None, max_length=200)
    year: int | None = Field(default=None, ge=1990, le=2100)


class MajorRef(BaseModel):
    code: str
    name: str


class DirectionPublic(BaseModel):
    id: int
    college_code: str
    college: str
    name: str = Field(description="原专业方向名称")
    direction: str
    major: MajorRef = Field(description="the catalog major it belongs to")
    status: str = Field(description="kept (准予保留) | normalised (规范为目录专业)")
    normalised_name: str = Field(description="规范专业名称")
    normalised_major: MajorRef | None = Field(description="the catalog major, when normalised")
    reason: str
    year: int
    authority: str | None
    created_at: UtcDateTime
