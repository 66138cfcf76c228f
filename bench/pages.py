"""A page of 50 programs against the same API page: ``python -m bench.pages URL [N]``.

Requests alternate (page, API, page, API...) so both see the same load on a shared machine; the
figures are medians of N requests each, with the ratio page/API (issue: under 2x)."""

import statistics
import sys
import time

import httpx


def measure(base: str, n: int = 200) -> dict[str, float]:
    paths = {"page": "/programs", "api": "/api/v1/programs?limit=50"}
    times: dict[str, list[float]] = {name: [] for name in paths}
    with httpx.Client(base_url=base, headers={"Accept-Language": "zh-CN"}) as client:
        for path in paths.values():  # warm up: compiled statements, templates
            for _ in range(10):
                client.get(path).raise_for_status()
        for _ in range(n):
            for name, path in paths.items():
                start = time.perf_counter()
                response = client.get(path)
                times[name].append(time.perf_counter() - start)
                response.raise_for_status()
    page, api = (statistics.median(times[k]) * 1000 for k in ("page", "api"))
    return {"page_ms": page, "api_ms": api, "ratio": page / api}


if __name__ == "__main__":
    figures = measure(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200)
    print(
        f"GET /programs (HTML, 50 rows) {figures['page_ms']:.2f} ms, "
        f"GET /api/v1/programs?limit=50 {figures['api_ms']:.2f} ms, "
        f"ratio {figures['ratio']:.2f}"
    )
