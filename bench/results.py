"""One row of the results table: a figure beside its reference, the ratio, the target, pass/fail."""

import json
import platform
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

    def cells(self) -> list[str]:
        ref = "" if self.reference is None else f"{fmt(self.reference)} {self.unit} "
        verdict = {True: "pass", False: "FAIL", None: "—"}[self.passed]
        if self.figure is None:
            verdict = "not run"
        return [
            self.backend,
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
    rows = [HEADER, *[r.cells() for r in results]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    notes = [f"- {r.backend} / {r.benchmark}: {r.note}" for r in results if r.note]
    return "\n".join(lines + ([""] + notes if notes else []))


def write_json(path: Path, results: list[Result], context: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        **context,
        "results": [asdict(r) for r in results],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
