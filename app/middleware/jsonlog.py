"""JSON log lines: one object per line on stderr, for the app's loggers and uvicorn's.

``configure_logging`` gives the ``registry`` loggers (``registry.access``, ``registry.error`` …)
a JSON handler once per process; ``log_config`` is the ``dictConfig`` ``registry serve`` hands
to uvicorn so its own lines use the same format. ``request_line`` writes a request's line with
the fields of ``JsonFormatter.FIELDS``.
"""

import json
import logging
import math
import sys
import time
import traceback
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson
from starlette.types import Scope

from app.middleware.routes import route_template


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's extra fields."""

    FIELDS = (
        "request_id",
        "method",
        "route",
        "path",
        "status",
        "duration_ms",
        "client",
        "actor",
        "role",
        "token_id",
    )

    # (second, "YYYY-MM-DDTHH:MM:SS.") of the last line: lines within a second share it.
    _second: tuple[int, str] = (-1, "")

    def timestamp(self, created: float) -> str:
        """``created`` as ``datetime.fromtimestamp(created, UTC).isoformat(timespec=
        "milliseconds")`` writes it (rounded to the microsecond, half to even, then cut to the
        millisecond), the date and time formatted once a second."""
        fraction, whole = math.modf(created)
        micro = round(fraction * 1e6)
        if micro >= 1_000_000:
            whole, micro = whole + 1, micro - 1_000_000
        second, prefix = self._second
        if second != whole:
            second = int(whole)
            prefix = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S.")
            self._second = (second, prefix)
        return f"{prefix}{micro // 1000:03d}+00:00"

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.timestamp(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in self.FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        try:
            return orjson.dumps(entry, default=str).decode()
        except TypeError:  # what orjson refuses (a lone surrogate, an int beyond 64 bits)
            return json.dumps(entry, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time (a test runner swaps it per test)."""

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure_logging(level: str = "info") -> None:
    """JSON lines on stderr for the ``registry`` loggers (once per process)."""
    logger = logging.getLogger("registry")
    if any(isinstance(h, StderrHandler) for h in logger.handlers):
        return
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False


def log_config(level: str = "info") -> dict[str, Any]:
    """``logging.config.dictConfig`` of ``registry serve`` (given to uvicorn, which applies it in
    every worker process): uvicorn's own lines (``Started server process``, errors) and every
    other library's go through the same JSON formatter as the app's, on stderr — one format
    for a log shipper. The ``registry`` loggers keep their own handler (``configure_logging``)."""
    handler = {"()": f"{__name__}.StderrHandler", "formatter": "json"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {"stderr": handler},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            # access lines are the app's own (registry.access); uvicorn's stay off
            "uvicorn.access": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }


def request_line(
    logger: logging.Logger,
    level: int,
    message: str,
    scope: Scope,
    state: dict[str, Any],
    started: float,
    exc_info: bool = False,
) -> None:
    """The request's line on ``logger``: what ``logger.log(level, message, extra=…)`` makes,
    with the fields set on the record as they are read (no ``extra`` dict copied into it) and
    no walk up the stack for the caller (the record names this module)."""
    if not logger.isEnabledFor(level):
        return
    record = logger.makeRecord(
        logger.name, level, __file__, 0, message, (), sys.exc_info() if exc_info else None
    )
    record.request_id = state["request_id"]
    record.method = scope["method"]
    record.route = route_template(scope.get("route"), scope.get("path"))
    record.path = scope.get("path")
    record.status = state["status"] or 500
    record.duration_ms = round((time.perf_counter() - started) * 1000, 2)
    record.client = scope["state"].get("client_ip")
    record.actor = state.get("actor")
    record.role = state.get("role")
    record.token_id = state.get("token_id")
    logger.handle(record)
