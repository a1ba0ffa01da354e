"""A bulk update on the board reports the rows it really changed, not the rows it was given."""

from __future__ import annotations

import datetime

import pytest

from creatordesk.campaigns.models import Collaboration
from creatordesk.campaigns.services import collaboration_bulk_move, collaboration_create, collaboration_move
from creatordesk.creators.models import ActivityEvent

pytestmark = pytest.mark.django_db


def _moves(collaboration: Collaboration) -> int:
    return ActivityEvent.objects.filter(collaboration=collaboration, verb="collaboration_moved").count()


def test_a_row_already_in_the_target_status_is_reported_unchanged_and_not_written(side_a) -> None:
    invited = collaboration_create(campaign=side_a.campaign, creator=side_a.other_creator)
    collaboration_move(collaboration=invited, status="invited")
    before = Collaboration.objects.get(pk=invited.pk).updated_at
    moves_before = _moves(invited)

    result = collaboration_bulk_move(
        collaborations=Collaboration.objects.filter(pk__in=[side_a.collaboration.pk, invited.pk]).order_by(
            "pk"
        ),
        status="invited",
        due_on=None,
        actor=side_a.manager,
    )

    assert [c.pk for c in result.changed] == [side_a.collaboration.pk]
    assert [c.pk for c in result.unchanged] == [invited.pk]
    assert Collaboration.objects.get(pk=invited.pk).updated_at == before
    assert _moves(invited) == moves_before


def test_the_same_due_date_again_changes_nothing_and_the_board_says_so(side_a, login_as) -> None:
    due = datetime.date(2026, 12, 1)
    Collaboration.objects.filter(pk=side_a.collaboration.pk).update(due_on=due)
    before = Collaboration.objects.get(pk=side_a.collaboration.pk).updated_at

    response = login_as(side_a.manager).post(
        f"/campaigns/{side_a.campaign.pk}/board/bulk/",
        {"collaboration": [side_a.collaboration.pk], "status": "", "due_on": due.isoformat()},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert "0 collaborations updated." in html
    assert "1 collaboration already had this status and due date and was left as it was." in html
    assert Collaboration.objects.get(pk=side_a.collaboration.pk).updated_at == before


def test_a_bulk_update_counts_each_row_whose_status_or_due_date_changes(side_a, login_as) -> None:
    second = collaboration_create(campaign=side_a.campaign, creator=side_a.other_creator)
    collaboration_move(collaboration=second, status="invited")

    response = login_as(side_a.manager).post(
        f"/campaigns/{side_a.campaign.pk}/board/bulk/",
        {"collaboration": [side_a.collaboration.pk, second.pk], "status": "invited", "due_on": "2026-12-01"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    # The second row only gets its due date, which is still a change.
    assert "2 collaborations updated." in html
    assert "already had this status" not in html
    second.refresh_from_db()
    assert second.due_on == datetime.date(2026, 12, 1)
