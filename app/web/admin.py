"""Bureau admin pages: filing rounds (open, read, edit the window and editions, extend, close
early — in the bureau's time zone, audited by the service) and the year's list (draft from a
round, preview as the notice, publish with a confirmation and its checksum, correct with a
reason). The same services as the API."""

from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import select
from starlette.datastructures import FormData

from app.access.principal import Principal, Role
from app.authorities.models import Authority
from app.catalog import service as catalog
from app.db.depends import SessionDep
from app.errors import Invalid
from app.filings import presenters, rounds, service, summary
from app.filings.models import FilingRound
from app.filings.schemas import RoundClose, RoundCreate, RoundUpdate
from app.i18n import t
from app.localtime import local, zone_label
from app.params import IdPath
from app.publications import corrections
from app.publications import presenters as publication_presenters
from app.publications import service as publications
from app.publications.models import Publication
from app.publications.schemas import CorrectionIn, PublicationCreate
from app.web.actor import signed_in
from app.web.csrf import CsrfChecked
from app.web.forms import Form, attempt, message_of, notice_key, number, text
from app.web.templating import redirect, render

router = APIRouter(prefix="/admin", include_in_schema=False)
T = TypeVar("T")


def _zone(request: Request) -> ZoneInfo:
    return request.app.state.settings.zone


def _notice(request: Request) -> str | None:
    key = notice_key(request.query_params.get("notice"))
    return t(key) if key else None


def _moment(form: FormData, name: str) -> date | datetime | None:
    """A day (``closes_at=2026-12-31``) with an optional local time of day beside it
    (``closes_at_time=17:30``), or a local date-time typed whole (``2026-12-31T17:30``). A day
    alone is the service's to place: the start of it for an opening, 24:00 for a deadline."""
    value, clock = text(form, name), text(form, f"{name}_time")
    if not value:
        return None
    try:
        if "T" in value:
            return datetime.fromisoformat(value)
        day = date.fromisoformat(value)
        return datetime.combine(day, time.fromisoformat(clock)) if clock else day
    except ValueError:
        shown = f"{value} {clock}".strip()
        raise Invalid(error="validation_error", msg="web.rounds.bad_moment", value=shown) from None


def _form_parts(moment: datetime, zone: ZoneInfo, *, deadline: bool) -> tuple[str, str]:
    """A stored moment as the form's day and time of day, read the way the page shows it: a
    deadline at local midnight is the day before with no time (24:00, ``2026-12-31``, not
    ``2027-01-01 00:00``); any moment at local midnight leaves the time blank."""
    here = local(moment, zone)
    if (here.hour, here.minute) != (0, 0):
        return f"{here:%Y-%m-%d}", f"{here:%H:%M}"
    day = here.date() - timedelta(days=1) if deadline else here.date()
    return day.isoformat(), ""


# ---- rounds -------------------------------------------------------------------------------


@router.get("/rounds")
def round_list_page(request: Request, session: SessionDep) -> Response:
    return round_list(request, session)


def round_list(request: Request, session: SessionDep, **extra: Any) -> Response:
    actor = signed_in(request, session, Role.ADMIN)
    authority = None if actor.authority_id is None else _authority_code(session, actor)
    items = rounds.list_rounds(session, zone=_zone(request), authority=authority, limit=200)
    status = extra.pop("status_code", 200)
    return render(
        request,
        "admin/rounds.html",
        rounds=items[:200],
        year=datetime.now().year,
        zone=zone_label(_zone(request)),
        notice=_notice(request),
        status_code=status,
        **extra,
    )


def _authority_code(session: SessionDep, actor: Principal) -> str:
    authority = session.get(Authority, actor.authority_id)
    return authority.code if authority else ""


@router.post("/rounds")
def create_round(request: Request, session: SessionDep, form: Form, _: CsrfChecked) -> Response:
    actor = signed_in(request, session, Role.ADMIN)

    def act() -> FilingRound:
        data = RoundCreate(
            year=number(form, "year") or 0,
            title=text(form, "title"),
            opens_at=_moment(form, "opens_at"),  # type: ignore[arg-type]
            closes_at=_moment(form, "closes_at"),  # type: ignore[arg-type]
            authority=text(form, "authority") or None,
        )
        return rounds.create_round(session, data, actor=actor, zone=_zone(request))

    created, error = attempt(session, act)
    if error is not None:
        return round_list(request, session, error=message_of(error), status_code=422)
    assert created is not None
    return redirect(f"/admin/rounds/{created.id}?notice=web.rounds.created")


def round_page(
    request: Request,
    session: SessionDep,
    round_id: int,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    actor = signed_in(request, session, Role.ADMIN)
    zone = _zone(request)
    shown = rounds.get_round_public(session, round_id, zone=zone)
    filings = service.list_filings(session, actor=actor, round_id=round_id, limit=200)
    figures = summary.round_summary(session, round_id, actor=actor, zone=zone)
    return render(
        request,
        "admin/round.html",
        round=shown,
        opens_parts=_form_parts(shown.opens_at, zone, deadline=False),
        closes_parts=_form_parts(shown.closes_at, zone, deadline=True),
        editions=[e.key for e in catalog.list_editions(session)],
        edition_titles={e.key: e.title for e in catalog.list_editions(session)},
        filings=presenters.summaries(session, filings[:200]),
        authority_name=_authority_name(session, shown.authority),
        summary=figures,
        notice=_notice(request),
        status_code=status_code,
        **extra,
    )


def _authority_name(session: SessionDep, code: str) -> str:
    found = session.exec(select(Authority).where(Authority.code == code)).first()
    return found.name if found else code


@router.get("/rounds/{round_id:int}")
def show_round(round_id: IdPath, request: Request, session: SessionDep) -> Response:
    return round_page(request, session, round_id)


@router.post("/rounds/{round_id:int}")
def edit_round(
    round_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.ADMIN)

    def act() -> FilingRound:
        chosen = [v for v in form.getlist("editions") if isinstance(v, str) and v]
        data = RoundUpdate(
            title=text(form, "title"),
            opens_at=_moment(form, "opens_at"),
            closes_at=_moment(form, "closes_at"),
            editions=chosen or None,
            reason=text(form, "reason") or None,
        )
        return rounds.update_round(session, round_id, data, actor=actor, zone=_zone(request))

    _done, error = attempt(session, act)
    if error is not None:
        return round_page(request, session, round_id, status_code=422, error=message_of(error))
    return redirect(f"/admin/rounds/{round_id}?notice=web.rounds.saved")


@router.post("/rounds/{round_id:int}/close")
def close_round(
    round_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.ADMIN)
    data = RoundClose(reason=text(form, "reason") or None)
    _done, error = attempt(
        session, lambda: rounds.close_round(session, round_id, data, actor=actor)
    )
    if error is not None:
        return round_page(request, session, round_id, status_code=409, error=message_of(error))
    return redirect(f"/admin/rounds/{round_id}?notice=web.rounds.closed_now")


@router.post("/rounds/{round_id:int}/draft")
def draft_list(
    round_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.ADMIN)

    def act() -> Publication:
        data = PublicationCreate(
            title=text(form, "title") or None,  # default: from the round
            document_number=text(form, "document_number"),
            round_id=round_id,
        )
        return publications.create_draft(session, data, actor=actor)

    drafted, error = attempt(session, act)
    if error is not None:
        return round_page(request, session, round_id, status_code=422, error=message_of(error))
    assert drafted is not None
    return redirect(f"/admin/publications/{drafted.id}?notice=web.pubs.drafted")


# ---- publications -------------------------------------------------------------------------


@router.get("/publications")
def publication_list(request: Request, session: SessionDep) -> Response:
    actor = signed_in(request, session, Role.ADMIN, Role.REVIEWER)
    items = publication_presenters.list_publications(
        session, actor, year=None, series=None, authority=None, status=None, after=None, limit=200
    )
    return render(request, "admin/publications.html", items=items[:200])


def publication_page(
    request: Request,
    session: SessionDep,
    publication_id: int,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    actor = signed_in(request, session, Role.ADMIN, Role.REVIEWER)
    publication = publication_presenters.get_visible(session, publication_id, actor)
    today = publications.today_in(_zone(request))
    figures = None
    if publication.round_id is not None:
        figures = summary.round_summary(
            session, publication.round_id, actor=actor, zone=_zone(request)
        )
    return render(
        request,
        "admin/publication.html",
        pub=publication_presenters.public(session, publication, actor, today),
        summary=figures,
        today=today,
        notice=_notice(request),
        status_code=status_code,
        **extra,
    )


@router.get("/publications/{publication_id:int}")
def show_publication(publication_id: IdPath, request: Request, session: SessionDep) -> Response:
    return publication_page(request, session, publication_id)


@router.post("/publications/{publication_id:int}/publish")
def publish(
    publication_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.ADMIN)
    if text(form, "confirm") != "yes":
        return publication_page(
            request, session, publication_id, status_code=422, error=t("web.pubs.confirm")
        )
    today = publications.today_in(_zone(request))
    _done, error = attempt(
        session, lambda: publications.publish(session, publication_id, actor=actor, today=today)
    )
    if error is not None:
        return publication_page(
            request, session, publication_id, status_code=409, error=message_of(error)
        )
    return redirect(f"/admin/publications/{publication_id}?notice=web.pubs.published")


@router.post("/publications/{publication_id:int}/corrections")
def correct(
    publication_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.ADMIN)

    def act() -> Publication:
        data = CorrectionIn(reason=text(form, "reason"))
        return corrections.correct(session, publication_id, data, actor=actor)

    made, error = attempt(session, act)
    if error is not None:
        return publication_page(
            request, session, publication_id, status_code=422, error=message_of(error)
        )
    assert made is not None
    return redirect(f"/admin/publications/{made.id}?notice=web.pubs.corrected")
