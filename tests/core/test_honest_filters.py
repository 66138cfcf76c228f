"""Issue 23, item 9: honest filters. Every public ``GET /api/v1`` list and export refuses a query
parameter it does not know (422 ``unknown_parameter`` naming it) and keeps the ones it declares;
``GET /api/v1/programs`` and its exports filter by ``system=``, ``authority=`` and the planners'
Chinese ``status=`` labels (contract.md "Source of truth")."""

import csv
import io
import re

import pytest
from sqlalchemy import text

from app.vocab import ProgramStatus

UNKNOWN = "colour"


def _get_routes(app) -> list[tuple[str, list[str]]]:
    """Every GET path of ``/api/v1`` in the OpenAPI schema and its query parameters."""
    found = []
    for path, operations in app.openapi()["paths"].items():
        operation = operations.get("get")
        if operation is None or not path.startswith("/api/v1/"):
            continue
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        found.append((path, names))
    return sorted(found)


def _concrete(path: str) -> str:
    """A path with each ``{param}`` filled: ids with 1, codes and keys with a plain word."""
    return re.sub(r"\{([^}]+)\}", lambda m: "1" if m.group(1).endswith("id") else "x", path)


def test_every_get_route_of_the_api_refuses_an_unknown_parameter(seeded_client, app):
    routes = _get_routes(app)
    assert len(routes) > 40  # the walk reaches the whole API, exports included
    assert "/api/v1/programs.csv" in dict(routes)
    assert "/api/v1/programs" in dict(routes)
    for path, _ in routes:
        url = _concrete(path)
        zh = seeded_client.get(url, params={UNKNOWN: "1"})
        assert zh.status_code == 422, (path, zh.status_code, zh.text[:200])
        assert zh.json()["error"] == "unknown_parameter", path
        detail = zh.json()["detail"]
        assert detail["parameter"] == UNKNOWN
        assert UNKNOWN in detail["message"]
        assert "不支持查询参数" in detail["message"]
        en = seeded_client.get(url, params={UNKNOWN: "1"}, headers={"Accept-Language": "en"})
        assert en.json()["detail"]["message"].startswith("unknown query parameter"), path


def test_every_declared_parameter_is_still_accepted(seeded_client, app):
    for path, names in _get_routes(app):
        for name in names:
            response = seeded_client.get(_concrete(path), params={name: "1"})
            assert response.status_code != 500, (path, name)
            if response.status_code == 422:
                assert response.json()["error"] != "unknown_parameter", (path, name)


def test_programs_page_and_exports_keep_their_own_parameters(seeded_client):
    first = seeded_client.get("/api/v1/programs", params={"limit": 2})
    assert first.status_code == 200
    assert len(first.json()["items"]) == 2
    following = seeded_client.get(
        "/api/v1/programs", params={"limit": 2, "cursor": first.json()["next"]}
    )
    assert following.status_code == 200
    assert following.json()["items"][0]["id"] > first.json()["items"][-1]["id"]
    # the fast path (answered before the router once a first page went through) refuses too
    for _ in range(2):
        refused = seeded_client.get("/api/v1/programs", params={"limit": 2, UNKNOWN: "x"})
        assert refused.status_code == 422
        assert refused.json()["error"] == "unknown_parameter"
    plain = seeded_client.get("/api/v1/programs.csv", params={"bom": "false", "layout": "zh"})
    assert plain.status_code == 200
    assert plain.content.startswith("学校代码".encode())
    assert seeded_client.get("/api/v1/programs.xlsx", params={"layout": "zh"}).status_code == 200
    for export in ("/api/v1/programs.csv", "/api/v1/programs.xlsx"):
        refused = seeded_client.get(export, params={"sytem": "technician"})  # a typo
        assert refused.status_code == 422
        assert refused.json()["detail"]["parameter"] == "sytem"
        assert "system" in refused.json()["detail"]["allowed"]


def _csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _college_types(engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT code, type FROM college")).all())


def test_a_hrss_planners_technician_export_holds_no_secondary_school(seeded_client, seeded):
    types = _college_types(seeded)
    everything = _csv_rows(seeded_client.get("/api/v1/programs.csv"))
    assert {types[r["college_code"]] for r in everything} >= {"中等职业学校", "技师学院"}

    technician = _csv_rows(seeded_client.get("/api/v1/programs.csv?system=technician"))
    secondary = _csv_rows(seeded_client.get("/api/v1/programs.csv?system=secondary"))
    assert technician
    assert "中等职业学校" not in {types[r["college_code"]] for r in technician}
    assert secondary
    assert {types[r["college_code"]] for r in secondary} == {"中等职业学校"}
    assert len(technician) + len(secondary) == len(everything)

    zh = _csv_rows(seeded_client.get("/api/v1/programs.csv?system=technician&layout=zh"))
    assert len(zh) == len(technician)
    page = seeded_client.get("/api/v1/programs", params={"system": "secondary", "limit": 500})
    assert [p["college_code"] for p in page.json()["items"]] == [
        r["college_code"] for r in secondary
    ]
    assert seeded_client.get("/api/v1/programs?system=技工").status_code == 422


def test_authority_filter_walks_the_tree_down(seeded_client, seeded):
    types = _college_types(seeded)
    city = _csv_rows(seeded_client.get("/api/v1/programs.csv?authority=GZ-HRSS"))
    province = _csv_rows(seeded_client.get("/api/v1/programs.csv?authority=GD-HRSS"))
    edu = _csv_rows(seeded_client.get("/api/v1/programs.csv?authority=GZ-EDU"))
    technician = _csv_rows(seeded_client.get("/api/v1/programs.csv?system=technician"))
    assert city
    assert city == province == technician
    assert edu
    assert {types[r["college_code"]] for r in edu} == {"中等职业学校"}
    assert _csv_rows(seeded_client.get("/api/v1/programs.csv?authority=NOPE")) == []
    both = seeded_client.get(
        "/api/v1/programs", params={"authority": "GD-EDU", "system": "technician"}
    )
    assert both.status_code == 200
    assert both.json()["items"] == []
    xlsx = seeded_client.get("/api/v1/programs.xlsx?authority=GZ-EDU")
    assert xlsx.status_code == 200
    page = seeded_client.get("/api/v1/programs", params={"authority": "GZ-EDU", "limit": 500})
    assert len(page.json()["items"]) == len(edu)


def _set_status(engine, status: str, count: int) -> list[int]:
    with engine.begin() as conn:
        ids = [
            row[0]
            for row in conn.execute(
                text("SELECT id FROM program WHERE status = 'active' ORDER BY id DESC")
            ).all()[:count]
        ]
        for program_id in ids:
            conn.execute(
                text("UPDATE program SET status = :s WHERE id = :id"),
                {"s": status, "id": program_id},
            )
    return sorted(ids)


@pytest.mark.parametrize(
    ("label", "status"), [("在办", "active"), ("停招", "suspended"), ("撤销", "withdrawn")]
)
def test_status_takes_the_planners_labels(seeded_client, seeded, label, status):
    suspended = _set_status(seeded, "suspended", 2)
    withdrawn = _set_status(seeded, "withdrawn", 1)
    english = seeded_client.get("/api/v1/programs", params={"status": status, "limit": 500})
    chinese = seeded_client.get("/api/v1/programs", params={"status": label, "limit": 500})
    assert chinese.status_code == 200, chinese.text
    assert chinese.json() == english.json()
    assert chinese.json()["items"]
    if status != "active":
        expected = suspended if status == "suspended" else withdrawn
        assert [p["id"] for p in chinese.json()["items"]] == expected
    rows = _csv_rows(seeded_client.get("/api/v1/programs.csv", params={"status": label}))
    assert {r["status"] for r in rows} == {status}
    zh = _csv_rows(
        seeded_client.get("/api/v1/programs.csv", params={"status": label, "layout": "zh"})
    )
    assert {r["状态"] for r in zh} == {label}
    assert len(zh) == len(rows)
    assert seeded_client.get("/api/v1/programs?status=在校").status_code == 422


@pytest.mark.skipif(
    "approved" not in {s.value for s in ProgramStatus},
    reason="the status `approved` comes with the approval-then-effect change of issue 23",
)
def test_status_label_for_approved_waiting_programs(seeded_client, seeded):
    approved = _set_status(seeded, "approved", 2)
    page = seeded_client.get("/api/v1/programs", params={"status": "批准待公布"})
    assert page.status_code == 200, page.text
    assert [p["id"] for p in page.json()["items"]] == approved
    same = seeded_client.get("/api/v1/programs", params={"status": "approved"}).json()
    assert same == page.json()
    rows = _csv_rows(seeded_client.get("/api/v1/programs.csv", params={"status": "批准待公布"}))
    assert len(rows) == 2
    assert {r["status"] for r in rows} == {"approved"}
