"""Keep an exact copy of the registry: programs, colleges, majors (and catalog editions) and
published lists — one full copy, then the change feed.

    python examples/follow_registry.py http://127.0.0.1:8000 copy.json [--once] [--csv out.csv]

The first run reads ``GET /api/v1/changes/head``, copies the lists (``/programs``, ``/colleges``,
``/catalogs`` and each edition's ``/majors``, ``/publications``) page by page, keyed as the feed
keys them (a program by id, a college by code, a major ``<edition>/<code>``, an edition by its key,
a list by id), and stores the copy with that seq. Every later run (or every poll, without
``--once``) asks ``GET /api/v1/changes?since=<seq>`` and applies each item: its ``data`` is the
entity's state after the change, so an upsert by ``entity`` + ``key`` is enough (``deleted``
removes it). The state file is written atomically after each page, so an interrupted run resumes
safely (applying an item twice changes nothing).

It survives the registry going away: a connection error, a timeout, a 5xx or a 429 is retried
with exponential backoff and jitter (1 s doubling up to ``--max-wait``, or the ``Retry-After`` the
server sent), forever while following, so a restart of the registry is a pause, not a traceback.
Each poll sends ``If-None-Match`` with the ETag of the previous answer to the same request: while
nothing changed the registry answers ``304`` with no body.

``--csv`` writes the programs in the ``programs.csv`` layout (without the BOM), which equals
``GET /api/v1/programs.csv?bom=false`` byte for byte. Needs only httpx.
"""

import argparse
import csv
import json
import os
import random
import sys
import time
from pathlib import Path

import httpx

FIELDS = (
    "college_code", "college", "major_code", "major_name", "category",
    "intake", "level", "length_years", "status", "since_year",
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # the registry's CSV formula guard
ENTITIES = ("program", "college", "major", "publication")
RETRIED = (httpx.TransportError,)  # connect errors, timeouts, a connection dropped midway


class Registry:
    """GETs with retries and backoff, and ``If-None-Match`` for the requests it has seen."""

    def __init__(self, client: httpx.Client, *, max_wait: float = 60.0, tries: int | None = None):
        self.client = client
        self.max_wait = max_wait
        self.tries = tries  # None: forever
        self.etags: dict[str, tuple[str, object]] = {}  # request -> (ETag, body)
        self.not_modified = 0

    def get(self, path: str, params: dict | None = None, *, conditional: bool = False) -> object:
        request = self.client.build_request("GET", path, params=params or {})
        key = str(request.url)
        attempt = 0
        while True:
            attempt += 1
            cached = self.etags.get(key) if conditional else None
            if cached:
                request.headers["If-None-Match"] = cached[0]
            wait = None
            try:
                response = self.client.send(request)
            except RETRIED as exc:
                wait, why = None, f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code == 304 and cached:
                    self.not_modified += 1
                    return cached[1]
                if response.status_code < 500 and response.status_code != 429:
                    response.raise_for_status()
                    body = response.json()
                    if conditional and response.headers.get("etag"):
                        self.etags[key] = (response.headers["etag"], body)
                    return body
                why = f"HTTP {response.status_code}"
                retry_after = response.headers.get("retry-after", "")
                wait = float(retry_after) if retry_after.isdigit() else None
            if self.tries is not None and attempt >= self.tries:
                raise SystemExit(f"giving up after {attempt} tries: {why}")
            if wait is None:
                wait = min(self.max_wait, 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
            print(f"registry unreachable ({why}); retrying in {wait:.1f} s", file=sys.stderr)
            time.sleep(wait)


def load(path: Path) -> dict | None:
    return json.loads(path.read_text("utf-8")) if path.exists() else None


def save(path: Path, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False), "utf-8")
    os.replace(tmp, path)


def pages(registry: Registry, path: str, params: dict | None = None):
    cursor = None
    while True:
        query = {"limit": 500, **(params or {}), **({"cursor": cursor} if cursor else {})}
        page = registry.get(path, query)
        yield from page["items"]
        if not (cursor := page["next"]):
            return


def full_copy(registry: Registry) -> dict:
    """The head first, then every list: a change made while copying is applied again later."""
    seq = registry.get("/api/v1/changes/head")["last_seq"]
    copy: dict[str, dict] = {entity: {} for entity in ENTITIES}
    for item in pages(registry, "/api/v1/programs"):
        copy["program"][str(item["id"])] = {"id": item["id"], **{f: item[f] for f in FIELDS}}
    for item in pages(registry, "/api/v1/colleges"):
        copy["college"][item["code"]] = item
    for edition in pages(registry, "/api/v1/catalogs"):
        copy["major"][edition["key"]] = edition
        for major in pages(registry, f"/api/v1/catalogs/{edition['key']}/majors"):
            copy["major"][f"{edition['key']}/{major['code']}"] = {
                "edition": edition["key"],
                **major,
            }
    for item in pages(registry, "/api/v1/publications"):
        if item.get("status", "published") == "published":
            copy["publication"][str(item["id"])] = item
    return {"seq": seq, **copy}


def follow(registry: Registry, state: dict, path: Path) -> int:
    """Applies every change after ``state["seq"]``; returns how many items it applied."""
    applied = 0
    while True:
        params = {"since": state["seq"], "limit": 500}
        page = registry.get("/api/v1/changes", params, conditional=True)
        for item in page["items"]:
            entities = state.setdefault(item["entity"], {})
            if item["op"] == "deleted":
                entities.pop(item["key"], None)
            else:
                entities[item["key"]] = item["data"]
        applied += len(page["items"])
        if page["items"] or page["last_seq"] != state["seq"]:
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
        for program in sorted(state["program"].values(), key=lambda p: p["id"]):
            writer.writerow([cell(program[f]) for f in FIELDS])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("registry", help="e.g. http://127.0.0.1:8000")
    parser.add_argument("state", type=Path, help="the copy (JSON), created on the first run")
    parser.add_argument("--once", action="store_true", help="catch up once, then exit")
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between polls")
    parser.add_argument("--max-wait", type=float, default=60.0, help="longest pause between tries")
    parser.add_argument("--tries", type=int, help="give up after so many tries (default: never)")
    parser.add_argument("--csv", type=Path, help="also write the programs as programs.csv")
    args = parser.parse_args()
    with httpx.Client(base_url=args.registry, timeout=60) as client:
        registry = Registry(client, max_wait=args.max_wait, tries=args.tries)
        state = load(args.state)
        if state is None:
            state = full_copy(registry)
            save(args.state, state)
            counts = ", ".join(f"{len(state[e])} {e}s" for e in ENTITIES)
            print(f"copied {counts} at seq {state['seq']}", flush=True)
        while True:
            applied = follow(registry, state, args.state)
            print(
                f"applied {applied} changes; at seq {state['seq']}; "
                f"{registry.not_modified} unchanged (304)",
                flush=True,
            )
            if args.csv:
                write_csv(state, args.csv)
            if args.once:
                return
            time.sleep(args.interval)


if __name__ == "__main__":
    main()
