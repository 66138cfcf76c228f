"""Fixtures of the publications tests (the seeded registry holds the 2024 list)."""

import pytest

from tests.publications.helpers import (
    API,
    EDU,
    GZ,
    SECONDARY_SERIES_2024,
    SERIES_2024,
    lines_as_input,
)

# The 2025 round of two colleges, decided (test_from_round.py), for the issue 23 tests too.
from tests.publications.test_from_round import decided_round  # noqa: F401


@pytest.fixture
def gz_admin(tokens) -> dict[str, str]:
    return tokens("admin", authority=GZ)


@pytest.fixture
def list_2024(seeded_client) -> dict:
    """The seeded, published 2024 list (JSON)."""
    body = seeded_client.get(f"{API}/{SERIES_2024}/latest").json()
    assert body["revision"] == 1
    assert body["status"] == "published"
    return body


@pytest.fixture
def secondary_2024(seeded_client) -> dict:
    """The seeded, published 2024 中职 list of 广州市教育局 (JSON)."""
    found = seeded_client.get(API, params={"year": 2024, "authority": EDU}).json()["items"]
    assert [p["series"] for p in found] == [SECONDARY_SERIES_2024]
    body = seeded_client.get(f"{API}/{found[0]['id']}").json()
    assert body["revision"] == 1
    assert body["status"] == "published"
    return body


@pytest.fixture
def draft(seeded_client, gz_admin):
    """draft(lines, **fields) -> a new draft (JSON), posted by GZ-HRSS's admin."""

    def make(lines: list[dict], **fields) -> dict:
        body = {
            "year": 2025,
            "title": "2025年广州市技工院校新增专业名单",
            "series": "GZ-T-2025",
            "published_on": "2025-04-20",
            "lines": lines,
            **fields,
        }
        response = seeded_client.post(API, json=body, headers=gz_admin)
        assert response.status_code == 201, response.text
        return response.json()

    return make


@pytest.fixture
def correction(seeded_client, gz_admin, list_2024):
    """correction(edit) -> the published revision 2 of the 2024 list; ``edit`` changes the
    line dicts of revision 1 in place before they are stored."""

    def make(edit, reason: str = "勘误: 学制与备注") -> dict:
        response = seeded_client.post(
            f"{API}/{list_2024['id']}/corrections", json={"reason": reason}, headers=gz_admin
        )
        assert response.status_code == 201, response.text
        revision = response.json()
        lines = lines_as_input(revision)
        edit(lines)
        response = seeded_client.put(
            f"{API}/{revision['id']}/lines", json={"lines": lines}, headers=gz_admin
        )
        assert response.status_code == 200, response.text
        response = seeded_client.post(f"{API}/{revision['id']}/publish", headers=gz_admin)
        assert response.status_code == 200, response.text
        return response.json()

    return make
