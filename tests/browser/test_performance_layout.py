"""The performance page of the demo fits the screen: on a laptop and on a phone nothing runs off to the side."""

from __future__ import annotations

import pytest

from creatordesk.dashboard.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser]

CHARTS_DRAWN = (
    "() => window.Chart && [...document.querySelectorAll('canvas[data-chart-metric], canvas[data-chart-funnel]')]"
    ".every(canvas => Chart.getChart(canvas) !== undefined && canvas.width > 0)"
)
WIDTHS = """() => ({
  viewport: window.innerWidth,
  page: document.documentElement.scrollWidth,
  widest: Math.max(...[...document.querySelectorAll('main section, canvas')]
    .map(element => element.getBoundingClientRect().right)),
})"""


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_the_performance_page_is_no_wider_than_the_screen(base_url, page, width, height) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", "performance@lumenhaut.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(base_url + "/performance/")
    page.wait_for_function(CHARTS_DRAWN)
    # Chart.js resizes on the next frame; a chart that widened its box would show up after it.
    page.wait_for_timeout(300)
    widths = page.evaluate(WIDTHS)
    assert widths["page"] <= widths["viewport"], widths
    assert widths["widest"] <= widths["viewport"], widths
    # The demo's breakout alerts and their Spark Ads requests are on the page, not only in the data.
    assert page.get_by_test_id("viral-alert").count() == 2
    assert page.get_by_test_id("amplify-task").count() == 2
