"""The pure rules (app/filings/rules.py): values in, findings out — no database."""

import pytest

from app.filings.importer import fill_down
from app.filings.rules import (
    CatalogMajor,
    Context,
    EntryValues,
    ProgramRow,
    check_entries,
    check_length,
    derive_kind,
    kind_from_remark,
)

MAJOR = CatalogMajor(
    id=1,
    code="0445",
    name="重型车辆运用与维修",
    category="交通类",
    levels=(),
    status="active",
    edition_key="technician-2022",
    edition_province=None,
    in_force=True,
)
LENGTHS = {("初中起点", "高级"): 5, ("高中、中专或中技起点", "预备技师"): 4}


def ctx(**kw) -> Context:
    base = {
        "system": "technician",
        "province": "广东省",
        "college_type": "技师学院",
        "majors": {"0445": [MAJOR]},
        "lengths": LENGTHS,
    }
    return Context(**(base | kw))


@pytest.mark.parametrize(
    ("remark", "kind", "former"),
    [
        ("新增层次", "新增层次", ""),
        ("停招三年后复开", "停招后复开", ""),
        ("原重型车辆维修改名", "改名", "重型车辆维修"),
        ("原 重型车辆维修 专业改名", "改名", "重型车辆维修"),
        ("", "", ""),
        ("校企合作", "", ""),
    ],
)
def test_remark_of_the_published_list_states_the_declared_kind(remark, kind, former):
    assert kind_from_remark(remark) == (kind, former)


@pytest.mark.parametrize(
    ("programs", "expected"),
    [
        ([], "新增专业"),
        ([ProgramRow("0445", "重型车辆运用与维修", "高级", "高中起点", "active")], "新增层次"),
        ([ProgramRow("0445", "重型车辆运用与维修", "高级", "初中起点", "suspended")], "停招后复开"),
        ([ProgramRow("0421", "重型车辆维修", "高级", "初中起点", "active")], "改名"),
        ([ProgramRow("0445", "重型车辆运用与维修", "高级", "初中起点", "withdrawn")], "新增专业"),
    ],
)
def test_registry_derives_the_kind_from_the_colleges_programs(programs, expected):
    context = ctx(programs=programs)
    assert (
        derive_kind("0445", "重型车辆运用与维修", "高级", "初中起点", "重型车辆维修", context)
        == expected
    )


def test_length_table_is_data_an_authority_can_change():
    assert check_length("初中起点", "高级", 5, ctx()) == []
    changed = ctx(lengths={("初中起点", "高级"): 4})
    [finding] = check_length("初中起点", "高级", 5, changed)
    assert (finding.code, finding.suggestion) == ("program.length_mismatch", "4")


def test_combined_senior_intake_is_its_own_value_in_the_length_table():
    assert check_length("高中、中专或中技起点", "预备技师", 4, ctx()) == []
    [finding] = check_length("高中、中专或中技起点", "高级", 3, ctx())
    assert finding.code == "program.unknown_intake_level"


def test_rename_entry_of_2024_list_is_checked_clean_and_declares_rename():
    entry = EntryValues(
        major_code="0445",
        major_name="重型车辆运用与维修",
        category="交通类",
        intake="初中起点",
        level="高级",
        length="5",
        remark="原重型车辆维修改名",
    )
    programs = [ProgramRow("0421", "重型车辆维修", "高级", "初中起点", "active")]
    [checked] = check_entries([entry], ctx(programs=programs))
    assert checked.findings == []
    assert checked.kind == "改名"
    assert checked.former_name == "重型车辆维修"


def test_similar_names_are_suggested_never_substituted():
    near = CatalogMajor(
        id=2,
        code="8197",
        name="网络营销与直播电商",
        category="财经商贸类",
        levels=(),
        status="active",
        edition_key="gd-specialty",
        edition_province="广东省",
        in_force=True,
    )
    context = ctx(majors={}, names={"网络营销与直播电商": near})
    entry = EntryValues(
        major_code="8191",
        major_name="网络营销与直播技术",
        category="财经商贸类",
        intake="初中起点",
        level="高级",
        length="5",
    )
    [checked] = check_entries([entry], context)
    [finding] = checked.findings
    assert finding.code == "major.unknown_code"
    assert finding.suggestion == "8197"
    assert checked.major is None


def test_continuation_lines_take_the_merged_cells_from_the_line_above():
    rows = [
        (
            2,
            {
                "序号": "65",
                "学校": "广州市金领技工学校",
                "专业": "数字化口腔技术",
                "专业代码": "8173",
                "层次": "初中起点",
                "备注": "新增层次",
            },
        ),
        (3, {"序号": "", "学校": "", "专业": "", "专业代码": "", "层次": "中技起点", "备注": ""}),
        (
            4,
            {
                "序号": "",
                "学校": "",
                "专业": "新提案专业",
                "专业代码": "",
                "层次": "初中起点",
                "备注": "",
            },
        ),
    ]
    filled = fill_down(rows)
    assert filled[1][1]["专业代码"] == "8173"
    assert filled[1][1]["备注"] == "新增层次"
    assert filled[1][1]["学校"] == "广州市金领技工学校"
    # a line naming its own major keeps its blank code: an out-of-catalog proposal
    assert filled[2][1]["专业代码"] == ""
    assert filled[2][1]["学校"] == "广州市金领技工学校"
