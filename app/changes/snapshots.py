"""What the change feed's snapshots share. A snapshot is the public state of an entity as the feed
carries it, read after the write is flushed and queued with ``recorder.record``; each entity's
lives in its package: ``app.programs.snapshots`` (key = id; data = the ``programs.csv`` fields
and ``id``), ``app.colleges.snapshots`` (key = code; data = ``GET /colleges/{code}``),
``app.catalog.snapshots`` (majors and editions, entity ``major``), ``app.publications.snapshots``
(published revisions). Each returns a *change* for the write path (``app.writes.record(...,
changes=[...])`` or ``writes.changed(session, ...)``), which runs it in the writing transaction;
on its own it records nothing (docs/development.md, "Writes: one call records a change").

A row of one entity can show another's fields: a program shows its college's name and its
major's name and category (``programs.csv``), so a college's rename or a major's new name or
category changes those rows too. The package of the entity shown sits below the one showing it
and cannot import it: the showing package registers how to record its rows (``shown_in``), and
``showing(entity, ids)`` is the change that records them.
"""

from collections.abc import Callable, Iterable, Iterator

from sqlalchemy.orm import Session

CHUNK = 500  # ids per IN (...): well under SQLite's bound-parameter limit

Change = Callable[[Session], None]
Showing = Callable[[Session, list[int]], None]

_SHOWN_IN: dict[str, list[Showing]] = {}


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def shown_in(entity: str) -> Callable[[Showing], Showing]:
    """Registers ``record(session, ids)``, which records an update of every feed row showing
    these rows of ``entity`` (a decorator)."""

    def register(record: Showing) -> Showing:
        _SHOWN_IN.setdefault(entity, []).append(record)
        return record

    return register


def record_showing(session: Session, entity: str, ids: Iterable[int]) -> None:
    """An update of every feed row showing these rows of ``entity``."""
    recorders = _SHOWN_IN.get(entity)
    if not recorders:  # the showing module was never imported: its rows would keep the old name
        raise LookupError(
            f"no feed rows registered as showing {entity!r} (app.models imports them)"
        )
    ids = list(ids)
    for record in recorders:
        record(session, ids)


def showing(entity: str, ids: Iterable[int]) -> Change:
    """``record_showing`` as a change of the write path."""
    ids = list(ids)
    return lambda session: record_showing(session, entity, ids)
