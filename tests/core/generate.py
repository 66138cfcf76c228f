"""Synthetic registries for scale tests and measurements: CSV bytes in the import layouts."""

import io
import random

from app.vocab import Intake, Level

PROVINCES = ("广东省", "江苏省", "浙江省", "山东省", "四川省", "湖北省", "河南省", "福建省")
CATEGORIES = ("机械类", "电工电子类", "信息类", "交通类", "服务类", "财经商贸类", "农业类")
OFFERINGS = [(i.value, lv.value) for i in (Intake.JUNIOR, Intake.SENIOR) for lv in Level]


def _csv(header: str, lines: list[str]) -> bytes:
    out = io.StringIO()
    out.write(header + "\n")
    out.writelines(line + "\n" for line in lines)
    return out.getvalue().encode()


def college_code(i: int) -> str:
    return f"G{i:06d}"


def colleges_csv(n: int) -> bytes:
    lines = [
        f"{college_code(i)},合成第{i}技师学院,技师学院,公办,{PROVINCES[i % len(PROVINCES)]},"
        f"市{i % 50}"
        for i in range(n)
    ]
    return _csv("code,name,type,ownership,province,city", lines)


def major_code(i: int) -> str:
    # 4-digit technician codes 1000..; categories 10-15 do not clash with the seed extract.
    return f"{1000 + i:04d}"


def catalog_csv(n: int) -> bytes:
    lines = [f"{major_code(i)},合成专业{i},{CATEGORIES[i % len(CATEGORIES)]}" for i in range(n)]
    return _csv("code,name,category", lines)


def programs_csv(colleges: int, per_college: int, majors: int, seed: int = 7) -> bytes:
    """``colleges × per_college`` rows, each a distinct active (college, major, level, intake)."""
    rng = random.Random(seed)
    lines = []
    for c in range(colleges):
        picks = rng.sample(range(majors * len(OFFERINGS)), per_college)
        for pick in picks:
            m, (intake, level) = divmod(pick, len(OFFERINGS))[0], OFFERINGS[pick % len(OFFERINGS)]
            status = "active" if pick % 10 else "suspended"
            lines.append(
                f"{college_code(c)},合成第{c}技师学院,{major_code(m)},合成专业{m},"
                f"{CATEGORIES[m % len(CATEGORIES)]},{intake},{level},3,{status},"
                f"{2000 + pick % 25}"
            )
    return _csv(
        "college_code,college,major_code,major_name,category,intake,level,length_years,"
        "status,since_year",
        lines,
    )


def load(session, colleges: int = 60, per_college: int = 50, majors: int = 40) -> None:
    """The generated registry imported into ``session`` as a bureau loads one: the colleges,
    catalog edition ``gen`` of ``majors`` codes, ``colleges × per_college`` programs."""
    from app.access.principal import SYSTEM
    from app.catalog.importer import import_catalog
    from app.catalog.schemas import EditionOptions
    from app.colleges.importer import import_colleges
    from app.programs.importer import import_programs

    import_colleges(session, colleges_csv(colleges), actor=SYSTEM)
    options = EditionOptions(title="g")
    import_catalog(session, catalog_csv(majors), key="gen", options=options, actor=SYSTEM)
    import_programs(session, programs_csv(colleges, per_college, majors), actor=SYSTEM)


def second_edition_programs(session, code: str, colleges, majors: int = 40):
    """Edition ``gen2`` of the same ``majors`` codes imported, and a program of its major of
    ``code`` at each of ``colleges`` (a code of two editions' majors, as the provinces'
    specialty catalogs have): (that major, the programs, flushed)."""
    from sqlmodel import select

    from app.access.principal import SYSTEM
    from app.catalog.importer import import_catalog
    from app.catalog.models import CatalogEdition, Major
    from app.catalog.schemas import EditionOptions
    from app.programs.models import Program

    options = EditionOptions(title="g2")
    import_catalog(session, catalog_csv(majors), key="gen2", options=options, actor=SYSTEM)
    major = session.exec(
        select(Major)
        .join(CatalogEdition, CatalogEdition.id == Major.edition_id)
        .where(Major.code == code, CatalogEdition.key == "gen2")
    ).one()
    intake, level = OFFERINGS[0]
    added = [
        Program(
            college_id=college.id,
            major_id=major.id,
            level=level,
            intake=intake,
            length_years=3,
            since_year=2010,
        )
        for college in colleges
    ]
    session.add_all(added)
    session.flush()
    return major, added
