"""专业方向: a school's registered directions inside a catalog major (中职, 教育局)."""

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel, UniqueConstraint

# Tables these reference, whoever imports this module first.
from app.authorities import models as _authorities  # noqa: F401
from app.catalog import models as _catalog  # noqa: F401
from app.clock import utcnow
from app.colleges import models as _colleges  # noqa: F401


class MajorDirection(SQLModel, table=True):
    """A direction name the bureau recorded for one school (2024 notice, 附件3): either kept as a
    direction of its catalog major (``kept``: 准予保留专业方向) or normalised to a catalog major
    (``normalised``: 根据教育部教学基本文件规范专业名称). Only a kept one may be filed; a
    normalised one names the major to file instead."""

    __tablename__ = "major_direction"
    __table_args__ = (UniqueConstraint("college_id", "name_norm"),)
    id: int | None = Field(default=None, primary_key=True)
    college_id: int = Field(foreign_key="college.id", index=True)
    name: str = Field(max_length=100)  # as recorded: 民间传统工艺（岭南文化艺术）
    name_norm: str = Field(max_length=100)
    direction: str = Field(max_length=100)  # the part in brackets: 岭南文化艺术
    major_id: int = Field(foreign_key="major.id")  # the catalog major it belongs to: 750305
    status: str = Field(max_length=12)  # kept | normalised
    normalised_name: str = Field(max_length=100)  # 规范专业名称 (= name when kept)
    normalised_major_id: int | None = Field(default=None, foreign_key="major.id")
    reason: str = Field(default="", max_length=200)  # 说明
    year: int
    authority_id: int | None = Field(default=None, foreign_key="authority.id")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
