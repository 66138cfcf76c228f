"""app/compression.py: without Accept-Encoding: gzip, the same headers and body as Starlette's
GZipMiddleware (its Vary included), through the lean pass-through."""

import asyncio

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from app.compression import Gzip

BIG = "数据" * 1000


async def stream(request):
    async def chunks():
        yield b"a" * 10
        yield b"b" * 10

    return StreamingResponse(chunks(), media_type="text/plain")


ROUTES = [
    Route("/small", lambda r: PlainTextResponse("ok")),
    Route("/big", lambda r: PlainTextResponse(BIG)),
    Route("/vary", lambda r: PlainTextResponse(BIG, headers={"Vary": "Accept-Language"})),
    Route("/encoded", lambda r: Response(b"x" * 2000, headers={"Content-Encoding": "br"})),
    Route("/zip", lambda r: Response(b"x" * 2000, media_type="application/zip")),
    Route("/events", lambda r: Response(b"x" * 2000, media_type="text/event-stream")),
    Route("/partial", lambda r: Response(b"x" * 2000, status_code=206)),
    Route("/stream", stream),
]


def client(middleware) -> httpx.AsyncClient:
    app = Starlette(routes=ROUTES)
    app.add_middleware(middleware, minimum_size=1024, exclude_content_types=("application/zip",))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


@pytest.mark.parametrize("encoding", [None, "identity", "br", "gzip", "gzip, deflate, br"])
@pytest.mark.parametrize("path", [r.path for r in ROUTES])
def test_answers_like_starlettes_gzip(path, encoding):
    headers = {"Accept-Encoding": encoding} if encoding else {}

    async def both():
        async with client(Gzip) as ours, client(GZipMiddleware) as theirs:
            return await ours.get(path, headers=headers), await theirs.get(path, headers=headers)

    got, want = asyncio.run(both())
    assert got.status_code == want.status_code
    assert got.headers.multi_items() == want.headers.multi_items()
    assert got.content == want.content


def test_gzip_only_when_asked():
    async def get():
        async with client(Gzip) as ours:
            plain = await ours.get("/big", headers={"Accept-Encoding": "identity"})
            return plain, await ours.get("/big", headers={"Accept-Encoding": "gzip"})

    plain, zipped = asyncio.run(get())
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"] == "Accept-Encoding"
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.text == BIG
