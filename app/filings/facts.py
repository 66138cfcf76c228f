"""What the checks work on: an entry's values, the catalog majors and programs they are checked
against (``Context``), and what comes out (``Finding``, ``Checked``). Plain data, no database."""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from app.vocab import ProgramStatus

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    field: str
    message: str
    suggestion: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "field": self.field,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class EntryValues:
    """One entry as filed: every value a trimmed string ('' when blank)."""

    major_code: str = ""
    major_name: str = ""
    category: str = ""
    intake: str = ""
    level: str = ""
    length: str = ""
    kind: str = ""
    remark: str = ""
    former_name: str = ""
    # issue 24: a 停招 / 撤销 entry's year it takes effect and its reason
    effective_year: str = ""
    reason: str = ""


@dataclass(frozen=True)
class CatalogMajor:
    id: int
    code: str
    name: str
    category: str
    levels: tuple[str, ...]
    status: str  # active | withdrawn
    edition_key: str
    edition_province: str | None
    in_force: bool  # the edition is in force for this college's round


@dataclass(frozen=True)
class DirectionFact:
    """A 专业方向 the bureau recorded for the college: kept (may be filed under its catalog
    major) or normalised to ``normalised_name`` / ``normalised_code``."""

    name: str
    kept: bool
    major_code: str
    major_name: str
    normalised_name: str
    normalised_code: str | None


@dataclass(frozen=True)
class ProgramRow:
    code: str
    name_norm: str
    level: str
    intake: str
    status: str
    # issue 24: which program, and since when a suspended one is suspended (its history)
    id: int | None = None
    major_id: int | None = None
    suspended_year: int | None = None


@dataclass
class Context:
    system: str  # technician | secondary
    province: str
    college_type: str
    majors: dict[str, list[CatalogMajor]] = field(default_factory=dict)  # by code, any edition
    successors: dict[str, list[str]] = field(default_factory=dict)  # crosswalk: code → new codes
    lengths: dict[tuple[str, str], int] = field(default_factory=dict)
    type_levels: frozenset[str] = frozenset()
    programs: list[ProgramRow] = field(default_factory=list)
    pending: frozenset[tuple[str, str, str]] = frozenset()
    names: dict[str, CatalogMajor] = field(default_factory=dict)  # in force, by normalised name
    # 中职: the college's recorded 专业方向 by normalised name
    directions: dict[str, DirectionFact] = field(default_factory=dict)
    year: int | None = None  # the filing's (round's) year: a lifecycle entry's default

    # Indexes over the college's programs, so an entry's checks do not scan them all.
    @cached_property
    def active_offerings(self) -> frozenset[tuple[str, str, str]]:
        return frozenset(
            (p.code, p.level, p.intake) for p in self.programs if p.status == ProgramStatus.ACTIVE
        )

    @cached_property
    def approved_offerings(self) -> frozenset[tuple[str, str, str]]:
        """Approved, waiting for their list (批准待公布): pending like an entry under review."""
        return frozenset(
            (p.code, p.level, p.intake) for p in self.programs if p.status == ProgramStatus.APPROVED
        )

    @cached_property
    def programs_by_code(self) -> dict[str, list[ProgramRow]]:
        out: dict[str, list[ProgramRow]] = {}
        for p in self.programs:
            out.setdefault(p.code, []).append(p)
        return out

    @cached_property
    def programs_by_name(self) -> dict[str, list[ProgramRow]]:
        out: dict[str, list[ProgramRow]] = {}
        for p in self.programs:
            out.setdefault(p.name_norm, []).append(p)
        return out


@dataclass
class Checked:
    """The outcome for one entry."""

    index: int
    kind: str
    findings: list[Finding]
    major: CatalogMajor | None = None
    level: str = ""
    intake: str = ""
    years: int | None = None
    declared_kind: str = ""
    former_name: str = ""
    # issue 24: the program a lifecycle entry (or a reopening) names, and its year and reason
    program_id: int | None = None
    major_id: int | None = None
    effective_year: int | None = None
    reason: str = ""

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)
