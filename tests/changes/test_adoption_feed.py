"""Catalog adoption (app/adoption) moves, suspends and retires programs with Core UPDATEs and
supersedes the old edition: the feed carries each of those changes, and a copy replayed from
the feed still matches programs.csv byte for byte."""

from tests.adoption.conftest import new_edition as new_edition  # noqa: F401  (fixture)
from tests.adoption.helpers import ADOPTION, DECISIONS, OLD
from tests.changes.helpers import API, apply, programs_csv, read_feed


def test_applying_an_adoption_records_every_program_and_the_superseded_edition(
    seeded_client,
    admin_headers,
    new_edition,  # noqa: F811
):
    _, before = read_feed(seeded_client, limit=500)
    body = {"from": OLD, "apply": True, "decisions": DECISIONS}
    response = seeded_client.post(ADOPTION, json=body, headers=admin_headers)
    assert response.status_code == 200, response.text
    plan = response.json()
    items, _ = read_feed(seeded_client, since=before, limit=500)
    programs = {i["key"] for i in items if i["entity"] == "program"}
    changed = {str(m["program_id"]) for m in plan["moved"]} | {
        str(w["program_id"]) for w in plan["withdrawn"]
    }
    assert changed
    assert changed <= programs
    old = [i for i in items if i["entity"] == "major" and i["key"] == OLD]
    assert old
    assert old[-1]["data"]["status"] == "superseded"
    assert any(i["key"] == "gd-specialty/8172" for i in items)  # absorbed: withdrawn there

    everything, _ = read_feed(seeded_client, limit=500)
    copy: dict = {}
    apply(copy, everything)
    assert programs_csv(copy["program"]) == seeded_client.get(f"{API}/programs.csv").content
