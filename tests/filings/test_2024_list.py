"""Done-when: the 82 offerings of the 2024 list, validated per college."""

import csv
from collections import defaultdict

from tests.filings.helpers import LIST_2024, as_entry, college_codes, delete_programs, list_2024


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
    assert sum(map(len, grouped.values())) == 82
    assert len(grouped) == 14
    for college, entries in grouped.items():
        response = seeded_client.post(
            "/api/v1/filings/validate",
            headers=admin_headers,
            json={"college": college, "year": 2024, "entries": entries},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        errors = [
            (e["index"], f)
            for e in body["entries"]
            for f in e["findings"]
            if f["severity"] == "error"
        ]
        assert errors == [], (college, errors)
        assert body["errors"] == 0, (college, errors)
        assert len(body["entries"]) == len(entries)


def test_2024_list_against_seeded_registry_reports_program_exists_for_every_offering(
    seeded_client, seeded, admin_headers
):
    total = 0
    for college, entries in _by_college(seeded).items():
        response = seeded_client.post(
            "/api/v1/filings/validate",
            headers=admin_headers,
            json={"college": college, "year": 2024, "entries": entries},
        )
        for entry in response.json()["entries"]:
            assert "program.exists" in {f["code"] for f in entry["findings"]}, (college, entry)
            total += 1
    assert total == 82


def test_2024_secondary_list_refiled_reports_program_exists_for_each_of_the_16(
    seeded_client, seeded, admin_headers
):
    """中职: 6-digit MOE codes (supplement codes 710212 and 660704 included), no level, 初中起点 by
    default. The 16 new majors are the schools' active programs since the notice, so refiling
    them reports ``program.exists`` for each — and nothing else."""
    codes = college_codes(seeded)
    path = LIST_2024.with_name("gz2024_secondary_new_majors.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[codes[row["school"]]].append(
            {"major_code": row["major_code"], "major_name": row["major_name"], "length_years": 3}
        )
    exists = 0
    for college, entries in grouped.items():
        body = seeded_client.post(
            "/api/v1/filings/validate",
            headers=admin_headers,
            json={"college": college, "year": 2024, "entries": entries},
        ).json()
        codes_found = [[f["code"] for f in e["findings"]] for e in body["entries"]]
        assert codes_found == [["program.exists"]] * len(entries), (college, body)
        exists += len(entries)
    assert exists == 16
    assert len(grouped) == 15
    wrong = seeded_client.post(
        "/api/v1/filings/validate",
        headers=admin_headers,
        json={
            "college": "4401Z001",
            "entries": [
                {"major_code": "0304", "major_name": "邮轮乘务", "level": "高级", "length_years": 3}
            ],
        },
    ).json()
    assert {f["code"] for f in wrong["entries"][0]["findings"]} == {
        "major.code_format",
        "entry.invalid_value",
    }
