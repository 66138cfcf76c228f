"""Rounds: read, edit, extend, close early — audited; deadlines in the bureau's time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.filings.context import Scope
from app.filings.models import FilingRound
from app.filings.service import round_closed
from app.localtime import show, to_utc

ROUND = {"year": 2025, "title": "2025年广州市技工院校新增专业"}
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def bureau(tokens):
    return tokens("admin", authority="GZ-HRSS")


def _open(client, headers, **window):
    response = client.post("/api/v1/rounds", headers=headers, json=ROUND | window)
    assert response.status_code == 201, response.text
    return response.json()


def _closed_at(closes_at: datetime, now: datetime) -> bool:
    filing_round = FilingRound(
        authority_id=1, year=2026, opens_at=datetime(2026, 1, 1, tzinfo=UTC), closes_at=closes_at
    )
    closed = round_closed(Scope(chain=[], round=filing_round, edition_ids=set()), now, SHANGHAI)
    return closed is not None


def test_a_deadline_typed_as_a_date_closes_at_24_00_asia_shanghai(seeded_client, bureau):
    opened = _open(seeded_client, bureau, opens_at="2026-01-05", closes_at="2026-11-24")
    # 24:00 of 2026-11-24 in Beijing is 16:00 UTC that day — not 00:00 UTC (08:00 Beijing)
    assert opened["closes_at"] == "2026-11-24T16:00:00Z"
    assert opened["opens_at"] == "2026-01-04T16:00:00Z"  # 00:00 Beijing on the 5th
    assert opened["closes_at_local"] == "2026-11-24 24:00"
    assert opened["opens_at_local"] == "2026-01-05 00:00"
    assert opened["timezone"] == "Asia/Shanghai"
    closes_at = datetime.fromisoformat(opened["closes_at"])
    assert not _closed_at(closes_at, datetime(2026, 11, 24, 15, 59, 59, tzinfo=UTC))  # 23:59:59
    assert _closed_at(closes_at, datetime(2026, 11, 24, 16, 0, 1, tzinfo=UTC))  # 次日 00:00:01


def test_local_and_explicit_moments_and_another_time_zone():
    shanghai = ZoneInfo("Asia/Shanghai")
    naive = datetime(2026, 3, 31, 17, 30)
    assert to_utc(naive, shanghai, end_of_day=True) == datetime(2026, 3, 31, 9, 30, tzinfo=UTC)
    aware = datetime(2026, 3, 31, 17, 30, tzinfo=UTC)
    assert to_utc(aware, shanghai, end_of_day=True) == aware
    day = datetime(2026, 11, 24).date()
    assert to_utc(day, ZoneInfo("UTC"), end_of_day=True) == datetime(2026, 11, 25, tzinfo=UTC)
    assert show(datetime(2026, 11, 24, 16, tzinfo=UTC), shanghai, deadline=True) == (
        "2026-11-24 24:00"
    )
    assert show(datetime(2026, 11, 24, 16, tzinfo=UTC), shanghai) == "2026-11-25 00:00"


def test_the_time_zone_setting_moves_a_date_only_deadline(seeded, engine, tokens, database_url):
    from fastapi.testclient import TestClient

    from app.config import Settings
    from app.main import create_app

    app = create_app(Settings(database_url=database_url, timezone="Europe/Berlin"), engine)
    with TestClient(app) as client:
        opened = _open(
            client,
            tokens("admin", authority="GZ-HRSS"),
            opens_at="2026-01-05",
            closes_at="2026-07-01",
        )
    assert opened["closes_at"] == "2026-07-01T22:00:00Z"  # 24:00 CEST
    with pytest.raises(ValueError, match="unknown time zone"):
        Settings(timezone="Mars/Olympus")


def test_editing_a_rounds_window_is_audited(seeded_client, bureau, tokens):
    opened = _open(seeded_client, bureau, opens_at="2020-01-01", closes_at="2099-03-31")
    url = f"/api/v1/rounds/{opened['id']}"
    assert seeded_client.get(url).json() == opened  # public, like the list

    extended = seeded_client.patch(
        url, headers=bureau, json={"closes_at": "2099-04-15", "reason": "学校申请延期"}
    )
    assert extended.status_code == 200, extended.text
    assert extended.json()["closes_at_local"] == "2099-04-15 24:00"
    assert extended.json()["open"] is True

    other = tokens("admin", authority="GZ-EDU")
    assert seeded_client.patch(url, headers=other, json={"title": "x"}).status_code == 403
    bad = seeded_client.patch(url, headers=bureau, json={"closes_at": "2019-01-01"})
    assert bad.status_code == 422
    assert bad.json()["error"] == "bad_window"
    editions = seeded_client.patch(url, headers=bureau, json={"editions": ["technician-2022"]})
    assert editions.json()["editions"] == ["technician-2022"]

    closed = seeded_client.post(f"{url}/close", headers=bureau, json={"reason": "提前结束"})
    assert closed.status_code == 200
    assert closed.json()["open"] is False
    again = seeded_client.post(f"{url}/close", headers=bureau)
    assert again.status_code == 409
    assert again.json()["error"] == "round_already_closed"
    reopened = seeded_client.patch(url, headers=bureau, json={"closes_at": "2099-05-01"})
    assert reopened.json()["open"] is True

    records = seeded_client.get(
        "/api/v1/audit",
        headers=bureau,
        params={"target_type": "filing_round", "target_id": str(opened["id"])},
    ).json()["items"]
    assert [r["action"] for r in records] == [
        "round.update",
        "round.close",
        "round.update",
        "round.update",
        "round.create",
    ]
    first_edit = records[-2]
    assert first_edit["reason"] == "学校申请延期"
    assert first_edit["actor"]
    assert first_edit["summary"] == {
        "before": {"closes_at": "2099-03-31T16:00:00Z"},
        "after": {"closes_at": "2099-04-15T16:00:00Z"},
    }
    assert records[-3]["summary"]["before"] == {"editions": ["gd-specialty", "technician-2022"]}
    assert records[1]["reason"] == "提前结束"


def test_one_round_per_authority_and_year_says_which_round_to_extend(seeded_client, bureau):
    opened = _open(seeded_client, bureau, opens_at="2020-01-01", closes_at="2020-03-31")
    second = seeded_client.post(
        "/api/v1/rounds",
        headers=bureau,
        json=ROUND | {"opens_at": "2020-06-01", "closes_at": "2020-06-30"},
    )
    assert second.status_code == 409
    assert second.json()["error"] == "round_exists"
    assert second.json()["detail"]["round"] == opened["id"]
    assert seeded_client.get("/api/v1/rounds/99999").json()["error"] == "round_not_found"
