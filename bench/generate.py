"""A deterministic national-scale registry: catalogs, colleges, programs, filings, search queries.

``python -m bench.generate --out DIR [--database-url URL]`` writes the CSV files in the import
layouts (contract.md) and, given a database, loads them through ``registry import`` (bench/load.py).
The same seed always writes byte-identical files: every choice comes from one seeded RNG and no
set or dict of strings is iterated in hash order.
"""

import argparse
import csv
import json
import random
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from app.text import pinyin_keys
from bench.words import (
    BRANDS,
    CATEGORIES,
    COLLEGE_TYPES,
    MODIFIERS,
    PROVINCES,
    SUFFIXES,
    TOPICS,
)

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
NATIONAL_EDITION = "technician-2022"  # the seeded (partial) edition the official file extends
LEVELS_ALL = "中级|高级|预备技师"
# (intake, level) -> years: the length table of domain.md, which every generated program obeys.
LENGTHS: dict[tuple[str, str], int] = {
    ("初中起点", "中级"): 3,
    ("初中起点", "高级"): 5,
    ("初中起点", "预备技师"): 6,
    ("高中起点", "高级"): 3,
    ("高中起点", "预备技师"): 4,
    ("高中、中专或中技起点", "高级"): 3,
    ("高中、中专或中技起点", "预备技师"): 4,
    ("中技起点", "高级"): 2,
    ("高技起点", "预备技师"): 2,
}
TYPE_LEVELS = {
    "技工学校": ("中级",),
    "高级技工学校": ("中级", "高级"),
    "技师学院": ("中级", "高级", "预备技师"),
}
# Programs per college by type, relative (a 技师学院 runs more than a 技工学校).
TYPE_WEIGHT = {"技师学院": 3.0, "高级技工学校": 2.0, "技工学校": 1.2}
CATALOG_HEADER = ["code", "name", "category", "levels"]
COLLEGE_HEADER = ["code", "name", "type", "ownership", "province", "city"]
PROGRAM_HEADER = [
    "college_code",
    "college",
    "major_code",
    "major_name",
    "category",
    "intake",
    "level",
    "length_years",
    "status",
    "since_year",
]


@dataclass
class Spec:
    colleges: int = 2500
    national_majors: int = 600
    specialty_majors: int = 50  # per province
    programs: int = 150_000
    extra_programs: int = 450_000  # grows the registry to 600,000 for the export memory check
    chunk: int = 150_000  # rows per extra programs file
    filings: tuple[int, ...] = (1000, 10_000)
    queries: int = 600
    seed: int = 20261123

    def scaled(self, factor: int) -> "Spec":
        """``factor`` times the colleges and their programs (same catalogs, filings and queries;
        the seed is the same, so the files are as deterministic as the 1× ones). Above 1× there
        are no extra programs: the growth check (memory flat over 4× the rows) runs at 1×, and at
        10× (1,500,000 programs) it would mean 6,000,000 rows in the generator's memory."""
        if factor == 1:
            return self
        return replace(
            self,
            colleges=self.colleges * factor,
            programs=self.programs * factor,
            extra_programs=0,
        )


@dataclass
class MajorRow:
    code: str
    name: str
    category: str
    levels: str
    edition: str


@dataclass
class Edition:
    key: str
    title: str
    province: str | None
    file: str
    existing: bool  # already created by `registry seed`


@dataclass
class AuthoritySpec:
    code: str
    name: str
    province: str
    catalogs: list[str]


@dataclass
class Manifest:
    spec: dict
    editions: list[Edition] = field(default_factory=list)
    authorities: list[AuthoritySpec] = field(default_factory=list)
    colleges_file: str = "colleges.csv"
    programs_file: str = "programs.csv"
    extra_files: list[str] = field(default_factory=list)
    filings: dict[str, str] = field(default_factory=dict)
    queries_file: str = "search_queries.json"
    counts: dict[str, int] = field(default_factory=dict)


def seeded_codes(file: str) -> tuple[list[str], list[str]]:
    """Codes and names `registry seed` already put in an edition (the generator avoids both)."""
    with open(SEED_DIR / file, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r["code"] for r in rows], [r["name"] for r in rows]


def major_names(rng: random.Random, category: str, count: int, taken: list[str]) -> list[str]:
    seen = dict.fromkeys(taken)
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(MODIFIERS) + rng.choice(TOPICS[category]) + rng.choice(SUFFIXES)
        if name not in seen:
            seen[name] = None
            names.append(name)
    return names


def catalog_levels(rng: random.Random) -> str:
    # Most catalog majors list no levels (any level); some list all, a few stop at 高级.
    roll = rng.random()
    return LEVELS_ALL if roll < 0.2 else ("中级|高级" if roll < 0.3 else "")


def national_catalog(rng: random.Random, count: int) -> list[MajorRow]:
    """CCNN codes spread over the 15 categories, skipping the codes and names seeded."""
    reserved, taken = seeded_codes("catalog_technician_2022.csv")
    per_category = -(-count // len(CATEGORIES))
    rows: list[MajorRow] = []
    for prefix, category in CATEGORIES:
        numbers = [f"{prefix}{n:02d}" for n in range(1, 100) if f"{prefix}{n:02d}" not in reserved]
        codes = sorted(rng.sample(numbers, per_category))
        for code, name in zip(codes, major_names(rng, category, per_category, taken), strict=True):
            rows.append(MajorRow(code, name, category, catalog_levels(rng), NATIONAL_EDITION))
    return rows[:count]


def specialty_catalog(
    rng: random.Random, key: str, count: int, reserved: list[str], taken: list[str]
) -> list[MajorRow]:
    """8xxx codes of one province; the category is stored per major, not in the code."""
    numbers = [f"8{n:03d}" for n in range(300, 1000) if f"8{n:03d}" not in reserved]
    names: list[str] = []
    categories = [rng.choice(CATEGORIES)[1] for _ in range(count)]
    for category in categories:
        names += major_names(rng, category, 1, taken + names)
    codes = sorted(rng.sample(numbers, count))
    rows = zip(codes, names, categories, strict=True)
    return [MajorRow(code, name, category, "", key) for code, name, category in rows]


def editions_for(rng: random.Random, spec: Spec) -> tuple[list[Edition], dict[str, list[MajorRow]]]:
    national = national_catalog(rng, spec.national_majors)
    editions = [
        Edition(
            NATIONAL_EDITION,
            "全国技工院校专业目录（2022年修订）",
            None,
            "catalog_national.csv",
            True,
        )
    ]
    majors = {NATIONAL_EDITION: national}
    for _code, province, abbr, _cities in PROVINCES:
        existing = abbr == "GD"  # seeded as gd-specialty
        key = f"{abbr.lower()}-specialty"
        reserved, taken = seeded_codes("catalog_gd_specialty.csv") if existing else ([], [])
        majors[key] = specialty_catalog(rng, key, spec.specialty_majors, reserved, taken)
        title = f"{province}技工院校特色专业目录（基准合成）"
        editions.append(Edition(key, title, province, f"catalog_{key}.csv", existing))
    return editions, majors


def authorities_for(editions: list[Edition]) -> list[AuthoritySpec]:
    """A province-level 人社厅 for each generated province that `registry seed` does not know."""
    out = []
    for _code, province, abbr, _cities in PROVINCES:
        if abbr == "GD":
            continue  # GD-HRSS is seeded with technician-2022 and gd-specialty
        key = f"{abbr.lower()}-specialty"
        assert any(e.key == key for e in editions)
        out.append(
            AuthoritySpec(
                f"{abbr}-HRSS", f"{province}人力资源和社会保障厅", province, [NATIONAL_EDITION, key]
            )
        )
    return out


def college_rows(rng: random.Random, count: int) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    names: dict[str, None] = {}
    for index in range(count):
        pp, province, _abbr, cities = PROVINCES[index % len(PROVINCES)]
        city_index = rng.randrange(len(cities))
        college_type = rng.choices(COLLEGE_TYPES, weights=[2, 3, 5])[0]
        name = cities[city_index] + rng.choice(BRANDS) + college_type
        ordinal = 2
        while name in names:  # 第二… keeps names unique (college.name is unique)
            name = f"{cities[city_index]}第{ordinal}{rng.choice(BRANDS)}{college_type}"
            ordinal += 1
        names[name] = None
        rows.append(
            {
                "code": f"{pp}{city_index + 1:02d}J{index + 1:04d}",
                "name": name,
                "type": college_type,
                "ownership": "公办" if rng.random() < 0.8 else "民办",
                "province": province,
                "city": cities[city_index],
            }
        )
    return rows


def program_quotas(colleges: list[dict[str, str]], total: int) -> list[int]:
    """How many programs each college runs: ``total`` split by type weight, exactly."""
    weights = [TYPE_WEIGHT[c["type"]] for c in colleges]
    scale = total / sum(weights)
    quotas = [int(w * scale) for w in weights]
    for i in range(total - sum(quotas)):
        quotas[i % len(quotas)] += 1
    return quotas


def offerings_of(
    rng: random.Random, college: dict[str, str], majors: list[MajorRow], count: int
) -> list[tuple[MajorRow, str, str]]:
    """``count`` distinct (major, intake, level) a college of its type may run."""
    levels = TYPE_LEVELS[college["type"]]
    combos = [(i, lv) for (i, lv) in LENGTHS if lv in levels]
    capacity = len(majors) * len(combos)
    if count > capacity // 2:
        raise ValueError(f"{college['code']}: {count} programs exceed its catalog ({capacity})")
    seen: dict[tuple[str, str, str], None] = {}
    out: list[tuple[MajorRow, str, str]] = []
    while len(out) < count:
        major = rng.choice(majors)
        intake, level = rng.choice(combos)
        if major.levels and level not in major.levels.split("|"):
            continue
        key = (major.code, intake, level)
        if key not in seen:
            seen[key] = None
            out.append((major, intake, level))
    return out


def program_row(rng: random.Random, college: dict[str, str], offer) -> list[str]:
    major, intake, level = offer
    roll = rng.random()
    status = "active" if roll < 0.9 else ("suspended" if roll < 0.97 else "withdrawn")
    return [
        college["code"],
        college["name"],
        major.code,
        major.name,
        major.category,
        intake,
        level,
        str(LENGTHS[(intake, level)]),
        status,
        str(rng.randint(2005, 2024)),
    ]


def program_rows(
    rng: random.Random,
    spec: Spec,
    colleges: list[dict[str, str]],
    majors: dict[str, list[MajorRow]],
) -> tuple[list[list[str]], list[list[str]]]:
    """The base programs (grouped by college) and the extra ones that grow the registry."""
    base_quota = program_quotas(colleges, spec.programs)
    extra_quota = program_quotas(colleges, spec.extra_programs)
    base: list[list[str]] = []
    extra: list[list[str]] = []
    for college, nb, ne in zip(colleges, base_quota, extra_quota, strict=True):
        catalog = majors[NATIONAL_EDITION] + majors[specialty_key(college["province"])]
        offers = offerings_of(rng, college, catalog, nb + ne)
        base += [program_row(rng, college, o) for o in offers[:nb]]
        extra += [program_row(rng, college, o) for o in offers[nb:]]
    return base, extra


def specialty_key(province: str) -> str:
    abbr = next(a for _c, p, a, _cities in PROVINCES if p == province)
    return f"{abbr.lower()}-specialty"


def write_csv(path: Path, header: list[str], rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate(out: Path, spec: Spec | None = None) -> Manifest:
    """Write every file into ``out``; returns the manifest (also written as manifest.json)."""
    from bench.filing import filing_body, search_queries

    spec = spec or Spec()
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(spec.seed)
    editions, majors = editions_for(rng, spec)
    manifest = Manifest(spec=asdict(spec), editions=editions, authorities=authorities_for(editions))
    for edition in editions:
        rows = [[m.code, m.name, m.category, m.levels] for m in majors[edition.key]]
        write_csv(out / edition.file, CATALOG_HEADER, rows)
    colleges = college_rows(rng, spec.colleges)
    write_csv(
        out / manifest.colleges_file,
        COLLEGE_HEADER,
        ([c[k] for k in COLLEGE_HEADER] for c in colleges),
    )
    base, extra = program_rows(rng, spec, colleges, majors)
    write_csv(out / manifest.programs_file, PROGRAM_HEADER, base)
    for start in range(0, len(extra), spec.chunk):
        name = f"programs_extra_{start // spec.chunk + 1}.csv"
        write_csv(out / name, PROGRAM_HEADER, extra[start : start + spec.chunk])
        manifest.extra_files.append(name)
    for size in spec.filings:
        body = filing_body(rng, size, colleges, majors, base)
        name = f"filing_{size}.json"
        (out / name).write_text(json.dumps(body, ensure_ascii=False, indent=0), encoding="utf-8")
        manifest.filings[str(size)] = name
    all_majors = [m for rows in majors.values() for m in rows]
    queries = search_queries(rng, all_majors, spec.queries, pinyin_keys)
    (out / manifest.queries_file).write_text(
        json.dumps(queries, ensure_ascii=False, indent=0), encoding="utf-8"
    )
    manifest.counts = {
        "majors": len(all_majors),
        "colleges": len(colleges),
        "programs": len(base),
        "extra_programs": len(extra),
    }
    (out / "manifest.json").write_text(
        json.dumps(asdict(manifest), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return manifest


def read_manifest(out: Path) -> Manifest:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    data["editions"] = [Edition(**e) for e in data["editions"]]
    data["authorities"] = [AuthoritySpec(**a) for a in data["authorities"]]
    return Manifest(**data)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench/out/data"))
    parser.add_argument("--colleges", type=int, default=Spec.colleges)
    parser.add_argument("--programs", type=int, default=Spec.programs)
    parser.add_argument("--extra-programs", type=int, default=0)
    parser.add_argument("--seed", type=int, default=Spec.seed)
    parser.add_argument(
        "--scale", type=int, default=1, help="times the colleges and programs (10: 1,500,000)"
    )
    parser.add_argument("--database-url", help="also load the files into this database")
    args = parser.parse_args(argv)
    spec = Spec(
        colleges=args.colleges,
        programs=args.programs,
        extra_programs=args.extra_programs,
        seed=args.seed,
    ).scaled(args.scale)
    manifest = generate(args.out, spec)
    print(json.dumps(manifest.counts, ensure_ascii=False))
    if args.database_url:
        from bench.load import load_registry

        load_registry(args.database_url, args.out, manifest)


if __name__ == "__main__":
    main()
