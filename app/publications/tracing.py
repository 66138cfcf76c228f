"""Every line of a list traces to an approval (issue 23): a line drafted from a round carries its
approved filing entry; a line the bureau adds by hand needs a reason and passes the same checks
as a filing entry; a line may also record a program the registry already runs that no other list
approved (the seeded 2024 notices, recorded after the fact).

``trace`` runs when lines are stored (draft, PUT lines); ``conflicts`` runs again when the list
is published, since programs and filings change in between.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.colleges.models import College
from app.errors import Conflict, Invalid
from app.filings.context import load_context
from app.filings.facts import EntryValues
from app.filings.models import Filing, FilingEntry
from app.filings.rules import check_entries
from app.filings.schemas import ApprovedEntry
from app.filings.service import approved_entries
from app.programs.models import Program
from app.publications.models import ProgramApproval, Publication, PublicationLine
from app.vocab import Decision, FilingStatus, ProgramStatus

Key = tuple[int, int | None, str, str]  # college, major, level, intake


def key_of(line: PublicationLine) -> Key:
    return (line.college_id, line.major_id, line.level, line.intake)


@dataclass
class Given:
    """What the admin said of a line beyond the printed cells."""

    entry_id: int | None = None
    reason: str = ""


def round_approvals(session: Session, publication: Publication) -> list[ApprovedEntry]:
    if publication.round_id is None:
        return []
    return approved_entries(session, round_id=publication.round_id)


def trace(
    session: Session,
    publication: Publication,
    lines: Sequence[PublicationLine],
    given: Sequence[Given],
) -> None:
    """Set each line's ``entry_id`` (an approved entry of the list's round for the same
    offering) or keep its ``reason``; refuse a line nothing approved and no reason explains
    (422 ``line_not_approved``) and a hand line with an error finding (422 ``line_has_errors``,
    ``detail.findings`` each naming its ``line``)."""
    approvals = round_approvals(session, publication)
    by_id = {a.entry_id: a for a in approvals}
    by_key: dict[Key, ApprovedEntry] = {_key(a): a for a in approvals}
    missing: list[int] = []
    hand: list[int] = []
    for index, (line, extra) in enumerate(zip(lines, given, strict=True)):
        entry = by_id.get(extra.entry_id) if extra.entry_id else by_key.get(key_of(line))
        if extra.entry_id and (entry is None or _key(entry) != key_of(line)):
            raise Invalid(
                {"line": index, "seq": line.seq, "entry_id": extra.entry_id},
                error="line_not_approved",
                msg="line_not_approved.entry",
                seq=line.seq,
            )
        line.entry_id = entry.entry_id if entry else None
        line.reason = ""
        if entry is not None or recorded(session, publication, line):
            continue
        line.reason = extra.reason.strip()
        (hand if line.reason else missing).append(index)
    if missing:
        raise Invalid(
            {"lines": missing[:100], "seq": [lines[i].seq for i in missing[:100]]},
            error="line_not_approved",
            seq=lines[missing[0]].seq,
        )
    _check_hand_lines(session, publication, lines, hand)


def _key(entry: ApprovedEntry) -> Key:
    return (entry.college_id, entry.major_id, entry.level or "", entry.intake)


def recorded(session: Session, publication: Publication, line: PublicationLine) -> bool:
    """The line prints a program the college already runs that no list of another series
    approved: an earlier revision of this list did, or the program predates the registry's lists
    (a notice recorded afterwards)."""
    program = active_program(session, line)
    return program is not None and not _approved_elsewhere(session, program, publication.series)


def active_program(session: Session, line: PublicationLine) -> int | None:
    return session.exec(
        select(Program.id).where(
            Program.college_id == line.college_id,
            Program.major_id == line.major_id,
            Program.level == line.level,
            Program.intake == line.intake,
            Program.status == ProgramStatus.ACTIVE,
        )
    ).first()


def _approved_elsewhere(session: Session, program_id: int, series: str) -> bool:
    query = (
        select(Publication.id)
        .join(ProgramApproval, col(ProgramApproval.publication_id) == Publication.id)
        .where(ProgramApproval.program_id == program_id, Publication.series != series)
    )
    return session.exec(query).first() is not None


def _check_hand_lines(
    session: Session, publication: Publication, lines: Sequence[PublicationLine], hand: list[int]
) -> None:
    """A line added by hand is checked as a filing entry of its college for the list's year."""
    findings: list[dict[str, Any]] = []
    for index in hand:
        line = lines[index]
        college = session.get(College, line.college_id)
        assert college is not None
        values = [
            EntryValues(
                major_code=line.major_code,
                major_name=line.major_name,
                category=line.category,
                intake=line.intake,
                level=line.level,
                length=str(line.length_years),
                kind="",
                remark="",
                former_name="",
            )
        ]
        ctx, _ = load_context(session, college, values, year=publication.year)
        for finding in check_entries(values, ctx)[0].findings:
            if finding.severity == "error":
                findings.append(finding.as_dict() | {"line": index, "seq": line.seq})
    if findings:
        raise Invalid({"findings": findings[:200]}, error="line_has_errors", count=len(findings))


def conflicts(session: Session, publication: Publication, lines: Sequence[PublicationLine]) -> None:
    """Before publishing: a line whose program cannot take effect — its approval was undone, the
    offering runs already under another list, or it is pending in a filing — is 409
    ``line_conflict`` naming the line."""
    for index, line in enumerate(lines):
        problem = _problem(session, publication, line)
        if problem:
            raise Conflict(
                {"line": index, "seq": line.seq, "major_code": line.major_code, "why": problem},
                error="line_conflict",
                msg=f"line_conflict.{problem}",
                seq=line.seq,
                college=line.college,
                major=line.major_name,
            )


def _problem(session: Session, publication: Publication, line: PublicationLine) -> str | None:
    if line.entry_id is not None:
        entry = session.get(FilingEntry, line.entry_id)
        filing = session.get(Filing, entry.filing_id) if entry else None
        if entry is None or entry.decision != Decision.APPROVED or filing is None:
            return "not_approved"
        program = session.get(Program, entry.program_id) if entry.program_id else None
        if program is None or program.status not in (ProgramStatus.APPROVED, ProgramStatus.ACTIVE):
            return "not_approved"
        if program.major_id != line.major_id:  # 改名: the program runs under its former name
            return None
        if program.status == ProgramStatus.ACTIVE and _approved_elsewhere(
            session, program.id or 0, publication.series
        ):
            return "exists"
        return None
    if recorded(session, publication, line):
        return None
    if active_program(session, line) is not None:
        return "exists"
    if _waiting(session, line):
        return "pending"
    return None if line.reason else "not_approved"


def _waiting(session: Session, line: PublicationLine) -> bool:
    """The offering waits elsewhere: approved and not yet published, or in a filing under review."""
    approved = session.exec(
        select(Program.id).where(
            Program.college_id == line.college_id,
            Program.major_id == line.major_id,
            Program.level == line.level,
            Program.intake == line.intake,
            Program.status == ProgramStatus.APPROVED,
        )
    ).first()
    if approved is not None:
        return True
    under_review = session.exec(
        select(FilingEntry.id)
        .join(Filing, col(Filing.id) == FilingEntry.filing_id)
        .where(
            Filing.college_id == line.college_id,
            Filing.status == FilingStatus.SUBMITTED,
            FilingEntry.major_id == line.major_id,
            FilingEntry.level == line.level,
            FilingEntry.intake == line.intake,
            col(FilingEntry.decision).is_(None) | (FilingEntry.decision != Decision.REJECTED),
        )
    ).first()
    return under_review is not None
