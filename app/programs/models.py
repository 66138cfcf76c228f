"""Programs: college × major × level × intake × length."""

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel


class Program(SQLModel, table=True):
    __table_args__ = (
        # A college never runs two active programs with the same (major, level, intake).
        Index(
            "uq_program_active_offering",
            "college_id",
            "major_id",
            "level",
            "intake",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_program_college_id_id", "college_id", "id"),
        Index("ix_program_major_id_id", "major_id", "id"),
        # GET /programs filters ordered by id (keyset): a rare year or status seeks here instead
        # of scanning 150,000 rows (EXPLAIN on both backends, README "Programs").
        Index("ix_program_since_year_id", "since_year", "id"),
        Index("ix_program_status_id", "status", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    college_id: int = Field(foreign_key="college.id")
    major_id: int = Field(foreign_key="major.id")
    # '' for 中职 programs, which have no training level (so the unique index sees them).
    level: str = Field(default="", max_length=10)
    intake: str = Field(max_length=20)
    length_years: int
    status: str = Field(default="active", max_length=12)
    since_year: int
    source: str = Field(default="", max_length=60)
