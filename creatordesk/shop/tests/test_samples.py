"""Posting rates of free samples per creator and campaign, and the overdue list they come from."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from creatordesk.campaigns.models import Collaboration, SampleShipment
from creatordesk.campaigns.services import campaign_create, collaboration_create, shipment_create
from creatordesk.creators.services import creator_create
from creatordesk.performance.services import post_create
from creatordesk.shop.samples import CONTENT_DAYS, posting_figures, samples_overdue

pytestmark = pytest.mark.django_db


def _delivered(collaboration: Collaboration, days_ago: int, **costs: Decimal) -> SampleShipment:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    shipment = shipment_create(
        collaboration=collaboration, carrier="DHL", tracking_number="1", status="delivered", on=day
    )
    SampleShipment.objects.filter(pk=shipment.pk).update(**costs)
    return shipment


def _post(collaboration: Collaboration, days_ago: int) -> None:
    post_create(
        collaboration=collaboration,
        platform="tiktok",
        external_id=f"74{collaboration.pk}{days_ago}",
        posted_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_posting_rate_median_days_and_unposted_cost_match_a_hand_count(side_a) -> None:
    other_campaign = campaign_create(workspace=side_a.workspace, name="Winter")
    third = creator_create(workspace=side_a.workspace, display_name="Third alpha", tiktok_handle="third")
    fast = side_a.collaboration  # posts 2 days after delivery
    _delivered(fast, 40)
    _post(fast, 38)
    slow = collaboration_create(campaign=side_a.campaign, creator=side_a.other_creator)
    _delivered(slow, 40)
    _post(slow, 31)  # 9 days
    costly = collaboration_create(campaign=side_a.campaign, creator=third)
    _delivered(costly, 30, unit_cost_eur=Decimal("12.50"), shipping_cost_eur=Decimal("4.90"))
    unknown = collaboration_create(campaign=other_campaign, creator=third)
    _delivered(unknown, 3)  # not posted, still in time, no cost entered
    early = collaboration_create(campaign=other_campaign, creator=side_a.creator)
    _post(early, 20)  # a post before the sample arrived is not the sample's post
    _delivered(early, 10, shipping_cost_eur=Decimal("5"))

    figures = posting_figures(workspace=side_a.workspace)
    summer, winter = sorted(figures.by_campaign, key=lambda r: r.label != "Campaign alpha")
    assert (summer.delivered, summer.posted, summer.median_days) == (3, 2, 5.5)
    assert summer.rate_percent is not None and round(summer.rate_percent, 2) == Decimal("66.67")
    assert summer.unposted_cost_eur == Decimal("17.40") and summer.unknown_cost == []
    assert (winter.delivered, winter.posted, winter.rate_percent, winter.median_days) == (2, 0, 0, None)
    assert winter.unposted_cost_eur == Decimal("5") and winter.unknown_cost == ["Third alpha · Winter"]
    assert winter.in_time == 2
    by_creator = {row.label: row for row in figures.by_creator}
    assert (by_creator["Third alpha"].delivered, by_creator["Third alpha"].posted) == (2, 0)
    assert by_creator["Creator alpha"].posted == 1 and by_creator["Creator alpha"].delivered == 2
    assert (figures.total.delivered, figures.total.posted) == (5, 2)


def test_the_overdue_list_counts_days_from_the_content_deadline_and_one_row_per_collaboration(side_a) -> None:
    _delivered(side_a.collaboration, CONTENT_DAYS + 4)
    _delivered(side_a.collaboration, CONTENT_DAYS + 1)
    (overdue,) = samples_overdue(today=timezone.localdate(), workspace=side_a.workspace)
    assert overdue.days_late == 4
    assert overdue.deadline == timezone.localdate() - datetime.timedelta(days=4)
    assert not overdue.creator_has_email


def test_a_posted_collaboration_is_not_overdue(side_a) -> None:
    _delivered(side_a.collaboration, CONTENT_DAYS + 4)
    assert samples_overdue(today=timezone.localdate(), workspace=side_a.workspace)
    _post(side_a.collaboration, 1)
    assert samples_overdue(today=timezone.localdate(), workspace=side_a.workspace) == []
