"""registry import programs: the programs.csv layout, upsert by offering, all or nothing."""

import pytest
from sqlmodel import Session, select

from app.colleges.models import College
from app.errors import Invalid
from app.programs.importer import import_programs
from app.programs.models import Program
from tests.core.helpers import audits, count, errors_of, xlsx

HEADER = (
    "college_code,college,major_code,major_name,category,intake,level,length_years,status,"
    "since_year\n"
)
GZ = "4401J001"  # 广州市技师学院: seven 2024 programs in the seed
ZHONGZHI = "4401Z001"


def csv(*lines: str) -> bytes:
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


def programs_of(engine, college: str) -> list[tuple]:
    with Session(engine) as session:
        query = (
            select(
                Program.level,
                Program.intake,
                Program.length_years,
                Program.status,
                Program.since_year,
                Program.source,
            )
            .join(College, College.id == Program.college_id)
            .where(College.code == college)
            .order_by(Program.id)
        )
        return [tuple(r) for r in session.exec(query).all()]


def test_new_rows_are_inserted_and_known_offerings_updated(seeded, run):
    before = count(seeded, Program)
    result = run(
        import_programs,
        csv(
            f"{GZ},广州市技师学院,0702,现代农艺技术,农业类,初中起点,高级,5,suspended,2023",
            f"{GZ},广州市技师学院,0702,现代农艺技术,农业类,初中起点,中级,3,active,2024",
        ),
        filename="p.csv",
        source="import:p.csv",
    )
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 0)
    assert count(seeded, Program) == before + 1
    rows = programs_of(seeded, GZ)
    assert ("高级", "初中起点", 5, "suspended", 2023, "seed:gz2024") in rows
    assert ("中级", "初中起点", 3, "active", 2024, "import:p.csv") in rows
    [entry] = [a for a in audits(seeded, "program.import") if a.actor == "test-admin"]
    assert entry.summary["after"]["inserted"] == 1
    assert entry.target_id == "p.csv"


def test_same_file_twice_changes_nothing_the_second_time(seeded, run):
    data = csv(f"{GZ},广州市技师学院,0127,机电一体化技术,机械类,高中起点,预备技师,4,active,2025")
    run(import_programs, data)
    again = run(import_programs, data)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)


def test_duplicate_active_rows_in_one_file_name_both_rows(seeded, run):
    line = f"{GZ},广州市技师学院,0127,机电一体化技术,机械类,高中起点,预备技师,4,active,2025"
    with pytest.raises(Invalid) as exc_info:
        run(import_programs, csv(line, line))
    [error] = exc_info.value.detail["errors"]
    assert (error["row"], error["column"], error["code"]) == (
        3,
        "status",
        "program.duplicate_active",
    )
    assert "第 2 行" in error["message"]


def test_an_active_and_a_suspended_row_of_one_offering_may_both_be_imported(seeded, run):
    line = f"{GZ},广州市技师学院,0127,机电一体化技术,机械类,高中起点,预备技师,4,{{}},2025"
    result = run(import_programs, csv(line.format("active"), line.format("suspended")))
    assert result.inserted == 2


def test_every_bad_cell_is_reported_and_nothing_is_written(seeded, run):
    before = count(seeded, Program)
    with pytest.raises(Invalid) as exc_info:
        run(
            import_programs,
            csv(
                f"{GZ},广州市技师学院,702,现代农艺技术,农业类,初中起点,中级,3,active,2024",
                "4401X999,无此学校,0127,机电一体化技术,机械类,初中起点,中级,3,active,2024",
                f"{GZ},广州市技师学院,0127,机电一体化技术,机械类,大学起点,中级,九年,open,24",
                f"{GZ},广州市技师学院,9999,不存在,机械类,初中起点,,3,active,2024",
                f"{ZHONGZHI},学校,700304,邮轮乘务,旅游大类,初中起点,中级,3,active,2024",
            ),
        )
    assert errors_of(exc_info) == [
        (2, "major_code", "major.code_format"),
        (3, "college_code", "college.unknown"),
        (4, "intake", "entry.invalid_value"),
        (4, "length_years", "entry.invalid_value"),
        (4, "since_year", "entry.invalid_value"),
        (4, "status", "entry.invalid_value"),
        (5, "level", "entry.missing_field"),
        (5, "major_code", "major.unknown_code"),
        (6, "level", "entry.invalid_value"),
    ]
    assert exc_info.value.detail["errors"][0]["suggestion"] == "0702"
    assert count(seeded, Program) == before


def test_specialty_code_of_another_province_is_not_accepted(seeded, run):
    """8xxx codes are valid only in their province (domain.md)."""
    from tests.factories import make_college

    make_college(seeded, code="3201J001", name="南京技师学院", province="江苏省", city="南京市")
    with pytest.raises(Invalid) as exc_info:
        run(
            import_programs,
            csv(
                "3201J001,南京技师学院,8191,网络营销与直播技术,财经商贸类,初中起点,中级,3,active,2024"
            ),
        )
    assert errors_of(exc_info) == [(2, "major_code", "major.not_in_province")]


def test_zhongzhi_program_has_no_level(seeded, run):
    run(import_programs, csv(f"{ZHONGZHI},学校,700304,邮轮乘务,旅游大类,初中起点,,3,active,2024"))
    assert programs_of(seeded, ZHONGZHI)[-1][:2] == ("", "初中起点")


def test_xlsx_with_numeric_cells_is_read(seeded, run):
    book = xlsx(
        [
            HEADER.strip().split(","),
            [
                GZ,
                "广州市技师学院",
                "0127",
                "机电一体化技术",
                "机械类",
                "高中起点",
                "高级",
                3,
                "active",
                2025,
            ],
        ],
        text_columns=(0, 2),
    )
    result = run(import_programs, book, filename="programs.xlsx")
    assert result.inserted == 1


def test_export_then_import_reads_back_unchanged(seeded_client, seeded, run):
    """What GET /programs.csv writes, import programs reads back (contract.md)."""
    exported = seeded_client.get("/api/v1/programs.csv").content
    result = run(import_programs, exported, filename="programs.csv")
    assert (result.rows, result.inserted, result.updated) == (count(seeded, Program), 0, 0)


def test_seed_extract_round_trip_keeps_the_98_programs(seeded, run):
    """82 technician offerings and the 16 new majors of the 中职 notice (no level)."""
    from app.seed import SEED_DIR

    result = run(import_programs, (SEED_DIR / "programs_gz2024.csv").read_bytes())
    assert (result.rows, result.unchanged) == (98, 98)


def test_a_big_import_refreshes_the_statistics_of_the_listing_tables(seeded, run, monkeypatch):
    """GET /programs plans its college and category lookups with these statistics
    (docs/benchmarks.md: without them PostgreSQL took 90 ms instead of 3 ms a category page)."""
    from app.programs import bulk

    monkeypatch.setattr(bulk, "ANALYZE_AFTER", 1)  # this file is small; the rule is the same
    run(
        import_programs,
        csv(f"{GZ},广州市技师学院,0702,现代农艺技术,农业类,初中起点,中级,3,active,2024"),
        filename="p.csv",
        source="import:p.csv",
    )
    with seeded.connect() as conn:
        if seeded.dialect.name == "sqlite":
            analyzed = {row[0] for row in conn.exec_driver_sql("SELECT tbl FROM sqlite_stat1")}
        else:
            analyzed = {
                row[0]
                for row in conn.exec_driver_sql(
                    "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema()"
                    " AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)"
                )
            }
    assert {"program", "college", "major", "category"} <= analyzed
