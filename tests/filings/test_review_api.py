"""Bulk decisions, changed decisions, counts and search in the filing list, rows kept through
edits, and stale saves that lose nothing."""

import pytest

from tests.filings.helpers import BASE, GZ_COLLEGE, submitted_filing

PROPOSAL = {
    "major_name": "低空经济无人机技术",
    "category": "交通类",
    "intake": "初中起点",
    "level": "高级",
    "length_years": 5,
}
SECOND = BASE | {"intake": "高中起点", "length_years": 3}
THIRD = BASE | {"level": "中级", "length_years": 3}


@pytest.fixture
def college(tokens):
    return tokens("college", college=GZ_COLLEGE)


@pytest.fixture
def reviewer(tokens):
    return tokens("reviewer", authority="GZ-HRSS")


def _audit(client, tokens, filing_id):
    return client.get(
        "/api/v1/audit",
        headers=tokens("admin", authority="GZ-HRSS"),
        params={"action": "filing."},
    ).json()["items"]


def test_bulk_decisions_are_one_transaction(seeded_client, tokens, college, reviewer, open_round):
    filing = submitted_filing(seeded_client, college, GZ_COLLEGE, [BASE, SECOND, PROPOSAL])
    url = f"/api/v1/filings/{filing['id']}"
    audited = len(_audit(seeded_client, tokens, filing["id"]))
    refused = seeded_client.post(
        f"{url}/decisions",
        headers=reviewer,
        json={
            "decisions": [
                {"index": 0, "decision": "approved"},
                {"index": 2, "decision": "referred"},
                {"index": 1, "decision": "rejected"},  # no reason: refuses all three
            ]
        },
    )
    assert refused.status_code == 422
    assert refused.json()["error"] == "reason_required"
    assert refused.json()["detail"]["index"] == 1
    unchanged = seeded_client.get(url, headers=reviewer).json()
    assert [e["decision"] for e in unchanged["entries"]] == [None, None, None]
    assert [h["action"] for h in unchanged["history"]] == ["created", "submitted"]
    assert unchanged["entries"][2]["referral"] is None
    assert len(_audit(seeded_client, tokens, filing["id"])) == audited

    unknown = seeded_client.post(
        f"{url}/decisions",
        headers=reviewer,
        json={
            "decisions": [
                {"index": 0, "decision": "approved"},
                {"index": 9, "decision": "approved"},
            ]
        },
    )
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "entry_not_found"

    done = seeded_client.post(
        f"{url}/decisions",
        headers=reviewer,
        json={
            "decisions": [
                {"index": 0, "decision": "approved"},
                {"index": 1, "decision": "rejected", "reason": "实训场地不足"},
                {"index": 2, "decision": "referred"},
            ]
        },
    )
    assert done.status_code == 200, done.text
    body = done.json()
    assert [e["decision"] for e in body["entries"]] == ["approved", "rejected", "referred"]
    assert body["status"] == "submitted"  # the referral is the province's to decide
    assert body["counts"] == {
        "entries": 3,
        "errors": 0,
        "warnings": 0,
        "undecided": 0,
        "referred": 1,
    }
    assert body["waiting"] == "province"
    records = _audit(seeded_client, tokens, filing["id"])
    assert len(records) == audited + 1
    assert records[0]["action"] == "filing.decisions"
    assert [d["index"] for d in records[0]["summary"]["after"]["decisions"]] == [0, 1, 2]


def test_a_changed_decision_keeps_the_earlier_one_in_the_history(
    seeded_client, tokens, college, reviewer, open_round
):
    filing = submitted_filing(seeded_client, college, GZ_COLLEGE, [BASE, SECOND, PROPOSAL])
    url = f"/api/v1/filings/{filing['id']}"
    decide = f"{url}/entries/0/decision"
    first = seeded_client.post(
        decide, headers=reviewer, json={"decision": "rejected", "reason": "师资不足"}
    )
    assert first.status_code == 200
    changed = seeded_client.post(decide, headers=reviewer, json={"decision": "approved"})
    assert changed.status_code == 200, changed.text
    entry = changed.json()["entries"][0]
    assert (entry["decision"], entry["decision_reason"]) == ("approved", None)
    events = [h for h in changed.json()["history"] if h["entry_index"] == 0]
    assert [(h["action"], h["reason"]) for h in events] == [
        ("entry.rejected", "师资不足"),
        ("entry.approved", None),
    ]
    assert events[1]["detail"]["previous"] == "rejected"
    assert events[1]["detail"]["previous_reason"] == "师资不足"

    # a referral taken back: the province no longer sees it pending; referring again does
    refer = f"{url}/entries/2/decision"
    province = tokens("admin", authority="GD-HRSS")
    seeded_client.post(refer, headers=reviewer, json={"decision": "referred"})
    pending = seeded_client.get("/api/v1/referrals?status=pending", headers=province).json()
    assert len(pending["items"]) == 1
    seeded_client.post(
        refer, headers=reviewer, json={"decision": "rejected", "reason": "与已有专业重复"}
    )
    assert (
        seeded_client.get("/api/v1/referrals?status=pending", headers=province).json()["items"]
        == []
    )
    seeded_client.post(refer, headers=reviewer, json={"decision": "referred"})
    again = seeded_client.get("/api/v1/referrals?status=pending", headers=province).json()
    assert [r["id"] for r in again["items"]] == [r["id"] for r in pending["items"]]
    decided = seeded_client.post(
        f"/api/v1/referrals/{again['items'][0]['id']}/decision",
        headers=province,
        json={"decision": "approved"},
    )
    assert decided.status_code == 200
    locked = seeded_client.post(
        refer, headers=reviewer, json={"decision": "rejected", "reason": "x"}
    )
    assert locked.status_code == 409
    assert locked.json()["error"] == "referral_decided"

    # the last decision decides the filing: from then on nothing changes
    seeded_client.post(f"{url}/entries/1/decision", headers=reviewer, json={"decision": "approved"})
    final = seeded_client.get(url, headers=college).json()
    assert final["status"] == "decided"
    late = seeded_client.post(
        decide, headers=reviewer, json={"decision": "rejected", "reason": "改主意"}
    )
    assert late.status_code == 409
    assert late.json()["error"] == "not_under_review"


def test_filing_list_counts_and_search(seeded_client, tokens, college, reviewer, open_round):
    clean = submitted_filing(seeded_client, college, GZ_COLLEGE, [BASE, SECOND])
    other = tokens("college", college="4401J002")
    warned = submitted_filing(
        seeded_client,
        other,
        "4401J002",
        [
            PROPOSAL,
            BASE | {"kind": "新增层次", "major_code": "0139", "major_name": "智能装备运行与维护"},
        ],
    )
    seeded_client.post(
        f"/api/v1/filings/{clean['id']}/entries/0/decision",
        headers=reviewer,
        json={"decision": "approved"},
    )
    listed = seeded_client.get("/api/v1/filings", headers=reviewer).json()["items"]
    counts = {f["id"]: f["counts"] for f in listed}
    assert counts[clean["id"]] == {
        "entries": 2,
        "errors": 0,
        "warnings": 0,
        "undecided": 1,
        "referred": 0,
    }
    assert counts[warned["id"]]["entries"] == 2
    assert counts[warned["id"]]["warnings"] >= 1
    assert counts[warned["id"]]["undecided"] == 2

    def ids(**params):
        found = seeded_client.get("/api/v1/filings", headers=reviewer, params=params).json()
        return [f["id"] for f in found["items"]]

    assert ids(college="4401J002") == [warned["id"]]
    assert ids(college="工贸") == [warned["id"]]  # 广州市工贸技师学院
    assert ids(major="0127") == [clean["id"]]
    assert ids(major="无人机") == [warned["id"]]
    assert ids(status="submitted", round=open_round["id"]) == [clean["id"], warned["id"]]
    assert ids(status="decided") == []


def test_entries_keep_their_spreadsheet_row_through_edits(seeded_client, college):
    csv_text = (
        "序号,学校,专业,专业类别,专业代码,层次,级别,学制,备注\n"
        "1,广州市技师学院,机电一体化技术,机械类,0127,初中起点,高级,3,\n"
        "2,广州市技师学院,机电一体化技术,机械类,0127,高中起点,高级,3,\n"
    )
    imported = seeded_client.post(
        "/api/v1/filings/import",
        headers=college,
        files={"file": ("f.csv", csv_text.encode("utf-8"), "text/csv")},
        data={"year": "2025"},
    )
    assert imported.status_code == 201, imported.text
    body = imported.json()
    assert [e["row"] for e in body["entries"]] == [2, 3]
    entries = body["entries"]
    entries[0]["length_years"] = 5  # the fix the finding suggested
    saved = seeded_client.put(
        f"/api/v1/filings/{body['id']}",
        headers=college,
        json={"version": body["version"], "entries": entries},
    )
    assert saved.status_code == 200, saved.text
    assert [e["row"] for e in saved.json()["entries"]] == [2, 3]
    assert saved.json()["errors"] == 0


def test_a_stale_save_loses_nothing(seeded_client, tokens, college):
    draft = seeded_client.post(
        "/api/v1/filings",
        headers=college,
        json={"college": GZ_COLLEGE, "year": 2025, "entries": [BASE]},
    ).json()
    url = f"/api/v1/filings/{draft['id']}"
    bureau = tokens("admin", authority="GZ-HRSS")  # a second person editing the same draft
    theirs = seeded_client.put(url, headers=bureau, json={"version": 1, "entries": [BASE, SECOND]})
    assert theirs.status_code == 200
    mine = [BASE | {"remark": "新增层次"}, THIRD]
    stale = seeded_client.put(url, headers=college, json={"version": 1, "entries": mine})
    assert stale.status_code == 409
    assert stale.json()["error"] == "stale_version"
    detail = stale.json()["detail"]
    assert detail["current_version"] == 2
    assert detail["your_version"] == 1
    assert detail["changed_by"]
    assert detail["changed_by"] != ""
    assert detail["change"] == "edited"
    assert detail["changed_at"]
    assert [(e["intake"], e["length_years"]) for e in detail["current"]] == [
        ("初中起点", "5"),
        ("高中起点", "3"),
    ]
    assert [(e["level"], e["remark"]) for e in detail["yours"]] == [
        ("高级", "新增层次"),
        ("中级", None),
    ]
    kept = seeded_client.get(url, headers=college).json()
    assert kept["version"] == 2
    assert len(kept["entries"]) == 2
    merged = detail["current"] + [detail["yours"][1]]
    resaved = seeded_client.put(
        url, headers=college, json={"version": detail["current_version"], "entries": merged}
    )
    assert resaved.status_code == 200
    assert [e["level"] for e in resaved.json()["entries"]] == ["高级", "高级", "中级"]
