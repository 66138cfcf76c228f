"""The API documentation pages render in a real browser from the registry's own assets, under its
Content-Security-Policy (docs/security.md) — and the web pages live with that policy too."""

import pytest

REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def _watch(page) -> tuple[list[str], list[str]]:
    """(URLs of requests that completed, console errors) of the page from now on."""
    requests: list[str] = []
    errors: list[str] = []
    page.on("requestfinished", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return requests, errors


@pytest.mark.parametrize(
    ("path", "rendered"),
    [
        ("/docs", ".swagger-ui .info .title"),
        ("/redoc", "h1"),
    ],
)
def test_api_docs_render_offline_under_the_csp(page, live_server, screenshot, path, rendered):
    requests, errors = _watch(page)
    response = page.goto(path)
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    title = page.locator(rendered).first
    title.wait_for(timeout=30_000)
    assert "Vocational program registry" in title.inner_text()
    if path == "/docs":  # the operations are listed from /openapi.json
        page.locator(".opblock").first.wait_for(timeout=30_000)
        assert page.locator(".opblock").count() > 50
    # everything from the registry itself (ReDoc's search index runs in a blob: worker)
    origin = live_server.url
    assert requests, requests
    assert all(u.startswith((origin, f"blob:{origin}")) for u in requests), requests
    # ReDoc's side menu shows Redocly's logo from their CDN: the policy blocks it (img-src
    # 'self'), ReDoc then hides it. Nothing else may be refused.
    refused = [e for e in errors if "Content Security Policy" in e and REDOCLY_LOGO not in e]
    assert not refused, errors
    screenshot(page, f"api-docs{path.replace('/', '-')}", full_page=False)


def test_the_home_page_breaks_no_csp_rule(page):
    _, errors = _watch(page)
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert not [e for e in errors if "Content Security Policy" in e], errors
