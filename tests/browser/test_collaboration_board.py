"""Moving a collaboration across the board in Chromium, and seeing every move in the creator's timeline."""

from __future__ import annotations

import pytest

from creatordesk.dashboard.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def board_url(base_url: str) -> str:
    from creatordesk.campaigns.models import Campaign

    campaign = Campaign.objects.get(name="Vitamin-C-Serum Herbst-Launch")
    return f"{base_url}/campaigns/{campaign.pk}/board/"


def test_manager_moves_a_collaboration_from_invited_to_briefed(base_url, board_url, page) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", "manager@lumenhaut.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(board_url)

    card = "card-jana.glow"
    assert page.get_by_test_id("column-invited").get_by_test_id(card).is_visible()
    for status in ("accepted", "sample_sent", "sample_delivered", "briefed"):
        with page.expect_response(lambda r: "/move/" in r.url):
            page.get_by_test_id("move-jana.glow").select_option(status)
        page.get_by_test_id(f"column-{status}").get_by_test_id(card).wait_for()
        # HTMX wires up the swapped-in board only once it has settled.
        page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
        )
    assert page.get_by_test_id("column-invited").get_by_test_id(card).count() == 0

    page.get_by_test_id("column-briefed").get_by_test_id(card).get_by_role("link", name="Jana Glow").click()
    timeline = page.get_by_test_id("timeline").inner_text()
    for step in (
        "Invited → Accepted",
        "Accepted → Sample sent",
        "Sample sent → Sample delivered",
        "Sample delivered → Briefed",
    ):
        assert step in timeline
