"""registry import colleges: upsert by code, renames keep history, all or nothing."""

import pytest
from sqlmodel import Session, select

from app.colleges.importer import import_colleges
from app.colleges.models import College, CollegeNameHistory
from app.errors import Invalid
from tests.core.helpers import count, errors_of

HEADER = "code,name,type,ownership,province,city\n"


def test_colleges_are_inserted_then_a_rename_is_an_update_with_history(seeded, run):
    before = count(seeded, College)
    data = HEADER + "4401J099,广州市新建技工学校,技工学校,民办,广东省,广州市\n"
    assert run(import_colleges, data.encode()).inserted == 1
    renamed = HEADER + "4401J099,广州市新建高级技工学校,高级技工学校,民办,广东省,广州市\n"
    result = run(import_colleges, renamed.encode())
    assert (result.inserted, result.updated) == (0, 1)
    assert count(seeded, College) == before + 1
    with Session(seeded) as session:
        college = session.exec(select(College).where(College.code == "4401J099")).one()
        history = session.exec(
            select(CollegeNameHistory).where(CollegeNameHistory.college_id == college.id)
        ).all()
    assert (college.name, college.type, college.authority_id is not None) == (
        "广州市新建高级技工学校",
        "高级技工学校",
        True,
    )
    assert [(h.name, h.type) for h in history] == [("广州市新建技工学校", "技工学校")]


def test_bad_rows_are_all_reported_and_nothing_written(engine, run):
    data = (
        HEADER + "A1,甲技师学院,技师学院,公办,广东省,广州市\n"
        "A 2,乙技工学校,技工大学,国有,广东省,\n"
        "A3,甲技师学院,技师学院,公办,,广州市\n"
    )
    with pytest.raises(Invalid) as exc_info:
        run(import_colleges, data.encode())
    assert errors_of(exc_info) == [
        (3, "code", "entry.invalid_value"),
        (3, "ownership", "entry.invalid_value"),
        (3, "type", "entry.invalid_value"),
        (4, "province", "entry.missing_field"),
    ]
    type_error = [e for e in exc_info.value.detail["errors"] if e["column"] == "type"][0]
    assert type_error["suggestion"] == "技工学校"
    assert count(engine, College) == 0


def test_a_name_another_college_has_is_rejected(seeded, run):
    data = HEADER + "4401J099,广州市技师学院,技师学院,公办,广东省,广州市\n"
    with pytest.raises(Invalid) as exc_info:
        run(import_colleges, data.encode())
    assert errors_of(exc_info) == [(2, "name", "college.name_taken")]


def test_gbk_file_is_read(engine, run):
    data = (HEADER + "A1,广州市某某职业学校,中等职业学校,公办,广东省,广州市\n").encode("gbk")
    assert run(import_colleges, data).inserted == 1
