"""A request's session and engine (``SessionDep``, ``EngineDep``): FastAPI's dependencies, apart
from ``app.db.sessions`` so that the CLI and the services never import FastAPI.

A request's session is committed after the route returns and before the response is sent, and
rolled back on any error (also when the client went away). Before its session a request waits
for its turn in the event loop, holding no worker thread, and keeps it until its commit: on
SQLite the process's write lock (writing requests only: WAL readers never wait), on PostgreSQL
one of ``db_pool_size`` places (every request with a session). So no thread ever waits for the
write lock or a pooled connection while another request that holds one waits for a thread
(docs/security.md, "Crowds").
"""

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any

from anyio import CancelScope, to_thread
from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.db.engines import is_sqlite, writer


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session (this module's docstring); a write request's begins IMMEDIATE."""
    engine = request.app.state.engine
    write = request.method not in ("GET", "HEAD", "OPTIONS")
    gate = _gate(request.app.state, engine, write)
    if gate is not None:
        await gate.acquire()
    try:
        session = Session(writer(engine) if write else engine, expire_on_commit=False)
        try:
            yield session
            await to_thread.run_sync(session.commit)
        except BaseException:
            with CancelScope(shield=True):  # a client that went away still gets its rollback
                await to_thread.run_sync(session.rollback)
            raise
        finally:
            with CancelScope(shield=True):
                await to_thread.run_sync(session.close)
    finally:
        if gate is not None:
            gate.release()


def _gate(app_state: Any, engine: Engine, write: bool) -> asyncio.Semaphore | None:
    """The turn a request waits for (FIFO), made in the running loop (a lock belongs to one)."""
    if is_sqlite(engine):
        if not write:
            return None  # WAL: readers never wait for the writer
        places = 1
    else:
        places = max(1, app_state.settings.db_pool_size)
    loop = asyncio.get_running_loop()
    current = getattr(app_state, "session_gate", None)
    if current is None or current[0] is not loop:
        current = app_state.session_gate = (loop, asyncio.Semaphore(places))
    gate: asyncio.Semaphore = current[1]
    return gate


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
EngineDep = Annotated[Engine, Depends(get_engine)]
