"""The demo owner's home page lists what needs them now, in English and German, on a laptop screen."""

from __future__ import annotations

import pytest

from creatordesk.dashboard.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser]

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
WIDTHS = "() => ({page: document.documentElement.scrollWidth, viewport: window.innerWidth})"


@pytest.mark.parametrize("language,heading", [("en", "Needs you now"), ("de", None)])
def test_owner_sees_needs_you_now_and_follows_a_row(base_url, page, language, heading) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", "owner@lumenhaut.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    # The language switch below needs the home page loaded, its script included.
    with page.expect_navigation():
        page.click("button[type=submit]")
    if language == "de":
        with page.expect_navigation():
            page.get_by_test_id("language-select").select_option("de")
    assert page.locator("html").get_attribute("lang") == language

    needs = page.get_by_test_id("needs-list")
    assert needs.is_visible()
    if heading:
        assert needs.get_by_role("heading", name=heading).is_visible()
    rows = needs.get_by_test_id("needs-row")
    assert rows.count() >= 1
    assert page.evaluate(FITS), page.evaluate(WIDTHS)

    first = rows.first.get_by_test_id("needs-link")
    target = first.get_attribute("href")
    assert target
    with page.expect_navigation():
        first.click()
    assert page.url.split("#")[0].endswith(target.split("#")[0])
    assert page.evaluate(FITS), page.evaluate(WIDTHS)

    if language == "de":  # leave the demo user as it was
        with page.expect_navigation():
            page.get_by_test_id("language-select").select_option("en")
