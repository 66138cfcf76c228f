"""The bureau's list pages beyond drafting and publishing (admin.py): 名称, 文号 and 发布日期 of a
draft, 公示 (announce for a period), and objections (异议) with their handling. Thin handlers: the
same services as the API; a refusal is shown on the list's page."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.access.principal import Role
from app.db.depends import SessionDep
from app.errors import AppError
from app.params import IdPath
from app.publications import notice
from app.publications import service as publications
from app.publications.models import Objection, Publication
from app.publications.schemas import AnnounceIn, ObjectionIn, ObjectionUpdate, PublicationMeta
from app.vocab import ObjectionStatus
from app.web.actor import signed_in
from app.web.admin import publication_page
from app.web.csrf import CsrfChecked
from app.web.forms import Form, attempt, message_of, number, text
from app.web.templating import redirect

router = APIRouter(prefix="/admin", include_in_schema=False)


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _back(publication_id: int, key: str) -> Response:
    return redirect(f"/admin/publications/{publication_id}?notice={key}")


def _refused(
    request: Request, session: SessionDep, publication_id: int, error: AppError
) -> Response:
    return publication_page(
        request, session, publication_id, status_code=error.status_code, error=message_of(error)
    )


@router.post("/publications/{publication_id:int}/meta")
def edit_meta(
    publication_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    """名称, 文号, 发布日期 of a draft (or of a correction's draft)."""
    actor = signed_in(request, session, Role.ADMIN)

    def act() -> Publication:
        data = PublicationMeta(
            title=text(form, "title") or None,
            document_number=text(form, "document_number"),
            published_on=_day(text(form, "published_on")),
        )
        return publications.update_meta(session, publication_id, data, actor=actor)

    _done, error = attempt(session, act)
    if error is not None:
        return _refused(request, session, publication_id, error)
    return _back(publication_id, "web.lists.saved")


@router.post("/publications/{publication_id:int}/announce")
def announce(
    publication_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.ADMIN)

    def act() -> Publication:
        data = AnnounceIn(
            **{"from": date.fromisoformat(text(form, "from"))},
            until=date.fromisoformat(text(form, "until")),
            contact=text(form, "contact"),
        )
        return notice.announce(session, publication_id, data, actor=actor)

    _done, error = attempt(session, act)
    if error is not None:
        return _refused(request, session, publication_id, error)
    return _back(publication_id, "web.lists.announced")


@router.post("/publications/{publication_id:int}/objections")
def raise_objection(
    publication_id: IdPath, request: Request, session: SessionDep, form: Form, _: CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.ADMIN, Role.REVIEWER)

    def act() -> Objection:
        data = ObjectionIn(text=text(form, "text"), seq=number(form, "seq"))
        return notice.raise_objection(session, publication_id, data, actor=actor)

    _done, error = attempt(session, act)
    if error is not None:
        return _refused(request, session, publication_id, error)
    return _back(publication_id, "web.lists.objection_recorded")


@router.post("/publications/{publication_id:int}/objections/{objection_id:int}")
def resolve_objection(
    publication_id: IdPath,
    objection_id: IdPath,
    request: Request,
    session: SessionDep,
    form: Form,
    _: CsrfChecked,
) -> Response:
    """驳回 (dismissed) or 异议成立 (upheld; ``drop`` removes the entry from the draft)."""
    actor = signed_in(request, session, Role.ADMIN, Role.REVIEWER)

    def act() -> Objection:
        outcome = text(form, "outcome")
        upheld = outcome in (ObjectionStatus.UPHELD, "drop")
        data = ObjectionUpdate.model_validate(
            {
                "status": ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED,
                "resolution": text(form, "resolution"),
                "drop": outcome == "drop",
            }
        )
        return notice.resolve_objection(session, publication_id, objection_id, data, actor=actor)

    _done, error = attempt(session, act)
    if error is not None:
        return _refused(request, session, publication_id, error)
    return _back(publication_id, "web.lists.objection_resolved")
