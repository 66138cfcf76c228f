"""Each role's home in the cycle (工作台): the in-app notices of ``app.notices`` — what waits
for the signed-in person — and the pages of their job."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app import notices
from app.db import SessionDep
from app.web.actor import signed_in
from app.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/desk")
def desk(request: Request, session: SessionDep) -> Response:
    actor = signed_in(request, session)
    zone = request.app.state.settings.zone
    return render(
        request,
        "desk/home.html",
        actor=actor,
        notices=notices.notices_for(session, actor, zone=zone),
    )
