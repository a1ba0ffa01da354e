"""Moving a collaboration across the board in Chromium, and seeing every move in the creator's timeline."""

from __future__ import annotations

import pytest

from creatordesk.dashboard.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

SETTLED = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


@pytest.fixture
def board_url(base_url: str) -> str:
    from creatordesk.campaigns.models import Campaign

    campaign = Campaign.objects.get(name="Vitamin-C-Serum Herbst-Launch")
    return f"{base_url}/campaigns/{campaign.pk}/board/"


def open_board(page, base_url: str, board_url: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", "manager@lumenhaut.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(board_url)


def settle(page) -> None:
    # HTMX wires up the swapped-in board only once it has settled.
    page.wait_for_function(SETTLED)


def card_in(page, status: str, handle: str):
    return page.get_by_test_id(f"column-{status}").get_by_test_id(f"card-{handle}")


def drag(page, handle: str, status: str) -> None:
    """Drag a card by its blank top edge (its select and link take clicks of their own)."""
    card = page.get_by_test_id(f"card-{handle}")
    card.scroll_into_view_if_needed()
    box = card.bounding_box()
    assert box is not None
    column = page.get_by_test_id(f"column-{status}").bounding_box()
    assert column is not None
    with page.expect_response(lambda r: "/move/" in r.url):
        card.drag_to(
            page.get_by_test_id(f"column-{status}"),
            source_position={"x": box["width"] - 8, "y": 4},
            # At the height of the card: nothing has to scroll during the drag, so the card under the
            # pointer when it starts is still this one.
            target_position={"x": 40, "y": box["y"] - column["y"] + 4},
        )
    settle(page)


def test_manager_moves_a_collaboration_from_invited_to_briefed(base_url, board_url, page) -> None:
    open_board(page, base_url, board_url)

    card = "card-jana.glow"
    assert page.get_by_test_id("column-invited").get_by_test_id(card).is_visible()
    for status in ("accepted", "sample_sent", "sample_delivered", "briefed"):
        page.get_by_test_id("move-jana.glow").select_option(status)
        with page.expect_response(lambda r: "/move/" in r.url):
            page.get_by_test_id("move-submit-jana.glow").click()
        page.get_by_test_id(f"column-{status}").get_by_test_id(card).wait_for()
        settle(page)
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


def test_dragging_a_card_past_a_step_warns_and_moving_back_asks_for_a_reason(
    base_url, board_url, page
) -> None:
    open_board(page, base_url, board_url)
    handle = "skinbymehmet"
    assert card_in(page, "sample_sent", handle).is_visible()

    # Two columns ahead: the skipped step is named and nothing moves until confirmed.
    drag(page, handle, "briefed")
    prompt = page.get_by_test_id("move-prompt")
    assert "Moving to Briefed skips Sample delivered." in prompt.inner_text()
    assert card_in(page, "sample_sent", handle).is_visible()
    with page.expect_response(lambda r: "/move/" in r.url):
        prompt.get_by_role("button", name="Move anyway").click()
    card_in(page, "briefed", handle).wait_for()
    settle(page)
    assert page.get_by_test_id("move-prompt").count() == 0
    assert page.get_by_test_id("board-live").inner_text() == "Skin by Mehmet moved to Briefed."

    # Back to where it was: the board asks why, and the answer lands in the timeline.
    drag(page, handle, "sample_sent")
    prompt = page.get_by_test_id("move-prompt")
    assert "Moving back from Briefed to Sample sent needs a reason." in prompt.inner_text()
    assert card_in(page, "briefed", handle).is_visible()
    prompt.get_by_test_id("move-reason").fill("Sample arrived broken")
    with page.expect_response(lambda r: "/move/" in r.url):
        prompt.get_by_role("button", name="Move back").click()
    card_in(page, "sample_sent", handle).wait_for()
    settle(page)

    card_in(page, "sample_sent", handle).get_by_role("link", name="Skin by Mehmet").click()
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "Sample sent → Briefed (skipped: Sample delivered)" in timeline
    assert "Briefed → Sample sent (reason: Sample arrived broken)" in timeline


def test_a_card_moves_with_the_keyboard_alone(base_url, board_url, page) -> None:
    open_board(page, base_url, board_url)
    handle = "lisaliebtpflege"

    card_in(page, "briefed", handle).focus()
    with page.expect_response(lambda r: "/move/" in r.url):
        page.keyboard.press("ArrowRight")
    card_in(page, "draft_submitted", handle).wait_for()
    settle(page)
    # The keyboard stays on the moved card, so the next key press moves it on.
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.dataset.testid === 'card-lisaliebtpflege'"
    )
    assert page.get_by_test_id("board-live").inner_text() == "Lisa Liebt Pflege moved to Draft submitted."

    with page.expect_response(lambda r: "/move/" in r.url):
        page.keyboard.press("ArrowLeft")
    settle(page)
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'reason'")
    page.keyboard.type("Wrong clip uploaded")
    with page.expect_response(lambda r: "/move/" in r.url):
        page.keyboard.press("Enter")
    card_in(page, "briefed", handle).wait_for()
    settle(page)
    assert card_in(page, "draft_submitted", handle).count() == 0
