"""The checks a filing entry goes through — pure functions: values in, findings out.

Everything the checks need from the database (catalog majors by code, the crosswalk, the length
table, the college-type norms, the college's programs, its pending offerings) arrives in a
``Context`` that ``app/filings/context.py`` loads in a fixed number of queries.
Finding codes and severities are fixed by contract.md ("Checking a filing").
"""

import re
from enum import StrEnum
from functools import lru_cache

from rapidfuzz import fuzz, process

from app.filings.direction_rules import check_direction
from app.filings.facts import (  # noqa: F401  (re-exported: the rules' vocabulary)
    ERROR,
    INFO,
    WARNING,
    CatalogMajor,
    Checked,
    Context,
    EntryValues,
    Finding,
    ProgramRow,
)
from app.filings.lifecycle_rules import check_lifecycle, reopen_finding
from app.i18n import Joined, Years, has, t
from app.text import normalize_name as _normalize_name
from app.vocab import LIFECYCLE_KINDS, Intake, Kind, Level, MajorStatus, ProgramStatus, parse_years

CODE_DIGITS = {"technician": 4, "secondary": 6}
# 中职 programs start after junior school (domain.md); the 2024 中职 list prints no 层次.
SECONDARY_DEFAULT_INTAKE = Intake.JUNIOR.value
# A filing repeats the same names, intakes and categories on many rows: normalise each once.
normalize_name = lru_cache(maxsize=65536)(_normalize_name)
KINDS = frozenset(k.value for k in Kind)
FUZZY_MIN_SCORE = 75  # rapidfuzz ratio; "网络营销与直播技术" vs "…电商" scores 78


# ---- remarks and kinds -------------------------------------------------------------------

_RENAMED_FROM = re.compile(r"原(.+?)(?:专业)?改名")


def kind_from_remark(remark: str) -> tuple[str, str]:
    """(declared kind, former name) a 备注 states: 新增层次, 停招三年后复开, 原…改名."""
    text = normalize_name(remark)
    renamed = _RENAMED_FROM.search(text)
    if renamed:
        return Kind.RENAME.value, renamed.group(1)
    if "改名" in text:
        return Kind.RENAME.value, ""
    if "复开" in text:
        return Kind.REOPEN.value, ""
    if "新增层次" in text:
        return Kind.NEW_LEVEL.value, ""
    if "新增专业" in text:
        return Kind.NEW_MAJOR.value, ""
    return "", ""


def derive_kind(code: str, name: str, level: str, intake: str, former: str, ctx: Context) -> str:
    """The kind the registry shows: 改名 when the college runs the former name, 停招后复开 when this
    offering is suspended, 新增层次 when it runs the major otherwise, else 新增专业."""
    name_norm = normalize_name(name)
    former_norm = normalize_name(former)
    mine = ctx.programs_by_code.get(code, []) if code else ctx.programs_by_name.get(name_norm, [])
    if (
        former_norm
        and former_norm != name_norm
        and any(
            p.status != ProgramStatus.WITHDRAWN for p in ctx.programs_by_name.get(former_norm, [])
        )
    ):
        return Kind.RENAME.value
    same = [p for p in mine if p.level == level and p.intake == intake]
    if any(p.status == ProgramStatus.SUSPENDED for p in same) and not any(
        p.status == ProgramStatus.ACTIVE for p in same
    ):
        return Kind.REOPEN.value
    if any(
        p.status in (ProgramStatus.ACTIVE, ProgramStatus.SUSPENDED, ProgramStatus.APPROVED)
        for p in mine
    ):
        return Kind.NEW_LEVEL.value
    return Kind.NEW_MAJOR.value


# ---- single-entry checks -----------------------------------------------------------------


def check_fields(v: EntryValues, system: str) -> tuple[list[Finding], str, str, int | None]:
    """Blank and out-of-vocabulary values; the findings and (level, intake, years) if valid."""
    out: list[Finding] = []
    required = {"major_name": v.major_name, "intake": v.intake, "length_years": v.length}
    if system == "technician":
        required |= {"category": v.category, "level": v.level}
    elif not v.intake:
        required.pop("intake")
    for name, value in required.items():
        if not value:
            out.append(
                Finding(
                    "entry.missing_field", ERROR, name, t("entry.missing_field", field=label(name))
                )
            )
    level = _vocab(v.level, Level, "level", out)
    if system == "secondary" and v.level:
        out.append(
            Finding("entry.invalid_value", ERROR, "level", t("entry.invalid_value.no_level"), "")
        )
        level = ""
    intake = _vocab(
        v.intake or (SECONDARY_DEFAULT_INTAKE if system == "secondary" else ""),
        Intake,
        "intake",
        out,
    )
    years = parse_years(v.length) if v.length else None
    if v.length and (years is None or not 1 <= years <= 8):
        out.append(
            Finding(
                "entry.invalid_value",
                ERROR,
                "length_years",
                t("entry.invalid_value.years", value=v.length),
            )
        )
        years = None
    return out, level, intake, years


def label(field: str) -> str:
    """A field as a clerk names it (学制, 专业代码); its own name if the catalog has none."""
    return t(f"field.{field}") if has(f"field.{field}") else field


@lru_cache(maxsize=16)
def _normal_values(vocab: type[StrEnum]) -> dict[str, str]:
    """A vocabulary's values by normalised spelling (the first member of a spelling wins)."""
    out: dict[str, str] = {}
    for member in vocab:
        out.setdefault(normalize_name(member.value), member.value)
    return out


def _vocab(value: str, vocab: type[StrEnum], name: str, out: list[Finding]) -> str:
    if not value:
        return ""
    known = _normal_values(vocab).get(normalize_name(value))
    if known is not None:
        return known
    allowed = Joined(m.value for m in vocab)
    message = t("entry.invalid_value", value=value, field=label(name), allowed=allowed)
    out.append(Finding("entry.invalid_value", ERROR, name, message))
    return ""


def check_code(v: EntryValues, ctx: Context) -> tuple[list[Finding], CatalogMajor | None]:
    """Shape, existence in an edition in force, province, supersession of the major code."""
    code = v.major_code
    if not code:
        return [_out_of_catalog(v, ctx)], None
    digits = CODE_DIGITS[ctx.system]
    if not (code.isdigit() and len(code) == digits):
        known = _code_meant(code, digits, ctx)
        return [
            Finding(
                "major.code_format",
                ERROR,
                "major_code",
                t(
                    "major.code_format.digits",
                    system=t(f"system.{ctx.system}"),
                    digits=digits,
                    code=code,
                ),
                known,
            )
        ], None
    candidates = ctx.majors.get(code, [])
    usable = _usable(candidates, ctx)
    if usable:
        major = sorted(usable, key=lambda m: m.status != MajorStatus.ACTIVE)[0]
        if major.status == MajorStatus.ACTIVE:
            return [], major
        return [_superseded(code, ctx, major.edition_key)], None
    if code in ctx.successors:
        return [_superseded(code, ctx, t("major.superseded.catalog"))], None
    if any(m.edition_province and m.edition_province != ctx.province for m in candidates):
        return [
            Finding(
                "major.not_in_province",
                ERROR,
                "major_code",
                t("major.not_in_province", code=code),
            )
        ], None
    hint = _name_hint(v.major_name, ctx)
    return [
        Finding(
            "major.unknown_code",
            ERROR,
            "major_code",
            t("major.unknown_code", code=code),
            hint,
        )
    ], None


def _usable(candidates: list[CatalogMajor], ctx: Context) -> list[CatalogMajor]:
    return [m for m in candidates if m.in_force and m.edition_province in (None, ctx.province)]


def _superseded(code: str, ctx: Context, where: str) -> Finding:
    successors = [c for c in ctx.successors.get(code, []) if c]
    message = (
        t("major.superseded", code=code, where=where, successors=Joined(successors))
        if successors
        else t("major.superseded.no_successor", code=code, where=where)
    )
    return Finding(
        "major.superseded",
        ERROR,
        "major_code",
        message,
        # A split has several successors: every candidate, as the bureau's adoption lists them.
        "|".join(successors) if successors else None,
    )


def _name_hint(name: str, ctx: Context) -> str | None:
    """A catalog code for the name: exact after normalisation, else a close fuzzy match.
    Only ever a suggestion: 8191 网络营销与直播技术 ≠ 8197 网络营销与直播电商."""
    norm = normalize_name(name)
    if not norm or not ctx.names:
        return None
    if norm in ctx.names:
        return ctx.names[norm].code
    best = process.extractOne(
        norm, ctx.names.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE
    )
    return ctx.names[best[0]].code if best else None


def _out_of_catalog(v: EntryValues, ctx: Context) -> Finding:
    hint = _name_hint(v.major_name, ctx)
    known = ctx.names.get(normalize_name(v.major_name))
    message = (
        t("major.out_of_catalog.known", name=v.major_name, code=known.code, catalog_name=known.name)
        if known
        else t("major.out_of_catalog", name=v.major_name)
    )
    return Finding("major.out_of_catalog", INFO, "major_code", message, hint)


def check_major_values(v: EntryValues, level: str, major: CatalogMajor) -> list[Finding]:
    """Name, category and levels against the catalog's major."""
    out: list[Finding] = []
    if v.major_name and normalize_name(v.major_name) != normalize_name(major.name):
        out.append(
            Finding(
                "major.name_mismatch",
                ERROR,
                "major_name",
                t(
                    "major.name_mismatch",
                    code=major.code,
                    name=major.name,
                    edition=major.edition_key,
                ),
                major.name,
            )
        )
    if v.category and normalize_name(v.category) != normalize_name(major.category):
        out.append(
            Finding(
                "major.category_mismatch",
                ERROR,
                "category",
                t("major.category_mismatch", code=major.code, category=major.category),
                major.category,
            )
        )
    if level and major.levels and level not in major.levels:
        out.append(
            Finding(
                "level.not_offered",
                ERROR,
                "level",
                t("level.not_offered", code=major.code, levels=Joined(major.levels)),
                major.levels[-1],
            )
        )
    return out


def check_length(intake: str, level: str, years: int | None, ctx: Context) -> list[Finding]:
    """(intake, level) must be in the authority's table, and the length must match it."""
    if not ctx.lengths or not intake or (ctx.system == "technician" and not level):
        return []
    expected = ctx.lengths.get((intake, level))
    if expected is None:
        if ctx.system == "secondary" and not level:
            return []
        return [
            Finding(
                "program.unknown_intake_level",
                ERROR,
                "level",
                t("program.unknown_intake_level", intake=intake, level=level),
            )
        ]
    if years is not None and years != expected:
        return [
            Finding(
                "program.length_mismatch",
                ERROR,
                "length_years",
                t("program.length_mismatch", intake=intake, level=level, years=Years(expected)),
                str(expected),
            )
        ]
    return []


def check_college_type(level: str, ctx: Context) -> list[Finding]:
    # 2024 GZ list: 8 技工学校 高级 and 4 高级技工学校 预备技师 offerings were approved, so
    # a level above the college type's norm only warns.
    if not level or not ctx.type_levels or level in ctx.type_levels:
        return []
    return [
        Finding(
            "level.above_college_type",
            WARNING,
            "level",
            t(
                "level.above_college_type",
                college_type=ctx.college_type,
                levels=Joined(sorted(ctx.type_levels)),
            ),
        )
    ]


def offering_key(code: str, name: str, level: str, intake: str) -> tuple[str, str, str]:
    """What makes two entries the same offering: the major (code, else name), level, intake."""
    return (code or "name:" + normalize_name(name), level, intake)


def check_offering(key: tuple[str, str, str], ctx: Context) -> list[Finding]:
    code, level, intake = key
    out: list[Finding] = []
    if key in ctx.active_offerings:
        out.append(
            Finding(
                "program.exists",
                ERROR,
                "major_code",
                t("program.exists", code=code, intake=intake, level=level),
            )
        )
    if key in ctx.pending or key in ctx.approved_offerings:
        out.append(
            Finding(
                "program.pending",
                ERROR,
                "major_code",
                t("program.pending"),
            )
        )
    return out


def check_kind(declared: str, derived: str, *, code_unsure: bool = False) -> list[Finding]:
    """The declared kind against the derived one. While the code itself has an error the
    derived kind follows from that error (a mistyped code looks like a new major): the
    mismatch is still said, but its "derived" value is not offered as a fix (issue 25 item 5:
    采纳建议：新增专业 would overwrite a right 新增层次)."""
    if not declared or declared == derived:
        return []
    return [
        Finding(
            "filing.kind_mismatch",
            WARNING,
            "kind",
            t("filing.kind_mismatch", declared=declared, derived=derived),
            None if code_unsure else derived,
        )
    ]


# Letters a typed code holds by mistake for digits: 07O2 (letter O), 0l27 (letter l).
_LOOK_ALIKE = str.maketrans("OoIil|", "000111")


def typed_code(code: str, digits: int) -> str | None:
    """The code a malformed one most likely means (letters that look like digits, full-width
    digits, spaces, a dropped leading zero), or None when it cannot be one."""
    cleaned = normalize_name(code).replace("-", "").translate(_LOOK_ALIKE)
    if not cleaned.isdigit() or len(cleaned) > digits:
        return None
    return cleaned.zfill(digits)


def _code_meant(code: str, digits: int, ctx: Context) -> str | None:
    """``typed_code``, when the catalogs in force have that code (the context reads it)."""
    meant = typed_code(code, digits)
    return meant if meant and _usable(ctx.majors.get(meant, []), ctx) else None


# ---- a whole filing ----------------------------------------------------------------------


def check_entry(index: int, v: EntryValues, ctx: Context) -> Checked:
    if v.kind in LIFECYCLE_KINDS:  # 停招 / 撤销: a program the college runs (issue 24)
        return check_lifecycle(index, v, ctx)
    findings, level, intake, years = check_fields(v, ctx.system)
    code_findings, major = check_code(v, ctx)
    findings += code_findings
    direction_findings, name_explained = check_direction(v, major, ctx)
    if major is not None:
        findings += [
            f
            for f in check_major_values(v, level, major)
            if not (name_explained and f.code == "major.name_mismatch")
        ]
    findings += direction_findings
    findings += check_length(intake, level, years, ctx)
    findings += check_college_type(level, ctx)
    declared, former = (v.kind, v.former_name) if v.kind else kind_from_remark(v.remark)
    former = v.former_name or former
    code = major.code if major else v.major_code
    derived = derive_kind(code, v.major_name, level, intake, former, ctx)
    if major is not None and intake:
        findings += check_offering(offering_key(major.code, "", level, intake), ctx)
    elif not v.major_code and v.major_name and intake:
        findings += check_offering(offering_key("", v.major_name, level, intake), ctx)
    if declared and declared not in KINDS:
        findings.append(
            Finding(
                "entry.invalid_value",
                ERROR,
                "kind",
                t("entry.invalid_value.kind", value=declared, allowed=Joined(Kind)),
            )
        )
        declared = ""
    code_unsure = any(f.field == "major_code" and f.severity == ERROR for f in code_findings)
    findings += check_kind(declared, derived, code_unsure=code_unsure)
    if derived == Kind.REOPEN.value:
        findings += reopen_finding(code, level, intake, ctx)
    return Checked(
        index=index,
        kind=derived,
        findings=findings,
        major=major,
        level=level,
        intake=intake,
        years=years,
        declared_kind=declared,
        former_name=former,
    )


def check_entries(values: list[EntryValues], ctx: Context) -> list[Checked]:
    """Every entry, plus duplicates within the filing (the second and later copies are flagged)."""
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for index, v in enumerate(values):
        checked = check_entry(index, v, ctx)
        key = _dup_key(v, checked)
        if key is not None:
            if key in seen:
                checked.findings.append(
                    Finding(
                        "program.duplicate_in_filing",
                        ERROR,
                        "major_code",
                        t("program.duplicate_in_filing", number=seen[key] + 1),
                    )
                )
            else:
                seen[key] = index
        out.append(checked)
    return out


def _dup_key(v: EntryValues, c: Checked) -> tuple[str, str, str] | None:
    if not c.intake or not (v.major_code or v.major_name):
        return None
    code = c.major.code if c.major else v.major_code
    return offering_key(code, v.major_name, c.level, c.intake)


def totals(checked: list[Checked]) -> tuple[int, int]:
    errors = sum(f.severity == ERROR for c in checked for f in c.findings)
    warnings = sum(f.severity == WARNING for c in checked for f in c.findings)
    return errors, warnings
