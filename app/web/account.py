"""Signing in and out, the user's own account (password, sessions, API tokens), and the admin
page of an authority's users. Every POST carries the CSRF field; no secret is ever put in a URL:
a new token or one-time password is shown once, in the page that answers the POST."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.access import accounts
from app.db import SessionDep
from app.errors import AppError
from app.fields import IdPath
from app.web import csrf
from app.web.actor import signed_in
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


def _current_user(request: Request, session) -> accounts.User:
    signed_in(request, session)  # anonymous: redirect to /login
    page_user = getattr(request.state, "user", None)
    if page_user is None:  # a bearer token, not a person: accounts are for people
        raise AppError(error="forbidden", msg="web.account.people_only")
    return accounts.get_user(session, page_user.id)


@router.get("/login")
def login_form(request: Request, next: str = "/"):
    if getattr(request.state, "user", None) is not None:
        return redirect(safe_next(next))
    return render(request, "account/login.html", next=safe_next(next), username="")


@router.post("/login")
async def login(request: Request, session: SessionDep, _: csrf.CsrfChecked):
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    target = safe_next(str(form.get("next", "/")))
    try:
        user = accounts.authenticate(session, username, password)
    except accounts.BadCredentials:
        error = "web.login.wrong"
        status = 401
    except AppError as exc:  # throttled
        return render(
            request,
            "account/login.html",
            next=target,
            username=username,
            error_text=exc.message,
            status_code=exc.status_code,
        )
    else:
        agent = request.headers.get("user-agent", "")
        address = request.client.host if request.client else ""
        secret = accounts.start_session(session, user, user_agent=agent, address=address)
        response = redirect("/account/password" if user.must_change_password else target)
        _set_session_cookie(request, response, secret)
        return response
    return render(
        request,
        "account/login.html",
        next=target,
        username=username,
        error_text=None,
        error=error,
        status_code=status,
    )


@router.post("/logout")
def logout(request: Request, session: SessionDep, _: csrf.CsrfChecked):
    secret = request.cookies.get(COOKIE)
    if secret:
        accounts.end_session(session, secret)
    response = redirect("/")
    response.delete_cookie(COOKIE, path="/")
    return response


# ---- the user's own account ----------------------------------------------------------------


def _account_page(request: Request, session, user: accounts.User, **extra) -> Response:
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
def account(request: Request, session: SessionDep):
    return _account_page(request, session, _current_user(request, session))


@router.post("/account/sessions/{session_id:int}/revoke")
def revoke_session(request: Request, session: SessionDep, session_id: IdPath, _: csrf.CsrfChecked):
    user = _current_user(request, session)
    accounts.revoke_session(session, user, session_id)
    return redirect("/account")


@router.post("/account/tokens")
async def create_token(request: Request, session: SessionDep, _: csrf.CsrfChecked):
    user = _current_user(request, session)
    form = await request.form()
    name = str(form.get("name", "")).strip() or user.username
    days_text = str(form.get("days", "")).strip()
    days = int(days_text) if days_text.isdigit() and int(days_text) > 0 else None
    token = accounts.create_token(session, user, name=name, days=days)
    return _account_page(request, session, user, new_token=token)


@router.post("/account/tokens/{token_id:int}/revoke")
def revoke_token(request: Request, session: SessionDep, token_id: IdPath, _: csrf.CsrfChecked):
    accounts.revoke_token(session, _current_user(request, session), token_id)
    return redirect("/account")


@router.get("/account/password")
def password_form(request: Request, session: SessionDep, next: str = "/"):
    user = _current_user(request, session)
    return render(request, "account/password.html", account=user, next=safe_next(next))


@router.post("/account/password")
async def change_password(request: Request, session: SessionDep, _: csrf.CsrfChecked):
    user = _current_user(request, session)
    form = await request.form()
    target = safe_next(str(form.get("next", "/")))
    new, again = str(form.get("new_password", "")), str(form.get("new_password_again", ""))
    try:
        if new != again:
            raise AppError(error="invalid", msg="web.password.mismatch")
        accounts.change_password(
            session,
            user,
            current=str(form.get("current_password", "")),
            new=new,
            keep_session=getattr(request.state, "session_id", None),
        )
    except AppError as exc:
        session.rollback()
        return render(
            request,
            "account/password.html",
            account=user,
            next=target,
            error_text=exc.message,
            status_code=exc.status_code,
        )
    return redirect(target if target != "/account/password" else "/")


# ---- an authority's users (admins) -------------------------------------------------------


def _users_page(request: Request, session, **extra) -> Response:
    actor = signed_in(request, session, "admin")
    return render(
        request, "account/users.html", users=accounts.manageable_users(session, actor), **extra
    )


@router.get("/admin/users")
def users(request: Request, session: SessionDep):
    return _users_page(request, session)


@router.post("/admin/users")
async def create_user(request: Request, session: SessionDep, _: csrf.CsrfChecked):
    actor = signed_in(request, session, "admin")
    form = await request.form()
    fields = {k: str(form.get(k, "")).strip() for k in ("username", "role", "authority", "college")}
    try:
        user, secret = accounts.create_user(
            session,
            username=fields["username"],
            role=fields["role"],
            authority=fields["authority"] or None,
            college=fields["college"] or None,
            password=None,
            actor=actor,
        )
    except AppError as exc:
        session.rollback()
        return _users_page(request, session, error_text=exc.message, form=fields)
    return _users_page(request, session, one_time=(user.username, secret))


@router.post("/admin/users/{user_id:int}/reset")
def reset_password(request: Request, session: SessionDep, user_id: IdPath, _: csrf.CsrfChecked):
    actor = signed_in(request, session, "admin")
    secret = accounts.reset_password(session, user_id, actor=actor)
    return _users_page(
        request, session, one_time=(accounts.get_user(session, user_id).username, secret)
    )


@router.post("/admin/users/{user_id:int}/active")
async def set_active(request: Request, session: SessionDep, user_id: IdPath, _: csrf.CsrfChecked):
    actor = signed_in(request, session, "admin")
    form = await request.form()
    accounts.set_active(session, user_id, form.get("active") == "1", actor=actor)
    return redirect("/admin/users")
