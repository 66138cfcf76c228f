"""The token table (only a token's SHA-256 is stored; the token itself is shown once) and the
counts of failed sign-ins."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class ApiToken(SQLModel, table=True):
    """A bearer token bound to a role and to an authority or a college."""

    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    role: str = Field(max_length=12)
    authority_id: int | None = Field(default=None, foreign_key="authority.id")
    college_id: int | None = Field(default=None, foreign_key="college.id")
    token_hash: str = Field(unique=True, max_length=64)
    hint: str = Field(max_length=12)  # the first characters, to tell tokens apart in listings
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime | None = None
    revoked_at: datetime | None = None


class SignInFailure(SQLModel, table=True):
    """Failed password sign-ins, counted in the database so every app process sees the same
    counts (``app.access.sign_in``). ``kind`` is ``account`` (one typed username from one
    address: a growing delay) or ``address`` (every username from one address: a limit within a
    window; ``username`` is empty)."""

    __tablename__ = "sign_in_failure"
    __table_args__ = (UniqueConstraint("kind", "username", "address"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=8)
    username: str = Field(default="", max_length=64)
    address: str = Field(max_length=64)
    failures: int = 0
    first_at: datetime = Field(default_factory=utcnow)
    last_at: datetime = Field(default_factory=utcnow)
    blocked_until: datetime | None = None
