"""The change feed's tables: one row per change of a public entity, and the registry's version.

``change.seq`` is assigned when the writing transaction commits (``app.changes.recorder``), after
it has taken the row lock of ``registry_version``: writers of the feed pass that point one at a
time, so seqs are handed out in commit order and a reader never sees seq N+1 before seq N.
"""

from sqlalchemy import DDL, BigInteger, Column, Index, Integer, Text, event
from sqlmodel import Field, SQLModel

# SQLite only makes an INTEGER PRIMARY KEY the auto-assigned rowid; PostgreSQL gets a bigserial.
SEQ_TYPE = BigInteger().with_variant(Integer(), "sqlite")


class Change(SQLModel, table=True):
    """A create, update, status change or withdrawal of a major (or edition), college, program
    or published list: the entity's key and its public state after the change (JSON text, served
    as stored), or null for a deletion."""

    __tablename__ = "change"
    __table_args__ = (
        Index("ix_change_entity_seq", "entity", "seq"),
        {"sqlite_autoincrement": True},  # a seq is never reused, even after the newest is gone
    )
    seq: int | None = Field(default=None, sa_column=Column(SEQ_TYPE, primary_key=True))
    at: str = Field(max_length=32)  # ISO 8601 UTC, the commit's time
    entity: str = Field(max_length=12)  # major | college | program | publication
    op: str = Field(max_length=8)  # created | updated | deleted
    key: str = Field(max_length=80)
    data: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class RegistryVersion(SQLModel, table=True):
    """One row: bumped by every transaction that wrote something. Its row lock serialises the
    feed's writers from the bump to the commit; its value versions every public answer (ETag)."""

    __tablename__ = "registry_version"
    id: int = Field(default=1, primary_key=True)
    version: int = 0
    changed_at: str = Field(default="", max_length=32)


# The one row exists from the start (migration 0005 inserts it the same way).
INSERT_VERSION_ROW = "INSERT INTO registry_version (id, version, changed_at) VALUES (1, 0, '')"
event.listen(RegistryVersion.__table__, "after_create", DDL(INSERT_VERSION_ROW))  # type: ignore[attr-defined]
