"""Public pages: home, language switch (more in the public_*.py modules)."""

from fastapi import APIRouter, Request

from app.i18n import LOCALES
from app.i18n.middleware import LANG_COOKIE
from app.web import csrf
from app.web.templating import redirect, render, safe_next

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request):
    return render(request, "public/home.html")


@router.get("/lang/{locale}")
def switch_language(request: Request, locale: str, next: str = "/"):
    """The language switch: a cookie the locale middleware prefers to Accept-Language."""
    response = redirect(safe_next(next))
    if locale in LOCALES:
        response.set_cookie(
            LANG_COOKIE,
            locale,
            max_age=60 * 60 * 24 * 365,
            samesite="lax",
            secure=csrf.is_https(request),
            path="/",
        )
    return response
