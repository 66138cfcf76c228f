"""Fixtures of the filings tests."""

import pytest


@pytest.fixture
def open_round(seeded_client, tokens):
    """An open 2025 round of 广州市人社局 (its window spans now)."""
    response = seeded_client.post(
        "/api/v1/rounds",
        headers=tokens("admin", authority="GZ-HRSS"),
        json={
            "year": 2025,
            "title": "2025 新增专业",
            "opens_at": "2020-01-01T00:00:00Z",
            "closes_at": "2099-12-31T00:00:00Z",
        },
    )
    assert response.status_code == 201, response.text
    return response.json()
