from sqlalchemy import func, select
from sqlmodel import Session

from app import seed
from app.audit import AuditLog
from app.catalog.models import CatalogEdition, Major
from app.colleges.models import College
from app.programs.models import Program


def counts(engine):
    with Session(engine) as session:
        return {
            "editions": session.scalar(select(func.count()).select_from(CatalogEdition)),
            "majors": session.scalar(select(func.count()).select_from(Major)),
            "colleges": session.scalar(select(func.count()).select_from(College)),
            "programs": session.scalar(select(func.count()).select_from(Program)),
        }


def test_seed_loads_exact_counts_and_second_run_adds_nothing(engine):
    first = seed.run(engine)
    assert first["catalogs"] == 37 + 18 + 358 + 2
    assert first["programs"] == 82 + 16  # technician list + the 中职 notice's new majors
    assert counts(engine) == {"editions": 4, "majors": 415, "colleges": 30, "programs": 98}
    audits = counts_of_audit(engine)
    second = seed.run(engine)
    assert all(added == 0 for added in second.values()), second
    assert counts(engine) == {"editions": 4, "majors": 415, "colleges": 30, "programs": 98}
    assert counts_of_audit(engine) == audits  # a run that changes nothing records nothing


def counts_of_audit(engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(AuditLog))


def test_seed_goes_through_the_import_services(seeded):
    with Session(seeded) as session:
        entries = session.execute(
            select(AuditLog.action, AuditLog.target_id).where(AuditLog.actor == "seed")
        ).all()
    assert ("catalog.import", "technician-2022") in entries
    assert ("college.import", "colleges.csv") in entries
    assert ("program.import", "programs_gz2024.csv") in entries


def test_seeded_guangzhou_technician_college_has_its_seven_2024_programs(seeded_client):
    college = seeded_client.get("/api/v1/colleges", params={"name": "广州市技师学院"}).json()
    code = college["items"][0]["code"]
    body = seeded_client.get("/api/v1/programs", params={"college": code}).json()
    assert [p["major_code"] for p in body["items"]] == [
        "0702",
        "0219",
        "0529",
        "8172",
        "0314",
        "0444",
        "8206",
    ]
    assert body["next"] is None
