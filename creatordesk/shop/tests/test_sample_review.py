"""Sample requests reviewed and target collaborations changed from /shop/, through the recorded Affiliate
Center: nothing changes here unless TikTok took the change."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from creatordesk.campaigns.models import SampleShipment
from creatordesk.creators.models import ActivityEvent, Platform, PlatformAccount
from creatordesk.creators.services import creator_create
from creatordesk.shop.models import ShopCollaboration
from creatordesk.shop.tests.recorded_shop import MASK_ID, SERUM_ID

pytestmark = pytest.mark.django_db

INDEX = "/shop/"
APPLICATION = "7442100000000000777"
REVIEW = f"/202507/sample_applications/{APPLICATION}/review"
COLLAB = "7441800000000000001"
UPDATE = f"/202508/target_collaborations/{COLLAB}"
REMOVE = f"/202409/target_collaborations/{COLLAB}"


def _requested(side, external_id: str = APPLICATION) -> SampleShipment:
    return SampleShipment.objects.create(
        workspace=side.workspace,
        collaboration=side.collaboration,
        product=side.extra.get("serum"),
        status=SampleShipment.Status.REQUESTED,
        external_id=external_id,
        source=SampleShipment.Source.TIKTOK_API,
        requested_on=datetime.date(2026, 11, 28),
    )


def _end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=timezone.get_current_timezone())


def _review_url(shipment: SampleShipment) -> str:
    return reverse("shop:sync_sample_request_review", args=[shipment.pk])


def _target(side, **changes: object) -> ShopCollaboration:
    values: dict[str, object] = {
        "workspace": side.workspace,
        "campaign": side.campaign,
        "external_id": COLLAB,
        "name": "Serum autumn",
        "status": "ONGOING",
        "commission_rate_bp": 1500,
        "shop_ads_commission_rate_bp": 500,
        "ends_at": _end_of(datetime.date(2099, 1, 31)),
        "product_ids": [SERUM_ID, MASK_ID],
    }
    return ShopCollaboration.objects.create(**(values | changes))


def test_a_manager_approves_a_tiktok_sample_request_and_it_is_being_prepared(connected, login_as) -> None:
    shop = connected.extra["shop"]
    shop.on("POST", REVIEW, "done.json")
    shipment = _requested(connected)
    client = login_as(connected.manager)
    section = client.get(INDEX).content.decode()
    assert "Sample requests waiting for you" in section and _review_url(shipment) in section
    assert "Vitamin C Serum" in section and connected.campaign.name in section

    response = client.post(_review_url(shipment), {"decision": "approve"}, follow=True)

    assert f"The sample request of {connected.creator.display_name} is approved." in response.content.decode()
    assert [r.json() for r in shop.to(REVIEW)] == [{"review_result": "APPROVE"}] and shop.refused == []
    shipment.refresh_from_db()
    assert shipment.status == SampleShipment.Status.PREPARING
    assert shipment.approved_on == timezone.localdate()
    assert ActivityEvent.objects.filter(
        collaboration=connected.collaboration, text="Sample request approved in TikTok Shop."
    ).exists()
    assert _review_url(shipment) not in response.content.decode()


def test_a_rejection_sends_its_reason_and_the_timeline_names_it(connected, login_as) -> None:
    shop = connected.extra["shop"]
    shop.on("POST", REVIEW, "done.json")
    shipment = _requested(connected)

    login_as(connected.manager).post(_review_url(shipment), {"decision": "reject", "reason": "OUT_OF_STOCK"})

    assert [r.json() for r in shop.to(REVIEW)] == [
        {"review_result": "REJECT", "reject_reason": "OUT_OF_STOCK"}
    ]
    shipment.refresh_from_db()
    assert shipment.status == SampleShipment.Status.REJECTED
    event = ActivityEvent.objects.get(verb="shop_sample_reject")
    assert event.text == "Sample request rejected in TikTok Shop: Out of stock."


def test_a_rejection_without_a_reason_is_not_sent(connected, login_as) -> None:
    shipment = _requested(connected)
    response = login_as(connected.manager).post(_review_url(shipment), {"decision": "reject"}, follow=True)
    assert "Pick why the sample request is rejected." in response.content.decode()
    assert connected.extra["shop"].received == []
    shipment.refresh_from_db()
    assert shipment.status == SampleShipment.Status.REQUESTED


def test_an_api_error_leaves_the_sample_request_waiting_and_shows_the_error(connected, login_as) -> None:
    connected.extra["shop"].on("POST", REVIEW, "error_sample_not_pending.json")
    shipment = _requested(connected)

    response = login_as(connected.manager).post(_review_url(shipment), {"decision": "approve"}, follow=True)

    body = response.content.decode()
    assert "TikTok Shop did not take the decision, so nothing changed" in body
    assert "no longer pending review" in body
    shipment.refresh_from_db()
    assert (shipment.status, shipment.approved_on) == (SampleShipment.Status.REQUESTED, None)
    assert not ActivityEvent.objects.filter(verb__startswith="sample_").exists()
    assert _review_url(shipment) in body


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_reviewers_and_viewers_see_the_requests_but_may_not_decide(connected, login_as, role) -> None:
    shipment = _requested(connected)
    client = login_as(getattr(connected, role))
    page = client.get(INDEX).content.decode()
    assert connected.creator.display_name in page and _review_url(shipment) not in page

    assert client.post(_review_url(shipment), {"decision": "approve"}).status_code == 403
    assert connected.extra["shop"].received == []
    shipment.refresh_from_db()
    assert shipment.status == SampleShipment.Status.REQUESTED


def test_another_workspaces_sample_request_is_not_found(connected, side_b, login_as) -> None:
    theirs = _requested(side_b, external_id="7442100000000000999")
    response = login_as(connected.manager).post(_review_url(theirs), {"decision": "approve"})
    assert response.status_code == 404
    assert connected.extra["shop"].received == []
    theirs.refresh_from_db()
    assert theirs.status == SampleShipment.Status.REQUESTED


def test_a_manager_raises_the_commission_for_every_product_of_the_collaboration(connected, login_as) -> None:
    shop = connected.extra["shop"]
    shop.on("PUT", UPDATE, "target_collaboration_updated.json")
    target = _target(connected)
    url = reverse("shop:sync_collaboration_update", args=[target.pk])
    client = login_as(connected.manager)
    assert url in client.get(INDEX).content.decode()

    response = client.post(url, {"commission_percent": "18.5", "ends_on": "2099-01-31"}, follow=True)

    body = response.content.decode()
    assert "The target collaboration “Serum autumn” is updated." in body
    # The recorded answer reports a creator TikTok did not add.
    assert "TikTok did not apply every part of the change" in body
    assert "00:00 tomorrow" not in body
    assert [r.json() for r in shop.to(UPDATE)] == [
        {
            "products": [
                {"id": SERUM_ID, "commission_rate": 1850, "target_ad_commission_rate": 500},
                {"id": MASK_ID, "commission_rate": 1850, "target_ad_commission_rate": 500},
            ]
        }
    ]
    target.refresh_from_db()
    assert target.commission_rate_bp == 1850


def test_a_lower_commission_and_a_new_end_date_go_to_tiktok_together(connected, login_as) -> None:
    shop = connected.extra["shop"]
    shop.on("PUT", UPDATE, "target_collaboration_updated.json")
    target = _target(connected)
    response = login_as(connected.manager).post(
        reverse("shop:sync_collaboration_update", args=[target.pk]),
        {"commission_percent": "10", "ends_on": "2099-03-15"},
        follow=True,
    )
    assert "TikTok applies a lower commission from 00:00 tomorrow." in response.content.decode()
    sent = shop.to(UPDATE)[0].json()
    new_end = _end_of(datetime.date(2099, 3, 15))
    assert sent["end_time"] == str(int(new_end.timestamp()))
    target.refresh_from_db()
    assert (target.commission_rate_bp, target.ends_at) == (1000, new_end)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"commission_percent": "85", "ends_on": "2099-01-31"}, "must lie between 1 % and 80 %"),
        ({"commission_percent": "15", "ends_on": "2099-01-31"}, "Nothing to change"),
        ({"commission_percent": "15", "ends_on": "2020-01-01"}, "The end date must lie in the future."),
    ],
)
def test_a_change_tiktok_would_refuse_is_not_sent(connected, login_as, fields, message) -> None:
    target = _target(connected)
    response = login_as(connected.manager).post(
        reverse("shop:sync_collaboration_update", args=[target.pk]), fields, follow=True
    )
    assert message in response.content.decode()
    assert connected.extra["shop"].received == []
    target.refresh_from_db()
    assert target.commission_rate_bp == 1500


def test_a_change_tiktok_refuses_leaves_the_collaboration_as_it_was(connected, login_as) -> None:
    connected.extra["shop"].on("PUT", UPDATE, "error_invalid_collaboration.json")
    target = _target(connected)
    response = login_as(connected.manager).post(
        reverse("shop:sync_collaboration_update", args=[target.pk]),
        {"commission_percent": "20", "ends_on": "2099-01-31"},
        follow=True,
    )
    assert "does not exist or has ended" in response.content.decode()
    target.refresh_from_db()
    assert target.commission_rate_bp == 1500


def test_ending_a_collaboration_needs_the_confirmation_then_removes_it_in_tiktok(connected, login_as) -> None:
    shop = connected.extra["shop"]
    shop.on("DELETE", REMOVE, "done.json")
    target = _target(connected)
    url = reverse("shop:sync_collaboration_remove", args=[target.pk])
    client = login_as(connected.manager)

    unconfirmed = client.post(url, follow=True)
    assert "Confirm that the target collaboration should end." in unconfirmed.content.decode()
    assert shop.received == []

    response = client.post(url, {"confirm": "yes"}, follow=True)

    assert [r.method for r in shop.to(REMOVE)] == ["DELETE"] and shop.refused == []
    target.refresh_from_db()
    assert target.status == "CANCELING"
    body = response.content.decode()
    assert "is ending in TikTok Shop" in body and "Being cancelled" in body
    assert url not in body


def test_only_managers_change_collaborations_and_only_their_own(connected, side_b, login_as) -> None:
    ours = _target(connected)
    theirs = _target(side_b, campaign=side_b.campaign)
    for name, fields in (
        ("shop:sync_collaboration_update", {"commission_percent": "20"}),
        ("shop:sync_collaboration_remove", {"confirm": "yes"}),
    ):
        reviewer = login_as(connected.reviewer).post(reverse(name, args=[ours.pk]), fields)
        other = login_as(connected.manager).post(reverse(name, args=[theirs.pk]), fields)
        assert (reviewer.status_code, other.status_code) == (403, 404)
    assert connected.extra["shop"].received == []
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.commission_rate_bp, ours.status, theirs.status) == (1500, "ONGOING", "ONGOING")


def _on_marketplace(side, creator, open_id: str) -> None:
    PlatformAccount.objects.update_or_create(
        workspace=side.workspace,
        creator=creator,
        platform=Platform.TIKTOK,
        defaults={"handle": open_id.lower(), "open_id": open_id},
    )


def test_refresh_figures_shows_exact_figures_ranges_as_ranges_and_withheld_as_not_shared(
    connected, login_as
) -> None:
    shop = connected.extra["shop"]
    for open_id, answer in (
        ("AAA-open-lena", "marketplace_creator_exact.json"),
        ("AAA-open-noa", "marketplace_creator_ranged.json"),
        ("AAA-open-ivy", "marketplace_creator_withheld.json"),
    ):
        shop.on("GET", f"/202508/marketplace_creators/{open_id}", answer)
    _on_marketplace(connected, connected.other_creator, "AAA-open-noa")
    ivy = creator_create(workspace=connected.workspace, display_name="Ivy Tries", tiktok_handle="ivy.tries")
    _on_marketplace(connected, ivy, "AAA-open-ivy")
    client = login_as(connected.viewer)
    before = client.get(INDEX).content.decode()
    assert 'data-testid="refresh-figures"' in before and "18,450.20 EUR" not in before
    assert shop.received == []

    response = client.post(reverse("shop:sync_figures_refresh"), headers={"HX-Request": "true"})

    rows = {
        row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in response.content.decode().split("<tr>")[2:]
    }
    assert set(rows) == {connected.creator.display_name, connected.other_creator.display_name, "Ivy Tries"}
    lena = rows[connected.creator.display_name]
    assert "18,450.20 EUR" in lena and "1,312" in lena and "72.50 %" in lena and "4.6" in lena
    noa = rows[connected.other_creator.display_name]
    assert "10,000–50,000 USD" in noa and "1,000–5,000" in noa
    assert rows["Ivy Tries"].count("not shared") == 4
    assert len(shop.received) == 3 and shop.refused == []


def test_figures_a_creator_could_not_be_read_for_show_the_error_in_their_row(connected, login_as) -> None:
    connected.extra["shop"].on(
        "GET", "/202508/marketplace_creators/AAA-open-lena", "error_invalid_collaboration.json"
    )
    response = login_as(connected.manager).post(reverse("shop:sync_figures_refresh"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sample requests waiting for you" in body
    assert "does not exist or has ended" in body
