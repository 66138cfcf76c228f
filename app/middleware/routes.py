"""The route template a request matched, as the access log and the metrics name it."""

from typing import Any


def route_template(route: Any, path: str | None) -> str | None:
    """The route's template as /docs shows it: ``/api/v1/tokens/{token_id}``, not its
    ``{token_id:int}``; None when no route matched. A route of a router included inside another
    one (``programs/`` under ``/api/v1``) knows only the part below its routers' prefixes; the
    prefix is then the path's leading segments (a template's parameter is one segment)."""
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not template or not path:
        return template
    missing = path.count("/") - template.count("/")
    if missing > 0:
        template = "/".join(path.split("/")[: missing + 1]) + template
    return template
