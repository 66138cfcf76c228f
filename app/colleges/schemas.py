from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from app.fields import Input
from app.vocab import CollegeType


class CollegeBase(Input):
    code: str = Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z_-]+$")
    name: str = Field(min_length=2, max_length=100)
    type: CollegeType
    ownership: str = Field(pattern="^(公办|民办)$")
    province: str = Field(min_length=2, max_length=20)
    city: str | None = Field(default=None, max_length=20)


class CollegeCreate(CollegeBase):
    pass


class CollegeUpdate(Input):
    """Renames and promotions keep the former name and type in the college's history."""

    name: str | None = Field(default=None, min_length=2, max_length=100)
    type: CollegeType | None = None
    ownership: str | None = Field(default=None, pattern="^(公办|民办)$")
    city: str | None = Field(default=None, max_length=20)
    status: str | None = Field(default=None, pattern="^(active|closed)$")


class FormerName(BaseModel):
    name: str
    type: str
    until: str


class CollegePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    code: str
    name: str
    type: str
    ownership: str
    province: str
    city: str | None
    status: str
    former_names: list[FormerName] = []
    # issue 24: a closed or merged college (status closed | merged)
    merged_into: str | None = Field(default=None, description="merged: the receiving college")
    ended_on: date | None = Field(default=None, description="closed or merged on (YYYY-MM-DD)")
    end_reason: str | None = None
