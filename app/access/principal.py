"""Who is calling: the role and what it is bound to.

Roles (docs/contract.md, "Access"): ``admin`` — bound to an authority, or to none (the
superuser); ``reviewer`` — always bound to an authority; ``college`` — bound to one college.
"""

from dataclasses import dataclass

ROLES = ("admin", "reviewer", "college")


@dataclass(frozen=True)
class Principal:
    name: str
    role: str
    token_id: int | None = None
    authority_id: int | None = None
    college_id: int | None = None

    @property
    def is_superuser(self) -> bool:
        return self.role == "admin" and self.authority_id is None


# What the seed and internal jobs act as.
SYSTEM = Principal(name="system", role="admin")
