"""Major search: code prefix, Chinese substring, full pinyin, pinyin initials, near-misses.

A few thousand majors fit in memory, so each process keeps an index of them and answers from
it; a one-row signature query (majors' max id, editions' count and revision counters) tells it when
the catalog changed — also when another process or worker wrote it — and it rebuilds.

Ranking: exact code or name, then code/name prefix, name substring, pinyin, initials; last the
near-misses, which are offered with ``match: "near"`` and never substituted for an exact hit
(8191 网络营销与直播技术 is not 8197 网络营销与直播电商). Withdrawn majors sort after the rest.
"""

import json
import threading
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col

from app.catalog.models import CatalogEdition, Category, Major
from app.catalog.schemas import SearchHit
from app.pagination import decode_after, encode_cursor
from app.text import normalize_name
from app.vocab import MajorStatus

NEAR_CUTOFF = 70.0  # rapidfuzz ratio (0-100) below which a name is not offered as a near-miss
NEAR_LIMIT = 10
# rank of each kind of match; lower ranks first
RANKS = {"exact": 0, "code": 1, "prefix": 1, "name": 2, "pinyin": 3, "initials": 4, "near": 5}


@dataclass(frozen=True, slots=True)
class Entry:
    edition: str
    system: str
    province: str | None
    code: str
    name: str
    norm: str
    pinyin: str
    initials: str
    category: str
    category_code: str | None
    class_name: str | None
    levels: str | None
    status: str
    added_year: int | None

    def hit(self, match: str, score: float) -> dict[str, Any]:
        """The SearchHit fields as plain values (the route serialises them without a model)."""
        return {
            "edition": self.edition,
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "category_code": self.category_code,
            "class_name": self.class_name,
            "levels": self.levels.split("|") if self.levels else None,
            "status": self.status,
            "added_year": self.added_year,
            "match": "name" if match == "prefix" else match,
            "score": round(score, 1),
        }


class _Index:
    """Entries plus one newline-joined text per searchable field, so a query scans each field
    with C-speed ``str.find`` and only the entries it hits are scored in Python."""

    def __init__(self, signature: tuple[Any, ...], entries: list[Entry]) -> None:
        self.signature = signature
        self.entries = entries
        self.blobs: dict[str, str] = {}
        self.starts: dict[str, list[int]] = {}
        for field in ("code", "norm", "pinyin", "initials"):
            values = [getattr(e, field) for e in entries]
            self.blobs[field] = "\n" + "\n".join(values) + "\n"
            starts, offset = [], 1
            for value in values:
                starts.append(offset)
                offset += len(value) + 1
            self.starts[field] = starts
        self.choices = {"norm": [e.norm for e in entries], "pinyin": [e.pinyin for e in entries]}

    def containing(self, field: str, q: str, *, prefix: bool = False) -> set[int]:
        """Indexes of entries whose ``field`` contains ``q`` (or starts with it)."""
        blob, starts, out = self.blobs[field], self.starts[field], set()
        needle = "\n" + q if prefix else q
        shift = 1 if prefix else 0
        at = blob.find(needle)
        while at != -1:
            out.add(bisect_right(starts, at + shift) - 1)
            at = blob.find(needle, at + 1)
        return out


_indexes: dict[str, _Index] = {}
_lock = threading.Lock()


# Plain SQL through the driver: this runs on every search, so it skips statement compilation.
# max(id) is read from the primary key; count(*) of major would scan it (majors are never
# deleted, and every service write bumps a revision anyway).
SIGNATURE_SQL = (
    "SELECT (SELECT max(id) FROM major), (SELECT count(*) FROM catalog_edition),"
    " (SELECT sum(revision) FROM catalog_edition)"
)


def _connection(bind: Session | Connection) -> Connection:
    return bind.connection() if isinstance(bind, Session) else bind


def signature(bind: Session | Connection) -> tuple[Any, ...]:
    """One cheap row: editions' count and revisions (every write to majors bumps one), plus
    the majors' max id for rows inserted around the services."""
    return tuple(_connection(bind).exec_driver_sql(SIGNATURE_SQL).one())


def _load(conn: Connection) -> list[Entry]:
    query = (
        select(
            col(CatalogEdition.key),
            col(CatalogEdition.system),
            col(CatalogEdition.province),
            col(Major.code),
            col(Major.name),
            col(Major.name_norm),
            col(Major.pinyin),
            col(Major.initials),
            col(Category.name),
            col(Category.code),
            col(Major.class_name),
            col(Major.levels),
            col(Major.status),
            col(Major.added_year),
        )
        .join(CatalogEdition, col(CatalogEdition.id) == Major.edition_id)
        .join(Category, col(Category.id) == Major.category_id)
        .order_by(col(CatalogEdition.key), col(Major.code))
    )
    rows: Any = conn.execute(query)  # 14 columns: past the typed overloads of select()
    return [Entry(*row) for row in rows]


def index(bind: Session | Connection) -> _Index:
    """This database's index, rebuilt when its signature changed."""
    conn = _connection(bind)
    key = conn.engine.url.render_as_string(hide_password=True)
    current = signature(conn)
    cached = _indexes.get(key)
    if cached is None or cached.signature != current:
        with _lock:
            cached = _Index(current, _load(conn))
            _indexes[key] = cached
    return cached


def _candidates(idx: _Index, q: str) -> set[int]:
    if q.isdigit():
        return idx.containing("code", q, prefix=True)
    found = idx.containing("norm", q)
    if q.isascii() and q.isalnum():
        # One letter is inside nearly every pinyin; as the first key typed it means "starts with".
        anywhere = len(q) > 1
        found |= idx.containing("pinyin", q, prefix=not anywhere)
        found |= idx.containing("initials", q, prefix=not anywhere)
    return found


def _match(entry: Entry, q: str) -> tuple[str, float] | None:
    """The best way ``entry`` matches the normalised query, with a 0-100 score."""
    if q == entry.code or q == entry.norm:
        return "exact", 100.0
    if q.isdigit():
        return ("code", 100.0 * len(q) / len(entry.code)) if entry.code.startswith(q) else None
    if entry.norm.startswith(q):
        return "prefix", 100.0 * len(q) / len(entry.norm)
    if q in entry.norm:
        return "name", 100.0 * len(q) / len(entry.norm)
    if q.isascii() and q.isalnum():
        if q in entry.pinyin:
            bonus = 10.0 if entry.pinyin.startswith(q) else 0.0
            return "pinyin", min(100.0, bonus + 90.0 * len(q) / len(entry.pinyin))
        if q in entry.initials:
            bonus = 10.0 if entry.initials.startswith(q) else 0.0
            return "initials", min(100.0, bonus + 90.0 * len(q) / len(entry.initials))
    return None


def _near(idx: _Index, matched: set[int], q: str) -> list[tuple[int, float]]:
    """Similar names (or pinyin for a Latin query) that did not match: offered, not used."""
    if len(q) < 2 or q.isdigit():
        return []
    choices = idx.choices["pinyin" if q.isascii() else "norm"]
    found = process.extract_iter(q, choices, scorer=fuzz.ratio, score_cutoff=NEAR_CUTOFF)
    best = sorted(
        ((i, score) for _, score, i in found if i not in matched), key=lambda pair: -pair[1]
    )
    return best[:NEAR_LIMIT]


def _keep(entry: Entry, edition: str | None, system: str | None, province: str | None) -> bool:
    return (
        (edition is None or entry.edition == edition)
        and (system is None or entry.system == system)
        and (province is None or entry.province in (None, province))
    )


def offset_of(cursor: str | None) -> int:
    """Search pages are windows of one ranking; the cursor carries the next window's start."""
    return decode_after(cursor, int) or 0


def search(
    bind: Session | Connection,
    q: str,
    *,
    edition: str | None = None,
    system: str | None = None,
    province: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> list[SearchHit]:
    """Matches ``offset`` to ``offset + limit`` (exclusive), best first."""
    return [
        SearchHit(**hit)
        for hit in ranked(
            bind, q, edition=edition, system=system, province=province, offset=offset, limit=limit
        )
    ]


def search_json(
    engine: Engine,
    q: str,
    *,
    edition: str | None,
    system: str | None,
    province: str | None,
    offset: int,
    limit: int,
) -> bytes:
    """``GET /majors`` as ``{"items", "next"}`` JSON, serialised once (no model per hit)."""
    with engine.connect() as conn:
        hits = ranked(
            conn,
            q,
            edition=edition,
            system=system,
            province=province,
            offset=offset,
            limit=limit + 1,
        )
    nxt = encode_cursor([offset + limit]) if len(hits) > limit else None
    return json.dumps(
        {"items": hits[:limit], "next": nxt}, ensure_ascii=False, separators=(",", ":")
    ).encode()


def ranked(
    bind: Session | Connection,
    q: str,
    *,
    edition: str | None = None,
    system: str | None = None,
    province: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Matches ``offset`` to ``offset + limit`` (exclusive), best first (see the module
    docstring for the order); hits are built only for that window."""
    query = normalize_name(q)
    if not query:
        return []
    idx = index(bind)
    ranked: list[tuple[tuple[bool, int, float], Entry, str, float]] = []
    hits = _candidates(idx, query)
    for i in hits:
        entry = idx.entries[i]
        found = _match(entry, query)
        if found and _keep(entry, edition, system, province):
            ranked.append(
                ((entry.status == MajorStatus.WITHDRAWN, RANKS[found[0]], -found[1]), entry, *found)
            )
    for i, score in _near(idx, hits, query):
        entry = idx.entries[i]
        if _keep(entry, edition, system, province):
            ranked.append(
                (
                    (entry.status == MajorStatus.WITHDRAWN, RANKS["near"], -score),
                    entry,
                    "near",
                    score,
                )
            )
    ranked.sort(key=lambda r: (*r[0], r[1].edition, r[1].code))
    window = ranked[offset : offset + limit]
    return [entry.hit(match, score) for _, entry, match, score in window]
