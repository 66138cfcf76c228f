"""``app.headers``: the one reader of an ASGI request's headers and cookies."""

from app import headers


def scope(*pairs: tuple[bytes, bytes], client: str = "10.0.0.1", scheme: str = "http") -> dict:
    return {"type": "http", "headers": list(pairs), "client": (client, 5000), "scheme": scheme}


def test_the_first_value_of_a_header_and_none_when_absent():
    request = scope((b"accept-language", b"en"), (b"accept-language", b"zh"))
    assert headers.text(request, b"accept-language") == "en"
    assert headers.raw(request, b"accept-language") == b"en"
    assert headers.text(request, b"origin") is None


def test_cookies_by_name_with_spaces_and_empty_values():
    request = scope((b"cookie", b"lang=en; session=abc=def ;csrf=; theme"))
    assert headers.cookie(request, "session") == "abc=def"
    assert headers.cookie(request, "lang") == "en"
    assert headers.cookie(request, "csrf") is None  # empty: as if not sent
    assert headers.cookie(request, "missing") is None
    pairs = list(headers.cookies_in("lang=en; session=abc=def ;csrf=; theme"))
    assert pairs == [("lang", "en"), ("session", "abc=def"), ("csrf", ""), ("theme", "")]


def test_https_only_directly_or_through_a_trusted_proxy():
    forwarded = (b"x-forwarded-proto", b"https, http")
    assert headers.is_https(scope(scheme="https"), trusted_proxies=())
    assert not headers.is_https(scope(forwarded), trusted_proxies=())
    assert headers.is_https(scope(forwarded), trusted_proxies={"10.0.0.1"})
    assert not headers.is_https(scope((b"x-forwarded-proto", b"http")), {"10.0.0.1"})


def test_the_client_address_is_the_nearest_untrusted_hop():
    chain = (b"x-forwarded-for", b"203.0.113.9, 198.51.100.4, 10.0.0.2")
    trusted = {"10.0.0.1", "10.0.0.2"}
    assert headers.client_address(scope(chain), trusted) == "198.51.100.4"
    assert headers.client_address(scope(chain), set()) == "10.0.0.1"  # the proxy is not believed
    assert headers.client_address(scope(), trusted) == "10.0.0.1"  # nothing forwarded
    assert headers.client_address({"type": "http", "headers": []}, trusted) == "unknown"


def test_response_header_helpers_edit_the_list_in_place():
    answer = [(b"Content-Type", b"text/plain"), (b"vary", b"Accept-Language")]
    assert headers.has(answer, b"content-type")
    assert not headers.has(answer, b"etag")
    assert headers.first(answer, b"content-type") == b"text/plain"
    headers.add_vary(answer, b"Accept-Encoding")
    assert answer[1] == (b"vary", b"Accept-Language, Accept-Encoding")
    bare: list[tuple[bytes, bytes]] = []
    headers.add_vary(bare, b"Cookie")
    assert bare == [(b"vary", b"Cookie")]
    assert headers.without(answer, (b"vary",)) == [(b"Content-Type", b"text/plain")]
