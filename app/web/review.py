"""Reviewer pages: the queue per round with counts, and decisions (per entry and in bulk) posted
from the filing page. The same services as the API: ``review.decide_entry`` / ``decide_entries``."""

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.access.principal import Role
from app.db.depends import SessionDep
from app.errors import Invalid
from app.filings import presenters, review, rounds, service
from app.filings.models import Filing
from app.filings.schemas import BulkDecisionIn, DecisionIn, EntryDecisionIn
from app.params import EntryIndex, IdPath
from app.vocab import Decision, FilingStatus
from app.web import flash
from app.web.actor import signed_in
from app.web.csrf import CsrfChecked
from app.web.desk import authority_names
from app.web.filing import filing_page
from app.web.forms import Form, attempt, message_of, text
from app.web.templating import is_htmx, redirect, render

router = APIRouter(include_in_schema=False)
STATES = (FilingStatus.SUBMITTED, FilingStatus.DECIDED, FilingStatus.WITHDRAWN)


@router.get("/review")
def queue(
    request: Request,
    session: SessionDep,
    round: str = "",
    college: str | None = None,
    major: str | None = None,
    status: str = FilingStatus.SUBMITTED,
) -> Response:
    actor = signed_in(request, session, Role.REVIEWER, Role.ADMIN)
    # 全部批次 posts round= (empty): an id only when the select names one (issue 25 item 1)
    round_id = int(round) if round.isdigit() and 0 < int(round) < 2**31 else None
    rows = service.list_filings(
        session,
        actor=actor,
        status=status if status in STATES else None,
        round_id=round_id,
        college=college or None,
        major=major or None,
        limit=200,
    )
    zone = request.app.state.settings.zone
    return render(
        request,
        "review/queue.html",
        filings=presenters.summaries(session, rows[:200]),
        rounds=rounds.list_rounds(session, zone=zone, limit=100),
        chosen={
            "round": round_id,
            "college": college or "",
            "major": major or "",
            "status": status,
        },
        states=STATES,
        authorities=authority_names(session),
    )


@router.post("/filings/{filing_id:int}/entries/{index:int}/decision")
def decide_one(
    filing_id: IdPath,
    index: EntryIndex,
    request: Request,
    session: SessionDep,
    form: Form,
    _: CsrfChecked,
) -> Response:
    actor = signed_in(request, session, Role.REVIEWER, Role.ADMIN)
    reason = text(form, f"reason-{index}") or text(form, "reason") or None

    def act() -> Filing:
        data = DecisionIn(decision=text(form, "decision"), reason=reason)  # type: ignore[arg-type]
        return review.decide_entry(session, filing_id, index, data, actor=actor)

    return _after(request, session, filing_id, act, anchor=f"#entry-{index}")


@router.post("/filings/{filing_id:int}/decisions")
def decide_many(
    filing_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    """Bulk: the ticked entries get the pressed decision; ``select=clean`` approves every
    undecided entry without findings (chosen by the review service)."""
    actor = signed_in(request, session, Role.REVIEWER, Role.ADMIN)

    def act() -> Filing:
        decision: str
        if text(form, "select") == "clean":
            filing = service.get_filing(session, filing_id, actor=actor)
            picked, decision = review.clean_indexes(session, filing), Decision.APPROVED
        else:
            picked = [int(v) for v in form.getlist("pick") if isinstance(v, str) and v.isdigit()]
            decision = text(form, "decision")
        if not picked:
            raise Invalid(error="nothing_selected")
        reason = text(form, "reason") or None
        decisions = [EntryDecisionIn(index=i, decision=decision, reason=reason) for i in picked]  # type: ignore[arg-type]
        return review.decide_entries(
            session, filing_id, BulkDecisionIn(decisions=decisions), actor=actor
        )

    return _after(request, session, filing_id, act)


def _after(
    request: Request,
    session: SessionDep,
    filing_id: int,
    act: Callable[[], object],
    anchor: str = "#decide",
) -> Response:
    """After a decision: back to the filing's page (303) at the entry decided. htmx swaps the
    decision table of that page in place (the scroll stays); a refusal also goes back there,
    its message handed over, so the address bar is the filing's, not the POST's (item 6). A
    refusal to a script (a bearer token, no session) is the page itself with the error's
    status."""
    _done, error = attempt(session, act)  # a decision outside the vocabulary too (422)
    if error is None:
        return redirect(f"/filings/{filing_id}?notice=web.review.decided{anchor}")
    if is_htmx(request):  # the table with the refusal above it, swapped in place
        return filing_page(request, session, filing_id, status_code=200, error=message_of(error))
    back = redirect(f"/filings/{filing_id}{anchor}")
    if flash.hand_over(request, back, message_of(error)):
        return back
    return filing_page(
        request, session, filing_id, status_code=error.status_code, error=message_of(error)
    )
