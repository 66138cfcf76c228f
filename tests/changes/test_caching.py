"""HTTP caching: every public GET /api/v1/… answer has an ETag; the same request with
If-None-Match answers 304 without a body — without running the route — until a write changes the
registry's version; published list files are immutable."""

import pytest

from app.programs import listing
from tests.changes.helpers import API

PUBLIC = [
    "/programs",
    "/programs.csv",
    "/colleges",
    "/colleges/4401J001",
    "/catalogs",
    "/catalogs/technician-2022/majors",
    "/majors?q=jidian",
    "/publications",
    "/changes",
    "/changes/head",
    "/statistics/approvals",
]


def test_every_public_get_has_an_etag_and_answers_304_while_unchanged(seeded_client):
    for path in PUBLIC:
        first = seeded_client.get(API + path)
        assert first.status_code == 200, path
        etag = first.headers["ETag"]
        assert first.headers["Cache-Control"] == "public, no-cache", path
        again = seeded_client.get(API + path, headers={"If-None-Match": etag})
        assert (again.status_code, again.content) == (304, b""), path
        assert again.headers["ETag"] == etag


def test_a_304_does_not_run_the_query(seeded_client, monkeypatch):
    etag = seeded_client.get(f"{API}/programs").headers["ETag"]

    def refuse(*args, **kwargs):
        raise AssertionError("the query ran")

    monkeypatch.setattr(listing, "page_json", refuse)
    assert seeded_client.get(f"{API}/programs", headers={"If-None-Match": etag}).status_code == 304


def test_a_write_changes_every_etag(seeded_client, admin_headers):
    before = seeded_client.get(f"{API}/programs/1")
    etag = before.headers["ETag"]
    patched = seeded_client.patch(
        f"{API}/programs/1", json={"length_years": 4}, headers=admin_headers
    )
    assert patched.status_code == 200
    after = seeded_client.get(f"{API}/programs/1", headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.json()["length_years"] == 4
    assert after.headers["ETag"] != etag
    # a refused write moves nothing
    etag = after.headers["ETag"]
    refused = seeded_client.patch(f"{API}/programs/1", json={"length_years": 4})
    assert refused.status_code == 401
    assert seeded_client.get(f"{API}/colleges", headers={"If-None-Match": etag}).status_code == 304


def test_the_language_is_part_of_the_etag(seeded_client):
    zh = seeded_client.get(f"{API}/catalogs").headers["ETag"]
    en = seeded_client.get(f"{API}/catalogs", headers={"Accept-Language": "en"})
    assert en.headers["ETag"] != zh
    stale = seeded_client.get(
        f"{API}/catalogs", headers={"Accept-Language": "en", "If-None-Match": zh}
    )
    assert stale.status_code == 200


def test_a_token_makes_the_answer_private_and_still_checked(seeded_client, tokens):
    headers = tokens("admin", authority="GZ-HRSS")
    first = seeded_client.get(f"{API}/publications", headers=headers)
    assert first.headers["Cache-Control"] == "private, no-cache"
    etag = first.headers["ETag"]
    assert etag != seeded_client.get(f"{API}/publications").headers["ETag"]
    again = seeded_client.get(f"{API}/publications", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    # the anonymous ETag never answers a token's request, nor the other way round
    other = seeded_client.get(
        f"{API}/publications", headers={"Authorization": "Bearer reg_nope", "If-None-Match": etag}
    )
    assert other.status_code == 401


def test_published_list_files_are_immutable_and_revalidate_by_their_bytes(seeded_client):
    pid = seeded_client.get(f"{API}/publications").json()["items"][-1]["id"]
    for suffix in (".csv", ".xlsx", "/specialties.csv"):
        response = seeded_client.get(f"{API}/publications/{pid}{suffix}")
        if response.status_code == 404:  # a 中职 list has no 附件2 of that name
            continue
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["ETag"] == f'"{response.headers["X-Checksum-SHA256"]}"'
        assert "Last-Modified" in response.headers
        if suffix == ".csv":
            again = seeded_client.get(
                f"{API}/publications/{pid}{suffix}",
                headers={"If-None-Match": response.headers["ETag"]},
            )
            assert again.status_code == 304
            assert again.content == b""


def test_if_modified_since_answers_304_once_the_second_of_the_change_is_over(
    seeded_client, monkeypatch
):
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 5)
    first = seeded_client.get(f"{API}/colleges")
    since = first.headers["Last-Modified"]
    again = seeded_client.get(f"{API}/colleges", headers={"If-Modified-Since": since})
    assert again.status_code == 304


@pytest.mark.postgres_only
def test_another_process_commit_reaches_the_etag_through_listen(client, engine):
    """A write committed outside this process (no session hook here): the writer's pg_notify
    moves this process's version, so the old ETag stops answering 304."""
    import time

    from app.changes.recorder import bump_version, now_iso

    def etag() -> str:
        return client.get(f"{API}/catalogs").headers["ETag"]

    before = etag()
    deadline = time.monotonic() + 5
    while not client.app.state.versions.live and time.monotonic() < deadline:
        time.sleep(0.05)
    assert client.app.state.versions.live  # the version comes from memory, not a read
    with engine.connect() as conn:  # a bare connection: what another process's commit looks like
        bump_version(conn, now_iso())
        conn.commit()
    deadline = time.monotonic() + 5
    while etag() == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert etag() != before
    assert client.get(f"{API}/catalogs", headers={"If-None-Match": before}).status_code == 200


def test_a_repeated_public_page_is_served_from_the_page_cache_until_a_write(
    seeded_client, admin_headers, monkeypatch
):
    from app.changes import feed

    first = seeded_client.get(f"{API}/changes", params={"limit": 500})
    real = feed.page_json
    monkeypatch.setattr(feed, "page_json", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
    again = seeded_client.get(f"{API}/changes", params={"limit": 500})
    assert again.content == first.content
    assert again.headers["ETag"] == first.headers["ETag"]
    monkeypatch.setattr(feed, "page_json", real)
    assert seeded_client.patch(
        f"{API}/programs/1", json={"status": "suspended", "reason": "停招"}, headers=admin_headers
    ).is_success
    fresh = seeded_client.get(f"{API}/changes/head")  # the route runs again: a new version
    assert fresh.headers["ETag"] != first.headers["ETag"]
    again = seeded_client.get(f"{API}/changes", params={"limit": 500})
    assert again.headers["ETag"] == fresh.headers["ETag"]


def test_a_write_that_bypasses_the_services_still_changes_the_etag(client, engine):
    """A script or a factory writes without an audit record: the flush alone moves the version,
    so neither a 304 nor the page cache outlives it."""
    from tests.factories import make_college

    first = client.get(f"{API}/colleges")
    make_college(engine, code="T0001", name="测试技师学院")
    again = client.get(f"{API}/colleges", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert [c["code"] for c in again.json()["items"]] == ["T0001"]


def test_a_kept_page_answers_each_reader_in_the_encoding_it_asked_for(seeded_client):
    """A page kept in memory is sent again through the gzip layer, which rewrote the kept header
    list in place: a reader without gzip then got `Content-Encoding: gzip` over a plain body."""
    for path in ("/programs.csv", "/programs?college=4401J001", "/colleges"):
        plain = seeded_client.get(API + path, headers={"Accept-Encoding": "identity"})
        for encoding in ("gzip", "identity", "gzip", "identity"):
            again = seeded_client.get(API + path, headers={"Accept-Encoding": encoding})
            assert again.status_code == 200, path
            assert again.content == plain.content, (path, encoding)
            expected = "gzip" if encoding == "gzip" and len(plain.content) >= 1024 else None
            assert again.headers.get("content-encoding") == expected, (path, encoding)
