"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread, so Django's guard against database
calls from async code is lifted for these tests only.
"""

import os
import shutil
import sqlite3

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in_as(page, live_server):
    """Signs a user in by giving the browser a real session cookie for them."""
    from django.conf import settings
    from django.test import Client

    def _sign_in(user, *, with_two_factor=False):
        if with_two_factor:
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            TOTP.activate(user, generate_totp_secret())
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return user

    return _sign_in


_demo_snapshot: sqlite3.Connection | None = None


@pytest.fixture
def demo_data(db):
    """The bundled demo data, loaded as `culturehub load-demo` loads it. Loading takes seconds, so on
    SQLite's in-memory test database (which the live server shares) it is loaded once per session and
    copied back for each test with SQLite's backup API; elsewhere it is loaded each time."""
    global _demo_snapshot
    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        call_command("load_demo", verbosity=0)
        return
    connection.ensure_connection()
    if _demo_snapshot is None:
        call_command("load_demo", verbosity=0)
        _demo_snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(_demo_snapshot)
    else:
        _demo_snapshot.backup(connection.connection)
