"""The token table. Only a token's SHA-256 is stored; the token itself is shown once."""

from datetime import datetime

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
