"""registry import catalog: leading zeros, encodings, XLSX, all-or-nothing, upsert."""

import pytest
from sqlmodel import Session, select

from app.catalog.importer import import_catalog
from app.catalog.models import CatalogEdition, Category, Major
from app.catalog.schemas import EditionOptions
from app.errors import Invalid
from tests.core.helpers import audits, count, errors_of, xlsx

NATIONAL = EditionOptions(title="全国技工院校专业目录（2022年修订）", system="technician")


def majors(engine, key: str) -> dict[str, tuple[str, str, str | None]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Major.code, Major.name, Category.name, Major.levels)
            .join(Category, Category.id == Major.category_id)
            .join(CatalogEdition, CatalogEdition.id == Major.edition_id)
            .where(CatalogEdition.key == key)
        ).all()
    return {code: (name, category, levels) for code, name, category, levels in rows}


def test_csv_codes_keep_their_leading_zeros_and_levels_are_stored(engine, run):
    data = (
        "code,name,category,levels\n0702,现代农艺技术,农业类,中级|高级\n"
        "0127,机电一体化技术,机械类,\n"
    )
    result = run(import_catalog, data.encode(), key="t2022", options=NATIONAL)
    assert (result.inserted, result.updated) == (2, 0)
    assert majors(engine, "t2022") == {
        "0702": ("现代农艺技术", "农业类", "中级|高级"),
        "0127": ("机电一体化技术", "机械类", None),
    }


def test_xlsx_text_cells_keep_leading_zeros(engine, run):
    book = xlsx(
        [
            ["code", "name", "category"],
            ["0702", "现代农艺技术", "农业类"],
            ["0314", "网络与信息安全", "信息类"],
        ],
        text_columns=(0,),
    )
    run(import_catalog, book, key="t2022", options=NATIONAL, filename="catalog.xlsx")
    assert set(majors(engine, "t2022")) == {"0702", "0314"}


def test_xlsx_numeric_cell_702_is_reported_with_row_column_and_suggestion(engine, run):
    book = xlsx(
        [
            ["code", "name", "category"],
            ["0127", "机电一体化技术", "机械类"],
            [702, "现代农艺技术", "农业类"],
        ],
        text_columns=(0,),
    )
    with pytest.raises(Invalid) as exc_info:
        run(import_catalog, book, key="t2022", options=NATIONAL, filename="catalog.xlsx")
    [error] = exc_info.value.detail["errors"]
    assert (error["row"], error["column"], error["code"]) == (3, "code", "major.code_format")
    assert error["value"] == "702"
    assert error["suggestion"] == "0702"
    assert count(engine, Major) == 0
    assert count(engine, CatalogEdition) == 0


def test_csv_code_that_lost_its_zero_suggests_the_padded_code(engine, run):
    data = "code,name,category\n702,现代农艺技术,农业类\n"
    with pytest.raises(Invalid) as exc_info:
        run(import_catalog, data.encode(), key="t2022", options=NATIONAL)
    assert exc_info.value.detail["errors"][0]["suggestion"] == "0702"


def test_gbk_csv_is_read(engine, run):
    data = "code,name,category\n0109,数控加工（数控车工）,机械类\n".encode("gbk")
    run(import_catalog, data, key="t2022", options=NATIONAL)
    assert majors(engine, "t2022")["0109"][0] == "数控加工（数控车工）"


def test_utf8_bom_csv_is_read(engine, run):
    data = "\ufeffcode,name,category\n0109,数控加工,机械类\n".encode()
    run(import_catalog, data, key="t2022", options=NATIONAL)
    assert set(majors(engine, "t2022")) == {"0109"}


def test_one_bad_row_writes_nothing_and_names_row_and_column(engine, run):
    data = (
        "code,name,category,levels\n0127,机电一体化技术,机械类,\n"
        "0208,工业机器人应用与维护,电工电子类,高级\n0219,,电工电子类,\n"
        "0314,网络与信息安全,信息类,博士\n"
    )
    with pytest.raises(Invalid) as exc_info:
        run(import_catalog, data.encode(), key="t2022", options=NATIONAL)
    assert errors_of(exc_info) == [
        (4, "name", "entry.missing_field"),
        (5, "levels", "entry.invalid_value"),
    ]
    assert count(engine, Major) == 0
    assert count(engine, CatalogEdition) == 0
    assert audits(engine, "catalog.import") == []


def test_duplicate_code_in_file_names_both_rows(engine, run):
    data = "code,name,category\n0127,机电一体化技术,机械类\n0127,机电一体化,机械类\n"
    with pytest.raises(Invalid) as exc_info:
        run(import_catalog, data.encode(), key="t2022", options=NATIONAL)
    [error] = exc_info.value.detail["errors"]
    assert (error["row"], error["column"]) == (3, "code")
    assert "第 2 行" in error["message"]


def test_secondary_catalog_wants_six_digit_codes(engine, run):
    data = "code,name,category\n0702,现代农艺技术,农业类\n70030,邮轮乘务,旅游大类\n"
    options = EditionOptions(title="MOE", system="secondary")
    with pytest.raises(Invalid) as exc_info:
        run(import_catalog, data.encode(), key="moe", options=options)
    assert errors_of(exc_info) == [
        (2, "code", "major.code_format"),
        (3, "code", "major.code_format"),
    ]


def test_reimport_updates_names_and_categories_without_duplicates(engine, run):
    first = "code,name,category\n0127,机电一体化,机械类\n0702,现代农艺技术,农业类\n"
    run(import_catalog, first.encode(), key="t2022", options=NATIONAL)
    second = "code,name,category\n0127,机电一体化技术,机械类\n0702,现代农艺技术,农业类\n"
    result = run(import_catalog, second.encode(), key="t2022", options=EditionOptions())
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 1)
    assert majors(engine, "t2022")["0127"][0] == "机电一体化技术"
    assert count(engine, Major) == 2
    assert len(audits(engine, "catalog.import")) == 2  # one entry per import


def test_province_option_creates_a_provincial_catalog_without_category_codes(engine, run):
    data = "code,name,category\n8191,网络营销与直播技术,财经商贸类\n"
    options = EditionOptions(title="广东", province="广东省")
    run(import_catalog, data.encode(), key="gd", options=options)
    with Session(engine) as session:
        edition = session.exec(select(CatalogEdition).where(CatalogEdition.key == "gd")).one()
        category = session.exec(select(Category)).one()
    assert (edition.kind, edition.province) == ("provincial", "广东省")
    assert edition.system == "technician"
    assert category.code is None  # 8xxx codes do not encode their category


def test_existing_edition_with_another_province_is_rejected(engine, run):
    data = "code,name,category\n8191,网络营销与直播技术,财经商贸类\n"
    run(import_catalog, data.encode(), key="gd", options=EditionOptions(province="广东省"))
    with pytest.raises(Invalid) as exc_info:
        run(import_catalog, data.encode(), key="gd", options=EditionOptions(province="江苏省"))
    assert exc_info.value.error == "edition_mismatch"


def test_missing_column_is_reported_before_any_row(engine, run):
    with pytest.raises(Invalid) as exc_info:
        run(import_catalog, "code,name\n0127,机电\n".encode(), key="t", options=NATIONAL)
    assert exc_info.value.error == "bad_header"
    assert exc_info.value.detail["missing_columns"] == ["category"]
