"""Set-based lookups for bulk work: colleges by code, and which major a code means for a college.

A code means the major of an edition in force, of the college's system (technician / 中职),
national or of the college's own province (provincial 8xxx codes are valid only there).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from app.catalog.codes import code_problem
from app.catalog.models import CatalogEdition, Major
from app.colleges.models import College
from app.db import table_of
from app.i18n import t
from app.spreadsheets.reading import RowErrors
from app.text import normalize_name
from app.vocab import EditionStatus

CHUNK = 500


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(v for v in values if v)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def college_index(session: Session, codes: Iterable[str]) -> dict[str, Any]:
    """code -> row (id, code, type, province, name) for the colleges that exist."""
    t = table_of(College)
    out: dict[str, Any] = {}
    for chunk in _chunks(codes):
        query = select(t.c.id, t.c.code, t.c.type, t.c.province, t.c.name).where(
            t.c.code.in_(chunk)
        )
        out.update({r.code: r for r in session.execute(query)})
    return out


@dataclass(frozen=True, slots=True)
class MajorRef:
    id: int
    code: str
    name_norm: str
    province: str | None
    system: str
    year: int
    edition_id: int


class MajorResolver:
    """Loads every in-force major with the given codes once; resolves (code, college) in memory."""

    def __init__(self, session: Session, codes: Iterable[str]):
        m, e = table_of(Major), table_of(CatalogEdition)
        self.by_code: dict[str, list[MajorRef]] = defaultdict(list)
        for chunk in _chunks(codes):
            query = (
                select(m.c.id, m.c.code, m.c.name_norm, e.c.province, e.c.system, e.c.year, e.c.id)
                .join(e, e.c.id == m.c.edition_id)
                .where(e.c.status == EditionStatus.IN_FORCE, m.c.code.in_(chunk))
            )
            for r in session.execute(query):
                self.by_code[r[1]].append(MajorRef(r[0], r[1], r[2], r[3], r[4], r[5] or 0, r[6]))
        self._cache: dict[
            tuple[str, str, str, str], tuple[int | None, tuple[str, str, str | None] | None]
        ] = {}

    def pick(
        self,
        code: str,
        name: str,
        *,
        province: str,
        system: str | None,
        edition_id: int | None = None,
    ) -> MajorRef | None:
        """The best candidate: the stated name's major when the code is in two editions, then
        the newest edition. ``system`` None: any system."""
        candidates = [
            r
            for r in self.by_code.get(code, ())
            if system in (None, r.system)
            and r.province in (None, province)
            and edition_id in (None, r.edition_id)
        ]
        if not candidates:
            return None
        norm = normalize_name(name)
        return max(candidates, key=lambda r: (r.name_norm == norm, r.year, r.edition_id))

    def problem(self, code: str, province: str, system: str | None) -> tuple[str, str, str | None]:
        """(finding code, message, suggestion) for a code that resolves to nothing."""
        problem = code_problem(code, system) if system else None
        if problem:
            return ("major.code_format", problem.message, problem.suggestion)
        if any(r.province not in (None, province) for r in self.by_code.get(code, ())):
            return (
                "major.not_in_province",
                t("major.not_in_province", code=code),
                None,
            )
        return (
            "major.unknown_code",
            t(
                "major.unknown_code.province",
                code=code,
                system=t(f"system.{system}") if system else "",
                province=province,
            ),
            None,
        )

    def resolve(
        self, errors: RowErrors, number: int, code: str, name: str, *, province: str, system: str
    ) -> int | None:
        """The major id, or None after adding the row's error (column major_code)."""
        key = (code, name, province, system)
        if key not in self._cache:
            ref = self.pick(code, name, province=province, system=system)
            self._cache[key] = (
                (ref.id, None) if ref else (None, self.problem(code, province, system))
            )
        major_id, problem = self._cache[key]
        if problem:
            errors.add(
                number, "major_code", problem[0], problem[1], value=code, suggestion=problem[2]
            )
        return major_id
