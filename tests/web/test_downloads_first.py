"""Finding 1 (pages): a page offers the XLSX first, labelled for Excel / WPS (its codes stay
text), and the CSV after it, labelled for programs — nothing steered a planner to the file that
keeps the leading zeros."""

import httpx


def _downloads(page) -> list[tuple[str, str]]:
    links = page.locator(".downloads a[download]")
    return [(a.inner_text(), a.get_attribute("href") or "") for a in links.all()]


def test_pages_offer_the_xlsx_first_for_people_and_the_csv_for_machines(
    page, live_server, screenshot
):
    lists = httpx.get(f"{live_server.url}/api/v1/publications", params={"year": 2024}).json()
    for path in ("/programs", "/colleges/4401J001", f"/publications/{lists['items'][0]['id']}"):
        page.goto(path)
        links = _downloads(page)
        first_label, first_href = links[0]
        assert ".xlsx" in first_href, (path, links)
        assert "Excel / WPS" in first_label, (path, links)
        csv = [(label, href) for label, href in links if ".csv" in href]
        assert csv, (path, links)
        assert "供程序读取" in csv[0][0], (path, links)
        assert links.index(csv[0]) > 0
    screenshot(page, "publication-downloads-xlsx-first")
