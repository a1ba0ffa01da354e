"""Samples on the board: the product and its cost go with the sample, and later steps get their day."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from creatordesk.campaigns.models import CollaborationStatus, Product, SampleShipment

pytestmark = pytest.mark.django_db


@pytest.fixture
def serum(side_a) -> Product:
    product = Product.objects.create(workspace=side_a.workspace, name="Serum", unit_cost_eur=Decimal("6.80"))
    side_a.campaign.products.add(product)
    return product


def test_a_sample_recorded_on_the_board_keeps_its_product_units_and_cost(side_a, login_as, serum) -> None:
    client = login_as(side_a.manager)
    client.post(
        f"/campaigns/collaborations/{side_a.collaboration.pk}/shipments/",
        {
            "product": serum.pk,
            "units": "2",
            "shipping_cost_eur": "4.90",
            "carrier": "DHL",
            "status": "shipped",
        },
    )
    shipment = SampleShipment.objects.get(collaboration=side_a.collaboration)
    assert (shipment.product, shipment.units, shipment.unit_cost_eur) == (serum, 2, Decimal("6.80"))
    assert shipment.cost_eur == Decimal("18.50")


def test_the_next_step_of_a_sample_is_recorded_on_the_day_given(side_a, login_as, serum) -> None:
    client = login_as(side_a.manager)
    client.post(
        f"/campaigns/collaborations/{side_a.collaboration.pk}/shipments/", {"units": "1", "status": "shipped"}
    )
    shipment = SampleShipment.objects.get(collaboration=side_a.collaboration)
    board = client.get(f"/campaigns/{side_a.campaign.pk}/board/").content.decode()
    assert f"/campaigns/shipments/{shipment.pk}/status/" in board

    three_days_ago = timezone.localdate() - datetime.timedelta(days=3)
    client.post(f"/campaigns/shipments/{shipment.pk}/status/", {"status": "delivered", "on": three_days_ago})

    shipment.refresh_from_db()
    assert (shipment.status, shipment.delivered_on) == ("delivered", three_days_ago)
    assert shipment.collaboration.status == CollaborationStatus.SAMPLE_DELIVERED


def test_a_day_in_the_future_or_another_workspaces_product_is_refused(side_a, side_b, login_as) -> None:
    client = login_as(side_a.manager)
    foreign = Product.objects.create(workspace=side_b.workspace, name="B secret")
    url = f"/campaigns/collaborations/{side_a.collaboration.pk}/shipments/"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.post(url, {"units": "1", "status": "delivered", "on": tomorrow})
    client.post(url, {"units": "1", "status": "shipped", "product": foreign.pk})
    assert not SampleShipment.objects.filter(collaboration=side_a.collaboration).exists()
