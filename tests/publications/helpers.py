"""Helpers of the publications tests: the 2024 sources and expected files, list lines."""

import csv
import hashlib
from pathlib import Path

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
    reason: str = "测试：市局手工添加",
    **extra,
) -> dict:
    """A list line. No filing approved it: added by hand with a ``reason`` (issue 23), checked
    like a filing entry. ``reason=""`` for a line an approval or an existing program carries."""
    return {
        "seq": seq,
        "college": college,
        "major_code": major_code,
        "intake": intake,
        "level": level,
        "length_years": years,
        "remark": remark,
        **({"reason": reason} if reason else {}),
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
            reason=x.get("reason", ""),
            major_name=e["major_name"],
            category=e["category"],
        )
        for e in publication["entries"]
        for x in e["lines"]
    ]
