"""bench.run writes bench/out/results.json as each part ends: a run stopped after hours keeps
the figures it measured (``"complete": false``), and the end of a run marks it complete."""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench import run
from bench.results import Result


@pytest.fixture
def harness(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """bench.run.main with its output in tmp_path and no registry generated or served."""
    monkeypatch.setattr(run, "OUT", tmp_path)
    monkeypatch.setattr(run, "pin_harness", lambda: None)
    monkeypatch.setattr(run, "ensure", lambda tool: (f"/usr/bin/{tool}", ""))
    manifest = SimpleNamespace(counts={"programs": 150_000})
    monkeypatch.setattr(run, "generated", lambda quick, scale=1: (tmp_path, manifest))
    return tmp_path / "results.json"


def import_figure(backend: str) -> Result:
    return Result(backend, "4. registry import programs, 150,000 rows", 41_000.0, "rows/s")


def test_a_run_stopped_in_its_second_part_keeps_the_first_parts_figures(harness, monkeypatch):
    def stopped(backend, data, manifest, options, on_part):
        on_part([import_figure(backend)])
        raise KeyboardInterrupt  # the operator stops the run during the next part

    monkeypatch.setattr(run, "_run_backend", stopped)
    with pytest.raises(KeyboardInterrupt):
        run.main(["--backend", "sqlite", "--scale", "1,10"])
    saved = json.loads(harness.read_text(encoding="utf-8"))
    assert saved["complete"] is False
    assert [(r["backend"], r["figure"], r["scale"]) for r in saved["results"]] == [
        ("sqlite", 41_000.0, 1)
    ]


def test_the_second_scale_adds_to_the_first_and_the_end_marks_the_run_complete(
    harness, monkeypatch
):
    seen: list[int] = []

    def measured(backend, data, manifest, options, on_part):
        results = [import_figure(backend)]
        on_part(results)
        seen.append(len(json.loads(harness.read_text(encoding="utf-8"))["results"]))
        return results

    monkeypatch.setattr(run, "_run_backend", measured)
    assert run.main(["--backend", "sqlite", "--scale", "1,10"]) == 0
    assert seen == [1, 2]  # the 10× part saved beside the 1× figures already measured
    saved = json.loads(harness.read_text(encoding="utf-8"))
    assert saved["complete"] is True
    assert [r["scale"] for r in saved["results"]] == [1, 10]
