"""The ``registry`` command (``main``, the console script); its commands are ``app.cli.commands``.

Importing them loads SQLAlchemy, SQLModel, pydantic and every model: some 400,000 objects that
live as long as the process and hold no garbage. With the cyclic collector on it scanned them
again and again while they were made (0.2 s of a 1.1 s start, a twentieth of `registry import
programs` of 150,000 rows); they are made with it off and then frozen out of its later scans
(``gc.freeze``), as a long-lived process's start-up objects should be.
"""

import gc


def main() -> None:
    collecting = gc.isenabled()
    gc.disable()
    try:
        from app.cli.commands import app
    finally:
        if collecting:
            gc.enable()
    gc.freeze()
    app()
