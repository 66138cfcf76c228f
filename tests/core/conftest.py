"""Fixtures of the core tests: run an import service in its own unit of work."""

from collections.abc import Callable

import pytest

from app.db import session_scope
from tests.core.helpers import ADMIN


@pytest.fixture
def run(engine) -> Callable:
    """run(service, data, **kwargs): the import service in one committed unit of work."""

    def call(service: Callable, data: bytes, **kwargs):
        with session_scope(engine) as session:
            return service(session, data, actor=kwargs.pop("actor", ADMIN), **kwargs)

    return call
