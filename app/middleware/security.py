"""The security headers every response carries (docs/security.md, "Every response").

``nosniff``, ``X-Frame-Options: DENY`` (old browsers; ``frame-ancestors 'none'`` for the rest),
``Referrer-Policy: same-origin``, a Content-Security-Policy whose scripts need this response's
nonce (``request.state.csp_nonce``), and HSTS when the request came over HTTPS (directly, or
through a proxy of ``REGISTRY_TRUSTED_PROXIES``).
"""

from app.headers import RawHeaders

HSTS = b"max-age=31536000; includeSubDomains"


def content_security_policy(nonce: str) -> str:
    """Scripts only from this origin or carrying this response's nonce; styles from this origin
    (inline styles allowed: Swagger UI and ReDoc set them, and a style cannot run code); no
    framing, no plugins, forms post only here. docs/security.md says how pages use the nonce."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(nonce: str, *, https: bool) -> RawHeaders:
    """The headers added to every response: the policy with ``nonce``, HSTS over HTTPS."""
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"content-security-policy", content_security_policy(nonce).encode()),
    ]
    if https:
        headers.append((b"strict-transport-security", HSTS))
    return headers
