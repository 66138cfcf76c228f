"""Access: who is calling (``principal``), token rows and their resolution (``models``,
``tokens``), who may act on what (``policy``), password rules (``passwords``), sign-in and bad
token throttling (``sign_in``, ``throttle``) and the FastAPI dependencies (``deps``). It imports
no domain package: users and token administration are ``app.accounts``, the audit log
``app.audit``."""
