"""One row of the results table: a figure beside its reference, the ratio, the target, pass/fail."""

import json
import platform
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass
class Result:
    backend: str
    benchmark: str
    figure: float | None  # None: could not be measured (see note)
    unit: str
    reference: float | None = None
    reference_label: str = ""
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None  # None: informational, or not measured
    note: str = ""
    detail: str = ""  # a second figure shown beside the first (a p99 beside req/s)
    scale: int = 1  # the registry's size: 1 = national (150,000 programs), 10 = ten times that

    def cells(self) -> list[str]:
        ref = "" if self.reference is None else f"{fmt(self.reference)} {self.unit} "
        verdict = {True: "pass", False: "FAIL", None: "—"}[self.passed]
        if self.figure is None:
            verdict = "not run"
        return [
            self.backend if self.scale == 1 else f"{self.backend} {self.scale}×",
            self.benchmark,
            "—"
            if self.figure is None
            else f"{fmt(self.figure)} {self.unit}" + (f", {self.detail}" if self.detail else ""),
            f"{ref}{self.reference_label}".strip(),
            "" if self.ratio is None else f"{self.ratio:.2f}×",
            self.target,
            verdict,
        ]


def fmt(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


HEADER = ["backend", "benchmark", "figure", "reference", "ratio", "target", "result"]


def table(results: list[Result]) -> str:
    """A Markdown table (pasted as is into docs/benchmarks.md)."""
    lines = [_markdown([HEADER, *[r.cells() for r in results]])]
    notes = [f"- {r.cells()[0]} / {r.benchmark}: {r.note}" for r in results if r.note]
    return "\n".join(lines + ([""] + notes if notes else []))


def pair_key(result: Result) -> str:
    """The benchmark without its counts: "1. GET /programs.csv, 150,098 rows" and its 10×
    "…, 1,500,980 rows" are one benchmark at two scales."""
    return re.sub(r"\d[\d,]*", "N", result.benchmark.split(".", 1)[-1])


def scale_rows(results: list[Result], base: int, other: int) -> list[list[str]]:
    """Each figure at ``base`` and at ``other`` scale, side by side: the figure's growth
    (other/base) and, where the figure has a reference in its own run, the growth of that ratio
    (the cost against the reference, e.g. the export against the database's CLI)."""
    seen: dict[tuple[str, str, int], Result] = {}
    order: list[tuple[str, str, int]] = []
    counts: dict[tuple[str, str, int], int] = {}
    for r in results:
        if r.figure is None or r.scale not in (base, other):
            continue
        stem = (r.backend, pair_key(r), r.scale)
        nth = counts[stem] = counts.get(stem, -1) + 1
        key = (r.backend, f"{pair_key(r)}#{nth}", r.scale)
        seen[key] = r
        if r.scale == base:
            order.append(key)
    rows = []
    for key in order:
        low, high = seen[key], seen.get((key[0], key[1], other))
        if high is None or not low.figure or high.figure is None:
            continue
        ratio_growth = (
            f"{high.ratio / low.ratio:.2f}×" if low.ratio and high.ratio is not None else ""
        )
        rows.append(
            [
                low.backend,
                high.benchmark,
                f"{fmt(low.figure)} {low.unit}",
                f"{fmt(high.figure)} {high.unit}",
                f"{high.figure / low.figure:.2f}×",
                ratio_growth,
            ]
        )
    return rows


def scale_table(results: list[Result], base: int, other: int) -> str:
    header = [
        "backend",
        f"benchmark (as at {other}×)",
        f"{base}×",
        f"{other}×",
        f"{other}×/{base}×",
        "ratio to reference, growth",
    ]
    return _markdown([header, *scale_rows(results, base, other)])


def _markdown(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def write_json(path: Path, results: list[Result], context: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        **context,
        "results": [asdict(r) for r in results],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
