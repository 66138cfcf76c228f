"""Signing in and out, the user's own account (password, sessions, API tokens), and the admin
page of an authority's users. Every POST carries the CSRF field; no secret is ever put in a URL:
a new token or one-time password is shown once, in the page that answers the POST.

Every handler is a plain ``def``: FastAPI runs it in a worker thread, so the session's
statements and argon2's hashing (tens of milliseconds) never hold up the event loop; the form
is read by the ``Form`` dependency, in the loop."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app import accounts
from app.access.principal import Role
from app.access.sign_in import Failure
from app.db.depends import SessionDep
from app.errors import AppError
from app.i18n import t
from app.params import IdPath
from app.web import csrf
from app.web.actor import signed_in
from app.web.forms import Form, attempt, message_of, text
from app.web.session import COOKIE
from app.web.templating import redirect, render, safe_next

router = APIRouter(include_in_schema=False)


def _set_session_cookie(request: Request, response: Response, secret: str) -> None:
    response.set_cookie(
        COOKIE,
        secret,
        max_age=accounts.SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=csrf.is_https(request),
        path="/",
    )


def client_address(request: Request) -> str:
    """The caller's address as the request context resolved it (trusted proxies considered)."""
    resolved = getattr(request.state, "client_ip", None)
    return resolved or (request.client.host if request.client else "unknown")


# the answers that show a secret once (a new token, a one-time password): no copy anywhere
NO_STORE = {"Cache-Control": "private, no-store"}


def _current_user(request: Request, session: Session) -> accounts.User:
    signed_in(request, session)  # anonymous: redirect to /login
    page_user = getattr(request.state, "user", None)
    if page_user is None:  # a bearer token, not a person: accounts are for people
        raise AppError(error="forbidden", msg="web.account.people_only")
    return accounts.get_user(session, page_user.id)


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if getattr(request.state, "user", None) is not None:
        return redirect(safe_next(next))
    return render(request, "account/login.html", next=safe_next(next), username="")


@router.post("/login")
def login(request: Request, session: SessionDep, form: Form, _: csrf.CsrfChecked) -> Response:
    """Sign in. A wrong password and an unknown username answer the same page, warned when
    the next failures will make this address wait (``app.access.sign_in``)."""
    username, password = text(form, "username"), str(form.get("password", ""))
    target = safe_next(text(form, "next") or "/")
    address = client_address(request)
    try:  # not attempt(): the failure just counted is committed with the 401 page
        user = accounts.authenticate(
            session,
            username,
            password,
            address=address,
            address_limit=request.app.state.settings.login_address_limit,
        )
    except accounts.BadCredentials as exc:
        return _login_page(request, target, username, exc.failure)
    except accounts.SignInDelayed as exc:
        return render(
            request,
            "account/login.html",
            next=target,
            username=username,
            error_text=exc.message,
            status_code=exc.status_code,
            headers=exc.headers,
        )
    agent = request.headers.get("user-agent", "")
    secret = accounts.start_session(session, user, user_agent=agent, address=address)
    response = redirect("/account/password" if user.must_change_password else target)
    _set_session_cookie(request, response, secret)
    return response


def _login_page(request: Request, target: str, username: str, failure: Failure) -> Response:
    if failure.wait_seconds is not None:
        delayed = accounts.SignInDelayed(failure.wait_seconds)
        return render(
            request,
            "account/login.html",
            next=target,
            username=username,
            error_text=delayed.message,
            status_code=401,
            headers=delayed.headers,
        )
    return render(
        request,
        "account/login.html",
        next=target,
        username=username,
        error="web.login.wrong",
        warning=t("web.login.warning", left=failure.left) if failure.left is not None else None,
        status_code=401,
    )


@router.post("/logout")
def logout(request: Request, session: SessionDep, _: csrf.CsrfChecked) -> Response:
    secret = request.cookies.get(COOKIE)
    if secret:
        accounts.end_session(session, secret)
    response = redirect("/")
    response.delete_cookie(COOKIE, path="/", secure=csrf.is_https(request), httponly=True)
    return response


# ---- the user's own account ----------------------------------------------------------------


def _account_page(
    request: Request, session: Session, user: accounts.User, **extra: Any
) -> Response:
    return render(
        request,
        "account/account.html",
        account=user,
        sessions=accounts.sessions_of(session, user),
        current_session=getattr(request.state, "session_id", None),
        tokens=accounts.tokens_of(session, user),
        **extra,
    )


@router.get("/account")
def account(request: Request, session: SessionDep) -> Response:
    return _account_page(request, session, _current_user(request, session))


@router.post("/account/sessions/{session_id:int}/revoke")
def revoke_session(
    request: Request, session: SessionDep, session_id: IdPath, _: csrf.CsrfChecked
) -> Response:
    user = _current_user(request, session)
    accounts.revoke_session(session, user, session_id)
    return redirect("/account")


@router.post("/account/tokens")
def create_token(
    request: Request, session: SessionDep, form: Form, _: csrf.CsrfChecked
) -> Response:
    user = _current_user(request, session)
    name = str(form.get("name", "")).strip() or user.username
    days_text = str(form.get("days", "")).strip()
    days = int(days_text) if days_text.isdigit() and int(days_text) > 0 else None
    token = accounts.create_token(session, user, name=name, days=days)
    return _account_page(request, session, user, new_token=token, headers=NO_STORE)


@router.post("/account/tokens/{token_id:int}/revoke")
def revoke_token(
    request: Request, session: SessionDep, token_id: IdPath, _: csrf.CsrfChecked
) -> Response:
    accounts.revoke_token(session, _current_user(request, session), token_id)
    return redirect("/account")


@router.get("/account/password")
def password_form(request: Request, session: SessionDep, next: str = "/") -> Response:
    user = _current_user(request, session)
    return render(request, "account/password.html", account=user, next=safe_next(next))


@router.post("/account/password")
def change_password(
    request: Request, session: SessionDep, form: Form, _: csrf.CsrfChecked
) -> Response:
    user = _current_user(request, session)
    target = safe_next(str(form.get("next", "/")))
    new, again = str(form.get("new_password", "")), str(form.get("new_password_again", ""))

    def change() -> None:
        if new != again:
            raise AppError(error="invalid", msg="web.password.mismatch")
        accounts.change_password(
            session,
            user,
            current=str(form.get("current_password", "")),
            new=new,
            keep_session=getattr(request.state, "session_id", None),
        )

    _done, error = attempt(session, change)
    if error is not None:
        return render(
            request,
            "account/password.html",
            account=user,
            next=target,
            error_text=message_of(error),
            status_code=error.status_code,
        )
    return redirect(target if target != "/account/password" else "/")


# ---- an authority's users (admins) -------------------------------------------------------


def _users_page(request: Request, session: Session, **extra: Any) -> Response:
    actor = signed_in(request, session, Role.ADMIN)
    users = accounts.manageable_users(session, actor)
    authorities, colleges = accounts.bindable(session, actor)
    return render(
        request,
        "account/users.html",
        users=users,
        me=actor.name if actor.token_id is None else None,
        bindings=accounts.binding_names(session, users),
        failures=accounts.sign_in_failures(session, actor),
        authorities=authorities,
        colleges=colleges,
        zone=request.app.state.settings.zone,
        **extra,
    )


@router.get("/admin/users")
def users(request: Request, session: SessionDep) -> Response:
    return _users_page(request, session)


@router.post("/admin/users")
def create_user(request: Request, session: SessionDep, form: Form, _: csrf.CsrfChecked) -> Response:
    actor = signed_in(request, session, Role.ADMIN)
    fields = {k: str(form.get(k, "")).strip() for k in ("username", "role", "authority", "college")}
    created, error = attempt(
        session,
        lambda: accounts.create_user(
            session,
            username=fields["username"],
            role=fields["role"],
            authority=fields["authority"] or None,
            college=fields["college"] or None,
            password=None,
            actor=actor,
        ),
    )
    if error is not None:
        return _users_page(request, session, error_text=message_of(error), form=fields)
    assert created is not None
    user, secret = created
    return _users_page(request, session, one_time=(user.username, secret), headers=NO_STORE)


@router.post("/admin/users/{user_id:int}/reset")
def reset_password(
    request: Request, session: SessionDep, user_id: IdPath, _: csrf.CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.ADMIN)
    secret = accounts.reset_password(session, user_id, actor=actor)
    username = accounts.get_user(session, user_id).username
    return _users_page(request, session, one_time=(username, secret), headers=NO_STORE)


@router.post("/admin/users/{user_id:int}/active")
def set_active(
    request: Request, session: SessionDep, user_id: IdPath, form: Form, _: csrf.CsrfChecked
) -> Response:
    actor = signed_in(request, session, Role.ADMIN)
    active = form.get("active") == "1"
    _done, error = attempt(
        session, lambda: accounts.set_active(session, user_id, active, actor=actor)
    )
    if error is not None:
        page = _users_page(request, session, error_text=message_of(error))
        page.status_code = error.status_code
        return page
    return redirect("/admin/users")


@router.post("/admin/sign-ins/{failure_id:int}/clear")
def clear_sign_in(
    request: Request, session: SessionDep, failure_id: IdPath, _: csrf.CsrfChecked
) -> Response:
    """An admin lets a slowed username (or address) sign in again at once."""
    actor = signed_in(request, session, Role.ADMIN)
    accounts.clear_sign_in_failure(session, failure_id, actor=actor)
    return redirect("/admin/users#sign-ins")
