"""Fixtures of the access tests: one token per role on the seeded registry.

A test of the seeded registry starts, on SQLite, from a copy of a template seeded once per
session (tests/conftest.py).
"""

import pytest

from tests.factories import make_token

# Every role the route matrix walks. "admin"/"reviewer" belong to 广州市人社局 (GZ-HRSS), which
# governs the technician colleges 4401J001… ; the "other_" ones to 广州市教育局 (GZ-EDU), which
# governs the 中职 schools 4401Z… and none of the technician colleges.
OWN_COLLEGE = "4401J001"  # 广州市技师学院
OTHER_COLLEGE = "4401J002"  # 广州市工贸技师学院, same authority
OWN_AUTHORITY = "GZ-HRSS"
OTHER_AUTHORITY = "GZ-EDU"

ROLE_TOKENS: dict[str, dict | None] = {
    "anonymous": None,
    "superuser": {"role": "admin"},
    "admin": {"role": "admin", "authority": OWN_AUTHORITY},
    "other_admin": {"role": "admin", "authority": OTHER_AUTHORITY},
    "reviewer": {"role": "reviewer", "authority": OWN_AUTHORITY},
    "other_reviewer": {"role": "reviewer", "authority": OTHER_AUTHORITY},
    "college": {"role": "college", "college": OWN_COLLEGE},
    "other_college": {"role": "college", "college": OTHER_COLLEGE},
}
ROLES = tuple(ROLE_TOKENS)


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
