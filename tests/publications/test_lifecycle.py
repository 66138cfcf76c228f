"""Draft → edit → publish → frozen; corrections are new revisions; who may do what."""

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.audit import AuditLog
from tests.publications.helpers import API, SERIES_2024, line, lines_as_input, sha256

TWO_ENTRIES = [
    line(1, "4401J001", "0127", "初中起点", "高级", 5),
    line(1, "4401J001", "0127", "高中起点", "预备技师", 4),
    line(2, "4401J002", "0702", "初中起点", "中级", 3, "新增层次"),
]


def snapshot(client, publication_id: int, headers=None) -> tuple:
    """Everything a write could change: the JSON, the CSV and the XLSX rows."""
    body = client.get(f"{API}/{publication_id}", headers=headers).json()
    csv_bytes = client.get(f"{API}/{publication_id}.csv", headers=headers).content
    return body, csv_bytes


def test_seeded_2024_list_is_published_and_reads_like_the_notice(seeded_client, list_2024):
    assert list_2024["published_on"] == "2024-04-16"
    assert list_2024["authority"] == "GZ-HRSS"
    assert list_2024["title"] == "2024年广州市技工院校新增专业名单"
    assert list_2024["latest"]
    assert (list_2024["line_count"], list_2024["entry_count"]) == (82, 72)
    entries = list_2024["entries"]
    assert [e["seq"] for e in entries] == list(range(1, 73))
    eight = entries[7]
    assert (eight["college"], eight["major_code"]) == ("广州市工贸技师学院", "0220")
    assert [(x["intake"], x["level"], x["length"]) for x in eight["lines"]] == [
        ("初中起点", "高级", "五年"),
        ("高中、中专或中技起点", "预备技师", "四年"),
    ]
    remarks = {x["remark"] for e in entries for x in e["lines"]}
    assert {"新增层次", "停招三年后复开", "原重型车辆维修改名"} <= remarks
    assert [s["major_code"] for s in list_2024["specialties"]] == [
        "8206",
        "8207",
        "8208",
        "8209",
        "8212",
    ]


def test_publishing_links_every_program_the_list_approves(seeded_client, list_2024):
    program_ids = [x["program_id"] for e in list_2024["entries"] for x in e["lines"]]
    assert None not in program_ids
    assert len(set(program_ids)) == 82
    approvals = seeded_client.get(f"/api/v1/programs/{program_ids[0]}/approvals").json()
    assert [p["id"] for p in approvals["items"]] == [list_2024["id"]]
    assert seeded_client.get("/api/v1/programs/999999/approvals").status_code == 404


def test_publishing_twice_gets_409_and_changes_nothing(seeded_client, gz_admin, list_2024):
    before = snapshot(seeded_client, list_2024["id"])
    response = seeded_client.post(f"{API}/{list_2024['id']}/publish", headers=gz_admin)
    assert response.status_code == 409
    assert response.json()["error"] == "published"
    after = snapshot(seeded_client, list_2024["id"])
    assert after == before
    assert after[0]["checksum"] == list_2024["checksum"]


WRITES = [
    ("patch", "", {"title": "改过的标题"}),
    ("patch", "", {"document_number": "穗人社函〔2024〕1号", "published_on": "2024-05-01"}),
    ("put", "/lines", {"lines": TWO_ENTRIES}),
    ("put", "/lines", {"lines": []}),
    ("put", "/specialties", {"specialties": []}),
    ("delete", "", None),
    ("post", "/publish", None),
]


@pytest.mark.parametrize(("method", "suffix", "body"), WRITES)
def test_every_write_to_a_published_list_gets_409_and_changes_nothing(
    seeded_client, seeded, tokens, list_2024, method, suffix, body
):
    before = snapshot(seeded_client, list_2024["id"])
    with Session(seeded) as session:
        audits = session.scalar(select(func.count()).select_from(AuditLog))
    for headers in (tokens("admin", authority="GZ-HRSS"), tokens("admin")):  # bound, superuser
        kwargs = {"json": body} if body is not None else {}
        response = seeded_client.request(
            method.upper(), f"{API}/{list_2024['id']}{suffix}", headers=headers, **kwargs
        )
        assert response.status_code == 409, response.text
        assert response.json()["error"] == "published"
        assert response.json()["detail"]["checksum"] == list_2024["checksum"]
    after = snapshot(seeded_client, list_2024["id"])
    assert after == before
    assert sha256(after[1]) == list_2024["checksum"]
    with Session(seeded) as session:
        assert session.scalar(select(func.count()).select_from(AuditLog)) == audits


def test_draft_is_edited_then_published_with_the_checksum_of_its_csv(
    seeded_client, gz_admin, draft
):
    created = draft(TWO_ENTRIES)
    pid = created["id"]
    assert created["status"] == "draft"
    assert created["revision"] == 1
    assert created["checksum"] is None
    assert (created["line_count"], created["entry_count"]) == (3, 2)
    assert created["entries"][1]["major_name"] == "现代农艺技术"  # the catalog's name by default
    lines = TWO_ENTRIES + [line(3, "4401J003", "0219", "初中起点", "高级", 5)]
    edited = seeded_client.put(f"{API}/{pid}/lines", json={"lines": lines}, headers=gz_admin)
    assert edited.status_code == 200
    assert edited.json()["line_count"] == 4
    meta = seeded_client.patch(
        f"{API}/{pid}", json={"document_number": "穗人社函〔2025〕9号"}, headers=gz_admin
    )
    assert meta.json()["document_number"] == "穗人社函〔2025〕9号"
    published = seeded_client.post(f"{API}/{pid}/publish", headers=gz_admin).json()
    assert published["status"] == "published"
    assert published["published_at"]
    public_csv = seeded_client.get(f"{API}/{pid}.csv")
    assert public_csv.status_code == 200
    assert published["checksum"] == sha256(public_csv.content)
    assert public_csv.text.count("\r\n") == 5


def test_a_draft_is_hidden_from_the_public_and_other_authorities(seeded_client, tokens, draft):
    pid = draft(TWO_ENTRIES)["id"]
    assert seeded_client.get(f"{API}/{pid}").status_code == 404
    assert seeded_client.get(f"{API}/{pid}.csv").status_code == 404
    other = tokens("reviewer", authority="GZ-EDU")
    assert seeded_client.get(f"{API}/{pid}", headers=other).status_code == 404
    own = tokens("reviewer", authority="GZ-HRSS")
    assert seeded_client.get(f"{API}/{pid}", headers=own).status_code == 200
    public_ids = [p["id"] for p in seeded_client.get(API).json()["items"]]
    own_ids = [p["id"] for p in seeded_client.get(API, headers=own).json()["items"]]
    assert pid not in public_ids
    assert pid in own_ids


@pytest.mark.parametrize(
    ("lines", "error"),
    [
        ([line(2, "4401J001", "0127", "初中起点", "高级", 5)], "bad_numbering"),
        (
            [
                line(1, "4401J001", "0127", "初中起点", "高级", 5),
                line(1, "4401J001", "0702", "初中起点", "高级", 5),
            ],
            "bad_numbering",
        ),
        (
            [
                line(1, "4401J001", "0127", "初中起点", "高级", 5),
                line(3, "4401J001", "0702", "初中起点", "高级", 5),
            ],
            "bad_numbering",
        ),
        ([line(1, "NOPE", "0127", "初中起点", "高级", 5)], "unknown_college"),
        ([line(1, "4401J001", "9999", "初中起点", "高级", 5)], "unknown_major"),
        # a 中职 school is 广州市教育局's, not on 广州市人社局's list
        ([line(1, "4401Z001", "700304", "初中起点", None, 3)], "college_outside_authority"),
    ],
)
def test_draft_lines_that_break_the_notice_are_refused(seeded_client, gz_admin, lines, error):
    body = {"year": 2025, "title": "t", "series": "GZ-T-2025", "lines": lines}
    response = seeded_client.post(API, json=body, headers=gz_admin)
    assert response.status_code == 422
    assert response.json()["error"] == error


def test_correction_is_a_new_revision_and_the_original_keeps_its_url(
    seeded_client, gz_admin, list_2024, correction
):
    def drop_last(lines):
        del lines[-1]

    revised = correction(drop_last, reason="第72项重复")
    assert (revised["revision"], revised["corrects"]) == (2, list_2024["id"])
    assert revised["correction_reason"] == "第72项重复"
    assert revised["line_count"] == 81
    latest = seeded_client.get(f"{API}/{SERIES_2024}/latest").json()
    assert latest["id"] == revised["id"]
    assert latest["latest"]
    original = seeded_client.get(f"{API}/{list_2024['id']}").json()
    assert original["checksum"] == list_2024["checksum"]
    assert not original["latest"]
    assert original["corrected_by"] == [revised["id"]]
    assert original["line_count"] == 82
    redirect = seeded_client.get(f"{API}/{SERIES_2024}/latest.csv", follow_redirects=False)
    assert redirect.status_code == 307
    assert redirect.headers["location"] == f"{API}/{revised['id']}.csv"
    download = seeded_client.get(f"{API}/{revised['id']}.csv")
    assert sha256(download.content) == revised["checksum"] != list_2024["checksum"]
    assert (
        "第2版" in download.headers["content-disposition"]
        or "%E7%AC%AC2%E7%89%88" in (download.headers["content-disposition"])
    )


def test_corrections_only_of_the_latest_published_revision_one_at_a_time(
    seeded_client, gz_admin, list_2024, correction
):
    body = {"reason": "再次勘误"}
    first = seeded_client.post(f"{API}/{list_2024['id']}/corrections", json=body, headers=gz_admin)
    assert first.status_code == 201
    again = seeded_client.post(f"{API}/{list_2024['id']}/corrections", json=body, headers=gz_admin)
    assert again.status_code == 409
    assert again.json()["error"] == "draft_exists"
    of_draft = seeded_client.post(
        f"{API}/{first.json()['id']}/corrections", json=body, headers=gz_admin
    )
    assert of_draft.status_code == 409
    assert of_draft.json()["error"] == "not_published"
    seeded_client.post(f"{API}/{first.json()['id']}/publish", headers=gz_admin)
    stale = seeded_client.post(f"{API}/{list_2024['id']}/corrections", json=body, headers=gz_admin)
    assert stale.status_code == 409
    assert stale.json()["error"] == "not_latest"


def test_only_the_publishing_authoritys_admins_write(seeded_client, tokens, list_2024, draft):
    pid = draft(TWO_ENTRIES)["id"]
    denied = {
        "none": ({}, 401),
        "college": (tokens("college", college="4401J001"), 403),
        "reviewer": (tokens("reviewer", authority="GZ-HRSS"), 403),
        "other authority": (tokens("admin", authority="GZ-EDU"), 403),
    }
    for who, (headers, status) in denied.items():
        assert seeded_client.post(f"{API}/{pid}/publish", headers=headers).status_code == status, (
            who
        )
        response = seeded_client.post(
            f"{API}/{list_2024['id']}/corrections", json={"reason": "x"}, headers=headers
        )
        assert response.status_code == status, who
    assert seeded_client.get(f"{API}/{pid}", headers=tokens("admin")).json()["status"] == "draft"


def test_deleting_a_draft_removes_it(seeded_client, gz_admin, draft):
    pid = draft(TWO_ENTRIES)["id"]
    assert seeded_client.delete(f"{API}/{pid}", headers=gz_admin).status_code == 204
    assert seeded_client.get(f"{API}/{pid}", headers=gz_admin).status_code == 404


def test_a_second_list_with_the_same_series_is_refused(seeded_client, gz_admin):
    body = {"year": 2024, "title": "t", "lines": TWO_ENTRIES}  # series defaults to GZ-HRSS-2024
    response = seeded_client.post(API, json=body, headers=gz_admin)
    assert response.status_code == 409
    assert response.json()["error"] == "series_exists"


def test_publication_list_filters_by_year_and_pages(seeded_client, gz_admin, draft):
    # 2026 approves other offerings: 2025's run already (a second list cannot approve them).
    later = [line(1, "4401J003", "0127", "初中起点", "高级", 5)]
    for year, lines in ((2025, TWO_ENTRIES), (2026, later)):
        pid = draft(lines, year=year, series=f"GZ-T-{year}")["id"]
        assert seeded_client.post(f"{API}/{pid}/publish", headers=gz_admin).status_code == 200
    first = seeded_client.get(API, params={"limit": 2}).json()
    assert [p["year"] for p in first["items"]] == [2026, 2025]
    assert first["next"]
    rest = seeded_client.get(API, params={"limit": 2, "cursor": first["next"]}).json()
    # 2024: the 中职 list (published second by the seed), then the technician one
    assert [p["year"] for p in rest["items"]] == [2024, 2024]
    assert rest["next"] is None
    only = seeded_client.get(API, params={"year": 2024}).json()["items"]
    assert [p["series"] for p in only] == ["GZ-EDU-2024", SERIES_2024]
    mine = seeded_client.get(API, params={"year": 2024, "authority": "GZ-HRSS"}).json()
    assert [p["series"] for p in mine["items"]] == [SERIES_2024]


def test_lines_as_input_round_trips_the_2024_list(seeded_client, gz_admin, list_2024, correction):
    revised = correction(lambda lines: None, reason="无改动")
    assert revised["checksum"] == list_2024["checksum"]
    assert lines_as_input(revised) == lines_as_input(list_2024)
