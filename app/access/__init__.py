"""Access control and audit: token administration and the audit-log reader (routes + services).

The rules themselves live in ``app.auth`` (who may act on what) and ``app.audit`` (the log)."""
