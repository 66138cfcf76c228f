"""The OpenAPI in both languages: every tag and every operation has a Chinese and an English
description from the catalog (a route added without one fails here, naming the key to add to
app/i18n/messages/openapi.py), ``/openapi.json`` follows ``Accept-Language``, and the examples of
the main request bodies validate against the schemas the OpenAPI documents for them."""

import re

import jsonschema
import pytest

from app.config import Settings
from app.i18n import CATALOG, EN, ZH, use_locale
from app.main import create_app
from app.openapi import EXAMPLES, INFO_KEY, OP_KEY, TAG_KEY, long_id, operations, tag_names

CATALOG_FILE = "app/i18n/messages/openapi.py"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def app():
    return create_app(Settings(database_url="sqlite://"))


@pytest.fixture(scope="module")
def schemas(app):
    out = {}
    for locale in (ZH, EN):
        with use_locale(locale):
            out[locale] = app.openapi()
    return out


def _op_key(op: dict) -> str:
    """The catalog key of an operation: its short id's, else FastAPI's long id's (an entry
    written before the ids were shortened still counts)."""
    key = OP_KEY + op["operationId"]
    return (
        key
        if key in CATALOG or OP_KEY + long_id(op["operationId"]) not in CATALOG
        else (OP_KEY + long_id(op["operationId"]))
    )


def _missing(key: str, what: str) -> str | None:
    texts = CATALOG.get(key)
    if texts and all(text.strip() for text in texts):
        return None
    return f'{what}: add "{key}": ("<中文>", "<English>") to {CATALOG_FILE}'


def test_every_operation_has_a_chinese_and_an_english_description(schemas):
    ops = operations(schemas[ZH])
    assert len(ops) > 60
    missing = [_missing(_op_key(op), f"{method.upper()} {path}") for method, path, op in ops]
    assert [m for m in missing if m] == []
    for method, path, op in ops:
        zh, en = CATALOG[_op_key(op)]
        assert HAN.search(zh), f"{method.upper()} {path}: the Chinese text has no Chinese"
        assert schemas[ZH]["paths"][path][method]["description"].startswith(zh)
        assert schemas[EN]["paths"][path][method]["description"].startswith(en)


def test_every_tag_has_a_chinese_and_an_english_description(schemas):
    names = tag_names(schemas[ZH])
    assert len(names) >= 10
    missing = [_missing(TAG_KEY + name, f"tag {name!r}") for name in names]
    assert [m for m in missing if m] == []
    for locale, index in ((ZH, 0), (EN, 1)):
        documented = {tag["name"]: tag["description"] for tag in schemas[locale]["tags"]}
        assert documented == {name: CATALOG[TAG_KEY + name][index] for name in names}


def test_the_catalog_has_no_entry_for_an_operation_or_tag_that_is_gone(schemas):
    known = {_op_key(op) for _, _, op in operations(schemas[ZH])}
    known |= {TAG_KEY + name for name in tag_names(schemas[ZH])} | {INFO_KEY}
    known |= {  # descriptions by name: a parameter's or a field's that exists
        "openapi.param." + p["name"]
        for _, _, op in operations(schemas[ZH])
        for p in op.get("parameters", ())
    } | {
        "openapi.field." + name
        for component in schemas[ZH]["components"]["schemas"].values()
        for name in component.get("properties", {})
    }
    stale = sorted(k for k in CATALOG if k.startswith("openapi.") and k not in known)
    assert stale == [], f"remove from {CATALOG_FILE}"


def test_openapi_json_follows_accept_language(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        zh = client.get("/openapi.json")
        en = client.get("/openapi.json", headers={"Accept-Language": "en"})
    assert zh.status_code == en.status_code == 200
    assert "Accept-Language" in en.headers["vary"]
    op = "/api/v1/filings/validate"
    key = _op_key(zh.json()["paths"][op]["post"])
    assert zh.json()["paths"][op]["post"]["description"].startswith(CATALOG[key][0])
    assert en.json()["paths"][op]["post"]["description"].startswith(CATALOG[key][1])
    assert zh.json()["info"]["description"] == CATALOG[INFO_KEY][0]
    assert en.json()["info"]["description"] == CATALOG[INFO_KEY][1]
    # the route's docstring (the technical reference) stays after the catalog text
    assert "stores" in en.json()["paths"][op]["post"]["description"].split("\n\n", 1)[1]


@pytest.mark.parametrize("op_id", sorted(EXAMPLES))
def test_each_example_validates_against_its_documented_schema(schemas, op_id):
    schema = schemas[EN]
    found = [op for _, _, op in operations(schema) if op["operationId"] == op_id]
    assert found, f"{op_id}: no such operation (renamed?) — update EXAMPLES in app/openapi.py"
    media = found[0]["requestBody"]["content"]["application/json"]
    assert media["example"] == EXAMPLES[op_id]
    body_schema = {**media["schema"], "components": schema["components"]}
    jsonschema.validate(media["example"], body_schema, cls=jsonschema.Draft202012Validator)


def test_a_broken_example_is_refused_by_the_same_check(schemas):
    """The check above can fail: an example missing a required field does not validate."""
    op_id = "college_create"
    op = next(op for _, _, op in operations(schemas[EN]) if op["operationId"] == op_id)
    media = op["requestBody"]["content"]["application/json"]
    broken = {k: v for k, v in EXAMPLES[op_id].items() if k != "code"}
    body_schema = {**media["schema"], "components": schemas[EN]["components"]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, body_schema, cls=jsonschema.Draft202012Validator)


def test_the_validate_example_is_the_contract_body_and_the_service_accepts_it(app):
    """contract.md's body for POST /filings/validate, accepted by the request model too."""
    from app.filings.schemas import ValidateRequest

    example = EXAMPLES["filings_validate"]
    parsed = ValidateRequest.model_validate(example)
    assert parsed.entries[0].major_code == "0435"
    assert parsed.entries[0].length_years == "5"


def test_every_schema_has_its_own_short_name(schemas):
    """Two models of one name show up as ``app__filings__schemas__EntryPublic``: a client
    generated from the OpenAPI then gets module paths for class names."""
    names = list(schemas[ZH]["components"]["schemas"])
    qualified = [name for name in names if name.startswith("app__")]
    assert not qualified, f"rename one of each pair of same-named models: {qualified}"
    assert {"FilingEntryPublic", "ListEntryPublic"} <= set(names)
