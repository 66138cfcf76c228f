"""The `registry import` commands, run with typer's CliRunner against the test database."""

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.audit import AuditLog
from app.catalog.models import Major
from app.cli.commands import app
from app.config import get_settings
from tests.core.helpers import count


@pytest.fixture
def cli(seeded, database_url, monkeypatch):
    """invoke(*args) -> result, with REGISTRY_DATABASE_URL naming the test database."""
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, list(args))
    get_settings.cache_clear()


def test_import_catalog_creates_a_provincial_edition_and_prints_counts(cli, seeded, tmp_path):
    path = tmp_path / "js.csv"
    path.write_bytes(
        "code,name,category,levels\n8001,苏绣技艺,文化艺术类,中级|高级\n".encode("gbk")
    )
    result = cli(
        "import",
        "catalog",
        str(path),
        "--edition",
        "js-specialty",
        "--title",
        "江苏省技工院校特色专业目录",
        "--province",
        "江苏省",
    )
    assert result.exit_code == 0, result.output
    assert "共 1 行：新增 1，更新 0，未变 0" in result.stdout
    with Session(seeded) as session:
        entry = session.exec(
            select(AuditLog).where(AuditLog.action == "catalog.import").order_by(AuditLog.id.desc())
        ).first()
    assert entry is not None
    assert entry.actor.startswith("cli:")
    assert entry.role == "admin"


def test_import_with_errors_exits_1_names_row_and_column_and_writes_nothing(cli, seeded, tmp_path):
    before = count(seeded, Major)
    path = tmp_path / "bad.csv"
    path.write_text("code,name,category\n0999,某专业,机械类\n702,现代农艺技术,农业类\n")
    result = cli("import", "catalog", str(path), "--edition", "technician-2022")
    assert result.exit_code == 1
    assert "第 3 行，code 列：major.code_format" in result.stderr
    assert "建议：0702" in result.stderr
    assert count(seeded, Major) == before


def test_import_colleges_and_programs_from_the_command_line(cli, tmp_path):
    colleges = tmp_path / "colleges.csv"
    colleges.write_text(
        "code,name,type,ownership,province,city\n"
        "4401J099,广州市新建技师学院,技师学院,公办,广东省,广州市\n"
    )
    assert cli("import", "colleges", str(colleges)).exit_code == 0
    programs = tmp_path / "programs.csv"
    programs.write_text(
        "college_code,college,major_code,major_name,category,intake,level,length_years,status,"
        "since_year\n4401J099,广州市新建技师学院,0127,机电一体化技术,机械类,初中起点,中级,3,"
        "active,2025\n"
    )
    result = cli("import", "programs", str(programs))
    assert result.exit_code == 0, result.output
    assert "新增 1" in result.stdout


def test_loading_the_official_file_with_complete_clears_the_partial_flag(cli, seeded, tmp_path):
    from app.catalog.models import CatalogEdition

    path = tmp_path / "official.csv"
    path.write_text(
        "code,name,category\n0127,机电一体化技术,机械类\n0101,机床切削加工（车工）,机械类\n"
    )
    result = cli("import", "catalog", str(path), "--edition", "technician-2022", "--complete")
    assert result.exit_code == 0, result.output
    assert "新增 1，更新 0，未变 1" in result.stdout
    with Session(seeded) as session:
        edition = session.exec(
            select(CatalogEdition).where(CatalogEdition.key == "technician-2022")
        ).one()
    assert edition.partial is False


def test_cli_import_is_not_capped_by_the_upload_row_limit(cli, seeded, tmp_path, monkeypatch):
    """REGISTRY_MAX_UPLOAD_ROWS caps uploads over HTTP; the operator's file imports whole."""
    monkeypatch.setenv("REGISTRY_MAX_UPLOAD_ROWS", "2")
    get_settings.cache_clear()
    assert get_settings().max_upload_rows == 2
    colleges = tmp_path / "colleges.csv"
    colleges.write_text(
        "code,name,type,ownership,province,city\n"
        + "".join(
            f"4401J09{i},广州市第{i}新建技师学院,技师学院,公办,广东省,广州市\n" for i in range(5)
        )
    )
    result = cli("import", "colleges", str(colleges))
    assert result.exit_code == 0, result.output
    programs = tmp_path / "programs.csv"
    programs.write_text(
        "college_code,college,major_code,major_name,category,intake,level,length_years,status,"
        "since_year\n"
        + "".join(
            f"4401J09{i},广州市第{i}新建技师学院,0127,机电一体化技术,机械类,初中起点,中级,3,"
            "active,2025\n"
            for i in range(5)
        )
    )
    result = cli("import", "programs", str(programs))
    assert result.exit_code == 0, result.output
    assert "新增 5" in result.stdout


def test_the_console_script_runs_the_commands_with_the_collector_on_and_its_imports_frozen(
    monkeypatch,
):
    """``registry`` (``app.cli.main``) imports the commands with the cyclic collector off, then
    turns it back on and freezes what the imports made out of its later scans."""
    import gc

    from app import cli
    from app.cli import commands

    seen: dict[str, int | bool] = {}

    def command() -> None:
        seen["collecting"] = gc.isenabled()
        seen["frozen"] = gc.get_freeze_count()

    monkeypatch.setattr(commands, "app", command)
    assert gc.isenabled()
    try:
        cli.main()
    finally:
        gc.unfreeze()
    assert seen["collecting"] is True
    assert seen["frozen"] > 10_000  # the process's objects, the modules' and classes' among them
