"""Where a webhook may POST: not to the registry's own network (SSRF) unless allowed.

Every address that is not global is refused — loopback, private (RFC 1918, fc00::/7), link-local
(169.254/16, where most clouds' metadata lives), shared (100.64.0.0/10, where Alibaba Cloud's
metadata ``100.100.100.200`` lives), reserved, documentation and benchmark ranges, multicast and
unspecified — after resolving the host, on creation and again before every delivery (a name can be
re-pointed), unless the URL's host is listed in ``REGISTRY_WEBHOOK_ALLOWED_HOSTS`` (comma-separated
host names or addresses, exactly as in the URL).

A delivery connects to the address that was checked: ``resolve`` gives the URL with that address in
place of the name, the ``Host`` header and the TLS server name (SNI, and the name the certificate
is checked against) of the original host. Nothing resolves the name a second time, so a DNS answer
that changes between the check and the connection (DNS rebinding) cannot send it elsewhere."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from app.errors import Invalid


def allowed_hosts(setting: str) -> set[str]:
    return {h.strip().lower().strip("[]") for h in setting.split(",") if h.strip()}


def refused(address: str) -> bool:
    """True for every address outside the global unicast ranges."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified


@dataclass(frozen=True)
class Target:
    """Where to connect: ``url`` names the checked address; ``host`` is the ``Host`` header;
    ``server_name`` the TLS server name (None for http)."""

    url: str
    host: str
    server_name: str | None


def resolve(url: str, allowed: set[str]) -> Target:
    """The address to connect to for ``url``, resolved once and checked; raises ``Invalid``
    (422) for a URL the registry must not call."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise Invalid({"url": url}, error="webhook_url_invalid")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as exc:
        raise Invalid({"url": url, "host": host}, error="webhook_url_unresolved") from exc
    addresses = [str(info[4][0]) for info in infos]
    if host not in allowed:
        bad = sorted({a for a in addresses if refused(a)})
        if bad or not addresses:
            raise Invalid({"url": url, "host": host, "addresses": bad}, error="webhook_url_refused")
    address = addresses[0].split("%", 1)[0]
    shown = f"[{address}]" if ":" in address else address
    netloc = f"{shown}:{parts.port}" if parts.port else shown
    if parts.username or parts.password:  # credentials in the URL go along as they were
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    host_header = parts.netloc.rsplit("@", 1)[-1]
    return Target(
        urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")),
        host_header,
        host if parts.scheme == "https" else None,
    )


def check_url(url: str, allowed: set[str]) -> None:
    """Raises ``Invalid`` (422) for a URL the registry must not call."""
    resolve(url, allowed)
