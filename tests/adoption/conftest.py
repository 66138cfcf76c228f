"""Fixtures of the adoption tests: technician-2026 and its 对照表 loaded over HTTP
(tests/adoption/helpers.py describes the edition)."""

import pytest
from sqlmodel import select

from app.catalog.models import CatalogEdition, Category, Major
from app.colleges.models import College
from app.db import session_scope
from app.programs.models import Program
from tests.adoption.helpers import DATA, DECISIONS, NEW, OLD, UNMAPPED, major_id, upload


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


@pytest.fixture
def varied(seeded, new_edition) -> None:
    """Beside the seeded plan (a split, two withdrawn codes, two merged codes colliding, renames,
    a moved provincial code): a program already on a new major (it is kept, the program moving
    there is retired), and a suspended program of a merged code (it moves, it never collides)."""
    with session_scope(seeded) as session:
        old_0610 = major_id(session, OLD, "0610")
        moving = session.exec(
            select(Program).where(Program.major_id == old_0610, Program.status == "active")
        ).first()
        assert moving is not None
        session.add(
            Program(
                college_id=moving.college_id,
                major_id=major_id(session, NEW, "0611"),
                level=moving.level,
                intake=moving.intake,
                length_years=moving.length_years,
                since_year=2026,
            )
        )
        other = session.exec(select(Program).where(Program.major_id != old_0610)).first()
        assert other is not None
        session.add(
            Program(
                college_id=other.college_id,
                major_id=major_id(session, OLD, "0528"),
                level="中级",
                intake="初中起点",
                length_years=3,
                since_year=2020,
                status="suspended",
            )
        )


@pytest.fixture
def decided(seeded, varied) -> list[dict]:
    """Decisions that move programs into collisions, beside ``varied``'s: the first split
    program is decided onto 0321, where its college already has that offering (the program there
    is kept); a program of a code the crosswalk leaves out (unmapped) is decided onto 0611 in the
    offering of a program that moves there from 0610 and of the one already there (``varied``):
    three programs, one kept, two retired."""
    with session_scope(seeded) as session:
        old = session.exec(select(CatalogEdition).where(CatalogEdition.key == OLD)).one()
        category = session.exec(select(Category)).first()
        assert category is not None
        assert category.id is not None
        assert old.id is not None
        unmapped = Major(
            edition_id=old.id,
            code=UNMAPPED,
            name="未对照专业",
            name_norm="未对照专业",
            category_id=category.id,
        )
        session.add(unmapped)
        session.flush()
        assert unmapped.id is not None
        moving = session.exec(
            select(Program).where(
                Program.major_id == major_id(session, OLD, "0610"), Program.status == "active"
            )
        ).first()
        assert moving is not None
        session.add(
            Program(
                college_id=moving.college_id,
                major_id=unmapped.id,
                level=moving.level,
                intake=moving.intake,
                length_years=moving.length_years,
                since_year=2019,
            )
        )
        first = DECISIONS[0]
        college = session.exec(select(College).where(College.code == first["college_code"])).one()
        assert college.id is not None
        session.add(
            Program(
                college_id=college.id,
                major_id=major_id(session, NEW, first["new_code"]),
                level=first["level"],
                intake=first["intake"],
                length_years=3,
                since_year=2026,
            )
        )
        code = session.get(College, moving.college_id)
        assert code is not None
        unmapped_decision = {
            "college_code": code.code,
            "old_code": UNMAPPED,
            "level": moving.level,
            "intake": moving.intake,
            "new_code": "0611",
        }
    return [*DECISIONS, unmapped_decision]
