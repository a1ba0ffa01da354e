"""The recorded TikTok Shop (recorded_shop.py) as a fixture, and a workspace connected to it through
its platform connection."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from creatordesk.campaigns.models import Product
from creatordesk.creators.models import Platform, PlatformAccount
from creatordesk.performance.connections import connection_save
from creatordesk.shop.tests.recorded_shop import (
    APP_KEY,
    APP_SECRET,
    CIPHER,
    MASK_ID,
    SERUM_ID,
    TOKEN,
    RecordedShop,
    serve,
)


@pytest.fixture
def recorded_shop() -> Iterator[RecordedShop]:
    with serve() as state:
        yield state


@pytest.fixture
def connected(side_a, recorded_shop, settings):
    """Workspace A with its own TikTok Shop connection, the installation's endpoint pointing at the
    recorded shop, two shop products in the campaign and the cast's creator known by Open ID."""
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.PLATFORM_CONNECTORS = {"tiktok_shop": {"base_url": recorded_shop.url}}
    settings.CONNECTOR_RETRY_ATTEMPTS = 2
    settings.CONNECTOR_RETRY_DELAY_S = 0.05
    settings.CONNECTOR_RETRY_MAX_DELAY_S = 0.3
    connection_save(
        workspace=side_a.workspace,
        kind="tiktok_shop",
        values={"app_key": APP_KEY, "app_secret": APP_SECRET, "access_token": TOKEN, "shop_cipher": CIPHER},
        user=side_a.owner,
    )
    ws = side_a.workspace
    serum = Product.objects.create(
        workspace=ws, name="Vitamin C Serum", shop_product_id=SERUM_ID, unit_cost_eur=Decimal("4.50")
    )
    mask = Product.objects.create(workspace=ws, name="Glow Mask", shop_product_id=MASK_ID)
    side_a.campaign.products.add(serum, mask)
    PlatformAccount.objects.update_or_create(
        workspace=ws,
        creator=side_a.creator,
        platform=Platform.TIKTOK,
        defaults={"handle": "lena.glow", "open_id": "AAA-open-lena"},
    )
    side_a.extra.update(shop=recorded_shop, serum=serum, mask=mask)
    return side_a
