"""Fixtures of the adoption tests: technician-2026 and its 对照表 loaded over HTTP
(tests/adoption/helpers.py describes the edition)."""

import pytest

from tests.adoption.helpers import DATA, NEW, OLD, upload


@pytest.fixture
def new_edition(seeded_client, admin_headers) -> str:
    """technician-2026 loaded through the catalog import and its 对照表 through the crosswalk
    import (the official table's Chinese headers), both over HTTP as the superuser."""
    response = seeded_client.post(
        f"/api/v1/catalogs/{NEW}/import",
        files=upload(DATA / "technician_2026.csv"),
        data={"title": "全国技工院校专业目录（2026年修订，测试）", "system": "technician"},
        headers=admin_headers,
    )
    assert response.status_code == 200, response.text
    response = seeded_client.post(
        f"/api/v1/catalogs/{NEW}/crosswalk/import",
        files=upload(DATA / "crosswalk_2022_2026.csv"),
        data={"from_edition": OLD},
        headers=admin_headers,
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"rows": 39, "inserted": 39, "updated": 0, "unchanged": 0}
    return NEW
