"""Issue 23: the approval list is the registry's source of truth (contract.md, Source of truth).

One test (or more) per numbered finding 1–7 of the issue, each failing on the code before it:
1 lines nothing approved, 2 programs live before the list, 3 no 公示, 4 the round stays open,
5 no summary, 6 drafting from a round demands year/title/authority, 7 the internal remark printed.
Plus issue 22 item 1: who sees a draft is who may write it (the authority tree)."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from app.programs.models import Program
from app.publications.models import ProgramApproval, PublicationLine
from tests.publications.helpers import API, GZ, line
from tests.publications.test_from_round import ENTRIES

PROGRAMS = "/api/v1/programs"
YESTERDAY = (date.today() - timedelta(days=2)).isoformat()
LONG_AGO = (date.today() - timedelta(days=9)).isoformat()
NEXT_WEEK = (date.today() + timedelta(days=7)).isoformat()


@pytest.fixture
def admin(tokens):
    return tokens("admin", authority=GZ)


def _draft_from_round(client, admin, round_id: int, **extra) -> dict:
    response = client.post(API, headers=admin, json={"round_id": round_id, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def _program(client, college: str, code: str, intake: str, level: str) -> dict:
    items = client.get(PROGRAMS, params={"college": college, "major_code": code}).json()["items"]
    found = [p for p in items if p["intake"] == intake and p["level"] == level]
    assert len(found) == 1, items
    return found[0]


def _publish(client, admin, publication_id: int):
    return client.post(f"{API}/{publication_id}/publish", headers=admin)


# ---- finding 1: every line traces to an approval ----------------------------------------------


def test_a_hand_line_without_reason_is_not_approved_and_with_reason_is_checked(
    seeded_client, admin, decided_round
):
    draft = _draft_from_round(seeded_client, admin, decided_round["id"], published_on="2025-04-20")
    kept = [
        line(
            e["seq"], e["college_code"], e["major_code"], x["intake"], x["level"], x["length_years"]
        )
        for e in draft["entries"]
        for x in e["lines"]
    ]
    # The line: 4401J002 0208 初中起点 高级 三年 (the length table says five years).
    wrong = line(3, "4401J002", "0208", "初中起点", "高级", 3, reason="")
    path = f"{API}/{draft['id']}/lines"
    refused = seeded_client.put(path, headers=admin, json={"lines": [*kept, wrong]})
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"] == "line_not_approved"
    explained = wrong | {"reason": "市局补充：经局务会研究同意"}
    refused = seeded_client.put(path, headers=admin, json={"lines": [*kept, explained]})
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["error"] == "line_has_errors"
    codes = {(f["code"], f["line"]) for f in body["detail"]["findings"]}
    assert ("program.length_mismatch", 3) in codes
    assert seeded_client.get(f"{API}/{draft['id']}", headers=admin).json()["line_count"] == 3

    fixed = explained | {"length_years": 5}
    stored = seeded_client.put(path, headers=admin, json={"lines": [*kept, fixed]})
    assert stored.status_code == 200, stored.text
    lines = [x for e in stored.json()["entries"] for x in e["lines"]]
    assert all(x["entry_id"] for x in lines[:3])
    assert not any(x["added"] for x in lines[:3])
    assert lines[3]["entry_id"] is None
    assert lines[3]["added"] is True
    assert lines[3]["reason"] == "市局补充：经局务会研究同意"
    audit = seeded_client.get(
        "/api/v1/audit", headers=admin, params={"action": "publication.lines"}
    ).json()["items"]
    assert "0208" in str(audit[0]["summary"])

    published = _publish(seeded_client, admin, draft["id"])
    assert published.status_code == 200, published.text
    added = _program(seeded_client, "4401J002", "0208", "初中起点", "高级")
    assert added["status"] == "active"
    assert added["since_year"] == 2025


def test_lines_drafted_from_a_round_carry_their_entry(seeded_client, admin, decided_round):
    draft = _draft_from_round(seeded_client, admin, decided_round["id"])
    lines = [x for e in draft["entries"] for x in e["lines"]]
    assert len(lines) == 3
    assert all(isinstance(x["entry_id"], int) for x in lines)
    assert len({x["entry_id"] for x in lines}) == 3


def test_publishing_a_line_whose_program_runs_under_another_list_is_409_naming_it(
    seeded_client, seeded, admin, decided_round
):
    draft = _draft_from_round(seeded_client, admin, decided_round["id"], published_on="2025-04-20")
    lines = [
        line(
            e["seq"], e["college_code"], e["major_code"], x["intake"], x["level"], x["length_years"]
        )
        for e in draft["entries"]
        for x in e["lines"]
    ]
    stored = seeded_client.put(f"{API}/{draft['id']}/lines", headers=admin, json={"lines": lines})
    assert stored.status_code == 200, stored.text
    # Meanwhile the program of line 3 is made to run already (an import, another list...).
    program = _program(seeded_client, "4401J002", "0127", "高中起点", "高级")
    with Session(seeded) as session:
        row = session.get(Program, program["id"])
        assert row is not None
        assert row.status == "approved"
        row.status = "active"
        session.add(row)
        first_2024 = session.exec(select(PublicationLine).order_by(PublicationLine.id)).first()
        assert first_2024 is not None
        session.add(
            ProgramApproval(
                program_id=row.id, publication_id=first_2024.publication_id, line_id=first_2024.id
            )
        )
        session.commit()
    refused = _publish(seeded_client, admin, draft["id"])
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"] == "line_conflict"
    assert refused.json()["detail"]["seq"] == 2
    assert refused.json()["detail"]["why"] == "exists"


# ---- finding 2: approval, then effect -----------------------------------------------------


def test_an_approval_waits_as_approved_until_its_list_is_published(
    seeded_client, admin, decided_round
):
    before = seeded_client.get(PROGRAMS, params={"status": "approved", "limit": 500}).json()
    assert {(p["college_code"], p["major_code"]) for p in before["items"]} == {
        ("4401J001", "0127"),
        ("4401J002", "0127"),
    }
    assert all(p["status"] == "approved" for p in before["items"])
    assert len(before["items"]) == 3
    active = seeded_client.get(PROGRAMS, params={"status": "active", "college": "4401J001"})
    assert "0127" not in {p["major_code"] for p in active.json()["items"]}
    zh = seeded_client.get(f"{PROGRAMS}.csv", params={"status": "approved", "layout": "zh"})
    assert zh.text.count("批准待公布") == 3
    feed = seeded_client.get(
        "/api/v1/changes", params={"since": 0, "entity": "program", "limit": 500}
    )
    ids = {str(p["id"]) for p in before["items"]}
    waiting = [c for c in feed.json()["items"] if c["key"] in ids]
    assert waiting
    assert all(c["data"]["status"] == "approved" for c in waiting)
    last = feed.json()["last_seq"]

    draft = _draft_from_round(seeded_client, admin, decided_round["id"], published_on="2025-04-20")
    published = _publish(seeded_client, admin, draft["id"])
    assert published.status_code == 200, published.text
    assert published.json()["linked_programs"] == 3
    program = _program(seeded_client, "4401J001", "0127", "初中起点", "高级")
    assert program["status"] == "active"
    assert program["since_year"] == 2025
    approvals = seeded_client.get(f"{PROGRAMS}/{program['id']}/approvals").json()["items"]
    assert [a["id"] for a in approvals] == [draft["id"]]
    later = seeded_client.get("/api/v1/changes", params={"since": last, "entity": "program"})
    activated = [c for c in later.json()["items"] if c["key"] == str(program["id"])]
    assert activated
    assert activated[-1]["data"]["status"] == "active"
    assert seeded_client.get(PROGRAMS, params={"status": "approved"}).json()["items"] == []


def test_seeded_2024_lists_keep_their_checksums_and_their_programs_stay_active(seeded_client):
    from tests.publications.helpers import EXPECTED_2024_CSV, EXPECTED_SECONDARY_CSV, sha256

    for series, expected in (
        ("GZ-HRSS-2024", EXPECTED_2024_CSV),
        ("GZ-EDU-2024", EXPECTED_SECONDARY_CSV),
    ):
        body = seeded_client.get(f"{API}/{series}/latest").json()
        assert body["checksum"] == sha256(expected.read_bytes())
        assert all(x["program_id"] for e in body["entries"] for x in e["lines"])
    statuses = {
        p["status"] for p in seeded_client.get(PROGRAMS, params={"limit": 500}).json()["items"]
    }
    assert statuses == {"active"}


# ---- finding 3: 公示 -------------------------------------------------------------------------


def test_announce_makes_the_list_public_and_publishing_waits_for_the_period_and_objections(
    seeded_client, admin, tokens, decided_round
):
    draft = _draft_from_round(seeded_client, admin, decided_round["id"], published_on="2025-04-20")
    pid = draft["id"]
    assert seeded_client.get(f"{API}/{pid}").status_code == 404
    period = {"from": YESTERDAY, "until": NEXT_WEEK, "contact": "020-83190000 专业建设科"}
    announced = seeded_client.post(f"{API}/{pid}/announce", headers=admin, json=period)
    assert announced.status_code == 200, announced.text
    body = announced.json()
    assert body["status"] == "announced"
    assert body["announcement"] == {
        "from": YESTERDAY,
        "until": NEXT_WEEK,
        "contact": "020-83190000 专业建设科",
    }
    assert body["announcement_open"] is True
    public = seeded_client.get(f"{API}/{pid}")
    assert public.status_code == 200
    assert public.json()["status"] == "announced"
    assert public.json()["objections"] == []  # objections are the bureau's
    refused = _publish(seeded_client, admin, pid)
    assert refused.status_code == 409
    assert refused.json()["error"] == "announcement_open"

    past = period | {"from": LONG_AGO, "until": YESTERDAY}
    assert seeded_client.post(f"{API}/{pid}/announce", headers=admin, json=past).status_code == 200
    reviewer = tokens("reviewer", authority=GZ)
    first = seeded_client.post(
        f"{API}/{pid}/objections", headers=reviewer, json={"text": "学制有误", "seq": 1}
    )
    second = seeded_client.post(
        f"{API}/{pid}/objections", headers=reviewer, json={"text": "该校不具备条件", "seq": 2}
    )
    assert first.status_code == 201
    assert first.json()["status"] == "open"
    refused = _publish(seeded_client, admin, pid)
    assert refused.status_code == 409
    assert refused.json()["error"] == "objection_open"
    dismissed = seeded_client.patch(
        f"{API}/{pid}/objections/{first.json()['id']}",
        headers=reviewer,
        json={"status": "dismissed", "resolution": "学制符合学制表"},
    )
    assert dismissed.status_code == 200
    assert dismissed.json()["status"] == "dismissed"
    upheld = seeded_client.patch(
        f"{API}/{pid}/objections/{second.json()['id']}",
        headers=admin,
        json={"status": "upheld", "resolution": "经核实不具备条件", "drop": True},
    )
    assert upheld.status_code == 200, upheld.text
    published = _publish(seeded_client, admin, pid)
    assert published.status_code == 200, published.text
    assert [e["college_code"] for e in published.json()["entries"]] == ["4401J001"]
    # the upheld objection overturned the approval: the entry is rejected with the resolution,
    # the program it reserved never ran (withdrawn), a correction does not bring it back
    dropped = _program(seeded_client, "4401J002", "0127", "高中起点", "高级")
    assert dropped["status"] == "withdrawn"
    filings = seeded_client.get("/api/v1/filings", headers=admin, params={"college": "4401J002"})
    [filing] = filings.json()["items"]
    entry = seeded_client.get(f"/api/v1/filings/{filing['id']}", headers=admin).json()["entries"][0]
    assert entry["decision"] == "rejected"
    assert "经核实不具备条件" in entry["decision_reason"]


def test_an_authority_that_requires_notice_cannot_publish_unannounced(seeded_client, tokens):
    edu = tokens("admin", authority="GZ-EDU")
    body = {
        "year": 2026,
        "title": "2026年广州市中等职业学校新设专业名单",
        "published_on": "2026-04-02",
        "lines": [line(1, "4401Z001", "700209", "初中起点", None, 3, reason="补录：2026 年新设")],
    }
    draft = seeded_client.post(API, headers=edu, json=body)
    assert draft.status_code == 201, draft.text
    refused = _publish(seeded_client, edu, draft.json()["id"])
    assert refused.status_code == 409
    assert refused.json()["error"] == "announcement_required"


# ---- finding 4: publication closes the round; corrections pick up late approvals ----------


def test_a_published_list_closes_its_round_and_a_correction_picks_up_a_late_approval(
    seeded_client, admin, tokens, decided_round
):
    round_id = decided_round["id"]
    late = tokens("college", college="4401J003")
    entry = {
        "major_code": "0127",
        "major_name": "机电一体化技术",
        "category": "机械类",
        "intake": "初中起点",
        "level": "中级",
        "length_years": 3,
    }
    filing = seeded_client.post(
        "/api/v1/filings",
        headers=late,
        json={"college": "4401J003", "year": 2025, "entries": [entry]},
    ).json()
    assert (
        seeded_client.post(
            f"/api/v1/filings/{filing['id']}/submit", headers=late, json={}
        ).status_code
        == 200
    )
    draft = _draft_from_round(seeded_client, admin, round_id, published_on="2025-04-20")
    assert _publish(seeded_client, admin, draft["id"]).status_code == 200
    assert seeded_client.get(f"/api/v1/rounds/{round_id}").json()["closed_by_list"] == draft["id"]

    newcomer = tokens("college", college="4401J004")
    other = seeded_client.post(
        "/api/v1/filings",
        headers=newcomer,
        json={"college": "4401J004", "year": 2025, "entries": [entry]},
    ).json()
    refused = seeded_client.post(f"/api/v1/filings/{other['id']}/submit", headers=newcomer, json={})
    assert refused.status_code == 409
    assert refused.json()["error"] == "round_closed"

    reviewer = tokens("reviewer", authority=GZ)
    decided = seeded_client.post(
        f"/api/v1/filings/{filing['id']}/entries/0/decision",
        headers=reviewer,
        json={"decision": "approved"},
    )
    assert decided.status_code == 200, decided.text
    correction = seeded_client.post(
        f"{API}/{draft['id']}/corrections",
        headers=admin,
        json={"reason": "补充迟到的批准", "document_number": "穗人社函〔2025〕12号"},
    )
    assert correction.status_code == 201, correction.text
    body = correction.json()
    assert body["document_number"] == "穗人社函〔2025〕12号"
    got = [(e["college_code"], x["new"]) for e in body["entries"] for x in e["lines"]]
    assert got == [
        ("4401J001", False),
        ("4401J001", False),
        ("4401J002", False),
        ("4401J003", True),
    ]
    assert _publish(seeded_client, admin, body["id"]).status_code == 200
    late_program = _program(seeded_client, "4401J003", "0127", "初中起点", "中级")
    assert late_program["status"] == "active"
    assert late_program["since_year"] == 2025


# ---- finding 5: the round's summary -----------------------------------------------------------


def test_the_round_summary_counts_per_college_and_writes_the_notice_sentence(
    seeded_client, admin, decided_round
):
    window = {"opens_at": "2025-01-01", "closes_at": "2025-03-31", "reason": "按实际申报期"}
    patched = seeded_client.patch(
        f"/api/v1/rounds/{decided_round['id']}", headers=admin, json=window
    )
    assert patched.status_code == 200, patched.text
    response = seeded_client.get(f"/api/v1/rounds/{decided_round['id']}/summary", headers=admin)
    assert response.status_code == 200, response.text
    body = response.json()
    figures = {k: body[k] for k in ("colleges", "filings", "entries", "approved", "rejected")}
    assert figures == {"colleges": 2, "filings": 2, "entries": 4, "approved": 3, "rejected": 1}
    assert body["referred"] == 0
    assert body["withdrawn"] == 0
    assert body["undecided"] == 0
    assert [(c["code"], c["entries"], c["approved"]) for c in body["by_college"]] == [
        ("4401J001", 3, 2),
        ("4401J002", 1, 1),
    ]
    assert body["paragraph"] == (
        "我局于 2025 年 1 至 3 月组织专家对广州市技师学院等 2 所院校申报的 3 个新增专业资料"
        "（含新增专业培养层次和方向、调整专业名称等）进行了备案和审核，其中 2 个符合开设条件，"
        "现予以公布（附件 1）。"
    )
    assert seeded_client.get(f"/api/v1/rounds/{decided_round['id']}/summary").status_code == 401


# ---- finding 6: drafts from a round; 名称, 文号, 发布日期 -------------------------------------


def test_a_round_alone_drafts_the_list_and_publishing_needs_a_date(
    seeded_client, admin, decided_round
):
    draft = _draft_from_round(seeded_client, admin, decided_round["id"])
    assert (draft["year"], draft["authority"], draft["title"]) == (
        2025,
        GZ,
        "2025年广州市技工院校新增专业名单",
    )
    refused = _publish(seeded_client, admin, draft["id"])
    assert refused.status_code == 409
    assert refused.json()["error"] == "published_on_required"
    patched = seeded_client.patch(
        f"{API}/{draft['id']}",
        headers=admin,
        json={"published_on": "2025-04-20", "document_number": "穗人社函〔2025〕8号"},
    )
    assert patched.status_code == 200, patched.text
    assert _publish(seeded_client, admin, draft["id"]).status_code == 200
    without = seeded_client.post(API, headers=admin, json={"lines": []})
    assert without.status_code == 422
    assert without.json()["error"] == "draft_fields_required"


# ---- finding 7: official remarks; the college's note stays internal --------------------------


def test_the_colleges_note_is_never_printed_and_the_reviewers_remark_is(
    seeded_client, tokens, admin
):
    seeded_client.post(
        "/api/v1/rounds",
        headers=admin,
        json={"year": 2025, "title": "2025", "opens_at": "2020-01-01", "closes_at": "2099-12-31"},
    )
    college = tokens("college", college="4401J001")
    entries = [
        ENTRIES["4401J001"][0] | {"remark": "目录外专业，拟报省厅"},
        ENTRIES["4401J001"][2] | {"remark": "内部：请优先审核"},
    ]
    filing = seeded_client.post(
        "/api/v1/filings",
        headers=college,
        json={"college": "4401J001", "year": 2025, "entries": entries},
    ).json()
    assert (
        seeded_client.post(
            f"/api/v1/filings/{filing['id']}/submit", headers=college, json={}
        ).status_code
        == 200
    )
    reviewer = tokens("reviewer", authority=GZ)
    decisions = [
        {"index": 0, "decision": "approved"},
        {"index": 1, "decision": "approved", "remark": "校企合作订单班"},
    ]
    decided = seeded_client.post(
        f"/api/v1/filings/{filing['id']}/decisions", headers=reviewer, json={"decisions": decisions}
    )
    assert decided.status_code == 200, decided.text
    rounds = seeded_client.get("/api/v1/rounds", params={"year": 2025, "authority": GZ}).json()
    draft = _draft_from_round(
        seeded_client, admin, rounds["items"][0]["id"], published_on="2025-04-20"
    )
    remarks = [x["remark"] for e in draft["entries"] for x in e["lines"]]
    assert remarks == ["", "校企合作订单班"]
    assert _publish(seeded_client, admin, draft["id"]).status_code == 200
    csv = seeded_client.get(f"{API}/{draft['id']}.csv").content.decode("utf-8-sig")
    xlsx = seeded_client.get(f"{API}/{draft['id']}.xlsx").content
    assert "拟报省厅" not in csv
    assert "请优先审核" not in csv
    assert "校企合作订单班" in csv
    import io

    from openpyxl import load_workbook

    cells = [
        c
        for row in load_workbook(io.BytesIO(xlsx)).worksheets[0].iter_rows(values_only=True)
        for c in row
    ]
    assert not any("拟报省厅" in str(c) for c in cells if c)


def test_a_reopened_program_prints_the_years_it_was_suspended():
    from app.filings.schemas import ApprovedEntry
    from app.vocab import Kind

    entry = ApprovedEntry(
        filing_id=1,
        entry_index=0,
        round_id=1,
        year=2024,
        college_id=1,
        college_code="x",
        college="x",
        major_id=1,
        major_code="8105",
        major_name="旅游与酒店管理",
        category="服务类",
        intake="高中起点",
        level="高级",
        length_years=3,
        kind=Kind.RENAME,
        remark="内部",
        former_name="重型车辆维修",
        decision="approved",
        decided_at=None,
        program_id=None,
    )
    from app.publications.drafting import official_remark

    assert official_remark(None, entry) == "原重型车辆维修改名"  # type: ignore[arg-type]
    assert official_remark(None, entry.model_copy(update={"kind": Kind.NEW_LEVEL})) == "新增层次"  # type: ignore[arg-type]
    plain = entry.model_copy(update={"kind": Kind.NEW_MAJOR, "public_remark": "订单班"})
    assert official_remark(None, plain) == "订单班"  # type: ignore[arg-type]


# ---- issue 22 item 1: reading a draft asks the same tree-walking rule as writing it ----------


def test_a_province_admin_reads_and_writes_a_city_draft_and_a_sibling_does_neither(
    seeded_client, tokens, admin, decided_round
):
    draft = _draft_from_round(seeded_client, admin, decided_round["id"])
    path = f"{API}/{draft['id']}"
    province = tokens("admin", authority="GD-HRSS")
    assert seeded_client.get(path, headers=province).status_code == 200
    assert (
        seeded_client.patch(path, headers=province, json={"title": "省厅修改"}).status_code == 200
    )
    listed = seeded_client.get(API, headers=province, params={"status": "draft"}).json()["items"]
    assert draft["id"] in {p["id"] for p in listed}
    sibling = tokens("admin", authority="GZ-EDU")
    assert seeded_client.get(path, headers=sibling).status_code == 404
    assert seeded_client.patch(path, headers=sibling, json={"title": "x"}).status_code == 403
    listed = seeded_client.get(API, headers=sibling, params={"status": "draft"}).json()["items"]
    assert draft["id"] not in {p["id"] for p in listed}
    province_reviewer = tokens("reviewer", authority="GD-HRSS")
    assert seeded_client.get(path, headers=province_reviewer).status_code == 200


def test_a_referral_waiting_at_the_province_is_not_also_counted_undecided():
    """报省级评审（待定） and 未决定 are two lines of the summary: an entry sent to the province
    is decided by the bureau (``referred``) and waits there, so it is counted once, as pending."""
    from app.filings.models import Filing, FilingEntry, Referral
    from app.filings.summary import Counts, _count
    from app.vocab import Decision, FilingStatus, ReferralStatus

    filing = Filing(status=FilingStatus.SUBMITTED)
    counts = Counts()
    waiting = FilingEntry(decision=Decision.REFERRED)
    _count(counts, waiting, filing, Referral(status=ReferralStatus.PENDING))
    _count(counts, FilingEntry(decision=None), filing, None)
    passed = FilingEntry(decision=Decision.APPROVED)
    _count(counts, passed, filing, Referral(status=ReferralStatus.APPROVED))
    assert (counts.entries, counts.referred, counts.referred_pending) == (3, 2, 1)
    assert (counts.referred_approved, counts.approved, counts.undecided) == (1, 1, 1)
