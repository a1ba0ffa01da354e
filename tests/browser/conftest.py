"""A real headless Chromium (Debian's package) driven by Playwright, against a live server.

Playwright's sync API runs an event loop in the test thread, and Django gives code inside a running
loop a connection of its own that does not see the test database. So everything that touches the
database (the demo data) happens in `base_url` before the browser starts, the browser is closed
before the database is flushed, and a test does no ORM calls while `page` is open.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def base_url(transactional_db, live_server) -> str:
    """The `make run` server named by CREATORDESK_BASE_URL, else a live test server with demo data."""
    external = os.environ.get("CREATORDESK_BASE_URL")
    if external:
        return external.rstrip("/")
    from creatordesk.dashboard.demo import load_demo

    load_demo()
    return live_server.url


@pytest.fixture
def page(base_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en-US")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def task_worker(base_url: str) -> Iterator[None]:
    """The real database task worker in a thread, picking up what the live server enqueues.

    The `db_worker` command installs signal handlers, which only the main thread may do, so the
    thread runs the command's worker loop itself.
    """
    import threading

    from django.db import connections
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=0.2,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test",
        excluded_queue_names=[],
    )

    def work() -> None:
        try:
            worker.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    yield
    worker.running = False
    thread.join(timeout=120)
