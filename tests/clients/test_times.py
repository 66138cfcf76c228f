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
