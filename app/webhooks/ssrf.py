"""Where a webhook may POST: not to the registry's own network (SSRF) unless allowed.

Loopback, private (RFC 1918, fc00::/7), link-local (169.254/16, where cloud metadata lives),
reserved, multicast and unspecified addresses are refused — after resolving the host, and again
before every delivery (a name can be re-pointed) — unless the URL's host is listed in
``REGISTRY_WEBHOOK_ALLOWED_HOSTS`` (comma-separated host names or addresses, exactly as in the
URL)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from app.errors import Invalid


def allowed_hosts(setting: str) -> set[str]:
    return {h.strip().lower().strip("[]") for h in setting.split(",") if h.strip()}


def _refused(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def check_url(url: str, allowed: set[str]) -> None:
    """Raises ``Invalid`` (422) for a URL the registry must not call."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise Invalid({"url": url}, error="webhook_url_invalid")
    if host in allowed:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as exc:
        raise Invalid({"url": url, "host": host}, error="webhook_url_unresolved") from exc
    bad = sorted({info[4][0] for info in infos if _refused(str(info[4][0]))})
    if bad:
        raise Invalid({"url": url, "host": host, "addresses": bad}, error="webhook_url_refused")
