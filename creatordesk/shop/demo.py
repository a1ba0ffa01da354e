"""The demo workspace's TikTok Shop side: samples and affiliate orders as a sync would have brought them.

Everything goes through the same write path as the sync (records.py), so a second load changes
nothing and the pages for samples, profit and tiers have figures to show.
"""

from __future__ import annotations

import datetime
import zlib
from decimal import Decimal

from django.utils import timezone

from creatordesk.campaigns.models import Campaign, Collaboration, Product, SampleShipment
from creatordesk.campaigns.products import product_update
from creatordesk.campaigns.services import collaboration_set_fee
from creatordesk.shop.models import Source
from creatordesk.shop.records import OrderRecord, SampleRecord, orders_write, samples_write

DEMO_PRODUCT_ID = "1729384756102"
DEMO_UNIT_COST = Decimal("6.80")
DEMO_FLAT_FEE = Decimal("250.00")
# Handle, days since delivery (None: shipped, not delivered yet), units.
DEMO_SAMPLES = [
    ("skinbymehmet", None, 1),
    ("claracleanbeauty", 20, 1),
    ("tomtestet", 16, 2),
    ("emma.in.berlin", 24, 1),
]
# Handle, orders, price, commission rate, Shop Ads commission rate, refunded orders.
DEMO_ORDERS = [
    ("emma.in.berlin", 38, Decimal("24.90"), Decimal("0.15"), Decimal("0.05"), 2),
    ("claracleanbeauty", 6, Decimal("24.90"), Decimal("0.15"), Decimal("0"), 0),
    # A creator who promotes the serum through the open collaboration, unknown to the workspace.
    ("glowdaily.de", 4, Decimal("24.90"), Decimal("0.10"), Decimal("0"), 1),
]


def load_shop_demo(*, campaign: Campaign) -> None:
    """Give the campaign's serum its TikTok Shop ID and cost, then samples, orders and a flat fee."""
    product = campaign.products.order_by("pk").first()
    if product is None:
        return
    if not product.shop_product_id:
        _product_for_shop(product)
    today = timezone.localdate()
    samples_write(
        workspace=campaign.workspace,
        records=[_sample(handle, days, units, today) for handle, days, units in DEMO_SAMPLES],
        source=Source.TIKTOK_API,
        actor="demo",
    )
    orders_write(workspace=campaign.workspace, records=_orders(today), source=Source.TIKTOK_API)
    posted = Collaboration.objects.filter(campaign=campaign, creator__tiktok_handle="emma.in.berlin").first()
    if posted is not None and posted.flat_fee_eur is None:
        collaboration_set_fee(collaboration=posted, fee_eur=DEMO_FLAT_FEE, actor="demo")


def _product_for_shop(product: Product) -> None:
    product_update(
        product=product,
        name=product.name,
        sku=product.sku,
        shop_url=f"https://shop.tiktok.com/view/product/{DEMO_PRODUCT_ID}",
        description=product.description,
        shop_product_id=DEMO_PRODUCT_ID,
        unit_cost_eur=DEMO_UNIT_COST,
    )


def _sample(handle: str, days: int | None, units: int, today: datetime.date) -> SampleRecord:
    delivered = today - datetime.timedelta(days=days) if days is not None else None
    shipped = (delivered or today) - datetime.timedelta(days=3)
    return SampleRecord(
        external_id=f"demo-sample-{handle}",
        status=SampleShipment.Status.DELIVERED if delivered else SampleShipment.Status.SHIPPED,
        creator_username=handle,
        product_id=DEMO_PRODUCT_ID,
        units=units,
        requested_on=shipped - datetime.timedelta(days=2),
        approved_on=shipped - datetime.timedelta(days=1),
        shipped_on=shipped,
        delivered_on=delivered,
        carrier="DHL",
        tracking_number=f"0034043416{zlib.crc32(handle.encode()) % 10**10:010d}",
    )


def _orders(today: datetime.date) -> list[OrderRecord]:
    lines = []
    for handle, count, price, rate, ads_rate, refunded in DEMO_ORDERS:
        for number in range(count):
            ordered = timezone.make_aware(
                datetime.datetime.combine(today - datetime.timedelta(days=1 + number % 12), datetime.time(19))
            )
            refund = number < refunded
            lines.append(
                OrderRecord(
                    order_id=f"demo-{handle}-{number:03d}",
                    sku_id=f"{DEMO_PRODUCT_ID}-30ml",
                    product_id=DEMO_PRODUCT_ID,
                    creator_username=handle,
                    content_type="VIDEO",
                    status="COMPLETED" if number % 3 else "PROCESSING",
                    ordered_at=ordered,
                    gmv=price,
                    commission_paid=(price * rate).quantize(Decimal("0.01")) if number % 3 else None,
                    commission_estimated=(price * rate).quantize(Decimal("0.01")),
                    shop_ads_commission=(price * ads_rate).quantize(Decimal("0.01")),
                    refunded_units=1 if refund else 0,
                    refund_amount=price if refund else Decimal(0),
                )
            )
    return lines
