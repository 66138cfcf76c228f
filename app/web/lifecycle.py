"""Pages of a program's life (issue 24): a college's 我的专业 (its programs, one click to file
停招 / 撤销), the bureau's page to close or merge a college with a preview of what moves, and
布点 (how many colleges run each major). Thin: read the form, call the service, render."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.access.principal import Principal, Role
from app.clock import utcnow
from app.colleges import service as colleges
from app.colleges.models import College
from app.db.depends import SessionDep
from app.filings import college_end, lifecycle_drafts
from app.i18n import t
from app.localtime import local
from app.notices import open_rounds_for
from app.params import IdPath
from app.programs import coverage, mergers
from app.programs import service as programs
from app.programs.schemas import ProgramFilters
from app.vocab import LIFECYCLE_KINDS, YEARS_CN, ProgramStatus, System
from app.web.actor import signed_in
from app.web.charts import bar_chart
from app.web.csrf import CsrfChecked
from app.web.forms import Form, attempt, message_of, notice_key, number, text
from app.web.templating import redirect, render

router = APIRouter(include_in_schema=False)
BARS = 20  # majors per chart: the most widely run ones


def _my_programs(session: SessionDep, college: College) -> list[dict[str, Any]]:
    query = programs.filtered_query(ProgramFilters(college=college.code))
    rows = [programs.ProgramPublic(**programs.readmodel.item(r)) for r in session.execute(query)]
    return [
        p.model_dump() | {"length": YEARS_CN.get(p.length_years, f"{p.length_years}年")}
        for p in sorted(rows, key=lambda p: (p.status != ProgramStatus.ACTIVE, p.major_code, p.id))
    ]


def _filing_year(request: Request, session: SessionDep, college: College) -> int:
    open_now = open_rounds_for(session, college, zone=request.app.state.settings.zone)
    return open_now[0].year if open_now else utcnow().year


@router.get("/college/programs")
def my_programs(
    request: Request,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=1949, le=2100, description="the filing's year")] = None,
) -> Response:
    """我的专业: the signed-in college's programs, each with 停招 / 撤销 as the state allows;
    the entries go into a filing of ``year`` (default: the round open for the college)."""
    actor = signed_in(request, session, Role.COLLEGE)
    college = session.get(College, actor.college_id)
    assert college is not None
    return render(
        request,
        "lifecycle/my_programs.html",
        college=college,
        programs=_my_programs(session, college),
        year=year or _filing_year(request, session, college),
        notice=t(key) if (key := notice_key(request.query_params.get("notice"))) else None,
    )


@router.post("/college/programs/{program_id:int}/lifecycle")
def file_lifecycle(
    program_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    """One click: the entry goes into the college's draft of the year; the filing page follows."""
    actor = signed_in(request, session, Role.COLLEGE)
    kind = text(form, "kind")
    college = session.get(College, actor.college_id)
    assert college is not None
    year = number(form, "year") or _filing_year(request, session, college)
    if kind not in LIFECYCLE_KINDS:
        return redirect("/college/programs")
    filing, error = attempt(
        session,
        lambda: lifecycle_drafts.file_lifecycle(
            session,
            program_id,
            kind=kind,
            reason=text(form, "reason"),
            year=year,
            effective_year=number(form, "effective_year"),
            actor=actor,
        ),
    )
    if error is not None:
        return render(
            request,
            "lifecycle/my_programs.html",
            college=college,
            programs=_my_programs(session, college),
            year=year,
            error=message_of(error),
            status_code=error.status_code,
        )
    assert filing is not None
    return redirect(f"/filings/{filing.id}")


@router.get("/admin/colleges/{code}/end")
def college_end_page(
    request: Request,
    session: SessionDep,
    code: str,
    into: Annotated[str | None, Query()] = None,
    action: Annotated[str | None, Query()] = None,
) -> Response:
    """Close or merge a college: the form, and with ``action`` the preview of what moves."""
    actor = signed_in(request, session, Role.ADMIN)
    college = colleges.get_by_code(session, code)
    preview, error = None, None
    if action in ("merge", "close"):
        target = into if action == "merge" else None

        def plan() -> mergers.Plan:
            other = colleges.get_by_code(session, target) if target else None
            mergers.check(session, college, other, actor)
            return college_end.preview(session, college, other)

        preview, failed = attempt(session, plan)
        error = message_of(failed) if failed else None
    return _college_end(
        request, session, college, actor, preview=preview, action=action, into=into, error=error
    )


def _college_end(
    request: Request,
    session: Session,
    college: College,
    actor: Principal,
    *,
    today: date | None = None,
    **shown: Any,
) -> Response:
    """The close-or-merge page: the colleges it may merge into by name (a pick-list, no code
    typed from memory), today's date in the bureau's zone."""
    targets = mergers.merge_targets(session, college, actor)
    names = {c.code: c.name for c in targets}
    into = shown.pop("into", None) or ""
    zone = request.app.state.settings.zone
    return render(
        request,
        "lifecycle/college_end.html",
        college=colleges.to_public(session, college),
        targets=targets,
        into=into,
        into_name=names.get(into, into),
        today=(today or local(utcnow(), zone).date()).isoformat(),
        **shown,
    )


@router.post("/admin/colleges/{code}/end")
def end_college(
    request: Request, session: SessionDep, code: str, form: Form, _: CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.ADMIN)
    action = text(form, "action")
    into = text(form, "into") if action == "merge" else None
    try:
        effective_on = date.fromisoformat(text(form, "effective_on"))
    except ValueError:
        effective_on = local(utcnow(), request.app.state.settings.zone).date()
    _done, error = attempt(
        session,
        lambda: college_end.end_college(
            session,
            code,
            into_code=into or None,
            effective_on=effective_on,
            reason=text(form, "reason") or t("web.college_end.no_reason"),
            actor=actor,
        ),
    )
    if error is not None:
        return _college_end(
            request,
            session,
            colleges.get_by_code(session, code),
            actor,
            today=effective_on,
            preview=None,
            action=action,
            into=into,
            error=message_of(error),
            status_code=error.status_code,
        )
    return redirect(f"/colleges/{code}")


@router.get("/statistics/programs")
def coverage_page(
    request: Request,
    session: SessionDep,
    by: Annotated[str, Query()] = "major",
    province: Annotated[str | None, Query()] = None,
    major: Annotated[str | None, Query(description="one major's 布点")] = None,
) -> Response:
    """布点: one chart per system (技工院校, 中职) of the grouping chosen; with ``major`` the
    布点 of that major (its page's view) by city."""
    by = by if by in coverage.GROUPINGS else "major"
    if major:
        by = "city" if by == "major" else by
    tables = {
        system.value: coverage.coverage(
            session, by=by, system=system.value, province=province, major_code=major
        )
        for system in System
    }
    charts = {
        system: bar_chart(
            [
                (f"{i['key']} {i['name']}" if by == "major" else i["key"] or "—", i["programs"])
                for i in items[:BARS]
            ],
            title=t("web.coverage.chart", system=t(f"system.{system}")),
        )
        for system, items in tables.items()
    }
    return render(
        request,
        "lifecycle/coverage.html",
        by=by,
        groupings=list(coverage.GROUPINGS),
        province=province or "",
        major=major or "",
        tables=tables,
        charts=charts,
    )


def history_of(session: SessionDep, program_id: int | None) -> list[dict[str, Any]]:
    """A program's history for a page (empty without a program)."""
    if program_id is None:
        return []
    return programs.program_history(session, program_id).model_dump()["items"]
