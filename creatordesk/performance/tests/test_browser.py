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


def test_manager_sees_the_drawn_charts_by_campaign_and_creator_and_the_funnel(
    performance_url, side_a, monkeypatch
) -> None:
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
        first_series = (
            "Chart.getChart(document.querySelector('canvas[data-chart-metric=views]')).data.datasets[0]"
        )
        by_campaign = page.evaluate(f"{first_series}.label")
        page.check("input[name=chart-group][value=creators]")
        by_creator = page.evaluate(f"[{first_series}.label, {first_series}.data.at(-1)]")
        funnel = page.evaluate(
            "(() => { const c = Chart.getChart(document.querySelector('canvas[data-chart-funnel]'));"
            " return [c.data.labels[0], c.data.datasets[0].data[0]]; })()"
        )
        browser.close()
    assert points == [4, 4, 4]
    assert title == "GMV (EUR)"
    assert by_campaign == side_a.campaign.name
    assert by_creator == [side_a.creator.display_name, 4000]
    assert funnel == ["Invited", 0]  # the one collaboration is still a prospect
