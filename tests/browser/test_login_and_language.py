from __future__ import annotations

import pytest

from creatordesk.dashboard.demo import DEMO_PASSWORD, DEMO_WORKSPACE

pytestmark = pytest.mark.browser


def test_demo_manager_logs_in_sees_the_workspace_and_switches_to_german(page, base_url) -> None:
    page.goto(base_url + "/")
    page.fill("input[name=username]", "manager@lumenhaut.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")

    assert page.get_by_test_id("workspace-name").inner_text() == DEMO_WORKSPACE
    nav = page.get_by_role("navigation", name="Main navigation")
    assert nav.get_by_role("link", name="Campaigns").is_visible()

    with page.expect_navigation():
        page.get_by_test_id("language-select").select_option("de")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    for label in ("Creator:innen", "Kampagnen", "Freigaben", "Performance"):
        assert nav.get_by_role("link", name=label).is_visible()
    assert page.locator("html").get_attribute("lang") == "de"

    # The choice belongs to the user: it is still German after logging out and in again.
    page.get_by_role("button", name="Abmelden").click()
    page.fill("input[name=username]", "manager@lumenhaut.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    assert page.get_by_role("navigation", name="Hauptnavigation").is_visible()
    page.get_by_test_id("language-select").select_option("en")  # leave the demo user as it was
