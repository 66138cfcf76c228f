"""People and their credentials, above ``app.access`` (which only asks who is calling and what it
may do): users (``models``, ``users``: management by admins), argon2 hashes (``hashing``),
signing in and cookie sessions (``sessions``), the API tokens a user owns (``user_tokens``),
token administration and ``GET /me`` (``tokens``, ``routes``).

The account pages and the CLI call the services through this package
(``from app import accounts``: ``accounts.create_user``, ``accounts.authenticate``…)."""

from app.accounts.models import User, UserSession, UserToken, principal_of
from app.accounts.sessions import (
    SESSION_DAYS,
    BadCredentials,
    SignInDelayed,
    authenticate,
    change_password,
    end_session,
    revoke_session,
    sessions_of,
    start_session,
    user_of_session,
)
from app.accounts.user_tokens import create_token, revoke_token, tokens_of
from app.accounts.users import (
    bindable,
    binding_names,
    clear_sign_in_failure,
    create_user,
    get_user,
    manageable_users,
    one_time_password,
    reset_password,
    set_active,
    sign_in_failures,
)

__all__ = [
    "SESSION_DAYS",
    "BadCredentials",
    "SignInDelayed",
    "User",
    "UserSession",
    "UserToken",
    "authenticate",
    "bindable",
    "binding_names",
    "change_password",
    "clear_sign_in_failure",
    "create_token",
    "create_user",
    "end_session",
    "get_user",
    "manageable_users",
    "one_time_password",
    "principal_of",
    "reset_password",
    "revoke_session",
    "revoke_token",
    "sessions_of",
    "set_active",
    "sign_in_failures",
    "start_session",
    "tokens_of",
    "user_of_session",
]
