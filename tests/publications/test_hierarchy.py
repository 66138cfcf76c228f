"""Publications follow the authority tree like every other domain: an admin manages the lists of
its own authority and of the authorities under it (广东省人社厅 those of 广州市人社局), never a list
of an authority above it or beside it (403 ``not_your_authority``)."""

from tests.publications.helpers import API, line

ONE_LINE = [line(1, "4401J001", "0127", "初中起点", "高级", 5)]


def test_province_admin_edits_publishes_and_corrects_a_city_list(seeded_client, tokens, draft):
    province = tokens("admin", authority="GD-HRSS")
    pid = draft(ONE_LINE)["id"]
    renamed = seeded_client.patch(f"{API}/{pid}", json={"title": "省厅改定"}, headers=province)
    assert renamed.status_code == 200
    assert renamed.json()["title"] == "省厅改定"
    published = seeded_client.post(f"{API}/{pid}/publish", headers=province)
    assert published.status_code == 200, published.text
    corrected = seeded_client.post(
        f"{API}/{pid}/corrections", json={"reason": "勘误"}, headers=province
    )
    assert corrected.status_code == 201, corrected.text


def test_province_admin_drafts_a_list_in_the_city_bureaus_name(seeded_client, tokens):
    body = {"authority": "GZ-HRSS", "year": 2026, "title": "2026年名单", "lines": ONE_LINE}
    response = seeded_client.post(API, json=body, headers=tokens("admin", authority="GD-HRSS"))
    assert response.status_code == 201, response.text
    assert response.json()["authority"] == "GZ-HRSS"


def test_city_admin_cannot_draft_for_its_province(seeded_client, gz_admin):
    body = {"authority": "GD-HRSS", "year": 2026, "title": "2026年名单", "lines": ONE_LINE}
    response = seeded_client.post(API, json=body, headers=gz_admin)
    assert response.status_code == 403
    assert response.json()["error"] == "not_your_authority"


def test_another_systems_admin_cannot_touch_the_list(seeded_client, tokens, draft):
    pid = draft(ONE_LINE)["id"]
    for authority in ("GZ-EDU", "GD-EDU"):
        response = seeded_client.patch(
            f"{API}/{pid}", json={"title": "x"}, headers=tokens("admin", authority=authority)
        )
        assert response.status_code == 403, authority
        assert response.json()["error"] == "not_your_authority", authority
