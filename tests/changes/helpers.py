"""Helpers of the change-feed tests: replaying ``/changes`` into a copy of the registry."""

import csv
import io

from app.spreadsheets import writing

API = "/api/v1"
CSV_FIELDS = (
    "college_code",
    "college",
    "major_code",
    "major_name",
    "category",
    "intake",
    "level",
    "length_years",
    "status",
    "since_year",
)


def read_feed(client, *, since: int = 0, limit: int = 50, entity: str | None = None):
    """Every item after ``since`` and the seq to continue from, following ``since=last_seq``."""
    items = []
    while True:
        params = {"since": since, "limit": limit, **({"entity": entity} if entity else {})}
        page = client.get(f"{API}/changes", params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        items.extend(body["items"])
        since = body["last_seq"]
        if body["next"] is None:
            return items, since


def apply(copy: dict[str, dict[str, dict]], items: list[dict]) -> None:
    """What a downstream system does: upsert the state after each change, drop deletions."""
    for item in items:
        table = copy.setdefault(item["entity"], {})
        if item["op"] == "deleted":
            table.pop(item["key"], None)
        else:
            table[item["key"]] = item["data"]


def programs_csv(programs: dict[str, dict]) -> bytes:
    """The copy's programs written as ``GET /programs.csv`` writes them (program-id order)."""
    rows = [
        tuple("" if p[f] is None else p[f] for f in CSV_FIELDS)
        for p in sorted(programs.values(), key=lambda p: p["id"])
    ]
    return writing.csv_text(CSV_FIELDS, rows)


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
