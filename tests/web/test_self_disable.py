"""An admin cannot disable the account they are signed in with (the page would lock them out
mid-session, perhaps the authority's last admin): refused on /admin/users and in the service,
for a signed-in admin and for one of their API tokens; another admin can."""

import re

import pytest
from sqlmodel import select

from app import accounts
from app.access.principal import Principal, Role
from app.accounts.models import User
from app.accounts.user_tokens import create_token, tokens_of
from app.db import session_scope
from app.errors import Conflict
from tests.factories import make_user
from tests.web.test_private_pages import PASSWORD, proxied, sign_in  # noqa: F401  (fixture)

pytestmark = pytest.mark.audit_unchecked  # a sign-in answers 303 and records user.sign_in


def _user(engine, username: str) -> User:
    with session_scope(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        session.expunge(user)
        return user


def _csrf(client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def test_the_users_page_refuses_disabling_ones_own_account(proxied, seeded):  # noqa: F811
    make_user(seeded, username="self-admin", password=PASSWORD, authority="GZ-HRSS")
    make_user(seeded, username="other-admin", password=PASSWORD, authority="GZ-HRSS")
    assert sign_in(proxied, "self-admin").status_code == 303
    page = proxied.get("/admin/users")
    own = re.search(r"<tr>\s*<td[^>]*>self-admin</td>.*?</tr>", page.text, re.S).group(0)
    assert "当前登录的账号" in own
    assert "/active" not in own  # no disable button on one's own row
    me = _user(seeded, "self-admin")
    refused = proxied.post(
        f"/admin/users/{me.id}/active",
        data={"active": "0", "csrf_token": _csrf(proxied, "/admin/users")},
    )
    assert refused.status_code == 409
    assert "不能停用当前登录使用的账号" in refused.text
    assert _user(seeded, "self-admin").active
    other = _user(seeded, "other-admin")
    done = proxied.post(
        f"/admin/users/{other.id}/active",
        data={"active": "0", "csrf_token": _csrf(proxied, "/admin/users")},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert not _user(seeded, "other-admin").active


def test_the_service_refuses_it_for_the_users_own_token(seeded):
    make_user(seeded, username="token-admin", password=PASSWORD, authority="GZ-HRSS")
    with session_scope(seeded) as session:
        user = session.exec(select(User).where(User.username == "token-admin")).one()
        create_token(session, user, name="script", days=None)
    with session_scope(seeded) as session:
        user = session.exec(select(User).where(User.username == "token-admin")).one()
        link = tokens_of(session, user)[0]
        actor = Principal(
            name="script", role=Role.ADMIN, token_id=link.id, authority_id=user.authority_id
        )
        with pytest.raises(Conflict) as refused:
            accounts.set_active(session, user.id, False, actor=actor)
        assert refused.value.error == "user_disable_self"
        # enabling is not refused, nor is disabling by a principal of another name
        accounts.set_active(session, user.id, True, actor=actor)
        stranger = Principal(name="someone", role=Role.ADMIN, authority_id=user.authority_id)
        accounts.set_active(session, user.id, False, actor=stranger)
    assert not _user(seeded, "token-admin").active
