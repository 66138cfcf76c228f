"""`registry catalog adopt` and `registry import crosswalk` from the command line, and the
crosswalk import's row checks."""

import csv
from datetime import date

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.adoption import decisions, stream
from app.audit import AuditLog
from app.catalog.models import CatalogEdition, Crosswalk
from app.cli.commands import app
from app.config import get_settings
from app.db.engines import writer
from tests.adoption import plan_reference
from tests.adoption.helpers import DATA, NEW, OLD
from tests.core.helpers import ADMIN, count, xlsx


@pytest.fixture
def cli(seeded, database_url, monkeypatch):
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, list(args))
    get_settings.cache_clear()


def _load(cli) -> None:
    result = cli(
        "import", "catalog", str(DATA / "technician_2026.csv"), "--edition", NEW, "--title", "2026"
    )
    assert result.exit_code == 0, result.output
    result = cli(
        "import",
        "crosswalk",
        str(DATA / "crosswalk_2022_2026.csv"),
        "--edition",
        NEW,
        "--from",
        OLD,
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "共 39 行：新增 39，更新 0，未变 0"


def test_adopt_prints_the_plan_and_the_counts_last_and_applies_with_the_plans_csv(
    cli, seeded, tmp_path, seeded_client
):
    _load(cli)
    dry = cli("catalog", "adopt", NEW, "--from", OLD)
    assert dry.exit_code == 0, dry.output
    lines = dry.stdout.splitlines()
    assert lines[-1] == "moved 52, decisions 2, withdrawn 2, collisions 2"
    assert len(lines) == 52 + 2 + 2 + 2 + 1

    refused = cli("catalog", "adopt", NEW, "--from", OLD, "--apply")
    assert refused.exit_code == 1
    assert refused.stdout.splitlines()[-1] == "moved 52, decisions 2, withdrawn 2, collisions 2"
    with Session(seeded) as session:
        assert session.exec(select(CatalogEdition).where(CatalogEdition.key == OLD)).one().status
        assert not session.exec(select(AuditLog).where(AuditLog.action == "catalog.adopt")).all()

    # The plan's CSV, with new_code filled in on the two 待定 lines, is the decisions file.
    plan = seeded_client.get(f"/api/v1/catalogs/{NEW}/adoption.csv", params={"from": OLD})
    text = plan.content.decode("utf-8-sig").splitlines()
    decided = [
        line.replace("0314,高级,高中起点,,", "0314,高级,高中起点,0321,").replace(
            "0314,高级,初中起点,,", "0314,高级,初中起点,0322,"
        )
        for line in text
    ]
    path = tmp_path / "decisions.csv"
    path.write_text("\n".join(decided), encoding="gbk", errors="strict")
    applied = cli("catalog", "adopt", NEW, "--from", OLD, "--decisions", str(path), "--apply")
    assert applied.exit_code == 0, applied.output
    assert applied.stdout.splitlines()[-1] == "moved 54, decisions 0, withdrawn 2, collisions 2"
    again = cli("catalog", "adopt", NEW, "--from", OLD, "--decisions", str(path), "--apply")
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines() == ["moved 0, decisions 0, withdrawn 0, collisions 0"]
    with Session(seeded) as session:
        old = session.exec(select(CatalogEdition).where(CatalogEdition.key == OLD)).one()
        audits = session.exec(select(AuditLog).where(AuditLog.action == "catalog.adopt")).all()
    assert old.status == "superseded"
    assert len(audits) == 1
    assert audits[0].actor.startswith("cli:")


def test_decisions_file_errors_name_row_and_column_and_nothing_changes(cli, seeded, tmp_path):
    _load(cli)
    path = tmp_path / "decisions.xlsx"
    path.write_bytes(
        xlsx(
            [
                ["college_code", "old_code", "level", "intake", "new_code"],
                ["4401J001", "0314", "高级", "高中起点", "0321"],
                ["4401J002", "0314", "高级", "初中起点", "0399"],
                ["4401J002", "314", "高级", "初中起点", "0322"],
            ],
            text_columns=(0, 1, 4),
        )
    )
    result = cli("catalog", "adopt", NEW, "--from", OLD, "--decisions", str(path), "--apply")
    assert result.exit_code == 1
    assert "第 3 行，new_code 列：major.unknown_code" in result.stderr
    assert "第 4 行，old_code 列：adoption.unknown_program" in result.stderr
    with Session(seeded) as session:
        old = session.exec(select(CatalogEdition).where(CatalogEdition.key == OLD)).one()
    assert old.status == "in_force"


def test_crosswalk_import_checks_every_row_and_writes_nothing_on_error(
    seeded_client, admin_headers, seeded
):
    response = seeded_client.post(
        f"/api/v1/catalogs/{NEW}/import",
        files={"file": ("c.csv", (DATA / "technician_2026.csv").read_bytes(), "text/csv")},
        data={"title": "2026"},
        headers=admin_headers,
    )
    assert response.status_code == 200
    lines = (DATA / "crosswalk_2022_2026.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    bad = [
        r
        for r in rows
        if not r.startswith(",0127,")  # 0127 goes missing
    ]
    bad[0] = bad[0].replace("0140,智能装备安装与运维,合并", "0199,智能装备安装与运维,合并")
    bad[1] = bad[1].replace("智能装备运行与维护", "智能装备运行维护")
    bad[2] = bad[2].replace("保留", "作废")  # 0208
    bad.append(",0219,服务机器人应用与维护,0220,集成电路技术应用,更名")  # 0219 has a line
    body = "\n".join([header, *bad]).encode("gbk")
    response = seeded_client.post(
        f"/api/v1/catalogs/{NEW}/crosswalk/import",
        files={"file": ("对照表.csv", body, "text/csv")},
        data={"from_edition": OLD},
        headers=admin_headers,
    )
    assert response.status_code == 422
    errors = [(e["row"], e["column"], e["code"]) for e in response.json()["detail"]["errors"]]
    assert errors == [
        (1, "old_code", "crosswalk.missing_code"),  # 0127
        (1, "old_code", "crosswalk.missing_code"),  # 0208, whose only line is wrong
        (2, "new_code", "major.unknown_code"),
        (3, "old_name", "major.name_mismatch"),
        (4, "relation", "entry.invalid_value"),
        (40, "relation", "crosswalk.inconsistent"),
    ]
    assert count(seeded, Crosswalk) == 0


def _whole(seeded, *, apply: bool, **kw) -> list[str]:
    """What the command printed from the whole plan (applied: rolled back here)."""
    with Session(writer(seeded)) as session:
        plan = plan_reference.adopt(session, NEW, from_key=OLD, apply=apply, actor=ADMIN, **kw)
        session.rollback()
    return plan_reference.cli_lines(plan)


def test_adopt_prints_line_for_line_what_it_printed_from_the_whole_plan(
    cli, seeded, decided, monkeypatch, tmp_path
):
    """The plan, a refused apply (its plan shown without ``--keep-until``, as before) and an
    apply with decisions and ``--keep-until``, read a chunk at a time."""
    monkeypatch.setattr(stream, "BATCH_ROWS", 2)
    path = tmp_path / "decisions.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer_ = csv.DictWriter(handle, fieldnames=list(decided[0]))
        writer_.writeheader()
        writer_.writerows(decided)
    rows = decisions.from_file(path.read_bytes(), filename=path.name, max_rows=100)
    until = ("--keep-until", "2099-08-31")
    day = date(2099, 8, 31)

    plan = cli("catalog", "adopt", NEW, "--from", OLD, "--decisions", str(path), *until)
    assert plan.exit_code == 0, plan.output
    whole = _whole(seeded, apply=False, decisions=rows, keep_until=day)
    assert plan.stdout.splitlines() == whole
    assert any("\t→ 在办至 2099-08-31" in line for line in whole)

    refused = cli("catalog", "adopt", NEW, "--from", OLD, *until, "--apply")
    assert refused.exit_code == 1
    assert refused.stdout.splitlines() == _whole(seeded, apply=False, decisions=[])

    expected = _whole(seeded, apply=True, decisions=rows, keep_until=day)
    applied = cli(
        "catalog", "adopt", NEW, "--from", OLD, "--decisions", str(path), *until, "--apply"
    )
    assert applied.exit_code == 0, applied.output
    assert applied.stdout.splitlines() == expected
    assert len(expected) > 50
