"""Who is calling: the role and what it is bound to.

Roles (docs/contract.md, "Access"): ``admin`` — bound to an authority, or to none (the
superuser); ``reviewer`` — always bound to an authority; ``college`` — bound to one college.
``Role`` is the one definition of these names; ``STAFF`` and ``FILERS`` the groups the rules
name (app/access/policy.py).
"""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    COLLEGE = "college"


ROLES = tuple(Role)
# An authority's staff: they see its working copies (draft lists, submitted filings) and decide.
STAFF = (Role.ADMIN, Role.REVIEWER)
# Those who file for a college: its own token, or an admin governing it (a reviewer never files).
FILERS = (Role.ADMIN, Role.COLLEGE)


@dataclass(frozen=True)
class Principal:
    name: str
    role: str
    token_id: int | None = None
    authority_id: int | None = None
    college_id: int | None = None

    @property
    def is_superuser(self) -> bool:
        return self.role == Role.ADMIN and self.authority_id is None


# What the seed and internal jobs act as.
SYSTEM = Principal(name="system", role=Role.ADMIN)
