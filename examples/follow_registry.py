"""Keep an exact copy of the registry's programs: one full copy, then the change feed.

    python examples/follow_registry.py http://127.0.0.1:8000 copy.json [--once] [--csv out.csv]

The first run reads ``GET /api/v1/changes/head``, copies ``GET /api/v1/programs`` page by page
(each item has its id), and stores the copy with that seq. Every later run (or every poll, without
``--once``) asks ``GET /api/v1/changes?since=<seq>&entity=program`` and applies each item: the
item's ``data`` is the program's state after the change, so an upsert by ``key`` is enough.
The state file is written atomically after each page, so an interrupted run resumes safely
(applying an item twice changes nothing). ``--csv`` writes the copy in the ``programs.csv``
layout (without the BOM), which equals ``GET /api/v1/programs.csv?bom=false`` byte for byte.
Needs only httpx.
"""

import argparse
import csv
import json
import os
import time
from pathlib import Path

import httpx

FIELDS = (
    "college_code", "college", "major_code", "major_name", "category",
    "intake", "level", "length_years", "status", "since_year",
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # the registry's CSV formula guard


def load(path: Path) -> dict | None:
    return json.loads(path.read_text("utf-8")) if path.exists() else None


def save(path: Path, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False), "utf-8")
    os.replace(tmp, path)


def full_copy(client: httpx.Client) -> dict:
    """The head first, then every page: a change made while copying is applied again later."""
    seq = client.get("/api/v1/changes/head").raise_for_status().json()["last_seq"]
    programs, cursor = {}, None
    while True:
        params = {"limit": 500, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/programs", params=params).raise_for_status().json()
        for item in page["items"]:
            programs[str(item["id"])] = {"id": item["id"], **{f: item[f] for f in FIELDS}}
        if not (cursor := page["next"]):
            return {"seq": seq, "programs": programs}


def follow(client: httpx.Client, state: dict, path: Path) -> int:
    """Applies every change after ``state["seq"]``; returns how many items it applied."""
    applied = 0
    while True:
        params = {"since": state["seq"], "entity": "program", "limit": 500}
        page = client.get("/api/v1/changes", params=params).raise_for_status().json()
        for item in page["items"]:
            if item["op"] == "deleted":
                state["programs"].pop(item["key"], None)
            else:
                state["programs"][item["key"]] = item["data"]
        applied += len(page["items"])
        state["seq"] = page["last_seq"]
        save(path, state)
        if page["next"] is None:
            return applied


def write_csv(state: dict, out: Path) -> None:
    def cell(value):
        value = "" if value is None else value
        return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value

    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(FIELDS)
        for program in sorted(state["programs"].values(), key=lambda p: p["id"]):
            writer.writerow([cell(program[f]) for f in FIELDS])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("registry", help="e.g. http://127.0.0.1:8000")
    parser.add_argument("state", type=Path, help="the copy (JSON), created on the first run")
    parser.add_argument("--once", action="store_true", help="catch up once, then exit")
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between polls")
    parser.add_argument("--csv", type=Path, help="also write the copy as programs.csv")
    args = parser.parse_args()
    with httpx.Client(base_url=args.registry, timeout=60) as client:
        state = load(args.state)
        if state is None:
            state = full_copy(client)
            save(args.state, state)
            print(f"copied {len(state['programs'])} programs at seq {state['seq']}")
        while True:
            applied = follow(client, state, args.state)
            print(f"applied {applied} changes; at seq {state['seq']}", flush=True)
            if args.csv:
                write_csv(state, args.csv)
            if args.once:
                return
            time.sleep(args.interval)


if __name__ == "__main__":
    main()
