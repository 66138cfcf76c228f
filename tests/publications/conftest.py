"""Fixtures and helpers of the publications tests (the seeded registry holds the 2024 list)."""

import csv
import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
SOURCE_2024 = ROOT / "seed/source/gz2024_technician_new_majors.csv"
SPECIALTIES_2024 = ROOT / "seed/source/gd2024_specialty_majors.csv"
SECONDARY_2024 = ROOT / "seed/source/gz2024_secondary_new_majors.csv"
PROJECTS_2024 = ROOT / "seed/source/gz2024_secondary_demonstration_projects.csv"
DIRECTIONS_2024 = ROOT / "seed/source/gz2024_secondary_name_normalisation.csv"
# Written from seed/source/gz2024_technician_new_majors.csv, not by the code under test.
EXPECTED_2024_CSV = DATA / "gz2024_technician_list.csv"
# Typed from the 中职 notice of 广州市教育局 (2024-04-02), 附件一, 附件2 and 附件3: BOM, CRLF.
EXPECTED_SECONDARY_CSV = DATA / "gz2024_secondary_list.csv"
EXPECTED_PROJECTS_CSV = DATA / "gz2024_secondary_projects.csv"
EXPECTED_DIRECTIONS_CSV = DATA / "gz2024_secondary_directions.csv"
API = "/api/v1/publications"
GZ = "GZ-HRSS"  # 广州市人力资源和社会保障局, which published the 2024 list
SERIES_2024 = "GZ-HRSS-2024"
EDU = "GZ-EDU"  # 广州市教育局, which published the 2024 中职 notice
SECONDARY_SERIES_2024 = "GZ-EDU-2024"


def source_rows(path: Path = SOURCE_2024) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def line(
    seq: int,
    college: str,
    major_code: str,
    intake: str,
    level: str | None,
    years: int,
    remark: str = "",
    **extra,
) -> dict:
    return {
        "seq": seq,
        "college": college,
        "major_code": major_code,
        "intake": intake,
        "level": level,
        "length_years": years,
        "remark": remark,
        **extra,
    }


def lines_as_input(publication: dict) -> list[dict]:
    """A publication's entries as the ``lines`` body of PUT /publications/{id}/lines."""
    return [
        line(
            e["seq"],
            e["college_code"],
            e["major_code"],
            x["intake"],
            x["level"],
            x["length_years"],
            x["remark"],
            major_name=e["major_name"],
            category=e["category"],
        )
        for e in publication["entries"]
        for x in e["lines"]
    ]


@pytest.fixture
def gz_admin(tokens) -> dict[str, str]:
    return tokens("admin", authority=GZ)


@pytest.fixture
def list_2024(seeded_client) -> dict:
    """The seeded, published 2024 list (JSON)."""
    body = seeded_client.get(f"{API}/{SERIES_2024}/latest").json()
    assert body["revision"] == 1 and body["status"] == "published"
    return body


@pytest.fixture
def secondary_2024(seeded_client) -> dict:
    """The seeded, published 2024 中职 list of 广州市教育局 (JSON)."""
    found = seeded_client.get(API, params={"year": 2024, "authority": EDU}).json()["items"]
    assert [p["series"] for p in found] == [SECONDARY_SERIES_2024]
    body = seeded_client.get(f"{API}/{found[0]['id']}").json()
    assert body["revision"] == 1 and body["status"] == "published"
    return body


@pytest.fixture
def draft(seeded_client, gz_admin):
    """draft(lines, **fields) -> a new draft (JSON), posted by GZ-HRSS's admin."""

    def make(lines: list[dict], **fields) -> dict:
        body = {
            "year": 2025,
            "title": "2025年广州市技工院校新增专业名单",
            "series": "GZ-T-2025",
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
