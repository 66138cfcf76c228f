"""program.category never drifts from its major's category, whatever writes (models.py triggers):
the seed, an import, a single create, a move to another major (an approved 改名), a major
recategorised by PATCH or by a catalog import, a category renamed in the database."""

from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.catalog.importer import import_catalog
from app.catalog.schemas import EditionOptions
from app.programs.importer import import_programs
from tests.core.test_import_programs import GZ, csv

DRIFT = text(
    "SELECT p.id, p.category, c.name FROM program AS p JOIN major AS m ON m.id = p.major_id"
    " JOIN category AS c ON c.id = m.category_id WHERE p.category <> c.name"
)


def drifted(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(DRIFT)]


def categories_of(engine: Engine, major_code: str) -> set[str]:
    query = text(
        "SELECT DISTINCT p.category FROM program AS p JOIN major AS m ON m.id = p.major_id"
        " WHERE m.code = :code"
    )
    with engine.connect() as conn:
        return set(conn.execute(query, {"code": major_code}).scalars())


def test_category_follows_the_major_through_every_write(seeded, seeded_client, admin_headers, run):
    assert categories_of(seeded, "0702") == {"农业类"} and drifted(seeded) == []

    run(
        import_programs,
        csv(f"{GZ},广州市技师学院,0127,机电一体化技术,机械类,高中起点,预备技师,4,active,2025"),
    )
    created = seeded_client.post(
        "/api/v1/programs",
        headers=admin_headers,
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
    assert categories_of(seeded, "0127") == {"机械类"} and drifted(seeded) == []

    recategorised = seeded_client.patch(
        "/api/v1/catalogs/technician-2022/majors/0702",
        headers=admin_headers,
        json={"category": "测试类"},
    )
    assert recategorised.status_code == 200, recategorised.text
    assert categories_of(seeded, "0702") == {"测试类"} and drifted(seeded) == []
    page = seeded_client.get("/api/v1/programs", params={"category": "测试类"}).json()["items"]
    assert page and {p["major_code"] for p in page} == {"0702"}

    run(
        import_catalog,
        "code,name,category\n0702,现代农艺技术,农林类\n".encode(),
        key="technician-2022",
        options=EditionOptions(),
    )
    assert categories_of(seeded, "0702") == {"农林类"} and drifted(seeded) == []

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
