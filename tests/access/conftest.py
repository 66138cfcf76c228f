"""Fixtures of the access tests: one token per role on the seeded registry.

A test of the seeded registry starts, on SQLite, from a copy of a template seeded once per
session (tests/conftest.py).
"""

import pytest

from tests.access.helpers import ROLE_TOKENS
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
