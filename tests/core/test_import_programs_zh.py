"""registry import programs reads the planners' layout (?layout=zh) as well as the default one:
an export in either layout reads back unchanged, CSV or XLSX."""

import pytest
from sqlalchemy import text

from app.errors import Invalid
from app.programs.importer import import_programs
from app.programs.models import Program
from tests.core.helpers import count, errors_of


def snapshot(engine) -> list[tuple]:
    with engine.connect() as conn:
        query = "SELECT id, status, length_years, since_year FROM program ORDER BY id"
        return [tuple(r) for r in conn.execute(text(query))]


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_the_planners_layout_round_trips_through_the_import(seeded_client, seeded, run, ext):
    with seeded.begin() as conn:  # every status and two lengths, so each mapping is exercised
        conn.execute(text("UPDATE program SET status = 'suspended' WHERE id % 3 = 0"))
        conn.execute(
            text("UPDATE program SET status = 'withdrawn', length_years = 4 WHERE id % 5 = 0")
        )
    before, programs = snapshot(seeded), count(seeded, Program)
    exported = seeded_client.get(f"/api/v1/programs.{ext}", params={"layout": "zh"})
    assert exported.status_code == 200
    if ext == "csv":
        assert "停招" in exported.text
        assert "撤销" in exported.text
        assert "四年" in exported.text
    result = run(import_programs, exported.content, filename=f"programs.{ext}")
    assert (result.inserted, result.updated, result.unchanged) == (0, 0, programs)
    assert snapshot(seeded) == before
    assert count(seeded, Program) == programs

    with seeded.begin() as conn:  # the file now says something else than the registry
        conn.execute(text("UPDATE program SET status = 'active', length_years = 3"))
    result = run(import_programs, exported.content, filename=f"programs.{ext}")
    assert result.updated > 0
    assert snapshot(seeded) == before


def test_an_error_in_the_planners_layout_names_its_chinese_column(seeded, run):
    data = (
        "学校代码,学校名称,专业代码,专业名称,专业类别,层次,级别,学制,状态,首次批准年份\r\n"
        "4401J001,广州市技师学院,0702,现代农艺技术,农业类,初中起点,高级,五年,暂停,2024\r\n"
    ).encode()
    with pytest.raises(Invalid) as rejected:
        run(import_programs, data, filename="p.csv")
    assert errors_of(rejected) == [(2, "状态", "entry.invalid_value")]
