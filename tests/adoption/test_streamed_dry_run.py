"""The dry run of ``POST …/adoption`` is computed in chunks while it streams
(app/adoption/answer.py): byte for byte the JSON of the whole plan as the route answered it
before, at any chunk size, with and without decisions (decided programs move and collide), with
``keep_until``, after an apply; its refusals (404, 409, 422) are those of the whole plan, before
the answer starts."""

import pytest
from sqlalchemy import update
from sqlmodel import Session

from app.adoption import decisions, stream
from app.adoption.schemas import AdoptionRequest
from app.catalog.models import CatalogEdition
from app.db import session_scope
from tests.adoption import plan_reference
from tests.adoption.helpers import ADOPTION, DECISIONS, NEW, OLD, UNMAPPED, plan_json
from tests.core.helpers import ADMIN


def _whole(engine, body: dict) -> bytes:
    """The whole plan of ``body``, in memory, serialized as the route used to answer it."""
    request = AdoptionRequest.model_validate(body)
    with Session(engine) as session:
        plan = plan_reference.adopt(
            session,
            NEW,
            from_key=request.from_edition,
            decisions=decisions.from_json(request.decisions),
            apply=False,
            actor=ADMIN,
            keep_until=request.keep_until,
        )
    return plan_json(plan)


@pytest.mark.parametrize("chunk", [1, 3, 2000])
def test_the_streamed_dry_run_is_the_whole_plans_json_at_any_chunk_size(
    seeded_client, seeded, admin_headers, decided, monkeypatch, chunk
):
    monkeypatch.setattr(stream, "BATCH_ROWS", chunk)
    bodies = [
        {"from": OLD},
        {"from": OLD, "keep_until": "2099-08-31"},
        {"from": OLD, "decisions": DECISIONS[1:]},
        {"from": OLD, "decisions": [{**d, "new_code": ""} for d in decided]},  # decide nothing
        {"from": OLD, "decisions": decided, "keep_until": "2099-08-31"},
    ]
    for body in bodies:
        whole = _whole(seeded, body)
        response = seeded_client.post(ADOPTION, json=body, headers=admin_headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        assert response.content == whole, body

    # what the last one covers: decided moves (a split's, an unmapped code's), decided programs
    # retired by collisions, one of them beside a crosswalk's move and a program already there
    plan = response.json()
    assert [m["old_code"] for m in plan["moved"] if m["decided"]] == ["0314"]
    assert plan["needs_decision"] == []
    assert {(w["becomes"], w["until"]) for w in plan["withdrawn"]} == {("active", "2099-08-31")}
    retired = {
        (c["new_code"], tuple(sorted(r["old_code"] for r in c["retire"])))
        for c in plan["collisions"]
    }
    assert retired == {("0515", ("0528",)), ("0321", ("0314",)), ("0611", ("0610", UNMAPPED))}
    assert len(plan["collisions"]) == 4  # 0515 twice, in two offerings
    first = seeded_client.post(ADOPTION, json=bodies[0], headers=admin_headers).json()
    assert [n["relation"] for n in first["needs_decision"]] == ["split", "split", "unmapped"]


def test_after_applying_the_dry_run_streams_alike(seeded_client, seeded, admin_headers, decided):
    """Applied with kept programs: the old edition is superseded (``superseded_on``), the kept
    programs are left alone until their day, the decisions given again are ignored."""
    body = {"from": OLD, "apply": True, "decisions": decided, "keep_until": "2099-08-31"}
    assert seeded_client.post(ADOPTION, json=body, headers=admin_headers).status_code == 200
    for again in ({"from": OLD}, {**body, "apply": False}):
        response = seeded_client.post(ADOPTION, json=again, headers=admin_headers)
        assert response.status_code == 200
        assert response.content == _whole(seeded, again)
        assert response.json()["superseded_on"] is not None


def test_bad_decisions_are_refused_before_the_answer_starts_as_the_whole_plan_does(
    seeded_client, admin_headers, decided
):
    """The decisions are checked over the few programs they name (``stream._named``): the
    errors are those of the check over every program (the apply's, which holds the plan whole)."""
    bad = [
        decided[2],
        {**decided[1], "new_code": "0127"},  # in the new edition, not a successor of 0314
        {**decided[1], "college_code": "4401J099"},
        {**decided[1], "old_code": "0315"},
        {**decided[1], "level": "技师"},
        {**decided[1], "intake": "中技起点"},
        {**decided[2], "level": ""},
        {**decided[2], "new_code": "9999"},
        {**decided[0], "old_code": "0307", "new_code": "0127"},  # withdrawn
        {**decided[2]},  # a duplicate
        {**decided[0], "new_code": "321"},
    ]
    for language in ("zh", "en"):
        headers = {**admin_headers, "Accept-Language": language}
        dry = seeded_client.post(ADOPTION, json={"from": OLD, "decisions": bad}, headers=headers)
        applying = seeded_client.post(
            ADOPTION, json={"from": OLD, "decisions": bad, "apply": True}, headers=headers
        )
        assert dry.status_code == applying.status_code == 422
        assert dry.json() == applying.json()
    codes = {(e["row"], e["column"], e["code"]) for e in dry.json()["detail"]["errors"]}
    assert {(3, "college_code"), (4, "old_code"), (5, "level"), (6, "intake")} <= {
        (row, column) for row, column, code in codes if code == "adoption.unknown_program"
    }


def test_the_editions_are_checked_before_the_answer_starts(
    seeded_client, seeded, admin_headers, new_edition
):
    for body, status in (
        ({"from": "technician-1999"}, 404),
        ({"from": NEW}, 422),
        ({"from": OLD, "decisions": [{"old_code": "0314"}]}, 422),
    ):
        response = seeded_client.post(ADOPTION, json=body, headers=admin_headers)
        assert response.status_code == status, body
        whole = seeded_client.post(ADOPTION, json={**body, "apply": True}, headers=admin_headers)
        assert response.json() == whole.json()
    with session_scope(seeded) as session:
        session.execute(
            update(CatalogEdition)
            .where(CatalogEdition.key == OLD)  # type: ignore[arg-type]
            .values(superseded_by="technician-2030")
        )
    response = seeded_client.post(ADOPTION, json={"from": OLD}, headers=admin_headers)
    assert response.status_code == 409
    assert response.json()["error"] == "edition_superseded"
