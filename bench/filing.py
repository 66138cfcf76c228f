"""Generated workloads: a college's filing (validate body) and a mix of major-search queries.

The filing looks like a real one at scale: mostly valid new majors and new levels, and the
mistakes clerks make (a wrong name, a lost leading zero, a wrong length, an offering the college
already runs, an out-of-catalog proposal…), so every rule of domain.md does its work on every run.
"""

import random
from collections.abc import Callable

from bench.generate import LENGTHS, NATIONAL_EDITION, MajorRow, specialty_key

# (what the entry exercises, relative frequency)
MIX: list[tuple[str, float]] = [
    ("valid", 0.60),
    ("name_mismatch", 0.05),
    ("category_mismatch", 0.04),
    ("length_mismatch", 0.05),
    ("unknown_code", 0.03),
    ("code_format", 0.02),
    ("out_of_catalog", 0.03),
    ("exists", 0.05),
    ("duplicate", 0.03),
    ("other_province", 0.03),
    ("unknown_combo", 0.02),
    ("kind_mismatch", 0.03),
    ("missing_field", 0.02),
]


def filing_college(colleges: list[dict[str, str]]) -> dict[str, str]:
    """The filing college: the first 技师学院 outside 广东 (all levels; a generated authority)."""
    ranked = sorted(colleges, key=lambda c: (c["type"] != "技师学院", c["province"] == "广东省"))
    return ranked[0]


def entry(major: MajorRow, intake: str, level: str, kind: str) -> dict:
    return {
        "major_code": major.code,
        "major_name": major.name,
        "category": major.category,
        "intake": intake,
        "level": level,
        "length_years": LENGTHS[(intake, level)],
        "kind": kind,
        "remark": "",
    }


def filing_body(
    rng: random.Random,
    size: int,
    colleges: list[dict[str, str]],
    majors: dict[str, list[MajorRow]],
    programs: list[list[str]],
) -> dict:
    college = filing_college(colleges)
    runs = {(p[2], p[5], p[6]) for p in programs if p[0] == college["code"] and p[8] == "active"}
    run_majors = {code for code, _i, _l in runs}
    catalog = majors[NATIONAL_EDITION] + majors[specialty_key(college["province"])]
    others = [
        m
        for k, rows in majors.items()
        if k not in (NATIONAL_EDITION, specialty_key(college["province"]))
        for m in rows
    ]
    by_code = {m.code: m for m in catalog}
    existing = sorted(runs)
    combos = list(LENGTHS)
    entries: list[dict] = []
    kinds, weights = zip(*MIX, strict=True)
    while len(entries) < size:
        what = rng.choices(kinds, weights=weights)[0]
        major = rng.choice(catalog)
        intake, level = rng.choice(combos)
        kind = "新增层次" if major.code in run_majors else "新增专业"
        item = entry(major, intake, level, kind)
        if what == "name_mismatch":
            item["major_name"] = major.name[:-1] + "类"
        elif what == "category_mismatch":
            item["category"] = "其他" if major.category != "其他" else "机械类"
        elif what == "length_mismatch":
            item["length_years"] += 1
        elif what == "unknown_code":
            item["major_code"] = f"{rng.randint(16, 79):02d}{rng.randint(1, 99):02d}"
        elif what == "code_format" and major.code.startswith("0"):
            item["major_code"] = major.code.lstrip("0")
        elif what == "out_of_catalog":
            item["major_code"] = ""
            item["major_name"] = major.name + "（新方向）"
        elif what == "exists" and existing:
            code, ex_intake, ex_level = rng.choice(existing)
            item = entry(by_code[code], ex_intake, ex_level, "新增层次")
        elif what == "duplicate" and entries:
            item = dict(rng.choice(entries))
        elif what == "other_province":
            item = entry(rng.choice(others), intake, level, "新增专业")
        elif what == "unknown_combo":
            item["intake"], item["level"] = "中技起点", "中级"
        elif what == "kind_mismatch":
            item["kind"] = "改名"
        elif what == "missing_field":
            item["intake"] = ""
        entries.append(item)
    return {"college": college["code"], "year": 2025, "entries": entries}


def near_miss(rng: random.Random, name: str) -> str:
    """A typo: one character dropped or two neighbours swapped."""
    i = rng.randrange(len(name) - 1)
    if rng.random() < 0.5:
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def search_queries(
    rng: random.Random,
    majors: list[MajorRow],
    count: int,
    pinyin_keys: Callable[[str], tuple[str, str]],
) -> list[dict[str, str]]:
    """Every kind of query GET /majors?q= answers: code prefix, Chinese, pinyin, initials, typo."""
    kinds = ["code_prefix", "code", "chinese", "pinyin", "pinyin_prefix", "initials", "near"]
    out: list[dict[str, str]] = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        major = rng.choice(majors)
        full, initials = pinyin_keys(major.name)
        if kind == "code_prefix":
            q = major.code[: rng.choice((1, 2, 3))]
        elif kind == "code":
            q = major.code
        elif kind == "chinese":
            start = rng.randrange(max(1, len(major.name) - 2))
            q = major.name[start : start + rng.choice((2, 3, 4))]
        elif kind == "pinyin":
            q = full
        elif kind == "pinyin_prefix":
            q = full[: rng.randint(4, max(4, len(full)))]
        elif kind == "initials":
            q = initials
        else:
            q = near_miss(rng, major.name)
        out.append({"kind": kind, "q": q})
    return out
