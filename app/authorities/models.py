"""Authorities (bureaus) and the data each one sets: program lengths, college-type norms."""

from sqlmodel import Field, SQLModel, UniqueConstraint


class Authority(SQLModel, table=True):
    """A bureau: 广州市人社局 (city, technician), 广东省人社厅 (province), 广州市教育局 (中职)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=40)
    name: str = Field(max_length=100)
    level: str = Field(max_length=10)  # "city" | "province"
    system: str = Field(max_length=12)  # "technician" | "secondary"
    province: str = Field(max_length=20)
    city: str | None = Field(default=None, max_length=20)
    parent_id: int | None = Field(default=None, foreign_key="authority.id")
    # 公示 before publication: whether this bureau announces its lists first and for how many
    # days (the 2024 中职 notice was "经公示无异议"; 人社局's technician list was not announced).
    notice_required: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    notice_days: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class AuthorityCatalog(SQLModel, table=True):
    """The catalog editions an authority applies (in force for its rounds)."""

    __tablename__ = "authority_catalog"
    authority_id: int = Field(foreign_key="authority.id", primary_key=True)
    edition_id: int = Field(foreign_key="catalog_edition.id", primary_key=True)


class LengthRule(SQLModel, table=True):
    """学制 by (intake, level) for one authority — data, so a bureau can change it."""

    __tablename__ = "length_rule"
    __table_args__ = (UniqueConstraint("authority_id", "intake", "level"),)
    id: int | None = Field(default=None, primary_key=True)
    authority_id: int = Field(foreign_key="authority.id")
    intake: str = Field(max_length=20)
    level: str = Field(max_length=10)
    years: int


class CollegeTypeLevel(SQLModel, table=True):
    """Levels a college type normally trains (技工学校 → 中级; 高级技工学校 → up to 高级; ...)."""

    __tablename__ = "college_type_level"
    __table_args__ = (UniqueConstraint("authority_id", "college_type", "level"),)
    id: int | None = Field(default=None, primary_key=True)
    authority_id: int = Field(foreign_key="authority.id")
    college_type: str = Field(max_length=20)
    level: str = Field(max_length=10)
