"""The reference for the load benchmarks: the least a FastAPI app can do per request.

A constant JSON object from a plain route, served by the same uvicorn settings on the same core as
the registry, so the ratio measures what the registry adds (database, filters, serialisation).
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
    # The reference of the change-feed benchmarks (bench/changes.py): an `async def` hello-world.
    return {"message": "hello"}
