"""The references of the HTTP benchmarks: the least a FastAPI app can do per request.

Served by the same uvicorn settings on the same core as the registry, so a ratio measures what the
registry adds (database, filters, serialisation). ``GET /hello`` (``async def``) is the reference
of ``GET /programs`` under load (benchmark 2) and of the change feed (bench/changes.py); the
plain ``def`` routes answer a constant page (benchmark 2 shows it for information: a worker-thread
hop per request) and the search (benchmark 5).
"""

from fastapi import FastAPI, Request

app = FastAPI()

CONSTANT = {"items": [{"id": 1, "name": "constant"}], "next": None}


@app.get("/api/v1/programs")
def programs() -> dict:
    return CONSTANT


@app.get("/api/v1/majors")
def majors() -> dict:
    return CONSTANT


@app.post("/api/v1/filings/validate")
async def validate(request: Request) -> dict:
    # Reads and parses the body like the real route must, then answers a constant.
    body = await request.json()
    return {"entries": len(body.get("entries", [])), "errors": 0, "warnings": 0}


@app.get("/hello")
async def hello() -> dict:
    # The reference of benchmark 2 and of the change feed (bench/changes.py).
    return {"message": "hello"}
