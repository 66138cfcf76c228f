"""Approved offerings per year by category, level, intake and college."""

from collections import Counter

from tests.publications.helpers import line, source_rows

STATS = "/api/v1/statistics/approvals"


def as_counter(items: list[dict]) -> Counter:
    return Counter({item["key"]: item["count"] for item in items})


def test_2024_statistics_match_the_published_list(seeded_client, list_2024):
    body = seeded_client.get(STATS, params={"year": 2024, "authority": "GZ-HRSS"}).json()
    rows = source_rows()
    assert body["total"] == len(rows) == 82
    assert body["publications"] == [list_2024["id"]]
    assert as_counter(body["by_year"]) == Counter({"2024": 82})
    assert as_counter(body["by_category"]) == Counter(r["category"] for r in rows)
    assert as_counter(body["by_level"]) == Counter(r["level"] for r in rows)
    assert as_counter(body["by_intake"]) == Counter(r["intake"] for r in rows)
    by_college = Counter({c["name"]: c["count"] for c in body["by_college"]})
    assert by_college == Counter(r["college"] for r in rows)
    assert len(by_college) == 14
    counts = [c["count"] for c in body["by_category"]]
    assert counts == sorted(counts, reverse=True)


def test_statistics_count_a_correction_instead_of_the_revision_it_corrects(
    seeded_client, list_2024, correction
):
    def drop_entry_72(lines):
        del lines[-1]

    revised = correction(drop_entry_72)
    body = seeded_client.get(STATS, params={"year": 2024, "system": "technician"}).json()
    assert body["publications"] == [revised["id"]]
    assert body["total"] == 81
    assert as_counter(body["by_category"])["医药类"] == 7


def test_statistics_without_a_year_cover_every_year(seeded_client, gz_admin, draft):
    pid = draft([line(1, "4401J001", "0127", "初中起点", "预备技师", 6)])["id"]
    seeded_client.post(f"/api/v1/publications/{pid}/publish", headers=gz_admin)
    body = seeded_client.get(STATS).json()
    # 2024: the technician list (82 lines) and the 中职 list (16, no level), never in one
    # table (issue 23): technician unless asked, and the answer says so
    assert body["system"] == "technician"
    assert body["systems"] == ["secondary", "technician"]
    assert as_counter(body["by_year"]) == Counter({"2024": 82, "2025": 1})
    assert body["total"] == 83
    assert as_counter(body["by_level"])["预备技师"] == 14
    assert None not in as_counter(body["by_level"])
    secondary = seeded_client.get(STATS, params={"system": "secondary"}).json()
    assert secondary["system"] == "secondary"
    assert secondary["total"] == 16
    assert as_counter(secondary["by_year"]) == Counter({"2024": 16})
    empty = seeded_client.get(STATS, params={"year": 2030}).json()
    assert empty["total"] == 0
    assert empty["by_category"] == []


def test_statistics_and_diff_pages_name_the_one_system_they_show(seeded_client, list_2024):
    page = seeded_client.get("/statistics", params={"year": 2024})
    assert page.status_code == 200
    assert 'data-system="technician"' in page.text
    assert "范围：技工院校" in page.text
    assert "另有中职名单" in page.text
    assert "按专业类别（技工院校）" in page.text
    secondary = seeded_client.get("/statistics", params={"year": 2024, "system": "secondary"})
    assert 'data-system="secondary"' in secondary.text
    assert "另有技工院校名单" in secondary.text
    assert (
        "statistics-2024-technician.csv"
        in seeded_client.get("/statistics.csv", params={"year": 2024}).headers[
            "content-disposition"
        ]
    )
    diff = seeded_client.get("/publications/diff", params={"from": "year:2024", "to": "year:2024"})
    assert diff.status_code == 200
    assert 'data-system="technician"' in diff.text
    assert "另有中职名单" in diff.text


def test_statistics_page_offers_xlsx_before_csv_and_the_xlsx_holds_the_csv_figures(
    seeded_client, list_2024
):
    import csv
    import io

    from openpyxl import load_workbook

    page = seeded_client.get("/statistics", params={"year": 2024}).text
    assert page.index("/statistics.xlsx?year=2024") < page.index("/statistics.csv?year=2024")
    answer = seeded_client.get("/statistics.xlsx", params={"year": 2024})
    assert answer.status_code == 200
    assert "statistics-2024-technician.xlsx" in answer.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    text = seeded_client.get("/statistics.csv", params={"year": 2024, "bom": "false"}).text
    head, *body = list(csv.reader(io.StringIO(text)))
    expected = [[g, v, int(n)] for g, v, n in body]
    assert cells[0] == head
    assert [[g, v or "", n] for g, v, n in cells[1:]] == expected
    assert all(row[1].number_format == "@" for row in sheet.iter_rows(min_row=2) if row[1].value)
