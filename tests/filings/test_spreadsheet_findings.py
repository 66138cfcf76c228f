"""Spreadsheet findings a clerk can act on (issue 25 item 5): the code meant by a mistyped one
as a one-click fix, no fix offered for a finding that follows from another, the headers
colleges use, and file errors in Chinese naming the rows."""

from app.filings.rules import check_kind
from tests.filings.test_import import gbk_csv

JINLING = "4401J012"  # 广州市金领技工学校
HEADER = "\ufeff序号,学校名称,专业名称,类别,代码,招生起点,培养层次,学制（年）,说明\r\n"


def _import(client, headers, body: bytes, name: str = "申报.csv"):
    return client.post(
        "/api/v1/filings/import",
        headers=headers,
        files={"file": (name, body)},
        data={"year": "2025"},
    )


def test_the_headers_colleges_use_are_read(seeded_client, tokens):
    body = HEADER + "1,广州市金领技工学校,法律事务,财经商贸类,1508,初中起点,高级,5,\r\n"
    answer = _import(seeded_client, tokens("college", college=JINLING), body.encode("utf-8"))
    assert answer.status_code == 201, answer.text
    entry = answer.json()["entries"][0]
    assert (entry["major_name"], entry["major_code"], entry["intake"], entry["level"]) == (
        "法律事务",
        "1508",
        "初中起点",
        "高级",
    )


def test_a_mistyped_code_gets_the_code_meant_as_its_fix(seeded_client, tokens):
    """07O2 (letter O) was reported without the 0702 it means."""
    college = tokens("college", college="4401J001")
    entry = {"major_code": "07O2", "major_name": "现代农艺技术", "category": "农业类"}
    body = {"college": "4401J001", "year": 2025, "entries": [entry]}
    answer = seeded_client.post("/api/v1/filings", headers=college, json=body)
    assert answer.status_code == 201, answer.text
    found = {f["code"]: f for f in answer.json()["entries"][0]["findings"]}
    assert found["major.code_format"]["suggestion"] == "0702"


def test_a_knock_on_kind_mismatch_is_said_but_not_offered_as_a_fix():
    knock_on = check_kind("新增层次", "新增专业", code_unsure=True)
    assert [f.code for f in knock_on] == ["filing.kind_mismatch"]
    assert knock_on[0].suggestion is None
    assert check_kind("新增层次", "新增专业")[0].suggestion == "新增专业"


def test_rows_of_another_college_are_named(seeded_client, tokens):
    answer = _import(seeded_client, tokens("college", college="4401J001"), gbk_csv())
    assert answer.status_code == 422
    assert answer.json()["error"] == "other_college"
    message = answer.json()["detail"]["message"]
    assert message.startswith("第 2、3、4、5、6、7 行（共 6 行）的学校不是广州市技师学院"), message


def test_a_file_that_is_no_spreadsheet_is_told_in_words(seeded_client, tokens):
    college = tokens("college", college="4401J001")
    for name, body in (("通知.pdf", b"%PDF-1.4 ..."), ("申报表.xlsx", b"\xd0\xcf\x11\xe0 old doc")):
        answer = _import(seeded_client, college, body, name)
        assert answer.status_code == 422
        assert answer.json()["error"] == "not_a_spreadsheet"
        message = answer.json()["detail"]
        message = message["message"] if isinstance(message, dict) else message
        assert "不是表格文件" in message
        assert "zip" not in message.lower()
