"""专业方向 as data: the 2024 附件3 seeded, the bureau's API and import, and the filing check
``major.direction_unregistered`` (contract.md)."""

import pytest

API = "/api/v1/directions"
VALIDATE = "/api/v1/filings/validate"
HAIZHU = (
    "4401Z006"  # 广州市海珠工艺美术职业学校, 附件3 prints its former name 广州市海珠工艺美术学院
)
QINGGONG = "4401Z002"  # 广州市轻工职业学校


@pytest.fixture
def edu(tokens):
    return tokens("admin", authority="GZ-EDU")


def validate(client, headers, college: str, code: str, name: str) -> dict:
    body = {
        "college": college,
        "year": 2025,
        "entries": [{"major_code": code, "major_name": name, "length_years": 3}],
    }
    response = client.post(VALIDATE, json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_2024_annex_3_is_seeded_as_directions_of_their_schools(seeded_client):
    haizhu = seeded_client.get(API, params={"college": HAIZHU}).json()["items"]
    assert [(d["name"], d["status"], d["normalised_major"]) for d in haizhu] == [
        ("艺术设计与制作（会展艺术设计与制作）", "kept", None),
        (
            "艺术设计与制作（动漫设计方向）",
            "normalised",
            {"code": "750109", "name": "动漫与游戏设计"},
        ),
        ("工艺美术（服装设计）", "normalised", {"code": "680402", "name": "服装设计与工艺"}),
        (
            "工艺美术（工艺美术品设计与制作）",
            "normalised",
            {"code": "750112", "name": "工艺品设计与制作"},
        ),
    ]
    assert {d["college"] for d in haizhu} == {"广州市海珠工艺美术职业学校"}  # former name resolved
    (qinggong,) = seeded_client.get(API, params={"college": QINGGONG}).json()["items"]
    assert (qinggong["direction"], qinggong["major"], qinggong["year"]) == (
        "岭南文化艺术",
        {"code": "750305", "name": "民间传统工艺"},
        2024,
    )
    assert qinggong["reason"] == "岭南区域特色，准予保留专业方向"
    kept = seeded_client.get(API, params={"status": "kept"}).json()["items"]
    assert len(kept) == 2
    assert seeded_client.get(f"{API}/{kept[0]['id']}").status_code == 200


def test_a_direction_the_bureau_normalised_is_unregistered_with_the_normalised_major(
    seeded_client, edu
):
    body = validate(seeded_client, edu, HAIZHU, "750101", "艺术设计与制作（动漫设计方向）")
    (finding,) = body["entries"][0]["findings"]
    assert (finding["code"], finding["severity"], finding["field"]) == (
        "major.direction_unregistered",
        "error",
        "major_name",
    )
    assert finding["suggestion"] == "动漫与游戏设计"
    assert "750109" in finding["message"]
    english = seeded_client.post(
        VALIDATE,
        json={
            "college": HAIZHU,
            "entries": [{"major_code": "750101", "major_name": "艺术设计与制作（动漫设计方向）"}],
        },
        headers={**edu, "Accept-Language": "en"},
    ).json()["entries"][0]["findings"]
    unregistered = [f for f in english if f["code"] == "major.direction_unregistered"]
    assert "normalised it to '动漫与游戏设计' (750109)" in unregistered[0]["message"]
    # filed under the normalised major's code, the name is still the direction: same finding
    again = validate(seeded_client, edu, HAIZHU, "750109", "艺术设计与制作（动漫设计方向）")
    assert [f["code"] for f in again["entries"][0]["findings"]] == ["major.direction_unregistered"]


def test_a_kept_direction_is_valid_under_its_catalog_major(seeded_client, edu):
    body = validate(seeded_client, edu, QINGGONG, "750305", "民间传统工艺（岭南文化艺术）")
    assert body["errors"] == 0
    assert body["entries"][0]["findings"] == []
    haizhu = validate(seeded_client, edu, HAIZHU, "750101", "艺术设计与制作（会展艺术设计与制作）")
    assert haizhu["errors"] == 0
    # under another code it is the usual name mismatch
    wrong = validate(seeded_client, edu, QINGGONG, "750306", "民间传统工艺（岭南文化艺术）")
    assert [f["code"] for f in wrong["entries"][0]["findings"]] == ["major.name_mismatch"]


def test_a_direction_kept_for_another_school_is_unregistered_here_and_suggests_the_base(
    seeded_client, edu
):
    body = validate(seeded_client, edu, QINGGONG, "750101", "艺术设计与制作（会展艺术设计与制作）")
    (finding,) = body["entries"][0]["findings"]
    assert finding["code"] == "major.direction_unregistered"
    assert finding["suggestion"] == "艺术设计与制作"
    assert "750101" in finding["message"]
    # a plain catalog name with brackets is no direction; technician colleges are not checked
    plain = validate(seeded_client, edu, QINGGONG, "750305", "民间传统工艺")
    assert plain["errors"] == 0


def test_the_bureau_records_changes_and_removes_a_direction(seeded_client, edu, tokens):
    created = seeded_client.post(
        API,
        json={
            "school": "广州市海珠工艺美术学院",  # a former name resolves
            "name": "工艺美术（漆艺）",
            "reason": "岭南区域特色，准予保留专业方向",
            "year": 2025,
        },
        headers=edu,
    )
    assert created.status_code == 201, created.text
    row = created.json()
    assert (row["college_code"], row["status"], row["major"]["code"]) == (HAIZHU, "kept", "750106")
    assert validate(seeded_client, edu, HAIZHU, "750106", "工艺美术（漆艺）")["errors"] == 0
    again = seeded_client.post(
        API, json={"college": HAIZHU, "name": "工艺美术(漆艺)", "year": 2025}, headers=edu
    )
    assert again.status_code == 409
    assert again.json()["error"] == "direction_exists"
    changed = seeded_client.patch(
        f"{API}/{row['id']}", json={"normalised_name": "工艺品设计与制作"}, headers=edu
    )
    assert changed.status_code == 200
    assert changed.json()["status"] == "normalised"
    found = validate(seeded_client, edu, HAIZHU, "750106", "工艺美术（漆艺）")
    assert found["entries"][0]["findings"][0]["suggestion"] == "工艺品设计与制作"
    assert seeded_client.delete(f"{API}/{row['id']}", headers=edu).status_code == 204
    gone = validate(seeded_client, edu, HAIZHU, "750106", "工艺美术（漆艺）")
    assert gone["entries"][0]["findings"][0]["suggestion"] == "工艺美术"  # the base major
    hrss = tokens("admin", authority="GZ-HRSS")
    refused = seeded_client.post(
        API, json={"college": HAIZHU, "name": "工艺美术（木雕）", "year": 2025}, headers=hrss
    )
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"college": "4401J001", "name": "烹饪（中式烹调）"}, "college.not_secondary"),
        ({"college": HAIZHU, "name": "工艺美术"}, "direction.bad_form"),
        ({"college": HAIZHU, "name": "茶艺（宋式点茶）"}, "major.unknown_name"),
        (
            {"college": HAIZHU, "name": "工艺美术（漆艺）", "normalised_name": "漆艺"},
            "major.unknown_name",
        ),
        ({"school": "广州市不存在职业学校", "name": "工艺美术（漆艺）"}, "college.unknown"),
    ],
)
def test_a_direction_that_cannot_be_recorded_is_422_naming_the_field(
    seeded_client, edu, body, error
):
    response = seeded_client.post(API, json={**body, "year": 2025}, headers=edu)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == error, response.text


def test_near_catalog_name_is_offered_for_an_unknown_base(seeded_client, edu):
    response = seeded_client.post(
        API,
        json={
            "college": HAIZHU,
            "name": "工艺美术（漆艺）",
            "normalised_name": "工艺品设计和制作",
            "year": 2025,
        },
        headers=edu,
    )
    assert response.json()["detail"]["suggestion"] == "工艺品设计与制作"


ANNEX_3_CSV = (
    "\ufeff序号,学校名称,原专业方向名称,规范专业名称,说明\r\n"
    "1,广州市海珠工艺美术学院,工艺美术（漆艺）,工艺美术（漆艺）,岭南区域特色，准予保留专业方向\r\n"
    "2,广州市轻工职业学校,民间传统工艺（岭南文化艺术）,民间传统工艺（岭南文化艺术）,"
    "岭南区域特色，准予保留专业方向\r\n"
)


def test_import_reads_annex_3_as_printed_and_upserts(seeded_client, edu):
    files = {"file": ("附件3.csv", ANNEX_3_CSV.encode("utf-8"), "text/csv")}
    response = seeded_client.post(f"{API}/import", files=files, data={"year": "2025"}, headers=edu)
    assert response.status_code == 200, response.text
    assert response.json() == {"rows": 2, "inserted": 1, "updated": 1, "unchanged": 0}
    qinggong = seeded_client.get(API, params={"college": QINGGONG}).json()["items"]
    assert [d["year"] for d in qinggong] == [2025]  # the recorded one, updated


def test_import_is_all_or_nothing_and_names_row_and_column(seeded_client, edu):
    bad = (
        ANNEX_3_CSV + "3,广州市轻工职业学校,茶艺和茶营销（宋式点茶）,茶艺和茶营销（宋式点茶）,x\r\n"
    )
    files = {"file": ("附件3.csv", bad.encode("utf-8"), "text/csv")}
    response = seeded_client.post(f"{API}/import", files=files, data={"year": "2025"}, headers=edu)
    assert response.status_code == 422
    (error,) = response.json()["detail"]["errors"]
    assert (error["row"], error["column"], error["code"]) == (
        4,
        "original_direction_name",
        "major.unknown_name",
    )
    assert error["suggestion"] == "茶艺与茶营销"
    assert len(seeded_client.get(API, params={"college": HAIZHU}).json()["items"]) == 4


def test_import_outside_the_admins_authority_is_403(seeded_client, tokens):
    files = {"file": ("附件3.csv", ANNEX_3_CSV.encode("utf-8"), "text/csv")}
    hrss = tokens("admin", authority="GZ-HRSS")
    response = seeded_client.post(f"{API}/import", files=files, data={"year": "2025"}, headers=hrss)
    assert response.status_code == 403


def test_registry_import_directions_reads_annex_3_from_the_command_line(
    seeded, database_url, monkeypatch, tmp_path
):
    from typer.testing import CliRunner

    from app.cli.commands import app
    from app.config import get_settings

    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    get_settings.cache_clear()
    path = tmp_path / "附件3.csv"
    path.write_bytes(ANNEX_3_CSV.lstrip("\ufeff").encode("gbk"))  # as Excel on Chinese Windows
    try:
        result = CliRunner().invoke(app, ["import", "directions", str(path), "--year", "2025"])
        bad = tmp_path / "bad.csv"
        bad.write_text(
            ANNEX_3_CSV.lstrip("\ufeff").replace("工艺美术（漆艺）,工艺", "工艺美术漆艺,工艺")
        )
        failed = CliRunner().invoke(app, ["import", "directions", str(bad), "--year", "2025"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "新增 1，更新 1" in result.stdout
    assert failed.exit_code == 1
    assert "direction.bad_form" in failed.stderr
    assert "第 2 行，original_direction_name 列" in failed.stderr
