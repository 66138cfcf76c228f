"""Access: who is calling (``principal``), tokens (``models``, ``tokens``), who may act on what
(``policy``), the FastAPI dependencies (``deps``), and the routes of token administration and
the audit log. The log itself is ``app.audit``."""
