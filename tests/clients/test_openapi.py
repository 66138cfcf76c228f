"""Finding 2: an OpenAPI a generator can trust — short stable operation ids, a schema or a
declared binary media type for every success answer, redirects as redirects, the headers a
client reads declared (and really sent), the change feed typed per entity, enums in answers
where the filters have them."""

import re

import jsonschema
import pytest

from app.openapi import operations
from tests.changes.helpers import API


@pytest.fixture
def schema(client):
    return client.get("/openapi.json", headers={"Accept-Language": "en"}).json()


def _validate(value, node, schema) -> None:
    jsonschema.validate(
        value,
        {**node, "components": schema["components"]},
        cls=jsonschema.Draft202012Validator,
    )


def test_operation_ids_are_short_and_stable(schema):
    ids = {(m, p): op["operationId"] for m, p, op in operations(schema)}
    assert len(set(ids.values())) == len(ids)
    for (method, path), op_id in ids.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]{2,39}", op_id), (method, path, op_id)
        assert "api_v1" not in op_id
    assert ids[("get", "/api/v1/programs")] == "programs_list"
    assert ids[("get", "/api/v1/publications/{publication_id}.csv")] == "publication_csv"
    assert ids[("get", "/api/v1/changes")] == "changes_list"


def test_every_success_answer_has_a_schema_or_a_binary_media_type(schema):
    missing = []
    for method, path, op in operations(schema):
        for code, answer in op["responses"].items():
            if not code.startswith("2") or code == "204":
                continue
            content = answer.get("content") or {}
            if not content or any(not media.get("schema") for media in content.values()):
                missing.append(f"{method.upper()} {path} {code}")
    assert missing == []
    csv = schema["paths"][f"{API}/programs.csv"]["get"]["responses"]["200"]
    assert csv["content"] == {"text/csv": {"schema": {"type": "string", "format": "binary"}}}
    xlsx = schema["paths"][f"{API}/publications/{{publication_id}}.xlsx"]["get"]["responses"]
    assert list(xlsx["200"]["content"]) == [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ]


def test_the_latest_redirect_is_declared_as_a_redirect(schema, seeded_client):
    responses = schema["paths"][f"{API}/publications/{{series}}/latest.{{ext}}"]["get"]["responses"]
    assert "200" not in responses
    assert "Location" in responses["307"]["headers"]
    series = seeded_client.get(f"{API}/publications", params={"limit": 1}).json()["items"][0]
    live = seeded_client.get(
        f"{API}/publications/{series['series']}/latest.csv", follow_redirects=False
    )
    assert live.status_code == 307
    assert live.headers["location"].endswith(".csv")


def test_declared_headers_are_the_ones_sent(schema, seeded_client):
    paths = schema["paths"]
    publication = seeded_client.get(f"{API}/publications", params={"limit": 1}).json()["items"][0]
    checked = 0
    for path, methods in paths.items():
        get = methods.get("get")
        if get is None or "{" in path.replace("{publication_id}", ""):
            continue
        answer = seeded_client.get(path.replace("{publication_id}", str(publication["id"])))
        if answer.status_code != 200:  # signed-in routes: their 401 is not the 200 declared
            continue
        for name in get["responses"]["200"].get("headers", {}):
            assert name.lower() in answer.headers, f"{path}: {name} declared, not sent"
        checked += 1
    assert checked >= 12  # the public GETs without another path parameter
    seq = paths[f"{API}/programs.xlsx"]["get"]["responses"]["200"]["headers"]
    assert {"ETag", "X-Registry-Seq", "Content-Disposition"} <= set(seq)
    checksum = paths[f"{API}/publications/{{publication_id}}.csv"]["get"]["responses"]["200"]
    assert "X-Checksum-SHA256" in checksum["headers"]


def test_the_change_feed_is_typed_per_entity(schema, seeded_client, admin_headers):
    seeded_client.patch(
        f"{API}/programs/1", json={"status": "suspended", "reason": "更正"}, headers=admin_headers
    )
    ok = schema["paths"][f"{API}/changes"]["get"]["responses"]["200"]
    node = ok["content"]["application/json"]["schema"]
    page = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    item = page["properties"]["items"]["items"]
    assert item["discriminator"]["propertyName"] == "entity"
    assert len(item["oneOf"]) == 4
    cursor, entities = 0, set()
    while True:  # every item of the seeded registry's feed validates against the schema
        answer = seeded_client.get(f"{API}/changes", params={"since": cursor, "limit": 500})
        body = answer.json()
        _validate(body, node, schema)
        entities |= {i["entity"] for i in body["items"]}
        if not body["next"]:
            break
        cursor = body["last_seq"]
    assert entities == {"program", "college", "major", "publication"}
    head = schema["paths"][f"{API}/changes/head"]["get"]["responses"]["200"]
    _validate(
        seeded_client.get(f"{API}/changes/head").json(),
        head["content"]["application/json"]["schema"],
        schema,
    )


def test_answers_use_the_enums_the_filters_use(schema):
    program = schema["components"]["schemas"]["ProgramPublic"]["properties"]
    params = {
        p["name"]: p["schema"] for p in schema["paths"][f"{API}/programs"]["get"]["parameters"]
    }
    assert program["status"]["enum"] == params["status"]["enum"]
    assert program["intake"]["enum"] == params["intake"]["enum"]
    level = next(v for v in program["level"]["anyOf"] if v.get("type") == "string")
    assert level["enum"] == params["level"]["enum"]
    detail = schema["components"]["schemas"]["ProgramDetail"]["properties"]
    assert detail["status"]["enum"] == params["status"]["enum"]


def test_every_parameter_and_field_has_a_description_in_both_languages(client):
    counts = {}
    for language in ("zh", "en"):
        schema = client.get("/openapi.json", headers={"Accept-Language": language}).json()
        missing = [
            f"{method.upper()} {path} {p['name']}"
            for method, path, op in operations(schema)
            for p in op.get("parameters", ())
            if not (p.get("description") or p.get("schema", {}).get("description"))
        ]
        assert missing == [], language
        fields = [
            field
            for component in schema["components"]["schemas"].values()
            for field in component.get("properties", {}).values()
        ]
        undescribed = [field for field in fields if not field.get("description")]
        assert undescribed == [], language
        counts[language] = len(fields)
    # the catalog's field descriptions apply by name in each language (111 of 696 had one)
    assert counts["zh"] == counts["en"] > 700
    zh = client.get("/openapi.json").json()["components"]["schemas"]["ProgramPublic"]
    en = client.get("/openapi.json", headers={"Accept-Language": "en"}).json()
    assert zh["properties"]["major_code"]["description"].startswith("专业代码")
    program = en["components"]["schemas"]["ProgramPublic"]["properties"]
    assert program["major_code"]["description"].startswith("the major's code")
