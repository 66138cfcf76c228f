"""Adoption of a new catalog edition (contract.md, "Catalog adoption"): request and plan."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from app.fields import Input
from app.vocab import ProgramStatus


class Decision(Input):
    """The successor a bureau picks for one program of a split (or unmapped) code."""

    college_code: str = Field(min_length=1, max_length=20)
    old_code: str = Field(min_length=1, max_length=8)
    level: str | None = Field(default="", max_length=10, description="blank for 中职")
    intake: str = Field(min_length=1, max_length=20)
    new_code: str = Field(default="", max_length=8)


class AdoptionRequest(Input):
    model_config = ConfigDict(populate_by_name=True)

    from_edition: str = Field(
        alias="from", max_length=60, description="key of the edition being replaced"
    )
    apply: bool = False
    decisions: list[Decision] = Field(default_factory=list, max_length=200_000)
    keep_until: date | None = Field(
        default=None,
        description="programs of withdrawn codes stay active until this day (default: suspended)",
    )


class ProgramRef(BaseModel):
    """One program as the plan names it: where it is and what it is now."""

    program_id: int
    college_code: str
    college: str
    old_edition: str
    old_code: str
    old_name: str
    level: str | None
    intake: str
    status: str


class Move(ProgramRef):
    relation: str  # unchanged renamed merged split moved, or "decision"
    new_code: str
    new_name: str
    category: str
    decided: bool = False  # the bureau's decision, not the crosswalk


class Candidate(BaseModel):
    code: str
    name: str
    category: str


class NeedsDecision(ProgramRef):
    relation: str  # split, or "unmapped" (no crosswalk line for the code)
    candidates: list[Candidate]


class Withdrawal(ProgramRef):
    relation: str = "withdrawn"
    becomes: str = ProgramStatus.SUSPENDED  # or active until ``until``, then suspended
    until: date | None = None


class CollisionMember(BaseModel):
    program_id: int
    old_edition: str
    old_code: str
    old_name: str
    status: str


class Collision(BaseModel):
    """Programs that would become one offering (college, new major, level, intake): the first
    (``keep``) carries on, the others are withdrawn as merged into it."""

    college_code: str
    college: str
    new_code: str
    new_name: str
    level: str | None
    intake: str
    keep: CollisionMember
    retire: list[CollisionMember]


class AdoptionPlan(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    edition: str
    from_edition: str = Field(serialization_alias="from")
    moved: list[Move] = Field(default_factory=list)
    needs_decision: list[NeedsDecision] = Field(default_factory=list)
    withdrawn: list[Withdrawal] = Field(default_factory=list)
    collisions: list[Collision] = Field(default_factory=list)
    applied: bool = False
    superseded_on: str | None = None
