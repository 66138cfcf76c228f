"""The checks of a lifecycle entry (停招 / 撤销) and what a reopening reports — pure functions,
like ``rules.py``: values and the college's programs in, findings out (contract.md "Program
lifecycle").

A lifecycle entry names an offering the college runs (major code, intake, level; the length may
be left out), the year it takes effect (default: the round's) and a reason the bureau reads.
"""

from enum import StrEnum

from app.filings.facts import ERROR, INFO, Checked, Context, EntryValues, Finding, ProgramRow
from app.i18n import Joined, has, t
from app.programs.lifecycle import reopen_remark
from app.text import normalize_name
from app.vocab import Intake, Kind, Level, ProgramStatus, parse_years

# The states a program may be in for each lifecycle kind: a suspended program is withdrawn or
# reopened (停招后复开), never suspended again; a withdrawn one is gone.
ALLOWED_FROM = {
    Kind.SUSPEND.value: (ProgramStatus.ACTIVE.value,),
    Kind.WITHDRAW.value: (ProgramStatus.ACTIVE.value, ProgramStatus.SUSPENDED.value),
}
SECONDARY_INTAKE = Intake.JUNIOR.value


def _label(field: str) -> str:
    return t(f"field.{field}") if has(f"field.{field}") else field


def _missing(field: str) -> Finding:
    return Finding(
        "entry.missing_field", ERROR, field, t("entry.missing_field", field=_label(field))
    )


def _vocab(value: str, vocab: type[StrEnum], name: str, out: list[Finding]) -> str:
    """The vocabulary's value ``value`` spells (after normalisation), else a finding."""
    if not value:
        return ""
    known = {normalize_name(m.value): m.value for m in vocab}.get(normalize_name(value))
    if known is None:
        allowed = Joined(m.value for m in vocab)
        message = t("entry.invalid_value", value=value, field=_label(name), allowed=allowed)
        out.append(Finding("entry.invalid_value", ERROR, name, message))
        return ""
    return known


def _fields(v: EntryValues, ctx: Context, out: list[Finding]) -> tuple[str, str, int | None]:
    """(level, intake, years) of the entry; blank or unknown values become findings."""
    required = {"major_code": v.major_code or v.major_name, "reason": v.reason}
    if ctx.system == "technician":
        required |= {"intake": v.intake, "level": v.level}
    out += [_missing(name) for name, value in required.items() if not value]
    level = _vocab(v.level, Level, "level", out) if ctx.system == "technician" else ""
    default = SECONDARY_INTAKE if ctx.system == "secondary" else ""
    intake = _vocab(v.intake or default, Intake, "intake", out)
    years = parse_years(v.length) if v.length else None
    if v.length and (years is None or not 1 <= years <= 8):
        message = t("entry.invalid_value.years", value=v.length)
        out.append(Finding("entry.invalid_value", ERROR, "length_years", message))
        years = None
    return level, intake, years


def _effective_year(v: EntryValues, ctx: Context, out: list[Finding]) -> int | None:
    if not v.effective_year:
        return ctx.year
    text = v.effective_year.removesuffix("年").strip()
    if text.isdigit() and 1949 <= int(text) <= 2100:
        return int(text)
    message = t("entry.invalid_value.year", value=v.effective_year)
    out.append(Finding("entry.invalid_value", ERROR, "effective_year", message))
    return None


def _candidates(v: EntryValues, level: str, intake: str, ctx: Context) -> list[ProgramRow]:
    mine = (
        ctx.programs_by_code.get(v.major_code, [])
        if v.major_code
        else ctx.programs_by_name.get(normalize_name(v.major_name), [])
    )
    return [p for p in mine if p.level == level and p.intake == intake]


def check_lifecycle(index: int, v: EntryValues, ctx: Context) -> Checked:
    """A 停招 or 撤销 entry: the program must exist in a state that allows it (else
    ``program.not_found``), and not wait in another filing (``program.pending``)."""
    findings: list[Finding] = []
    level, intake, years = _fields(v, ctx, findings)
    year = _effective_year(v, ctx, findings)
    allowed = ALLOWED_FROM[v.kind]
    same = _candidates(v, level, intake, ctx)
    program = next(
        (p for status in allowed for p in same if p.status == status),
        None,
    )
    code = program.code if program else v.major_code
    if program is None and (v.major_code or v.major_name) and (intake or level):
        states = sorted({t(f"program.status.{p.status}") for p in same})
        findings.append(
            Finding(
                "program.not_found",
                ERROR,
                "major_code",
                t(
                    "program.not_found.state" if states else "program.not_found",
                    kind=v.kind,
                    code=v.major_code or v.major_name,
                    intake=intake,
                    level=level,
                    states="、".join(states),
                ),
            )
        )
    if program is not None and (code, level, intake) in ctx.pending:
        findings.append(Finding("program.pending", ERROR, "major_code", t("program.pending")))
    return Checked(
        index=index,
        kind=v.kind,
        findings=findings,
        level=level,
        intake=intake,
        years=years,
        declared_kind=v.kind,
        program_id=program.id if program else None,
        major_id=program.major_id if program else None,
        effective_year=year,
        reason=v.reason,
    )


def reopen_finding(code: str, level: str, intake: str, ctx: Context) -> list[Finding]:
    """停招后复开: how long the program was suspended, as info, with the 备注 the list prints
    (停招三年后复开 for a program suspended in 2021 and reopened in 2024). Nothing when the
    program's history does not say since when (a program imported as suspended)."""
    rows = [
        p
        for p in ctx.programs_by_code.get(code, [])
        if p.level == level and p.intake == intake and p.status == ProgramStatus.SUSPENDED.value
    ]
    since = max((p.suspended_year for p in rows if p.suspended_year), default=None)
    if since is None or ctx.year is None:
        return []
    remark = reopen_remark(since, ctx.year)
    message = t("program.suspended_since", since=since, years=max(ctx.year - since, 0))
    return [Finding("program.suspended_since", INFO, "kind", message, remark)]
