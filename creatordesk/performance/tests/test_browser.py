"""The performance charts draw in a real headless Chromium from the embedded JSON."""

from __future__ import annotations

import shutil
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import PASSWORD
from creatordesk.performance.connectors import Snapshot
from creatordesk.performance.services import post_create, snapshots_record

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def performance_url(transactional_db, live_server, side_a) -> str:
    post = post_create(
        collaboration=side_a.collaboration,
        platform="tiktok",
        external_id="7441234567890123456",
        posted_at=timezone.now() - timedelta(days=4),
    )
    snapshots_record(
        rows=[
            (
                post,
                Snapshot(
                    taken_at=timezone.now() - timedelta(days=d),
                    views=1000 * (4 - d),
                    orders=4 - d,
                    gmv_eur=Decimal(25 * (4 - d)),
                ),
            )
            for d in (3, 2, 1, 0)
        ]
    )
    return live_server.url


def test_manager_sees_three_drawn_charts(performance_url, side_a, monkeypatch) -> None:
    from playwright.sync_api import sync_playwright

    email = side_a.manager.email
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page(locale="en-US")
        page.set_default_timeout(15_000)
        page.goto(performance_url + "/accounts/login/")
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(performance_url + "/performance/")
        page.wait_for_function("document.querySelectorAll('canvas[data-chart-metric]').length === 3")
        page.wait_for_function(
            "window.Chart && Chart.getChart(document.querySelector('canvas')) !== undefined"
        )
        points = page.evaluate(
            "[...document.querySelectorAll('canvas[data-chart-metric]')]"
            ".map(c => Chart.getChart(c).data.datasets[0].data.length)"
        )
        title = page.evaluate("Chart.getChart(document.querySelector('canvas')).options.plugins.title.text")
        browser.close()
    assert points == [4, 4, 4]
    assert title == "GMV (EUR)"
