"""Approved offerings per year by category, level, intake and college."""

from collections import Counter

from tests.publications.helpers import line, source_rows

STATS = "/api/v1/statistics/approvals"


def as_counter(items: list[dict]) -> Counter:
    return Counter({item["key"]: item["count"] for item in items})


def test_2024_statistics_match_the_published_list(seeded_client, list_2024):
    body = seeded_client.get(STATS, params={"year": 2024, "authority": "GZ-HRSS"}).json()
    rows = source_rows()
    assert body["total"] == len(rows) == 82 and body["publications"] == [list_2024["id"]]
    assert as_counter(body["by_year"]) == Counter({"2024": 82})
    assert as_counter(body["by_category"]) == Counter(r["category"] for r in rows)
    assert as_counter(body["by_level"]) == Counter(r["level"] for r in rows)
    assert as_counter(body["by_intake"]) == Counter(r["intake"] for r in rows)
    by_college = Counter({c["name"]: c["count"] for c in body["by_college"]})
    assert by_college == Counter(r["college"] for r in rows) and len(by_college) == 14
    counts = [c["count"] for c in body["by_category"]]
    assert counts == sorted(counts, reverse=True)


def test_statistics_count_a_correction_instead_of_the_revision_it_corrects(
    seeded_client, list_2024, correction
):
    def drop_entry_72(lines):
        del lines[-1]

    revised = correction(drop_entry_72)
    body = seeded_client.get(STATS, params={"year": 2024, "system": "technician"}).json()
    assert body["publications"] == [revised["id"]] and body["total"] == 81
    assert as_counter(body["by_category"])["医药类"] == 7


def test_statistics_without_a_year_cover_every_year(seeded_client, gz_admin, draft):
    pid = draft([line(1, "4401J001", "0127", "初中起点", "预备技师", 6)])["id"]
    seeded_client.post(f"/api/v1/publications/{pid}/publish", headers=gz_admin)
    body = seeded_client.get(STATS).json()
    # 2024: the technician list (82 lines) and the 中职 list (16, no level)
    assert as_counter(body["by_year"]) == Counter({"2024": 82 + 16, "2025": 1})
    assert body["total"] == 99 and as_counter(body["by_level"])["预备技师"] == 14
    assert as_counter(body["by_level"])[None] == 16
    empty = seeded_client.get(STATS, params={"year": 2030}).json()
    assert empty["total"] == 0 and empty["by_category"] == []
