"""Done-when: a cell beginning with =, +, -, @ (or tab, CR) is prefixed with ' in every export."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from app.authorities.models import Authority
from app.catalog.models import CatalogEdition, Category, Major
from app.colleges.models import College
from app.db import session_scope
from app.programs.models import Program
from app.spreadsheets.writing import guard
from tests.factories import make_college
from tests.publications.helpers import API, line

COLLEGE = '=HYPERLINK("http://x","学院")'
MAJOR = "@SUM(1+1)"
CATEGORY = "+危险类"
REMARK = "-2+3"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_guard_prefixes_every_formula_start(value):
    assert guard(value) == "'" + value


@pytest.mark.parametrize("value", ["0702", "中级", "", "a=b", 5, None, " =x"])
def test_guard_leaves_other_cells_alone(value):
    assert guard(value) == value


@pytest.fixture
def hostile(seeded):
    """A college, a catalog major and a category whose text starts like a formula, with a
    program of that college and major."""
    make_college(seeded, code="4401J099", name=COLLEGE)
    with session_scope(seeded) as session:
        # governed by 广州市人社局, so its list may name it
        college = session.exec(select(College).where(College.code == "4401J099")).one()
        college.authority_id = session.exec(
            select(Authority.id).where(Authority.code == "GZ-HRSS")
        ).one()
        session.add(college)
        edition = session.exec(
            select(CatalogEdition).where(CatalogEdition.key == "technician-2022")
        ).one()
        category = Category(edition_id=edition.id, code="15", name=CATEGORY)
        session.add(category)
        session.flush()
        major = Major(
            edition_id=edition.id, code="1599", name=MAJOR, name_norm=MAJOR, category_id=category.id
        )
        session.add(major)
        session.flush()
        college_id = session.exec(select(College.id).where(College.code == "4401J099")).one()
        session.add(
            Program(
                college_id=college_id,
                major_id=major.id,
                level="高级",
                intake="初中起点",
                length_years=5,
                since_year=2025,
            )
        )
    return seeded


def test_programs_csv_prefixes_formula_cells(seeded_client, hostile):
    text = seeded_client.get("/api/v1/programs.csv", params={"college": "4401J099"}).text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == [
        "4401J099",
        "'" + COLLEGE,
        "1599",
        "'" + MAJOR,
        "'" + CATEGORY,
        "初中起点",
        "高级",
        "5",
        "active",
        "2025",
    ]


def test_programs_csv_prefixes_formula_cells_of_the_program_itself(seeded_client, hostile):
    # intake, level and status are guarded in SQL (writing.guarded_column), not in Python.
    with session_scope(hostile) as session:
        college_id = session.exec(select(College.id).where(College.code == "4401J099")).one()
        major_id = session.exec(select(Major.id).where(Major.code == "1599")).one()
        session.add(
            Program(
                college_id=college_id,
                major_id=major_id,
                level="+y",
                intake="@x",
                status="-z",
                length_years=3,
                since_year=2026,
            )
        )
    text = seeded_client.get("/api/v1/programs.csv", params={"year": 2026}).text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == [
        "4401J099",
        "'" + COLLEGE,
        "1599",
        "'" + MAJOR,
        "'" + CATEGORY,
        "'@x",
        "'+y",
        "3",
        "'-z",
        "2026",
    ]


def test_programs_xlsx_prefixes_formula_cells_and_stores_no_formula(seeded_client, hostile):
    content = seeded_client.get("/api/v1/programs.xlsx", params={"college": "4401J099"}).content
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[2]][:5] == [
        "4401J099",
        "'" + COLLEGE,
        "1599",
        "'" + MAJOR,
        "'" + CATEGORY,
    ]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


@pytest.fixture
def hostile_draft(hostile, draft):
    return draft(
        [line(1, "4401J099", "1599", "初中起点", "高级", 5, REMARK)],
        specialties=[
            {
                "major_name": MAJOR,
                "major_code": "1599",
                "level": "高级",
                "length_years": 5,
                "category": CATEGORY,
                "applicant_college": COLLEGE,
            }
        ],
    )


def test_publication_csv_prefixes_formula_cells(seeded_client, gz_admin, hostile_draft):
    text = seeded_client.get(f"{API}/{hostile_draft['id']}.csv", headers=gz_admin).text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == [
        "1",
        "'" + COLLEGE,
        "'" + MAJOR,
        "'" + CATEGORY,
        "1599",
        "初中起点",
        "高级",
        "五年",
        "'" + REMARK,
    ]
    text = seeded_client.get(f"{API}/{hostile_draft['id']}/specialties.csv", headers=gz_admin).text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == ["'" + MAJOR, "1599", "高级", "五年", "'" + CATEGORY, "'" + COLLEGE]


def test_publication_xlsx_prefixes_formula_cells(seeded_client, gz_admin, hostile_draft):
    content = seeded_client.get(f"{API}/{hostile_draft['id']}.xlsx", headers=gz_admin).content
    book = load_workbook(io.BytesIO(content))
    assert [c.value for c in book["附件1"][4]] == [
        1,
        "'" + COLLEGE,
        "'" + MAJOR,
        "'" + CATEGORY,
        "1599",
        "初中起点",
        "高级",
        "五年",
        "'" + REMARK,
    ]
    assert [c.value for c in book["附件2"][4]] == [
        "'" + MAJOR,
        "1599",
        "高级",
        "五年",
        "'" + CATEGORY,
        "'" + COLLEGE,
    ]
    assert all(c.data_type != "f" for ws in book for row in ws.iter_rows() for c in row)


def test_diff_csv_prefixes_formula_cells(seeded_client, gz_admin, hostile_draft):
    publish = seeded_client.post(f"{API}/{hostile_draft['id']}/publish", headers=gz_admin)
    assert publish.status_code == 200, publish.text
    response = seeded_client.get(
        f"{API}/diff.csv", params={"from": "GZ-HRSS-2024", "to": hostile_draft["id"]}
    )
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    # A 2025 list against 2024's: the years side by side (仅2025年), guarded all the same.
    added = [r for r in rows if r[0] == "仅2025年"]
    assert added == [
        [
            "仅2025年",
            "1",
            "'" + COLLEGE,
            "'" + MAJOR,
            "'" + CATEGORY,
            "1599",
            "初中起点",
            "高级",
            "五年",
            "'" + REMARK,
            "",
        ]
    ]
