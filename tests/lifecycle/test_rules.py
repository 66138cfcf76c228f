"""The lifecycle checks as pure functions (no database): values and programs in, findings out."""

import pytest

from app.filings.facts import Context, EntryValues, ProgramRow
from app.filings.lifecycle_rules import check_lifecycle, reopen_finding
from app.programs.lifecycle import reopen_remark


def _ctx(*programs: ProgramRow, year: int = 2025) -> Context:
    return Context(
        system="technician",
        province="广东省",
        college_type="技师学院",
        year=year,
        programs=list(programs),
    )


ACTIVE = ProgramRow("0702", "现代农艺技术", "高级", "初中起点", "active", id=7, major_id=3)
SUSPENDED = ProgramRow(
    "0702", "现代农艺技术", "高级", "初中起点", "suspended", id=7, major_id=3, suspended_year=2021
)
ENTRY = EntryValues(major_code="0702", intake="初中起点", level="高级", reason="生源不足")


@pytest.mark.parametrize(
    ("kind", "program", "codes"),
    [
        ("停招", ACTIVE, []),
        ("撤销", ACTIVE, []),
        ("撤销", SUSPENDED, []),
        ("停招", SUSPENDED, ["program.not_found"]),
        ("停招", None, ["program.not_found"]),
    ],
)
def test_which_states_allow_which_kind(kind, program, codes):
    ctx = _ctx(*([program] if program else []))
    checked = check_lifecycle(0, EntryValues(**{**ENTRY.__dict__, "kind": kind}), ctx)
    assert [f.code for f in checked.findings] == codes
    assert checked.program_id == (7 if not codes else None)
    assert checked.effective_year == 2025  # the round's year by default


def test_a_bad_year_and_a_missing_reason_are_findings():
    values = EntryValues(
        **{**ENTRY.__dict__, "kind": "停招", "reason": "", "effective_year": "明年"}
    )
    checked = check_lifecycle(0, values, _ctx(ACTIVE))
    assert [(f.code, f.field) for f in checked.findings] == [
        ("entry.missing_field", "reason"),
        ("entry.invalid_value", "effective_year"),
    ]


@pytest.mark.parametrize(
    ("since", "year", "remark"),
    [(2021, 2024, "停招三年后复开"), (2023, 2025, "停招两年后复开"), (2025, 2025, "停招后复开")],
)
def test_reopen_remark(since, year, remark):
    assert reopen_remark(since, year) == remark


def test_a_reopening_reports_since_when_as_info():
    [finding] = reopen_finding("0702", "高级", "初中起点", _ctx(SUSPENDED, year=2024))
    assert (finding.code, finding.severity, finding.suggestion) == (
        "program.suspended_since",
        "info",
        "停招三年后复开",
    )
    unknown = ProgramRow("0702", "现代农艺技术", "高级", "初中起点", "suspended")
    assert reopen_finding("0702", "高级", "初中起点", _ctx(unknown, year=2024)) == []
