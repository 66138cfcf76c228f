"""College pages: upload a spreadsheet, the filing page (rows, findings in the reader's language,
one-click suggestions, save with stale-save protection, submit, withdraw). Reviewers see the same
filing page with their decision controls (``app.web.review``). Thin: read the form, call the
service the API calls, render."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from app.access.policy import Access
from app.access.principal import Role
from app.clock import utcnow
from app.colleges.models import College
from app.db.depends import SessionDep
from app.errors import AppError
from app.filings import editing, importer, presenters, service
from app.filings.models import Filing
from app.filings.review import clean_indexes
from app.filings.schemas import (
    EntryIn,
    FilingCreate,
    FilingUpdate,
    VersionIn,
)
from app.i18n import t
from app.localtime import show
from app.notices import open_rounds_for
from app.params import IdPath
from app.vocab import LIFECYCLE_KINDS, FilingStatus
from app.web import lifecycle as lifecycle_pages
from app.web.actor import signed_in
from app.web.csrf import CsrfChecked
from app.web.desk import round_names
from app.web.forms import Form, attempt, message_of, notice_key, number, text
from app.web.templating import redirect, render

router = APIRouter(include_in_schema=False)
GRID = ("major_code", "major_name", "category", "intake", "level", "length_years", "remark")
HIDDEN = ("kind", "former_name", "row", "effective_year", "reason")  # 停招/撤销: issue 24


def _zone(request: Request) -> ZoneInfo:
    return request.app.state.settings.zone


@router.get("/filings/new")
def new_filing(request: Request, session: SessionDep) -> Response:
    actor = signed_in(request, session, Role.COLLEGE, Role.ADMIN)
    year = utcnow().year
    if actor.college_id is not None:  # the year of the round open for this college, if any
        college = session.get(College, actor.college_id)
        open_now = open_rounds_for(session, college, zone=_zone(request)) if college else []
        year = open_now[0].year if open_now else year
    return render(request, "filings/new.html", year=year, user_role=actor.role)


@router.post("/filings/blank")
def blank_filing(request: Request, session: SessionDep, form: Form, _: CsrfChecked) -> Response:
    """Start a filing by typing entries in the grid instead of uploading a spreadsheet."""
    actor = signed_in(request, session, Role.COLLEGE)
    college = session.get(College, actor.college_id)
    assert college is not None
    year = number(form, "year") or utcnow().year  # the year field of the upload form
    data = FilingCreate(college=college.code, year=year, entries=[])
    filing, error = attempt(session, lambda: service.create_filing(session, data, actor=actor))
    if error is not None:
        return _upload_refused(request, year, error, actor.role)
    assert filing is not None
    return redirect(f"/filings/{filing.id}")


@router.post("/filings/new")
def upload_filing(request: Request, session: SessionDep, form: Form, _: CsrfChecked) -> Response:
    actor = signed_in(request, session, Role.COLLEGE, Role.ADMIN)
    upload = form.get("file")
    year = number(form, "year") or utcnow().year
    if upload is None or isinstance(upload, str) or not upload.filename:
        return render(
            request,
            "filings/new.html",
            year=year,
            user_role=actor.role,
            error=t("web.filings.choose_file"),
            status_code=422,
        )
    data = upload.file.read()
    filing, error = attempt(
        session,
        lambda: importer.import_filing(
            session,
            data,
            filename=upload.filename or "",
            year=year,
            college_code=text(form, "college") or None,
            actor=actor,
            max_rows=request.app.state.settings.max_upload_rows,
        ),
    )
    if error is not None:
        return _upload_refused(request, year, error, actor.role)
    assert filing is not None
    return redirect(f"/filings/{filing.id}")


def _upload_refused(request: Request, year: int, error: AppError, role: str) -> Response:
    rows: list[dict[str, Any]] = []
    if isinstance(error.detail, dict):
        rows = error.detail.get("errors") or []
    return render(
        request,
        "filings/new.html",
        year=year,
        error=message_of(error),
        row_errors=rows,
        user_role=role,
        status_code=error.status_code,
    )


def filing_page(
    request: Request,
    session: SessionDep,
    filing_id: int,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    actor = signed_in(request, session)
    filing = service.get_filing(session, filing_id, actor=actor)
    flags = Access(session, actor).filing_flags(filing)  # the buttons the API would honour
    public = presenters.filing_public(session, filing)
    zone = _zone(request)
    rounds = round_names(session, request, {filing.round_id})
    stale = extra.get("stale")
    if isinstance(stale, dict) and stale.get("changed_at"):
        extra["stale_at"] = show(datetime.fromisoformat(stale["changed_at"]), zone)
    return render(
        request,
        "filings/detail.html",
        status_code=status_code,
        filing=public,
        actor=actor,
        can_edit=flags.can_edit,
        can_withdraw=flags.can_withdraw,
        can_decide=flags.can_decide,
        clean=_clean(session, filing) if public.status == FilingStatus.SUBMITTED else [],
        history=presenters.college_history(session, filing) if flags.staff else {},
        grid=GRID,
        row_of={e.index: e.row for e in public.entries},
        # the program a 停招 / 撤销 entry names, and its history, beside the entry (issue 24)
        program_history={
            e.index: lifecycle_pages.history_of(session, e.program_id)
            for e in public.entries
            if e.kind in LIFECYCLE_KINDS
        },
        when=lambda moment, deadline=False: show(moment, zone, deadline=deadline),
        notice=t_notice(request),
        round_name=rounds.get(filing.round_id or 0),
        **extra,
    )


def _clean(session: SessionDep, filing: Filing) -> list[int]:
    return clean_indexes(session, filing)


def t_notice(request: Request) -> str | None:
    key = notice_key(request.query_params.get("notice"))
    return t(key) if key else None


@router.get("/filings/{filing_id:int}")
def show_filing(filing_id: IdPath, request: Request, session: SessionDep) -> Response:
    return filing_page(request, session, filing_id)


def entries_from(form: FormData) -> list[EntryIn]:
    """The grid's rows as entries: ``e<i>.<field>`` inputs; a row left wholly blank is no entry."""
    count = number(form, "rows") or 0
    entries = []
    for i in range(count):
        values = {name: text(form, f"e{i}.{name}") for name in GRID + HIDDEN}
        if not any(values[name] for name in GRID):
            continue
        row = values.pop("row")
        entries.append(EntryIn(**values, row=int(row) if row.isdigit() else None))
    return entries


@router.post("/filings/{filing_id:int}/save")
def save_filing(
    filing_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.COLLEGE, Role.ADMIN)
    typed = entries_from(form)
    data = FilingUpdate(version=number(form, "version") or 0, entries=typed)
    _done, error = attempt(
        session, lambda: service.update_filing(session, filing_id, data, actor=actor)
    )
    if error is None:
        return redirect(f"/filings/{filing_id}?notice=web.filings.saved")
    if error.error == "stale_version":
        # nothing lost: the page shows the current version and keeps the clerk's edit in the grid
        return filing_page(
            request, session, filing_id, status_code=409, stale=error.detail, typed=typed
        )
    return filing_page(
        request, session, filing_id, status_code=error.status_code, error=message_of(error)
    )


@router.post("/filings/{filing_id:int}/suggestions")
def accept_suggestion(
    filing_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.COLLEGE, Role.ADMIN)
    _done, error = attempt(
        session,
        lambda: editing.apply_suggestion(
            session,
            filing_id,
            number(form, "index") or 0,
            text(form, "code"),
            version=number(form, "version") or 0,
            actor=actor,
        ),
    )
    if error is None:
        return redirect(f"/filings/{filing_id}?notice=web.filings.accepted")
    if error.error == "stale_version":
        return filing_page(request, session, filing_id, status_code=409, stale=error.detail)
    return filing_page(
        request, session, filing_id, status_code=error.status_code, error=message_of(error)
    )


@router.post("/filings/{filing_id:int}/submit")
def submit_filing(
    filing_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.COLLEGE, Role.ADMIN)
    data = VersionIn(version=number(form, "version"))
    _done, error = attempt(
        session,
        lambda: service.submit_filing(session, filing_id, data, actor=actor, zone=_zone(request)),
    )
    if error is None:
        return redirect(f"/filings/{filing_id}?notice=web.filings.submitted")
    return filing_page(
        request, session, filing_id, status_code=error.status_code, error=_with_findings(error)
    )


def _with_findings(error: AppError) -> str:
    """The refusal and the findings it carries (outside the window: when the round is open,
    in 北京时间), as the clerk reads them: 不在申报批次开放时间内：申报批次开放时间为 …"""
    detail = error.detail
    found = detail.get("findings") if isinstance(detail, dict) else None
    said = [f["message"] for f in found or () if isinstance(f, dict) and f.get("message")]
    return "：".join([message_of(error), "；".join(said)]) if said else message_of(error)


@router.post("/filings/{filing_id:int}/withdraw")
def withdraw_filing(
    filing_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.COLLEGE, Role.ADMIN)
    data = VersionIn(version=number(form, "version"))
    reason = text(form, "reason") or None
    _done, error = attempt(
        session,
        lambda: service.withdraw_filing(session, filing_id, data, actor=actor, reason=reason),
    )
    if error is None:
        return redirect(f"/filings/{filing_id}?notice=web.filings.withdrawn")
    return filing_page(
        request, session, filing_id, status_code=error.status_code, error=message_of(error)
    )
