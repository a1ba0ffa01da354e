"""Campaigns, board moves and sample shipments through the JSON API, checked like the UI checks them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from creatordesk.accounts.services import api_token_create
from creatordesk.campaigns.models import Campaign, CollaborationStatus, SampleShipment
from creatordesk.campaigns.services import campaign_create, shipment_create
from creatordesk.creators.models import ActivityEvent as Activity

pytestmark = pytest.mark.django_db


def _post(client, url: str, token: str, body: dict[str, Any]):
    return client.post(
        url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def _fields(response) -> list[str]:
    return [error["loc"][-1] for error in response.json()["detail"]]


def test_api_creates_a_campaign_with_budget_commission_and_targets(side_a, client) -> None:
    body = {
        "name": "Herbst",
        "budget_eur": "1200.50",
        "commission_rate": "15",
        "target_countries": " DE, AT ",
    }
    response = _post(client, "/api/campaigns", side_a.token, body)
    assert response.status_code == 201, response.content
    campaign = Campaign.objects.get(workspace=side_a.workspace, name="Herbst")
    assert (str(campaign.budget_eur), str(campaign.commission_rate)) == ("1200.50", "15.00")
    assert campaign.target_countries == "DE, AT"
    assert response.json()["budget_eur"] == "1200.50"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"budget_eur": "-1"}, "budget_eur"),
        ({"commission_rate": "100.01"}, "commission_rate"),
        ({"commission_rate": "-3"}, "commission_rate"),
        ({"name": "x" * 161}, "name"),
        ({"target_countries": "D" * 101}, "target_countries"),
        ({"description": "half an emoji \ud83d"}, "description"),
        ({"ends_on": "2026-01-01", "starts_on": "2026-02-01"}, "ends_on"),
    ],
)
def test_api_campaign_creation_refuses_what_an_edit_refuses_and_creates_nothing(
    body: dict[str, Any], field: str, side_a, client
) -> None:
    before = Campaign.objects.count()
    response = _post(client, "/api/campaigns", side_a.token, {"name": "Refused", **body})
    assert response.status_code == 422
    assert _fields(response) == [field]
    assert Campaign.objects.count() == before


def test_the_create_service_refuses_a_negative_budget_for_every_caller(side_a) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        campaign_create(workspace=side_a.workspace, name="Demo", budget_eur=-5)  # type: ignore[arg-type]
    assert set(refused.value.message_dict) == {"budget_eur"}
    assert not Campaign.objects.filter(name="Demo").exists()


def test_a_move_that_skips_stages_needs_confirmation_and_changes_nothing_until_then(side_a, client) -> None:
    url = f"/api/collaborations/{side_a.collaboration.pk}/move"
    refused = _post(client, url, side_a.token, {"status": "briefed"})
    assert refused.status_code == 422 and _fields(refused) == ["confirm_skip"]
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == CollaborationStatus.PROSPECT
    assert not Activity.objects.filter(
        collaboration=side_a.collaboration, verb="collaboration_moved"
    ).exists()

    moved = _post(client, url, side_a.token, {"status": "briefed", "confirm_skip": True})
    assert moved.status_code == 200 and moved.json()["status"] == "briefed"
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == CollaborationStatus.BRIEFED
    moves = Activity.objects.filter(collaboration=side_a.collaboration, verb="collaboration_moved")
    assert moves.count() == 1 and moves.get().actor == str(side_a.manager)


def test_a_move_back_needs_a_reason_that_lands_in_the_timeline(side_a, client) -> None:
    url = f"/api/collaborations/{side_a.collaboration.pk}/move"
    assert _post(client, url, side_a.token, {"status": "invited"}).status_code == 200
    refused = _post(client, url, side_a.token, {"status": "prospect"})
    assert refused.status_code == 422 and _fields(refused) == ["reason"]
    too_long = _post(client, url, side_a.token, {"status": "prospect", "reason": "x" * 201})
    assert too_long.status_code == 422 and _fields(too_long) == ["reason"]
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == CollaborationStatus.INVITED

    back = _post(client, url, side_a.token, {"status": "prospect", "reason": "Wrong creator"})
    assert back.status_code == 200
    assert Activity.objects.filter(
        collaboration=side_a.collaboration, text__contains="Wrong creator"
    ).exists()


def test_a_viewer_cannot_move_and_another_workspace_cannot_see_the_collaboration(
    side_a, side_b, client
) -> None:
    _token, viewer = api_token_create(workspace=side_a.workspace, user=side_a.viewer, name="ro")
    refused = _post(
        client, f"/api/collaborations/{side_a.collaboration.pk}/move", viewer, {"status": "invited"}
    )
    assert refused.status_code == 403
    hidden = _post(
        client, f"/api/collaborations/{side_b.collaboration.pk}/move", side_a.token, {"status": "invited"}
    )
    assert hidden.status_code == 404
    for side in (side_a, side_b):
        side.collaboration.refresh_from_db()
        assert side.collaboration.status == CollaborationStatus.PROSPECT


def test_a_shipment_recorded_through_the_api_moves_the_collaboration_on(side_a, client) -> None:
    url = f"/api/collaborations/{side_a.collaboration.pk}/shipments"
    body = {"carrier": "DHL", "tracking_number": " 0034 ", "status": "shipped", "on": "2026-03-02"}
    created = _post(client, url, side_a.token, body)
    assert created.status_code == 201, created.content
    assert created.json()["shipped_on"] == "2026-03-02" and created.json()["tracking_number"] == "0034"
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == CollaborationStatus.SAMPLE_SENT

    shipment_id = created.json()["id"]
    delivered = _post(client, f"/api/shipments/{shipment_id}/status", side_a.token, {"status": "delivered"})
    assert delivered.status_code == 200 and delivered.json()["delivered_on"]
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == CollaborationStatus.SAMPLE_DELIVERED
    listed = client.get(url, HTTP_AUTHORIZATION=f"Bearer {side_a.token}").json()
    assert listed["count"] == 1 and listed["items"][0]["status"] == "delivered"


def test_a_refused_shipment_records_nothing(side_a, side_b, client) -> None:
    url = f"/api/collaborations/{side_a.collaboration.pk}/shipments"
    unknown = _post(client, url, side_a.token, {"status": "lost"})
    assert unknown.status_code == 422 and _fields(unknown) == ["status"]
    too_long = _post(client, url, side_a.token, {"carrier": "C" * 61})
    assert too_long.status_code == 422 and _fields(too_long) == ["carrier"]
    _token, viewer = api_token_create(workspace=side_a.workspace, user=side_a.viewer, name="ro")
    assert _post(client, url, viewer, {"carrier": "DHL"}).status_code == 403
    other = shipment_create(
        collaboration=side_b.collaboration, carrier="UPS", tracking_number="1", status="preparing"
    )
    hidden = _post(client, f"/api/shipments/{other.pk}/status", side_a.token, {"status": "delivered"})
    assert hidden.status_code == 404
    assert list(SampleShipment.objects.values_list("carrier", "status")) == [("UPS", "preparing")]
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == CollaborationStatus.PROSPECT
