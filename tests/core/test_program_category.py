"""program.category never drifts from its major's category, nor program.province from its
college's province, whatever writes (models.py triggers): the seed, an import, a single create, a
move to another major (an approved 改名) or college, a major recategorised by PATCH or by a
catalog import, a category renamed in the database, a college moved to another province by a
college import or in the database."""

from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.catalog.importer import import_catalog
from app.catalog.schemas import EditionOptions
from app.colleges.importer import import_colleges
from app.programs.importer import import_programs
from tests.core.test_import_programs import GZ, csv

DRIFT = text(
    "SELECT p.id, p.category, c.name, p.province, g.province FROM program AS p"
    " JOIN major AS m ON m.id = p.major_id JOIN category AS c ON c.id = m.category_id"
    " JOIN college AS g ON g.id = p.college_id"
    " WHERE p.category <> c.name OR p.province <> g.province"
)


def drifted(engine: Engine) -> list[tuple]:
    """Programs whose category or province is not their major's or college's."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(DRIFT)]


def provinces_of(engine: Engine, college_code: str) -> set[str]:
    query = text(
        "SELECT DISTINCT p.province FROM program AS p JOIN college AS g ON g.id = p.college_id"
        " WHERE g.code = :code"
    )
    with engine.connect() as conn:
        return set(conn.execute(query, {"code": college_code}).scalars())


def categories_of(engine: Engine, major_code: str) -> set[str]:
    query = text(
        "SELECT DISTINCT p.category FROM program AS p JOIN major AS m ON m.id = p.major_id"
        " WHERE m.code = :code"
    )
    with engine.connect() as conn:
        return set(conn.execute(query, {"code": major_code}).scalars())


def import_then_create(run, client, headers):
    """Two new programs of GZ: 0127 through the import (the bulk path gives category and
    province itself) and 0435 through the API (the insert triggers fill them)."""
    run(
        import_programs,
        csv(f"{GZ},广州市技师学院,0127,机电一体化技术,机械类,高中起点,预备技师,4,active,2025"),
    )
    created = client.post(
        "/api/v1/programs",
        headers=headers,
        json={
            "college": GZ,
            "major_code": "0435",
            "level": "中级",
            "intake": "初中起点",
            "length_years": 3,
            "since_year": 2025,
        },
    )
    assert created.status_code == 201, created.text
    return created


def test_category_follows_the_major_through_every_write(seeded, seeded_client, admin_headers, run):
    assert categories_of(seeded, "0702") == {"农业类"}
    assert drifted(seeded) == []

    import_then_create(run, seeded_client, admin_headers)
    assert categories_of(seeded, "0127") == {"机械类"}
    assert drifted(seeded) == []

    recategorised = seeded_client.patch(
        "/api/v1/catalogs/technician-2022/majors/0702",
        headers=admin_headers,
        json={"category": "测试类"},
    )
    assert recategorised.status_code == 200, recategorised.text
    assert categories_of(seeded, "0702") == {"测试类"}
    assert drifted(seeded) == []
    page = seeded_client.get("/api/v1/programs", params={"category": "测试类"}).json()["items"]
    assert page
    assert {p["major_code"] for p in page} == {"0702"}

    run(
        import_catalog,
        "code,name,category\n0702,现代农艺技术,农林类\n".encode(),
        key="technician-2022",
        options=EditionOptions(),
    )
    assert categories_of(seeded, "0702") == {"农林类"}
    assert drifted(seeded) == []

    with seeded.begin() as conn:  # a rename no route offers yet, and a program moved by hand
        conn.execute(text("UPDATE category SET name = '农业类（新）' WHERE name = '农林类'"))
        conn.execute(
            text(
                "UPDATE program SET major_id = (SELECT id FROM major WHERE code = '0127' LIMIT 1)"
                " WHERE id = (SELECT MIN(p.id) FROM program AS p JOIN major AS m"
                " ON m.id = p.major_id WHERE m.code = '0702')"
            )
        )
    assert drifted(seeded) == []
    assert categories_of(seeded, "0702") <= {"农业类（新）"}
    assert categories_of(seeded, "0127") == {"机械类"}


def test_province_follows_the_college_through_every_write(
    seeded, seeded_client, admin_headers, run
):
    assert provinces_of(seeded, GZ) == {"广东省"}
    assert drifted(seeded) == []

    created = import_then_create(run, seeded_client, admin_headers)
    assert provinces_of(seeded, GZ) == {"广东省"}
    assert drifted(seeded) == []
    in_gd = seeded_client.get("/api/v1/programs", params={"province": "广东省", "limit": 200})
    assert created.json()["id"] in {p["id"] for p in in_gd.json()["items"]}

    moved = (
        f"code,name,type,ownership,province,city\n{GZ},广州市技师学院,技师学院,公办,测试省,测试市\n"
    )
    run(import_colleges, moved.encode())
    assert provinces_of(seeded, GZ) == {"测试省"}
    assert drifted(seeded) == []
    page = seeded_client.get("/api/v1/programs", params={"province": "测试省", "limit": 200})
    assert page.status_code == 200
    assert {p["college_code"] for p in page.json()["items"]} == {GZ}
    assert created.json()["id"] in {p["id"] for p in page.json()["items"]}
    paired = seeded_client.get(
        "/api/v1/programs", params={"province": "测试省", "year": 2025, "category": "机械类"}
    )
    assert [p["major_code"] for p in paired.json()["items"]] == ["0127"]

    moved_id = created.json()["id"]
    with seeded.begin() as conn:  # moves no route offers, in the database: a program first
        conn.execute(
            text(
                "UPDATE program SET college_id = (SELECT id FROM college WHERE code = '4401J006')"
                f" WHERE id = {moved_id}"
            )
        )
    assert drifted(seeded) == []
    in_gd = seeded_client.get("/api/v1/programs", params={"province": "广东省", "limit": 200})
    assert moved_id in {p["id"] for p in in_gd.json()["items"]}
    with seeded.begin() as conn:  # then the college back to 广东省
        conn.execute(text(f"UPDATE college SET province = '广东省' WHERE code = '{GZ}'"))
    assert provinces_of(seeded, GZ) == {"广东省"}
    assert drifted(seeded) == []


def _moved(engine: Engine, program_id: int, column: str, value: int) -> tuple[int, str, str]:
    """Rows written by moving a program (``total_changes`` counts the triggers' writes on
    SQLite; PostgreSQL's BEFORE triggers write nothing more: 1), then its category and province."""
    with engine.begin() as conn:
        driver = conn.connection.driver_connection
        sqlite = conn.dialect.name == "sqlite"
        before = driver.total_changes if sqlite else 0
        conn.execute(
            text(f"UPDATE program SET {column} = :v WHERE id = :id"), {"v": value, "id": program_id}
        )
        written = driver.total_changes - before if sqlite else 1
        category, province = conn.execute(
            text("SELECT category, province FROM program WHERE id = :id"), {"id": program_id}
        ).one()
    return written, category, province


def test_a_move_that_keeps_the_category_or_province_writes_the_row_once(seeded):
    """The triggers write the row again only when the category (province) changes: a program
    carried to a major of the same category — most of an adoption — or to a college of the same
    province is one write; to another category or province the value follows."""
    # a program whose category has another major and whose province another college; out of
    # the active offerings, so that no move can collide with one
    pick = text(
        "SELECT p.id, p.major_id, p.college_id, p.category, p.province FROM program AS p"
        " JOIN major AS m ON m.id = p.major_id"
        " WHERE EXISTS (SELECT 1 FROM major AS o WHERE o.category_id = m.category_id"
        " AND o.id <> m.id)"
        " AND EXISTS (SELECT 1 FROM college AS g WHERE g.province = p.province"
        " AND g.id <> p.college_id)"
        " ORDER BY p.id LIMIT 1"
    )
    majors = text(
        "SELECT m.id, c.name FROM major AS m JOIN category AS c ON c.id = m.category_id"
        " WHERE m.id <> :m ORDER BY m.id"
    )
    colleges = text("SELECT id, province FROM college WHERE id <> :c ORDER BY id")
    with seeded.begin() as conn:
        program, major, college, category, province = conn.execute(pick).one()
        conn.execute(
            text("UPDATE program SET status = 'withdrawn' WHERE id = :id"), {"id": program}
        )
        conn.execute(  # the seed's colleges are all of 广东省
            text(
                "INSERT INTO college (code, name, type, ownership, province, status)"
                " VALUES ('3201J999', '南京测试技师学院', '技师学院', '公办', '江苏省', 'active')"
            )
        )
        found = conn.execute(majors, {"m": major}).all()
        same_major = next(m for m, c in found if c == category)
        other_major, other_category = next((m, c) for m, c in found if c != category)
        places = conn.execute(colleges, {"c": college}).all()
        same_college = next(c for c, p in places if p == province)
        other_college, other_province = next((c, p) for c, p in places if p != province)

    assert _moved(seeded, program, "major_id", same_major) == (1, category, province)
    assert _moved(seeded, program, "major_id", other_major)[1:] == (other_category, province)
    assert _moved(seeded, program, "college_id", same_college) == (1, other_category, province)
    assert _moved(seeded, program, "college_id", other_college)[1:] == (
        other_category,
        other_province,
    )
    assert drifted(seeded) == []
