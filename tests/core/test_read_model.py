"""The program read model has one source (app/programs/readmodel.py): the schemas agree with its
tables, and what GET /programs answers — it skips response-model validation for speed — is what
the published OpenAPI schema promises."""

import jsonschema

from app.programs import readmodel
from app.programs.schemas import ProgramFilters, ProgramPageQuery, ProgramPublic


def test_filters_and_columns_of_the_schemas_are_the_read_models():
    assert tuple(ProgramFilters.model_fields) == tuple(readmodel.FILTERS)
    assert tuple(ProgramPageQuery.model_fields) == (*readmodel.FILTERS, "cursor", "limit")
    assert tuple(ProgramPublic.model_fields) == readmodel.FIELDS


def _schema_validator(app, path: str) -> jsonschema.Draft202012Validator:
    schema = app.openapi()
    response = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    return jsonschema.Draft202012Validator(
        {**response["schema"], "components": schema["components"]}
    )


def test_programs_page_validates_against_the_published_schema(seeded_client):
    validator = _schema_validator(seeded_client.app, "/api/v1/programs")
    seen_levels = set()
    cursor = None
    for _ in range(3):  # a few pages: technician rows, then the seeded 中职 rows (no level)
        params = {"limit": 40, **({"cursor": cursor} if cursor else {})}
        body = seeded_client.get("/api/v1/programs", params=params).json()
        errors = [e.message for e in validator.iter_errors(body)]
        assert not errors, errors[:5]
        assert all(tuple(item) == readmodel.FIELDS for item in body["items"])
        seen_levels |= {item["level"] for item in body["items"]}
        cursor = body["next"]
        if cursor is None:
            break
    assert None in seen_levels
    assert "高级" in seen_levels


def test_one_program_and_a_page_item_are_the_same_json(seeded_client):
    item = seeded_client.get("/api/v1/programs", params={"limit": 1}).json()["items"][0]
    one = seeded_client.get(f"/api/v1/programs/{item['id']}").json()
    assert {k: one[k] for k in readmodel.FIELDS} == item


def test_a_page_item_that_breaks_the_schema_is_caught():
    # the check above can fail: an item without its level, or with a number for a code
    from app.config import Settings
    from app.main import create_app

    validator = _schema_validator(
        create_app(Settings(database_url="sqlite://")), "/api/v1/programs"
    )
    good = dict.fromkeys(readmodel.FIELDS, "x") | {
        "id": 1,
        "length_years": 3,
        "since_year": 2024,
        "level": None,
        "intake": "初中起点",  # enums in the answer, as in the filters (app/openapi.py)
        "status": "active",
    }
    assert validator.is_valid({"items": [good], "next": None})
    assert not validator.is_valid({"items": [{k: v for k, v in good.items() if k != "level"}]})
    assert not validator.is_valid({"items": [good | {"major_code": 702}], "next": None})
    assert not validator.is_valid({"items": [good | {"status": "x"}], "next": None})


# Names a JSON writer must escape (quotes, backslashes, control characters) beside UTF-8 it
# need not: the database writes a page's items (listing.as_items), not orjson.
AWKWARD_COLLEGE = 'The "Quoted" \\ 学院\n\t\x01\x1f\x7f end'
AWKWARD_MAJOR = 'C:\\path "中职" \u2028 \\u0041 \r'


def test_page_items_the_database_writes_are_the_read_models_items(seeded, app, seeded_client):
    from sqlalchemy import update

    from app.catalog.models import Major
    from app.programs import listing
    from app.programs.models import Program
    from tests.factories import make_college, make_token

    make_college(seeded, code="9901J001", name=AWKWARD_COLLEGE)
    with seeded.begin() as conn:
        conn.execute(update(Major).where(Major.code == "0127").values(name=AWKWARD_MAJOR))
    headers = {"Authorization": f"Bearer {make_token(seeded)}"}
    base = {"college": "9901J001", "major_code": "0127", "length_years": 3, "since_year": 1951}
    made = [
        seeded_client.post(
            "/api/v1/programs", json={**base, "intake": i, "level": "中级"}, headers=headers
        )
        for i in ("初中起点", "高中起点")
    ]
    assert [m.status_code for m in made] == [201, 201], made[1].text
    with seeded.begin() as conn:  # the second stored as a 中职 program's level ('', the API's null)
        conn.execute(update(Program).where(Program.id == made[1].json()["id"]).values(level=""))
    # One college's page (one statement on both backends) and a year's (ids, then the rows by
    # id on PostgreSQL), one item a page: the second page comes through the cursor.
    for filters in ({"college": "9901J001"}, {"year": 1951}):
        rows = listing.rows(app.state.read_engine, ProgramFilters(**filters), after=None, limit=2)
        assert len(rows) == 2
        expected = [readmodel.item(r) for r in rows]
        first = seeded_client.get("/api/v1/programs", params={**filters, "limit": 1})
        assert "学院".encode() in first.content  # UTF-8 as it is, not \u escapes
        second = seeded_client.get(
            "/api/v1/programs", params={**filters, "limit": 1, "cursor": first.json()["next"]}
        ).json()
        assert second["next"] is None
        assert first.json()["items"] + second["items"] == expected
        assert [(i["college"], i["major_name"], i["level"]) for i in expected] == [
            (AWKWARD_COLLEGE, AWKWARD_MAJOR, "中级"),
            (AWKWARD_COLLEGE, AWKWARD_MAJOR, None),
        ]


def test_the_feed_and_the_export_take_the_read_models_program_shape(monkeypatch):
    """One program row shape: the feed's ``data`` (read back, or made from a bulk write's
    values) and the ``programs.csv`` header are the read model's fields, in its order."""
    from app.programs import export, snapshots

    assert tuple(f for f in readmodel.FIELDS if f != "edition") == readmodel.FEED_FIELDS
    assert export.HEADER == readmodel.CSV_FIELDS == readmodel.FEED_FIELDS[1:]
    written: list = []
    monkeypatch.setattr(snapshots, "record_many", lambda _s, _e, _o, items: written.extend(items))
    snapshots.programs_written(
        None,  # type: ignore[arg-type]
        [(7, 1, 2, "", "初中起点", 3, "active", 2024)],
        "created",
        colleges={1: ("C1", "学院")},
        majors={2: ("0101", "专业", "类")},
    )
    assert [tuple(data) for _, data in written] == [readmodel.FEED_FIELDS]
