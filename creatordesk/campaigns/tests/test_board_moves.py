"""Board moves by hand: skipped steps need a confirmation, going back needs a reason, on every path."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from creatordesk.campaigns.models import Collaboration, CollaborationStatus
from creatordesk.campaigns.services import (
    BACKWARD_NEEDS_REASON,
    SKIP_NEEDS_CONFIRMATION,
    collaboration_create,
    collaboration_move,
    collaboration_move_by_hand,
)
from creatordesk.creators.models import ActivityEvent
from creatordesk.creators.services import creator_create

pytestmark = pytest.mark.django_db


def at(collaboration: Collaboration, status: str) -> Collaboration:
    collaboration_move(collaboration=collaboration, status=status)
    return collaboration


def status_of(collaboration: Collaboration) -> str:
    collaboration.refresh_from_db()
    return collaboration.status


def timeline(collaboration: Collaboration) -> list[str]:
    return list(
        ActivityEvent.objects.filter(collaboration=collaboration, verb="collaboration_moved")
        .order_by("id")
        .values_list("text", flat=True)
    )


def move_url(collaboration: Collaboration) -> str:
    return f"/campaigns/collaborations/{collaboration.pk}/move/"


# The service


def test_a_move_that_skips_steps_is_refused_naming_the_skipped_steps(side_a) -> None:
    with pytest.raises(ValidationError) as refused:
        collaboration_move_by_hand(collaboration=side_a.collaboration, status="sample_sent")
    assert refused.value.code == SKIP_NEEDS_CONFIRMATION
    assert refused.value.messages == ["Moving to Sample sent skips Invited, Accepted."]
    assert status_of(side_a.collaboration) == "prospect"
    assert timeline(side_a.collaboration) == []


def test_skipped_steps_are_named_in_the_readers_language(side_a) -> None:
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        collaboration_move_by_hand(collaboration=side_a.collaboration, status="accepted")
    invited_de = translation.gettext_lazy("Invited")
    with translation.override("de"):
        assert str(invited_de) in refused.value.messages[0]
        assert str(invited_de) != "Invited"


def test_a_confirmed_skip_moves_and_the_timeline_names_what_was_skipped(side_a) -> None:
    collaboration_move_by_hand(collaboration=side_a.collaboration, status="paid", confirm_skip=True)
    assert status_of(side_a.collaboration) == "paid"
    (entry,) = timeline(side_a.collaboration)
    assert entry.startswith("Campaign alpha: Prospect → Paid (skipped: Invited, Accepted, Sample sent")
    assert "Changes requested" not in entry


def test_one_step_forward_needs_nothing(side_a) -> None:
    collaboration_move_by_hand(collaboration=side_a.collaboration, status="invited")
    assert status_of(side_a.collaboration) == "invited"
    assert timeline(side_a.collaboration) == ["Campaign alpha: Prospect → Invited"]


def test_moving_back_needs_a_reason_and_the_reason_lands_in_the_creators_timeline(side_a, login_as) -> None:
    at(side_a.collaboration, "approved")
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as refused:
            collaboration_move_by_hand(collaboration=side_a.collaboration, status="briefed", reason=reason)
        assert refused.value.code == BACKWARD_NEEDS_REASON
        assert refused.value.messages == ["Moving back from Approved to Briefed needs a reason."]
    assert status_of(side_a.collaboration) == "approved"

    collaboration_move_by_hand(
        collaboration=side_a.collaboration,
        status="briefed",
        reason="Brand changed the product",
        actor=side_a.manager,
    )
    assert status_of(side_a.collaboration) == "briefed"
    assert timeline(side_a.collaboration)[-1] == (
        "Campaign alpha: Approved → Briefed (reason: Brand changed the product)"
    )
    page = login_as(side_a.viewer).get(f"/creators/{side_a.creator.pk}/").content.decode()
    assert "Approved → Briefed (reason: Brand changed the product)" in page


def test_a_reason_longer_than_the_timeline_keeps_is_refused(side_a) -> None:
    at(side_a.collaboration, "approved")
    with pytest.raises(ValidationError):
        collaboration_move_by_hand(collaboration=side_a.collaboration, status="briefed", reason="x" * 201)
    assert status_of(side_a.collaboration) == "approved"


def test_the_change_request_loop_is_no_step_back_and_approving_a_draft_skips_nothing(side_a) -> None:
    at(side_a.collaboration, "draft_submitted")
    for status in ("changes_requested", "draft_submitted", "approved"):
        collaboration_move_by_hand(collaboration=side_a.collaboration, status=status)
        assert status_of(side_a.collaboration) == status


def test_declining_works_from_any_stage_and_reopening_needs_a_reason(side_a) -> None:
    collaboration_move_by_hand(collaboration=side_a.collaboration, status="declined")
    assert status_of(side_a.collaboration) == "declined"
    with pytest.raises(ValidationError) as refused:
        collaboration_move_by_hand(collaboration=side_a.collaboration, status="invited")
    assert refused.value.code == BACKWARD_NEEDS_REASON
    collaboration_move_by_hand(collaboration=side_a.collaboration, status="invited", reason="Answered late")
    assert status_of(side_a.collaboration) == "invited"


def test_moves_caused_by_events_are_not_held_to_the_order(side_a) -> None:
    # An upload proves the draft is in, whatever stage the card was left at.
    collaboration_move(collaboration=side_a.collaboration, status=CollaborationStatus.DRAFT_SUBMITTED)
    assert status_of(side_a.collaboration) == "draft_submitted"


# The board


def test_board_warns_about_skipped_steps_and_moves_only_after_move_anyway(side_a, login_as) -> None:
    client = login_as(side_a.manager)
    warned = client.post(move_url(side_a.collaboration), {"status": "paid"}, HTTP_HX_REQUEST="true")
    assert warned.status_code == 200
    html = warned.content.decode()
    assert 'data-testid="move-prompt"' in html
    assert "Moving to Paid skips Invited, Accepted, Sample sent" in html
    assert 'name="confirm_skip" value="1"' in html
    assert "Move anyway" in html
    assert status_of(side_a.collaboration) == "prospect"
    assert timeline(side_a.collaboration) == []

    moved = client.post(
        move_url(side_a.collaboration), {"status": "paid", "confirm_skip": "1"}, HTTP_HX_REQUEST="true"
    )
    assert 'data-testid="move-prompt"' not in moved.content.decode()
    assert "Creator alpha moved to Paid." in moved.content.decode()
    assert status_of(side_a.collaboration) == "paid"


def test_board_asks_for_a_reason_when_moving_back_also_without_javascript(side_a, login_as) -> None:
    at(side_a.collaboration, "posted")
    client = login_as(side_a.manager)
    asked = client.post(move_url(side_a.collaboration), {"status": "briefed"})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "<html" in html
    assert "Moving back from Posted to Briefed needs a reason." in html
    assert 'name="reason" required' in html
    assert status_of(side_a.collaboration) == "posted"

    moved = client.post(move_url(side_a.collaboration), {"status": "briefed", "reason": "Video taken down"})
    assert moved.status_code == 302
    assert status_of(side_a.collaboration) == "briefed"
    assert "reason: Video taken down" in timeline(side_a.collaboration)[-1]


def test_board_offers_drag_and_drop_and_keyboard_moves_to_managers_only(side_a, login_as) -> None:
    url = f"/campaigns/{side_a.campaign.pk}/board/"
    managed = login_as(side_a.manager).get(url).content.decode()
    assert "js/board-dnd.js" in managed
    assert "css/board.css" in managed
    assert 'draggable="true" tabindex="0" aria-keyshortcuts="ArrowLeft ArrowRight"' in managed
    assert 'aria-live="polite"' in managed
    viewed = login_as(side_a.viewer).get(url).content.decode()
    assert 'draggable="true"' not in viewed
    assert "data-board-dnd" not in viewed


def test_bulk_move_moves_what_it_may_and_names_the_rows_it_left(side_a, login_as) -> None:
    third = collaboration_create(
        campaign=side_a.campaign,
        creator=creator_create(workspace=side_a.workspace, display_name="Third alpha", tiktok_handle="a3"),
    )
    invited = at(collaboration_create(campaign=side_a.campaign, creator=side_a.other_creator), "invited")
    briefed = at(third, "briefed")
    chosen = [side_a.collaboration.pk, invited.pk, briefed.pk]
    client = login_as(side_a.manager)

    response = client.post(
        f"/campaigns/{side_a.campaign.pk}/board/bulk/",
        {"collaboration": chosen, "status": "accepted", "due_on": "2026-12-01"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "1 collaborations updated." in html
    assert "Not moved because the move skips steps: Creator alpha." in html
    assert "Not moved because moving back needs a reason: Third alpha." in html
    assert [status_of(c) for c in (side_a.collaboration, invited, briefed)] == [
        "prospect",
        "accepted",
        "briefed",
    ]
    assert side_a.collaboration.due_on is None
    assert briefed.due_on is None

    client.post(
        f"/campaigns/{side_a.campaign.pk}/board/bulk/",
        {"collaboration": chosen, "status": "accepted", "confirm_skip": "1", "reason": "Sample reordered"},
    )
    assert [status_of(c) for c in (side_a.collaboration, invited, briefed)] == ["accepted"] * 3
    assert "reason: Sample reordered" in timeline(briefed)[-1]
    assert "(skipped: Invited)" in timeline(side_a.collaboration)[-1]
