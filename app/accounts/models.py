"""The tables of people: users with a role and a binding (the roles of contract.md "Access"),
their cookie sessions, and the API tokens they own. A user becomes the same ``Principal`` a
bearer token stands for (``principal_of``), so every service's object-level rules apply to pages
exactly as to the API."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.access.principal import Principal
from app.clock import utcnow


class User(SQLModel, table=True):
    __tablename__ = "user_account"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=64)
    role: str = Field(max_length=12)
    authority_id: int | None = Field(default=None, foreign_key="authority.id")
    college_id: int | None = Field(default=None, foreign_key="college.id")
    password_hash: str = Field(max_length=200)
    must_change_password: bool = False
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime | None = None


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random secret; only its SHA-256 is stored."""

    __tablename__ = "user_session"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    secret_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    user_agent: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=64)


class UserToken(SQLModel, table=True):
    """An API token that belongs to a user (the token keeps its own role and binding: the
    user's, at creation). A link table: the token table itself is unchanged."""

    __tablename__ = "user_token"
    token_id: int = Field(foreign_key="api_token.id", primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)


def principal_of(user: User) -> Principal:
    return Principal(
        name=user.username,
        role=user.role,
        authority_id=user.authority_id,
        college_id=user.college_id,
    )
