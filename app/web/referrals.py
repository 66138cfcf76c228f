"""Province pages: out-of-catalog proposals referred by the cities' reviewers. Approving shows the
next free 8xxx code first and sends it with the confirmation (409 code_changed if another
approval took it meanwhile); rejecting needs a reason."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.access.principal import Role
from app.db.depends import SessionDep
from app.filings import referrals
from app.filings.models import Referral
from app.filings.schemas import ReferralDecisionIn
from app.params import IdPath
from app.vocab import YEARS_CN, ReferralStatus
from app.web.actor import signed_in
from app.web.csrf import CsrfChecked
from app.web.forms import Form, attempt, message_of, text
from app.web.templating import redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/referrals")
def referral_list(
    request: Request, session: SessionDep, status: str = ReferralStatus.PENDING
) -> Response:
    actor = signed_in(request, session, Role.ADMIN, Role.REVIEWER)
    items = referrals.list_referrals(session, actor=actor, status=status or None, limit=200)
    return render(
        request, "referrals/list.html", items=items[:200], status=status, years_cn=YEARS_CN
    )


def _page(request: Request, session: SessionDep, referral_id: int, **extra: Any) -> Response:
    actor = signed_in(request, session, Role.ADMIN, Role.REVIEWER)
    referral = referrals.get_referral_public(session, referral_id, actor=actor)
    status = extra.pop("status_code", 200)
    return render(
        request,
        "referrals/detail.html",
        referral=referral,
        years_cn=YEARS_CN,
        status_code=status,
        **extra,
    )


@router.get("/referrals/{referral_id:int}")
def referral_page(referral_id: IdPath, request: Request, session: SessionDep) -> Response:
    return _page(request, session, referral_id)


@router.post("/referrals/{referral_id:int}/decision")
def decide(
    referral_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.ADMIN)

    def act() -> Referral:
        data = ReferralDecisionIn(
            decision=text(form, "decision"),  # type: ignore[arg-type]
            reason=text(form, "reason") or None,
            name=text(form, "name") or None,
            category=text(form, "category") or None,
            code=text(form, "code") or None,
        )
        return referrals.decide_referral(session, referral_id, data, actor=actor)

    _done, error = attempt(session, act)
    if error is None:
        return redirect(f"/referrals/{referral_id}?notice=web.referrals.done")
    return _page(
        request, session, referral_id, status_code=error.status_code, error=message_of(error)
    )
