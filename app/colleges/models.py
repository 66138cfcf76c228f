"""Colleges and their history of names and types."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from app.vocab import CollegeStatus


class College(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=20)
    name: str = Field(unique=True, max_length=100)
    type: str = Field(max_length=20)
    ownership: str = Field(max_length=10)  # 公办 | 民办
    province: str = Field(max_length=20, index=True)
    city: str | None = Field(default=None, max_length=20)
    status: str = Field(default=CollegeStatus.ACTIVE, max_length=12)
    authority_id: int | None = Field(default=None, foreign_key="authority.id", index=True)
    # ---- issue 24: a closed or merged college keeps when, why and (merged) into which one
    # (college.id; no foreign key, so that a SQLite downgrade can drop the column)
    merged_into_id: int | None = None
    ended_on: date | None = None
    end_reason: str | None = Field(default=None, max_length=1000)


class CollegeNameHistory(SQLModel, table=True):
    """A former name or type (colleges are promoted and renamed)."""

    __tablename__ = "college_name_history"
    id: int | None = Field(default=None, primary_key=True)
    college_id: int = Field(foreign_key="college.id", index=True)
    name: str = Field(max_length=100, index=True)
    type: str = Field(max_length=20)
    until: datetime
