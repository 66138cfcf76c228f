"""The database itself refuses a second active program of one (college, major, level, intake)."""

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from app.programs.models import Program


def _first_program(engine) -> dict:
    with engine.connect() as conn:
        row = conn.execute(select(Program.__table__).order_by(Program.id).limit(1)).one()
    values = dict(row._mapping)
    values.pop("id")
    return values


def test_second_active_offering_inserted_with_core_is_refused_by_the_database(seeded):
    values = _first_program(seeded)
    assert values["status"] == "active"
    with pytest.raises(IntegrityError), seeded.begin() as conn:
        conn.execute(
            insert(Program.__table__).values(
                **values,
            )
        )


def test_suspended_duplicate_of_an_active_offering_is_allowed(seeded):
    values = _first_program(seeded) | {"status": "suspended", "since_year": 2019}
    with seeded.begin() as conn:
        conn.execute(insert(Program.__table__).values(**values))
        conn.execute(insert(Program.__table__).values(**values | {"status": "withdrawn"}))
    with seeded.connect() as conn:
        same = (
            conn.execute(
                select(Program.status).where(
                    Program.college_id == values["college_id"],
                    Program.major_id == values["major_id"],
                    Program.level == values["level"],
                    Program.intake == values["intake"],
                )
            )
            .scalars()
            .all()
        )
    assert sorted(same) == ["active", "suspended", "withdrawn"]


def test_api_create_of_an_existing_active_offering_is_409(seeded_client, admin_headers):
    body = {
        "college": "4401J001",
        "major_code": "0702",
        "level": "高级",
        "intake": "初中起点",
        "length_years": 5,
        "since_year": 2025,
    }
    response = seeded_client.post("/api/v1/programs", json=body, headers=admin_headers)
    assert response.status_code == 409
    assert response.json()["error"] == "program_exists"
