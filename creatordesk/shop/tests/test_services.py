"""Target collaborations made from a campaign through the recorded TikTok Shop, the blocklist, creator figures."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from creatordesk.campaigns.models import CollaborationStatus, Product
from creatordesk.campaigns.services import collaboration_create
from creatordesk.creators.models import Platform, PlatformAccount
from creatordesk.performance.connectors import ConnectorError
from creatordesk.shop.affiliate_api import Money, Range
from creatordesk.shop.connection import ShopNotConnected, affiliate_client_for
from creatordesk.shop.models import CreatorBlock, ShopCollaboration
from creatordesk.shop.services import creator_block, creator_unblock, shop_collaboration_create
from creatordesk.shop.sync import creator_performance_read

pytestmark = pytest.mark.django_db

CREATE = "/202508/target_collaborations"
LINK = "/202509/target_collaboration/7441800000000000001/link"
ENDS = datetime.datetime(2027, 1, 31, 23, 59, 59, tzinfo=datetime.UTC)


def _create(side, **changes: Any):
    values: dict[str, Any] = {
        "campaign": side.campaign,
        "collaborations": [side.collaboration],
        "commission_percent": Decimal("15"),
        "shop_ads_commission_percent": Decimal("8"),
        "free_sample": True,
        "sample_approval_exempt": True,
        "message": "Hi! We would love to send you our new serum.",
        "ends_at": ENDS,
        "seller_email": "partnerships@glowbrand.example",
        "actor": side.manager,
    }
    return shop_collaboration_create(**(values | changes))


def _with_mo(side) -> Any:
    mo = collaboration_create(campaign=side.campaign, creator=side.other_creator)
    PlatformAccount.objects.filter(creator=side.other_creator, platform=Platform.TIKTOK).update(
        handle="mo_makeup", open_id="AAA-open-mo"
    )
    return mo


def test_a_target_collaboration_is_created_from_the_campaign_with_its_products_and_acceptance_link(
    connected,
) -> None:
    shop = connected.extra["shop"]
    shop.on("POST", CREATE, "target_collaboration_created.json")
    shop.on("POST", LINK, "target_collaboration_link.json")
    mo = _with_mo(connected)

    created = _create(connected, collaborations=[connected.collaboration, mo])

    assert not shop.refused and len(shop.received) == 2
    sent = shop.to(CREATE)[0].json()
    assert sorted(p["id"] for p in sent["products"]) == ["1729384756000000001", "1729384756000000002"]
    assert {(p["target_commission_rate"], p["shop_ads_commission_rate"]) for p in sent["products"]} == {
        (1500, 800)
    }
    assert sent["creator_user_open_ids"] == ["AAA-open-lena", "AAA-open-mo"]
    assert sent["free_sample_rule"] == {"has_free_sample": True, "is_sample_approval_exempt": True}
    assert sent["end_time"] == str(int(ENDS.timestamp())) and sent["name"] == connected.campaign.name
    stored = ShopCollaboration.objects.get()
    assert created.collaboration == stored
    assert (stored.external_id, stored.commission_rate_bp, stored.shop_ads_commission_rate_bp) == (
        "7441800000000000001",
        1500,
        800,
    )
    assert stored.acceptance_link == "https://affiliate.tiktok.com/api/v1/share/AJx7Qm0Lb2"
    assert stored.creator_open_ids == ["AAA-open-lena", "AAA-open-mo"]
    # TikTok kept Lena's mask in another collaboration: the page names her and the product.
    assert created.conflicts == [f"{connected.creator.display_name}: Glow Mask"]
    connected.collaboration.refresh_from_db()
    assert connected.collaboration.status == CollaborationStatus.INVITED
    assert connected.creator.activity.filter(verb="shop_invited").get().text == (
        f"Invited to the TikTok Shop target collaboration “{connected.campaign.name}” at 15 % commission."
    )


def test_a_product_without_a_tiktok_shop_id_is_named_and_nothing_is_sent(connected) -> None:
    connected.campaign.products.add(Product.objects.create(workspace=connected.workspace, name="Gift box"))
    with pytest.raises(ValidationError, match="no TikTok Shop product ID yet: Gift box"):
        _create(connected)
    assert connected.extra["shop"].received == [] and not ShopCollaboration.objects.exists()


def test_creators_without_an_open_id_are_named_and_nothing_is_sent(connected) -> None:
    second = collaboration_create(campaign=connected.campaign, creator=connected.other_creator)
    with pytest.raises(
        ValidationError, match=f"no TikTok Creator Open ID on file: {connected.other_creator}"
    ):
        _create(connected, collaborations=[connected.collaboration, second])
    assert connected.extra["shop"].received == []


def test_a_commission_outside_1_to_80_percent_is_refused_unsent(connected) -> None:
    for percent in (Decimal("0.5"), Decimal("80.01"), Decimal("12.345")):
        with pytest.raises(ValidationError, match="must lie between 1 % and 80 %"):
            _create(connected, commission_percent=percent)
    assert connected.extra["shop"].received == []


def test_a_creator_of_another_campaign_cannot_be_invited(connected, side_b) -> None:
    with pytest.raises(ValidationError, match="Every creator must belong to this campaign"):
        _create(connected, collaborations=[side_b.collaboration])


def test_a_refusal_of_the_platform_stores_nothing(connected) -> None:
    connected.extra["shop"].on("POST", CREATE, "error_invalid_collaboration.json")
    with pytest.raises(ConnectorError, match="16021003"):
        _create(connected)
    assert not ShopCollaboration.objects.exists()
    connected.collaboration.refresh_from_db()
    assert connected.collaboration.status == CollaborationStatus.PROSPECT


def test_a_collaboration_whose_link_fails_is_kept_and_says_so(connected) -> None:
    shop = connected.extra["shop"]
    shop.on("POST", CREATE, "target_collaboration_created.json")
    shop.on("POST", LINK, (500, "error_server.json", {}))
    created = _create(connected)
    assert created.collaboration.acceptance_link == "" and "HTTP 500" in created.link_error
    assert ShopCollaboration.objects.count() == 1


def test_an_unconfigured_workspace_is_asked_to_connect_tiktok_shop_first(side_a, settings) -> None:
    settings.PLATFORM_CONNECTORS = {"tiktok_shop": {"app_key": "only-a-key"}}
    with pytest.raises(ShopNotConnected, match="Connect TikTok Shop first"):
        affiliate_client_for(workspace_id=side_a.workspace.pk)


def test_the_installations_credentials_serve_a_workspace_without_its_own(side_a, settings) -> None:
    settings.PLATFORM_CONNECTORS = {
        "tiktok_shop": {"app_key": "k", "app_secret": "s", "access_token": "t", "shop_cipher": "c"}
    }
    settings.CONNECTOR_RETRY_ATTEMPTS = 7
    client = affiliate_client_for(workspace_id=side_a.workspace.pk)
    assert (client.app_key, client.shop_cipher, client.retry.attempts) == ("k", "c", 7)


def test_blocking_and_unblocking_a_creator_is_recorded_in_their_timeline(side_a) -> None:
    with pytest.raises(ValidationError):
        creator_block(creator=side_a.creator, reason="   ", actor=side_a.manager)
    block = creator_block(creator=side_a.creator, reason="  Fake  followers ", actor=side_a.manager)
    again = creator_block(creator=side_a.creator, reason="Fake followers, confirmed", actor=side_a.manager)
    assert block.pk == again.pk and CreatorBlock.objects.get().reason == "Fake followers, confirmed"
    assert creator_unblock(creator=side_a.creator, actor=side_a.manager)
    assert not creator_unblock(creator=side_a.creator, actor=side_a.manager)
    texts = list(
        side_a.creator.activity.filter(verb__in=["blocked", "unblocked"]).values_list("text", flat=True)
    )
    assert sorted(texts) == [
        "Blocked: Fake followers",
        "Blocked: Fake followers, confirmed",
        "Taken off the blocklist.",
    ]


def test_creator_figures_shared_only_as_ranges_stay_ranges(connected) -> None:
    shop = connected.extra["shop"]
    shop.on("GET", "/202508/marketplace_creators/AAA-open-lena", "marketplace_creator_ranged.json")
    figures = creator_performance_read(creator=connected.creator)
    assert figures is not None
    assert figures.gmv == Range(Money(Decimal("10000"), "USD"), Money(Decimal("50000"), "USD"))
    assert figures.units_sold == Range(1000, 5000)
    assert creator_performance_read(creator=connected.other_creator) is None
    assert len(shop.received) == 1 and not shop.refused
