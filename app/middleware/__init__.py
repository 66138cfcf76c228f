"""What every HTTP response carries, whatever route answered it (docs/security.md), one concern
per module:

- ``context``: the request context middleware — request id, ``request.state`` (nonce, client
  address), the caller's name for the log, the access log line and metrics, and the answer to an
  escaped exception;
- ``jsonlog``: JSON log lines (the app's and uvicorn's);
- ``security``: the security headers and the Content-Security-Policy;
- ``failures``: the 500 and 503 answers given outside the routes' error handlers;
- ``cors``: Starlette's ``CORSMiddleware`` with the registry's lists and answers;
- ``routes``: the route template a request matched.

The names other modules import are re-exported here.
"""

from app.middleware.context import (
    REQUEST_ID_HEADER,
    RequestContext,
    current_request_id,
    set_actor,
)
from app.middleware.cors import Cors
from app.middleware.jsonlog import JsonFormatter, configure_logging, log_config
from app.middleware.routes import route_template
from app.middleware.security import content_security_policy

__all__ = [
    "REQUEST_ID_HEADER",
    "Cors",
    "JsonFormatter",
    "RequestContext",
    "configure_logging",
    "content_security_policy",
    "current_request_id",
    "log_config",
    "route_template",
    "set_actor",
]
