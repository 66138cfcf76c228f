"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against a real
``registry serve`` on a free loopback port, on the database of the backend under test.

Fixtures (docs/web.md describes them):

- ``live_server`` (module): a migrated, seeded database (SQLite file, or a fresh PostgreSQL schema
  when REGISTRY_TEST_BACKEND=postgresql) served by ``registry serve``; ``.url``, ``.engine``,
  ``.database_url``. Started once per test module (a whole yearly cycle, a round of a year or a
  pending filing of one module must not meet another module's); the tests of one module add what
  they need (their own users, rounds...) and never assume they are alone in it.
- ``browser`` (module): Chromium. Missing Chromium FAILS the tests (``make test`` installs it).
- ``page`` / ``phone_page``: a fresh browser context (no cookies) at desktop (1280×800) or phone
  (390×844) size, Chinese (``zh-CN``) like a clerk's browser.
- ``screenshot(page, name)``: saves ``test-artifacts/<name>.png`` (and, with
  REGISTRY_DOCS_SCREENSHOTS=1, ``docs/screenshots/<name>.png``).
- ``sign_in(page, username, password)``: the /login form, as a person fills it.
"""

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from tests.backend import BACKEND, PG_URL, pg_schema_url
from tests.web.helpers import PASSWORD, REGISTRY, registry_command

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass
class LiveServer:
    url: str
    database_url: str
    engine: Engine
    process: subprocess.Popen


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def live_database_url(tmp_path_factory) -> Iterator[str]:
    if BACKEND != "postgresql":
        yield f"sqlite:///{tmp_path_factory.mktemp('web') / 'registry.db'}"
        return
    schema = f"web_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield pg_schema_url(schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def live_server(live_database_url, tmp_path_factory) -> Iterator[LiveServer]:
    from app import migrate, seed
    from app.config import Settings
    from app.db import make_engine

    settings = Settings(database_url=live_database_url)
    engine = make_engine(live_database_url, settings)
    migrate.upgrade(engine)
    seed.run(engine)
    port = _free_port()
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": live_database_url,
        "REGISTRY_HOST": "127.0.0.1",
        "REGISTRY_PORT": str(port),
        "REGISTRY_LOG_LEVEL": "warning",
        # every browser signs in from 127.0.0.1: the tests' deliberate wrong passwords together
        # must not reach the per-address limit (tested in-process: tests/access/test_sign_in.py)
        "REGISTRY_LOGIN_ADDRESS_LIMIT": "1000",
    }
    log = open(tmp_path_factory.mktemp("server") / "serve.log", "w+b")  # noqa: SIM115
    process = subprocess.Popen([REGISTRY, "serve"], env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield LiveServer(url, live_database_url, engine, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        engine.dispose()


def _wait_until_up(url: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"registry serve exited with {process.returncode}:\n{log.read().decode()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail("registry serve did not answer /healthz within 90 s")


# Module scope, not session: while Playwright's sync API runs, the main thread has a running
# event loop, and any later non-browser test calling asyncio.run() would fail. A module starts
# Chromium once (about a second).
@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium); "
            "browser tests never skip"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _context(browser, viewport: dict[str, int], **options):
    context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser, live_server):
    context = _context(browser, DESKTOP, base_url=live_server.url)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = _context(browser, PHONE, base_url=live_server.url, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    def take(page, name: str, *, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        if os.environ.get("REGISTRY_DOCS_SCREENSHOTS") == "1":
            DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(DOCS_SCREENSHOTS / f"{name}.png"), full_page=full_page)
        return path

    return take


@pytest.fixture
def sign_in() -> Callable[..., None]:
    def fill(page, username: str, password: str) -> None:
        page.goto("/login")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()

    return fill


# ---- people with accounts (`registry user create`, as contract.md fixes it) ------------------


@pytest.fixture
def make_user(live_server) -> Callable[..., str]:
    """A user with the password PASSWORD; its username (random unless given)."""

    def create(role: str = "college", name: str | None = None, **binding: str) -> str:
        name = name or f"{role}-{uuid.uuid4().hex[:8]}"
        options = [f"--{k}={v}" for k, v in binding.items()]
        done = registry_command(
            live_server,
            "user",
            "create",
            name,
            f"--role={role}",
            *options,
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""  # contract: prints nothing on stdout
        return name

    return create
