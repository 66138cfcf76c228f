from fastapi import APIRouter, Request, Response

from app.changes import feed
from app.changes.schemas import ChangesHead, ChangesPage
from app.db import run_read
from app.queryparams import openapi, read_query

router = APIRouter(prefix="/api/v1", tags=["changes"])


@router.get(
    "/changes",
    openapi_extra=openapi(feed.ChangesQuery),
    responses={200: {"model": ChangesPage}, 422: {}},
)
async def list_changes(request: Request) -> Response:
    """Every change of majors (and catalog editions), colleges, programs and published lists, in
    commit order: `{"items": [{"seq", "at", "entity", "op", "key", "data"}], "next", "last_seq"}`.
    Ask again with `since=<last_seq>` for what happened since (docs/changes.md)."""
    query = read_query(request, feed.ChangesQuery)
    state = request.app.state
    body = await run_read(state, feed.page_json, state.read_engine, query)
    return Response(body, media_type="application/json")


@router.get("/changes/head", responses={200: {"model": ChangesHead}})
async def changes_head(request: Request) -> Response:
    """`{"last_seq"}`: the feed's newest seq. A copy taken from the listings after reading it
    follows `GET /changes?since=<last_seq>` (docs/changes.md)."""
    state = request.app.state
    newest = await run_read(state, feed.last_seq, state.read_engine)
    return Response(b'{"last_seq":%d}' % newest, media_type="application/json")
