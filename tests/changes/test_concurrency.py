"""On PostgreSQL, concurrent writers never let a reader polling ``since=`` skip a change.

Each writer transaction sleeps a little *after* its seqs are drawn and before it commits — the
window in which a feed that numbered rows without serialising commits would let a later seq
become visible first. The reader follows ``last_seq`` like a client and must end up with every
change exactly once, in seq order. The control test removes the serialisation and shows the same
reader does miss a change, so the check is not vacuous.
"""

import random
import threading
import time

import orjson
import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from app.changes import feed, recorder
from app.db import make_read_engine, session_scope

pytestmark = [pytest.mark.postgres_only, pytest.mark.audit_unchecked]

WRITERS, TRANSACTIONS, ITEMS = 8, 15, 3


def _poll(read_engine, since: int) -> tuple[list[dict], int]:
    body = orjson.loads(feed.page_json(read_engine, feed.ChangesQuery(since=since, limit=500)))
    return body["items"], body["last_seq"]


def _write(engine, name: str, key: int) -> None:
    with session_scope(engine) as session:
        for i in range(ITEMS):
            recorder.record(session, "program", "updated", f"{name}-{key}-{i}", {"n": i})


class SlowCommit:
    """Sleeps after the feed rows are inserted, before COMMIT (listeners run in order)."""

    def __init__(self, pause=lambda: random.uniform(0, 0.004)):
        self.pause = pause

    def __call__(self, session: Session) -> None:
        if session.info.get("registry.committing"):
            time.sleep(self.pause())

    def __enter__(self):
        event.listen(Session, "before_commit", self)
        return self

    def __exit__(self, *exc):
        event.remove(Session, "before_commit", self)


def test_many_writers_and_a_polling_reader_never_miss_a_change(engine, settings):
    read_engine = make_read_engine(engine, settings)
    seen: list[dict] = []
    done = threading.Event()

    def reader() -> None:
        since = 0
        while True:
            finished = done.is_set()  # read once more after the writers are done
            items, since = _poll(read_engine, since)
            seen.extend(items)
            if finished and not items:
                return

    def writer(name: str) -> None:
        for key in range(TRANSACTIONS):
            _write(engine, name, key)

    with SlowCommit():
        poller = threading.Thread(target=reader)
        poller.start()
        writers = [threading.Thread(target=writer, args=(f"w{n}",)) for n in range(WRITERS)]
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
        done.set()
        poller.join(timeout=60)
    read_engine.dispose()

    with engine.connect() as conn:
        stored = [tuple(r) for r in conn.execute(text("SELECT seq, key FROM change ORDER BY seq"))]
    assert len(stored) == WRITERS * TRANSACTIONS * ITEMS
    assert [(i["seq"], i["key"]) for i in seen] == stored
    # one transaction's items are consecutive: nobody's seqs interleave with another's
    keys = [k.rsplit("-", 1)[0] for _, k in stored]
    assert all(keys[i] == keys[i - i % ITEMS] for i in range(len(keys)))


def test_control_without_serialised_commits_the_reader_misses_a_change(
    engine, settings, monkeypatch
):
    """Without the version row's lock, a transaction that drew seq N but commits after N+1 is
    skipped by a reader that saw N+1: this is what the test above would catch."""
    read_engine = make_read_engine(engine, settings)
    monkeypatch.setattr(recorder, "bump_version", lambda conn, at: 0)
    first_drawn, second_committed = threading.Event(), threading.Event()

    def hold_first(session: Session) -> None:
        if session.info.get("registry.committing") and session.info.get("first"):
            first_drawn.set()
            second_committed.wait(10)

    def first() -> None:
        with session_scope(engine) as session:
            session.info["first"] = True
            recorder.record(session, "program", "updated", "first", {})

    event.listen(Session, "before_commit", hold_first)
    try:
        slow = threading.Thread(target=first)
        slow.start()
        first_drawn.wait(10)
        _write(engine, "second", 0)
        items, since = _poll(read_engine, 0)
        second_committed.set()
        slow.join()
        later, _ = _poll(read_engine, since)
    finally:
        event.remove(Session, "before_commit", hold_first)
        read_engine.dispose()
    assert [i["key"] for i in items] == ["second-0-0", "second-0-1", "second-0-2"]
    assert later == []  # "first" committed with a lower seq: the reader never gets it
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM change")).scalar_one() == 4
