from pydantic import BaseModel, Field

from app.fields import Input, UtcDateTime


class TokenCreate(Input):
    name: str = Field(min_length=1, max_length=100, description="who holds it (in the audit log)")
    role: str = Field(max_length=12, description="admin | reviewer | college")
    authority: str | None = Field(
        default=None,
        max_length=40,
        description="authority code (admin, reviewer); none = superuser admin",
    )
    college: str | None = Field(
        default=None, max_length=20, description="college code (role college)"
    )
    days: int | None = Field(default=None, ge=1, le=3650, description="expires after N days")


class TokenPublic(BaseModel):
    """A token as listings show it: never the token, only its first characters."""

    id: int
    name: str
    role: str
    authority: str | None
    college: str | None
    hint: str
    created_at: UtcDateTime
    expires_at: UtcDateTime | None
    revoked_at: UtcDateTime | None
    active: bool


class TokenCreated(TokenPublic):
    token: str = Field(description="the bearer token; shown once, only here")


class Me(BaseModel):
    name: str
    role: str
    superuser: bool
    authority: str | None
    college: str | None
    token_id: int | None
    expires_at: UtcDateTime | None
