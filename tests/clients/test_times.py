"""Finding 5 (times): every answer writes a moment one way — RFC 3339 in UTC ending ``Z`` — the
change feed's ``at`` and the ``data`` it carries (a published list's ``published_at`` was written
``+00:00``) as much as the JSON of the other answers."""

import re

from tests.changes.helpers import API

MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
RFC3339_Z = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def _moments(value, where: str):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _moments(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _moments(item, f"{where}[{index}]")
    elif isinstance(value, str) and MOMENT.match(value):
        yield where, value


def test_every_time_in_the_feed_and_the_answers_is_utc_with_z(seeded_client, admin_headers):
    client = seeded_client
    client.patch(
        f"{API}/programs/1", json={"status": "suspended", "reason": "更正"}, headers=admin_headers
    )
    bodies = {}
    cursor = 0
    while True:
        page = client.get(f"{API}/changes", params={"since": cursor, "limit": 500}).json()
        bodies[f"changes?since={cursor}"] = page
        if not page["next"]:
            break
        cursor = page["last_seq"]
    publication = client.get(f"{API}/publications", params={"limit": 1}).json()["items"][0]
    for path in (
        "/publications",
        f"/publications/{publication['id']}",
        "/colleges",
        "/programs/1",
        "/programs/1/history",  # its events' times (issue 24) go the same way
        "/rounds",
        "/filings",
        "/webhooks",
        "/audit",
        "/tokens",
        "/me",
    ):
        answer = client.get(f"{API}{path}", headers=admin_headers)
        assert answer.status_code == 200, path
        bodies[path] = answer.json()
    found = [m for where, body in bodies.items() for m in _moments(body, where)]
    assert len(found) > 100  # the feed's items at least
    wrong = [(where, value) for where, value in found if not RFC3339_Z.fullmatch(value)]
    assert wrong == []
    published = [value for where, value in found if where.endswith(".data.published_at")]
    assert published  # the lists' own time went through the check


def test_a_rounds_answers_its_audit_and_its_refusals_write_times_with_z(
    seeded_client, admin_headers
):
    """Issue 25: a round's own fields were ``…Z`` but its audit summary and the detail of a
    refused window ``+00:00``; ``*_local`` stay the bureau's wall-clock words (``24:00``)."""
    client = seeded_client
    made = client.post(
        f"{API}/rounds",
        headers=admin_headers,
        json={
            "year": 2033,
            "title": "2033",
            "opens_at": "2033-01-01",
            "closes_at": "2033-03-31",
            "authority": "GZ-HRSS",
        },
    )
    assert made.status_code == 201, made.text
    url = f"{API}/rounds/{made.json()['id']}"
    edited = client.patch(
        url, headers=admin_headers, json={"closes_at": "2033-04-15T18:00", "reason": "延期"}
    )
    assert edited.status_code == 200, edited.text
    refused = client.patch(url, headers=admin_headers, json={"closes_at": "2032-01-01"})
    assert refused.status_code in (409, 422), refused.text
    audit = client.get(
        f"{API}/audit",
        headers=admin_headers,
        params={"target_type": "filing_round", "target_id": str(made.json()["id"])},
    )
    bodies = {"round": edited.json(), "refused": refused.json(), "audit": audit.json()}
    found = [m for where, body in bodies.items() for m in _moments(body, where)]
    assert any(where.startswith("audit") for where, _ in found)
    assert any(where.startswith("refused") for where, _ in found)
    wrong = [(where, value) for where, value in found if not RFC3339_Z.fullmatch(value)]
    assert wrong == []
    assert edited.json()["closes_at"] == "2033-04-15T10:00:00Z"
    assert edited.json()["closes_at_local"] == "2033-04-15 18:00"
