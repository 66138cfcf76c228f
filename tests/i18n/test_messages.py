"""Messages a college reads come back in Chinese by default and in English on request; codes, error
names and JSON keys stay the same in both (contract.md: Messages)."""

from app.i18n.locale import negotiate

GZ_COLLEGE = "4401J001"  # 广州市技师学院
ENTRY = {
    "major_code": "0127",
    "major_name": "机电一体化技术",
    "category": "机械类",
    "intake": "初中起点",
    "level": "高级",
    "length_years": 3,
}


def _validate(client, headers, **extra):
    body = {"college": GZ_COLLEGE, "year": 2025, "entries": [ENTRY]}
    response = client.post(
        "/api/v1/filings/validate", json=body, headers=headers | extra.get("lang", {})
    )
    assert response.status_code == 200, response.text
    return response.json()["entries"][0]["findings"]


def test_a_college_validation_answer_is_chinese_by_default_and_english_on_request(
    seeded_client, tokens
):
    headers = tokens("college", college=GZ_COLLEGE)
    zh = _validate(seeded_client, headers)
    en = _validate(seeded_client, headers, lang={"Accept-Language": "en-US,en;q=0.9"})
    assert zh == [
        {
            "code": "program.length_mismatch",
            "severity": "error",
            "field": "length_years",
            "message": "初中起点高级班学制为五年",
            "suggestion": "5",
        }
    ]
    assert en == [zh[0] | {"message": "初中起点 高级 lasts 5 years"}]


def test_an_error_is_chinese_by_default_with_the_same_name_in_english(seeded_client):
    zh = seeded_client.get("/api/v1/colleges/NOPE")
    en = seeded_client.get("/api/v1/colleges/NOPE", headers={"Accept-Language": "en"})
    assert zh.status_code == en.status_code == 404
    assert zh.json() == {"error": "college_not_found", "detail": "没有代码为“NOPE”的院校"}
    assert en.json() == {"error": "college_not_found", "detail": "no college with code 'NOPE'"}


def test_pydantic_422_messages_are_chinese_with_the_same_types(seeded_client, tokens):
    headers = tokens("college", college=GZ_COLLEGE)
    body = {"college": GZ_COLLEGE, "year": "next", "entries": []}
    zh = seeded_client.post("/api/v1/filings/validate", json=body, headers=headers)
    en = seeded_client.post(
        "/api/v1/filings/validate", json=body, headers=headers | {"Accept-Language": "en"}
    )
    assert zh.status_code == en.status_code == 422
    assert zh.json()["error"] == en.json()["error"] == "validation_error"
    zh_item, en_item = zh.json()["detail"][0], en.json()["detail"][0]
    assert zh_item["loc"] == en_item["loc"] == ["body", "year"]
    assert zh_item["type"] == en_item["type"] == "int_parsing"
    assert zh_item["msg"] == "应为整数"
    assert en_item["msg"] == "Input should be a valid integer, unable to parse string as an integer"


def test_unknown_path_answers_in_the_readers_language(client):
    assert client.get("/nowhere").json() == {"error": "not_found", "detail": "没有这个地址"}
    english = client.get("/nowhere", headers={"Accept-Language": "en"}).json()
    assert english == {"error": "not_found", "detail": "no such address"}


def test_a_method_a_path_does_not_take_is_405_in_the_readers_language(client):
    wrong = client.get("/api/v1/programs/import")  # POST only
    assert wrong.status_code == 405
    assert wrong.json() == {"error": "method_not_allowed", "detail": "此地址不支持该请求方法"}
    assert "POST" in wrong.headers["allow"]
    english = client.delete("/api/v1/programs/import", headers={"Accept-Language": "en"})
    assert english.status_code == 405
    assert english.json() == {"error": "method_not_allowed", "detail": "method not allowed"}


def test_language_negotiation_follows_quality_values():
    assert negotiate(None) == "zh-CN"
    assert negotiate("en") == "en"
    assert negotiate("en-GB,en;q=0.9") == "en"
    assert negotiate("zh-CN,zh;q=0.9,en;q=0.8") == "zh-CN"
    assert negotiate("fr, en;q=0.5") == "en"  # the best we speak
    assert negotiate("en;q=0.4, zh;q=0.6") == "zh-CN"
    assert negotiate("fr") == "zh-CN"
    assert negotiate("en;q=0") == "zh-CN"  # q=0: not acceptable


def _import_bad_catalog(database_url, tmp_path, monkeypatch, lang):
    from typer.testing import CliRunner

    from app.cli.commands import app as cli_app
    from app.config import get_settings

    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    if lang:
        monkeypatch.setenv("REGISTRY_LANG", lang)
    get_settings.cache_clear()
    path = tmp_path / "bad.csv"
    path.write_text("code,name,category\n702,现代农艺技术,农业类\n", encoding="utf-8")
    try:
        args = ["import", "catalog", str(path), "--edition", "technician-2022"]
        return CliRunner().invoke(cli_app, args)
    finally:
        get_settings.cache_clear()


def test_cli_messages_are_chinese_by_default(seeded, database_url, tmp_path, monkeypatch):
    result = _import_bad_catalog(database_url, tmp_path, monkeypatch, None)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "第 2 行，code 列：major.code_format：“702”只有 3 位，技工院校专业代码为 4 位；"
        "表格可能去掉了开头的 0（值：702）（建议：0702）",
        "共 1 处错误；未导入任何数据",
    ]


def test_cli_messages_are_english_with_registry_lang_en(
    seeded, database_url, tmp_path, monkeypatch
):
    result = _import_bad_catalog(database_url, tmp_path, monkeypatch, "en")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "row 2, column code: major.code_format: '702' has 3 digits, a technician code has 4; "
        "a spreadsheet may have dropped its leading zero [702] (suggestion: 0702)",
        "1 error(s); nothing was imported",
    ]
    # the command's language ends with the command: this test's own messages are Chinese again
    from app.i18n import get_locale

    assert get_locale() == "zh-CN"
