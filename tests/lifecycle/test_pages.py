"""Issue 24's pages without a browser: 布点 per system, a major's 布点, the bureau's close/merge
page with its preview, and 我的专业 refusing other roles."""

from tests.lifecycle.helpers import COLLEGE, GZ


def test_the_coverage_page_draws_one_chart_per_system(seeded_client):
    page = seeded_client.get("/statistics/programs")
    assert page.status_code == 200
    assert 'id="coverage-technician"' in page.text
    assert 'id="coverage-secondary"' in page.text
    one = seeded_client.get("/statistics/programs", params={"major": "0702"})
    assert one.status_code == 200
    assert "广州市" in one.text


def test_the_bureau_previews_a_merge_then_confirms_it(seeded_client, tokens):
    admin = tokens("admin", authority=GZ)
    preview = seeded_client.get(
        f"/admin/colleges/{COLLEGE}/end",
        params={"action": "merge", "into": "4401J002"},
        headers=admin,
    )
    assert preview.status_code == 200
    assert 'id="preview-moved"' in preview.text
    assert "确认合并" in preview.text
    college = seeded_client.get(f"/api/v1/colleges/{COLLEGE}").json()
    assert college["status"] == "active"  # a preview changes nothing
    refused = seeded_client.get(
        f"/admin/colleges/{COLLEGE}/end", params={"action": "merge", "into": COLLEGE}, headers=admin
    )
    assert "不能并入自身" in refused.text


def test_my_programs_is_a_college_page(seeded_client, tokens):
    mine = seeded_client.get("/college/programs", headers=tokens("college", college=COLLEGE))
    assert mine.status_code == 200
    assert "申请停招" in mine.text
    assert (
        seeded_client.get("/college/programs", headers=tokens("reviewer", authority=GZ)).status_code
        == 403
    )


def test_the_bureau_merges_through_the_page_and_the_college_page_shows_it(seeded_client, tokens):
    admin = tokens("admin", authority=GZ)
    form = seeded_client.get(
        f"/admin/colleges/{COLLEGE}/end",
        params={"action": "merge", "into": "4401J002"},
        headers=admin,
    )
    assert form.status_code == 200
    done = seeded_client.post(
        f"/admin/colleges/{COLLEGE}/end",
        headers=admin,
        data={
            "action": "merge",
            "into": "4401J002",
            "effective_on": "2025-09-01",
            "reason": "两校合并",
            "csrf_token": seeded_client.cookies.get("csrf"),
        },
    )
    assert (done.status_code, done.url.path) == (200, f"/colleges/{COLLEGE}")
    page = done
    assert "已合并" in page.text
    assert "2025-09-01" in page.text
    assert "两校合并" in page.text
    assert 'href="/colleges/4401J002"' in page.text


def test_the_college_page_links_its_admin_to_close_or_merge_it(seeded_client, tokens):
    """Finding 3's page: the bureau reaches the close/merge page from the college's own page;
    nobody else sees the link, nor does anyone once the college has ended."""
    link = f'href="/admin/colleges/{COLLEGE}/end"'
    admin = tokens("admin", authority=GZ)
    page = seeded_client.get(f"/colleges/{COLLEGE}", headers=admin)
    assert page.status_code == 200
    assert link in page.text
    assert "撤销或合并该校" in page.text
    for headers in ({}, tokens("admin", authority="GZ-EDU"), tokens("college", college=COLLEGE)):
        assert link not in seeded_client.get(f"/colleges/{COLLEGE}", headers=headers).text
    closed = seeded_client.post(
        f"/api/v1/colleges/{COLLEGE}/close",
        headers=admin,
        json={"effective_on": "2025-07-01", "reason": "停办"},
    )
    assert closed.status_code == 200
    assert link not in seeded_client.get(f"/colleges/{COLLEGE}", headers=admin).text
