"""Fixtures of the access tests: one token per role on the seeded registry.

A test of the seeded registry starts, on SQLite, from a copy of a template seeded once per
session (tests/conftest.py).
"""

import pytest

from tests.access.helpers import PROVINCE_AUTHORITY, ROLE_TOKENS, SIBLING_AUTHORITY
from tests.factories import make_token


@pytest.fixture
def role_headers(seeded) -> dict[str, dict[str, str]]:
    """Authorization headers by role name (anonymous: none)."""
    headers: dict[str, dict[str, str]] = {}
    for role, spec in ROLE_TOKENS.items():
        if spec is None:
            headers[role] = {}
        else:
            token = make_token(seeded, name=f"matrix-{role}", **spec)
            headers[role] = {"Authorization": f"Bearer {token}"}
    return headers


@pytest.fixture
def sibling_authority(seeded) -> str:
    """深圳市人社局 (SZ-HRSS): a city bureau under 广东省人社厅 beside 广州市人社局, governing no
    college of the seeded registry."""
    from sqlmodel import select

    from app.authorities.models import Authority
    from app.db import session_scope

    with session_scope(seeded) as session:
        province = session.exec(select(Authority).where(Authority.code == PROVINCE_AUTHORITY)).one()
        session.add(
            Authority(
                code=SIBLING_AUTHORITY,
                name="深圳市人力资源和社会保障局",
                level="city",
                system="technician",
                province="广东省",
                city="深圳市",
                parent_id=province.id,
            )
        )
    return SIBLING_AUTHORITY


@pytest.fixture
def parent_and_sibling_headers(seeded, sibling_authority) -> dict[str, dict[str, str]]:
    """Authorization headers of the province's admin and reviewer and the sibling's."""
    specs = {
        "province_admin": {"role": "admin", "authority": PROVINCE_AUTHORITY},
        "province_reviewer": {"role": "reviewer", "authority": PROVINCE_AUTHORITY},
        "sibling_admin": {"role": "admin", "authority": sibling_authority},
        "sibling_reviewer": {"role": "reviewer", "authority": sibling_authority},
    }
    return {
        caller: {"Authorization": f"Bearer {make_token(seeded, name=f'matrix-{caller}', **spec)}"}
        for caller, spec in specs.items()
    }
