"""Catalog editions, categories, majors and the crosswalk between editions."""

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field, SQLModel, UniqueConstraint

from app.vocab import EditionStatus, MajorStatus


class CatalogEdition(SQLModel, table=True):
    __tablename__ = "catalog_edition"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=60)
    title: str = Field(max_length=200)
    system: str = Field(max_length=12)  # technician | secondary
    kind: str = Field(max_length=12)  # national | provincial | supplement
    province: str | None = Field(default=None, max_length=20)  # provincial specialty catalogs
    year: int | None = None
    supplements_id: int | None = Field(default=None, foreign_key="catalog_edition.id")
    status: str = Field(default=EditionStatus.IN_FORCE, max_length=12)
    # Set when a newer edition is adopted (app/adoption): the day and the edition that replaced it.
    superseded_on: date | None = None
    superseded_by: str | None = Field(default=None, max_length=60)  # the replacing edition's key
    partial: bool = False  # an extract, not the whole official catalog
    note: str = Field(default="", max_length=500)
    # Bumped by every write to the edition's majors: the search index compares it to know when
    # to rebuild, also across processes (see catalog/search.py).
    revision: int = Field(default=0)


class Category(SQLModel, table=True):
    """专业类别 (technician) or 专业大类 (中职), per edition."""

    __table_args__ = (UniqueConstraint("edition_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="catalog_edition.id", index=True)
    code: str | None = Field(default=None, max_length=8)
    name: str = Field(max_length=40)


class Major(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("edition_id", "code"),
        Index("ix_major_code", "code"),
        Index("ix_major_pinyin", "pinyin"),
        Index("ix_major_initials", "initials"),
    )
    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="catalog_edition.id")
    code: str = Field(max_length=8)
    name: str = Field(max_length=100)
    name_norm: str = Field(max_length=100, index=True)
    category_id: int = Field(foreign_key="category.id", index=True)
    class_name: str | None = Field(default=None, max_length=40)  # 中职 专业类
    levels: str | None = Field(default=None, max_length=40)  # "中级|高级|预备技师" or None
    status: str = Field(default=MajorStatus.ACTIVE, max_length=12)
    pinyin: str = Field(default="", max_length=400)
    initials: str = Field(default="", max_length=100)
    added_year: int | None = None
    proposed_by: str | None = Field(default=None, max_length=100)


class Crosswalk(SQLModel, table=True):
    """新旧专业对照: how a code of one edition maps to the next."""

    __table_args__ = (UniqueConstraint("from_edition_id", "from_code", "to_edition_id", "to_code"),)
    id: int | None = Field(default=None, primary_key=True)
    from_edition_id: int = Field(foreign_key="catalog_edition.id")
    from_code: str = Field(max_length=8, index=True)
    to_edition_id: int = Field(foreign_key="catalog_edition.id")
    to_code: str | None = Field(default=None, max_length=8)
    relation: str = Field(max_length=12)  # unchanged renamed merged split moved withdrawn
