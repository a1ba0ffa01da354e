"""The one write path of samples and orders: matching, the sample path, and reading the same twice."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

import pytest

from creatordesk.campaigns.models import CollaborationStatus, Product, SampleShipment
from creatordesk.campaigns.services import collaboration_create
from creatordesk.creators.models import Creator, PlatformAccount
from creatordesk.shop.models import AffiliateOrder, Source
from creatordesk.shop.records import (
    OrderRecord,
    SampleRecord,
    orders_plan,
    orders_write,
    samples_plan,
    samples_write,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(side_a):
    serum = Product.objects.create(
        workspace=side_a.workspace, name="Serum", shop_product_id="1729", unit_cost_eur=Decimal("4.50")
    )
    side_a.campaign.products.add(serum)
    return side_a


def _sample(**changes: Any) -> SampleRecord:
    first = SampleRecord(
        external_id="S-1",
        status=SampleShipment.Status.SHIPPED,
        creator_username="@Mia.Glow",
        creator_open_id="open-mia",
        product_id="1729",
        shipped_on=datetime.date(2026, 11, 2),
        tracking_number="DHL1",
    )
    return dataclasses.replace(first, **changes)


def test_a_sample_request_from_an_unknown_creator_adds_them_to_the_campaign_holding_the_product(shop) -> None:
    written = samples_write(workspace=shop.workspace, records=[_sample()], source=Source.TIKTOK_API)

    assert (written.created, written.unmatched) == (1, [])
    shipment = SampleShipment.objects.get(external_id="S-1")
    assert shipment.collaboration.campaign == shop.campaign
    assert shipment.collaboration.status == CollaborationStatus.SAMPLE_SENT
    assert shipment.unit_cost_eur == Decimal("4.50") and shipment.cost_eur == Decimal("4.50")
    account = PlatformAccount.objects.get(creator=shipment.collaboration.creator)
    assert (account.handle, account.open_id) == ("mia.glow", "open-mia")


def test_reading_the_same_sample_twice_changes_nothing_and_a_delivery_moves_it_on(shop) -> None:
    samples_write(workspace=shop.workspace, records=[_sample()], source=Source.TIKTOK_API)
    again = samples_plan(workspace=shop.workspace, records=[_sample(tracking_number="")])
    assert [p.action for p in again] == ["unchanged"]

    delivered = _sample(status=SampleShipment.Status.DELIVERED, delivered_on=datetime.date(2026, 11, 5))
    written = samples_write(workspace=shop.workspace, records=[delivered], source=Source.SELLER_CENTER)

    assert written.updated == 1
    shipment = SampleShipment.objects.get(external_id="S-1")
    assert (shipment.status, shipment.delivered_on, shipment.tracking_number) == (
        "delivered",
        datetime.date(2026, 11, 5),
        "DHL1",
    )
    assert shipment.collaboration.status == CollaborationStatus.SAMPLE_DELIVERED
    assert Creator.objects.filter(workspace=shop.workspace, tiktok_handle="mia.glow").count() == 1


def test_a_sample_of_a_product_no_campaign_holds_is_reported_and_not_stored(shop) -> None:
    written = samples_write(
        workspace=shop.workspace, records=[_sample(product_id="999")], source="tiktok_api"
    )
    assert written.created == 0 and "999" in written.unmatched[0].reason
    assert not SampleShipment.objects.filter(external_id="S-1").exists()


def test_orders_are_matched_to_the_known_creator_by_handle_and_a_second_read_changes_nothing(shop) -> None:
    creator = shop.collaboration.creator
    PlatformAccount.objects.create(workspace=shop.workspace, creator=creator, platform="tiktok", handle="lea")
    line = OrderRecord(
        order_id="O-1",
        sku_id="K-1",
        product_id="1729",
        creator_username="@Lea",
        gmv=Decimal("39.90"),
        commission_estimated=Decimal("5.99"),
    )
    collaboration_create(campaign=shop.campaign, creator=creator)

    assert orders_write(workspace=shop.workspace, records=[line], source="tiktok_api").created == 1
    assert [p.action for p in orders_plan(workspace=shop.workspace, records=[line])] == ["unchanged"]
    order = AffiliateOrder.objects.get()
    assert order.creator == creator and order.collaboration == shop.collaboration
    assert order.commission == Decimal("5.99")
