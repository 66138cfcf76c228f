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
    assert None in seen_levels and "高级" in seen_levels


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
    good = {name: "x" for name in readmodel.FIELDS} | {
        "id": 1,
        "length_years": 3,
        "since_year": 2024,
        "level": None,
    }
    assert validator.is_valid({"items": [good], "next": None})
    assert not validator.is_valid({"items": [{k: v for k, v in good.items() if k != "level"}]})
    assert not validator.is_valid({"items": [good | {"major_code": 702}], "next": None})
