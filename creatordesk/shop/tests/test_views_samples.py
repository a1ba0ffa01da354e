"""The samples page and the sample path on the board and campaign page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from creatordesk.campaigns.services import collaboration_create, shipment_create, shipment_set_status
from creatordesk.performance.services import post_create
from creatordesk.shop.samples import CONTENT_DAYS

pytestmark = pytest.mark.django_db


def _day(days_ago: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days_ago)


def _two_samples(side) -> None:
    """Creator alpha misses the deadline; Second alpha posts 4 days after delivery."""
    shipment_create(
        collaboration=side.collaboration, carrier="DHL", tracking_number="0034", status="delivered",
        on=_day(CONTENT_DAYS + 3),
    )  # fmt: skip
    posting = collaboration_create(campaign=side.campaign, creator=side.other_creator)
    shipment = shipment_create(
        collaboration=posting, carrier="GLS", tracking_number="77", status="shipped", on=_day(12)
    )
    shipment_set_status(shipment=shipment, status="delivered", on=_day(10))
    post_create(
        collaboration=posting, platform="tiktok", external_id="7411",
        posted_at=timezone.now() - datetime.timedelta(days=6),
    )  # fmt: skip


@pytest.mark.parametrize("role", ["owner", "manager", "reviewer", "viewer"])
def test_every_member_reads_the_posting_rates_per_creator_and_campaign(side_a, login_as, role) -> None:
    _two_samples(side_a)
    page = login_as(getattr(side_a, role)).get("/shop/samples/").content.decode()
    creators = page.split('data-testid="samples-creators"', 1)[1].split("</table>", 1)[0]
    campaigns = page.split('data-testid="samples-campaigns"', 1)[1].split("</table>", 1)[0]
    assert "Creator alpha" in creators and "Second alpha" in creators
    assert "Campaign alpha" in campaigns and "50%" in campaigns and ">4<" in campaigns
    assert "1 of 2 delivered samples posted" in page and "How these figures are counted" in page
    assert "1 sample without a cost:" in campaigns and "Creator alpha · Campaign alpha" in campaigns


def test_the_samples_page_without_deliveries_says_what_it_will_show(side_a, login_as) -> None:
    page = login_as(side_a.viewer).get("/shop/samples/").content.decode()
    assert "No delivered samples yet" in page and "samples-row" not in page


def test_another_workspaces_samples_do_not_show(side_a, side_b, login_as) -> None:
    _two_samples(side_b)
    page = login_as(side_a.owner).get("/shop/samples/").content.decode()
    assert "Creator beta" not in page and "No delivered samples yet" in page


def test_the_board_and_campaign_page_show_each_step_with_its_date_and_the_late_deadline(
    side_a, login_as
) -> None:
    _two_samples(side_a)
    client = login_as(side_a.manager)
    deadline = _day(3).strftime("%m/%d/%Y")
    for path in (f"/campaigns/{side_a.campaign.pk}/board/", f"/campaigns/{side_a.campaign.pk}/"):
        page = client.get(path).content.decode()
        late = page.split(f'data-testid="sample-path-{side_a.collaboration.pk}"', 1)[1].split("</p>", 1)[0]
        assert "✓ Delivered" in late and f"Content due {deadline}" in late and "(overdue)" in late
        assert 'Posted <span class="visually-hidden">(not yet)</span>' in late
        done_pk = side_a.campaign.collaborations.exclude(pk=side_a.collaboration.pk).get().pk
        done = page.split(f'data-testid="sample-path-{done_pk}"', 1)[1].split("</p>", 1)[0]
        assert f"✓ Shipped {_day(12).strftime('%m/%d/%Y')}" in done and "✓ Posted" in done
        assert "(overdue)" not in done
