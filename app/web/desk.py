"""Each role's home in the cycle (工作台): the in-app notices of ``app.notices`` — what waits
for the signed-in person — and the pages of their job. Signed-in people land here: ``/`` shows
the desk to them (the sign-in still leads to ``/``, contract.md "Web pages"). A college's
"我的申报" (``/filings``) lists its filings of every round with their state and counts."""

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, select

from app import notices
from app.access.principal import Role
from app.authorities.models import Authority
from app.db.depends import SessionDep
from app.filings import presenters, rounds, service
from app.web.actor import signed_in
from app.web.templating import render

router = APIRouter(include_in_schema=False)
MY_FILINGS = 500  # a college files a few times a year: every filing on one page


@router.get("/desk")
def desk(request: Request, session: SessionDep) -> Response:
    return desk_page(request, session)


def desk_page(request: Request, session: Session) -> Response:
    actor = signed_in(request, session)
    zone = request.app.state.settings.zone
    return render(
        request,
        "desk/home.html",
        actor=actor,
        notices=notices.notices_for(session, actor, zone=zone),
        at_home=request.url.path == "/",
    )


@router.get("/filings")
def my_filings(request: Request, session: SessionDep) -> Response:
    """我的申报: the college's filings, newest first, each with its round by name."""
    actor = signed_in(request, session, Role.COLLEGE)
    rows = service.list_filings(session, actor=actor, limit=MY_FILINGS)
    filings = presenters.summaries(session, rows[:MY_FILINGS])
    filings.sort(key=lambda f: f.id, reverse=True)
    return render(
        request,
        "desk/filings.html",
        filings=filings,
        rounds=round_names(session, request, {f.round for f in filings}),
        zone=request.app.state.settings.zone,
    )


def authority_names(session: Session) -> dict[str, str]:
    """Authority code → its name: pages speak in names (issue 25 item 4)."""
    return dict(session.exec(select(Authority.code, Authority.name)).all())


def round_names(session: Session, request: Request, ids: set[int | None]) -> dict[int, str]:
    """Round id → "广州市人力资源和社会保障局 2026 年专业设置申报" for the rounds named."""
    zone = request.app.state.settings.zone
    names = authority_names(session)
    out = {}
    for round_id in sorted(i for i in ids if i is not None):
        r = rounds.get_round_public(session, round_id, zone=zone)
        out[round_id] = f"{names.get(r.authority, r.authority)} · {r.title or r.year}"
    return out
