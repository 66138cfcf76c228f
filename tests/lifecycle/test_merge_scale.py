"""Issue 24, done-when: merging a college of 2,000 programs into one of 2,000 (half of them the
same offerings) is one request, a handful of set-based statements, and the change feed replays to
the same programs.csv."""

import time

from sqlalchemy import event

from app.vocab import Intake, Level
from tests.changes.helpers import apply, programs_csv, read_feed
from tests.core.generate import catalog_csv, major_code
from tests.factories import make_college

API = "/api/v1"
COMBOS = [(i.value, lv.value) for i in Intake for lv in Level]  # 15 per major
SOURCE, TARGET = "4401M901", "4401M902"


def _programs(college: str, name: str, offerings: range) -> str:
    lines = []
    for n in offerings:
        major, (intake, level) = divmod(n, len(COMBOS))[0], COMBOS[n % len(COMBOS)]
        status = "suspended" if n % 7 == 0 else "active"
        lines.append(
            f"{college},{name},{major_code(major)},合成专业{major},机械类,{intake},{level},3,"
            f"{status},2020\n"
        )
    return "".join(lines)


def _upload(client, headers, path: str, body: str):
    files = {"file": ("data.csv", body.encode(), "text/csv")}
    response = client.post(f"{API}/{path}", headers=headers, files=files)
    assert response.status_code == 200, response.text


def test_a_merge_of_2000_into_2000_programs_is_set_based_and_replays(
    seeded_client, seeded, admin_headers
):
    client = seeded_client
    _upload(client, admin_headers, "catalogs/technician-2022/import", catalog_csv(200).decode())
    make_college(seeded, code=SOURCE, name="广州市合并甲技师学院")
    make_college(seeded, code=TARGET, name="广州市合并乙技师学院")
    header = (
        "college_code,college,major_code,major_name,category,intake,level,length_years,"
        "status,since_year\n"
    )
    body = header + _programs(SOURCE, "广州市合并甲技师学院", range(0, 2000))
    body += _programs(TARGET, "广州市合并乙技师学院", range(1000, 3000))
    _upload(client, admin_headers, "programs/import", body)

    statements: list[str] = []
    engine = client.app.state.engine

    commits: list[int] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    def committed(conn):
        commits.append(len(statements))  # statements run before each COMMIT

    event.listen(engine, "before_cursor_execute", count)
    event.listen(engine, "commit", committed)
    started = time.perf_counter()
    try:
        merged = client.post(
            f"{API}/colleges/{SOURCE}/merge",
            headers=admin_headers,
            json={"into": TARGET, "effective_on": "2026-09-01", "reason": "两校合并"},
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)
        event.remove(engine, "commit", committed)
    elapsed = time.perf_counter() - started
    assert merged.status_code == 200, merged.text
    result = merged.json()
    assert (len(result["moved"]), len(result["withdrawn"])) == (1000, 1000)
    # set-based: a few dozen statements for 2,000 programs (a query per row would be thousands)
    assert len(statements) < 100, (len(statements), elapsed)
    # one transaction: every write of the merge (programs, events, feed, college, audit) and
    # one COMMIT at its end
    assert len(commits) == 1, commits
    print(f"merge of 2,000 into 2,000: {len(statements)} statements, {elapsed:.2f} s")

    at_target = client.get(f"{API}/programs.csv", params={"college": TARGET}).content
    assert at_target.count(b"\r\n") == 1 + 3000  # header, its own 2,000 and the 1,000 moved
    copy: dict = {}
    items, _ = read_feed(client, limit=500)
    apply(copy, items)
    assert programs_csv(copy["program"]) == client.get(f"{API}/programs.csv").content
