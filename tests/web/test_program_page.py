"""A program's page shows its former codes (here: as the adoption of a new edition records them)."""

import httpx
from sqlmodel import Session, select

from app.catalog.models import CatalogEdition, Major
from app.programs.lifecycle import ProgramEvent
from tests.factories import make_token


def test_a_program_page_shows_its_former_code_and_the_edition_that_changed_it(
    page, live_server, screenshot
):
    headers = {"Authorization": f"Bearer {make_token(live_server.engine, name='program-page')}"}
    # 0611 is not in the seeded extract of the 2022 catalog: the program's current major.
    major = httpx.post(
        f"{live_server.url}/api/v1/catalogs/technician-2022/majors",
        json={"code": "0611", "name": "网络营销与直播", "category": "财经商贸类"},
        headers=headers,
    )
    assert major.status_code in (201, 409), major.text
    created = httpx.post(
        f"{live_server.url}/api/v1/programs",
        json={
            "college": "4401J011",
            "major_code": "0611",
            "intake": "中技起点",
            "level": "高级",
            "length_years": 2,
            "since_year": 2026,
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    program = created.json()
    with Session(live_server.engine) as session:
        edition = session.exec(
            select(CatalogEdition).where(CatalogEdition.key == "technician-2022")
        ).one()
        former = session.exec(
            select(Major).where(Major.edition_id == edition.id, Major.code == "0610")
        ).one()
        # What applying an adoption writes for a program it moved (app/adoption/service.py).
        session.add(
            ProgramEvent(
                program_id=program["id"],
                action="adopted",
                actor="program-page",
                former_major_id=former.id,
                former_name=former.name,
                source="adoption:technician-2026",
                detail={"old_code": "0610", "edition": "technician-2026", "relation": "renamed"},
            )
        )
        session.commit()

    page.goto(f"/colleges/{program['college_code']}")
    page.get_by_role("link", name="网络营销与直播").first.click()
    page.wait_for_url(f"**/programs/{program['id']}")
    assert page.get_by_role("heading", level=1).inner_text() == "网络营销与直播"
    assert page.get_by_role("heading", name="曾用代码").is_visible()
    row = page.locator("#former-codes + .table-wrap tbody tr")
    assert row.count() == 1
    assert row.locator("td").all_inner_texts()[:5] == [
        "0610",
        "网络营销",
        "全国技工院校专业目录（2022年修订）",  # catalogs by title (issue 25 item 4)
        "更名",
        "采用 technician-2026",  # no such edition in this registry: its key stays
    ]
    screenshot(page, "program-former-codes-desktop")
