"""Done-when: the 82 offerings of the 2024 list, validated per college."""

from collections import defaultdict

from tests.filings.conftest import as_entry, college_codes, delete_programs, list_2024


def _by_college(engine) -> dict[str, list[dict]]:
    codes = college_codes(engine)
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in list_2024():
        grouped[codes[row["college"]]].append(as_entry(row))
    return grouped


def test_2024_list_against_registry_without_programs_has_no_error_findings(
    seeded_client, seeded, admin_headers
):
    delete_programs(seeded)
    grouped = _by_college(seeded)
    assert sum(map(len, grouped.values())) == 82 and len(grouped) == 14
    for college, entries in grouped.items():
        response = seeded_client.post("/api/v1/filings/validate", headers=admin_headers,
                                      json={"college": college, "year": 2024, "entries": entries})
        assert response.status_code == 200, response.text
        body = response.json()
        errors = [(e["index"], f) for e in body["entries"] for f in e["findings"]
                  if f["severity"] == "error"]
        assert errors == [] and body["errors"] == 0, (college, errors)
        assert len(body["entries"]) == len(entries)


def test_2024_list_against_seeded_registry_reports_program_exists_for_every_offering(
    seeded_client, seeded, admin_headers
):
    total = 0
    for college, entries in _by_college(seeded).items():
        response = seeded_client.post("/api/v1/filings/validate", headers=admin_headers,
                                      json={"college": college, "year": 2024, "entries": entries})
        for entry in response.json()["entries"]:
            assert "program.exists" in {f["code"] for f in entry["findings"]}, (college, entry)
            total += 1
    assert total == 82
