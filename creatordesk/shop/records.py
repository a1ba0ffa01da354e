"""One write path for what the Affiliate Center knows: sample requests and affiliate order lines.

The sync and the Seller Center exports both read into these plain records and hand them here, so a
sample or an order lands in the same row however it arrived, and reading it again changes nothing.
`samples_plan` / `orders_plan` say what a write would do (the dry run of an import); `samples_write`
/ `orders_write` do it, all rows in one transaction or none.

Creators are recognised by Creator Open ID, then by handle (`affiliate_api.match_creator`). A sample
request from a creator CreatorDesk does not know yet adds the creator and a collaboration in the
newest campaign that holds the product: a creator who asked for a sample is one to follow up. An order
line keeps the creator's handle even when no creator matches, so profit per creator still counts it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Campaign, Collaboration, CollaborationStatus, Product, SampleShipment
from creatordesk.campaigns.services import collaboration_create, shipment_set_status
from creatordesk.creators.models import Creator, Platform, PlatformAccount
from creatordesk.shop.affiliate_api import KnownCreator, match_creator, normalized_handle
from creatordesk.shop.models import AffiliateOrder

# TikTok's sample application statuses on CreatorDesk's sample path. CONTENT_PENDING means the
# sample arrived and the video is due; COMPLETED that the video came (the post itself is a Post).
TIKTOK_SAMPLE_STATUS = {
    "PENDING": SampleShipment.Status.REQUESTED,
    "AWAITING_SHIPMENT": SampleShipment.Status.PREPARING,
    "SHIPPED": SampleShipment.Status.SHIPPED,
    "CONTENT_PENDING": SampleShipment.Status.DELIVERED,
    "COMPLETED": SampleShipment.Status.DELIVERED,
    "REJECTED": SampleShipment.Status.REJECTED,
    "SELLER_REJECTED": SampleShipment.Status.REJECTED,
}
# Every other TikTok status is one of its cancel or operations states.
CANCELLED = SampleShipment.Status.CANCELLED


def sample_status_from_tiktok(status: str) -> str:
    return TIKTOK_SAMPLE_STATUS.get(status.strip().upper(), CANCELLED)


@dataclass(frozen=True)
class SampleRecord:
    """A sample request as the Affiliate Center describes it."""

    external_id: str
    status: str  # a SampleShipment.Status value
    creator_username: str
    product_id: str
    creator_open_id: str | None = None
    units: int = 1
    requested_on: datetime.date | None = None
    approved_on: datetime.date | None = None
    shipped_on: datetime.date | None = None
    delivered_on: datetime.date | None = None
    content_due_on: datetime.date | None = None
    carrier: str = ""
    tracking_number: str = ""


@dataclass(frozen=True)
class OrderRecord:
    """One SKU line of an affiliate order; money in the order's currency."""

    order_id: str
    sku_id: str
    product_id: str
    creator_username: str
    creator_open_id: str | None = None
    content_id: str = ""
    content_type: str = ""
    status: str = ""
    ordered_at: datetime.datetime | None = None
    currency: str = "EUR"
    units: int = 1
    gmv: Decimal = Decimal(0)
    commission_estimated: Decimal | None = None
    commission_paid: Decimal | None = None
    shop_ads_commission: Decimal = Decimal(0)
    refunded_units: int = 0
    returned_units: int = 0
    refund_amount: Decimal = Decimal(0)


@dataclass(frozen=True)
class Planned:
    """What writing one record does: "create", "update", "unchanged" or "unmatched" (with the reason)."""

    action: str
    key: str
    reason: str = ""


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unmatched: list[Planned] = field(default_factory=list)

    @classmethod
    def of(cls, plan: Sequence[Planned]) -> Written:
        counts = cls(unmatched=[p for p in plan if p.action == "unmatched"])
        counts.created = sum(p.action == "create" for p in plan)
        counts.updated = sum(p.action == "update" for p in plan)
        counts.unchanged = sum(p.action == "unchanged" for p in plan)
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "unmatched": len(self.unmatched),
        }


# --- Who and what a record names -------------------------------------------------------------------


class _Directory:
    """The workspace's TikTok creators and shop products, loaded once for a whole batch of records."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        known: dict[int, KnownCreator] = {}
        accounts = PlatformAccount.objects.for_workspace(workspace).filter(platform=Platform.TIKTOK)
        for account in accounts:
            known[account.pk] = KnownCreator(
                ref=str(account.creator_id), handle=account.handle, open_id=account.open_id or None
            )
        with_account = {int(k.ref) for k in known.values()}
        for creator in (
            Creator.objects.for_workspace(workspace).exclude(tiktok_handle="").exclude(pk__in=with_account)
        ):
            known[-creator.pk] = KnownCreator(ref=str(creator.pk), handle=creator.tiktok_handle)
        self.known = list(known.values())
        self.campaign_of_product: dict[str, int] = {}
        products = Product.objects.for_workspace(workspace).exclude(shop_product_id="")
        self.products = {p.shop_product_id: p for p in products}
        # The newest campaign holding a product is where its samples and orders belong.
        for campaign in (
            Campaign.objects.for_workspace(workspace).order_by("created_at").prefetch_related("products")
        ):
            for product in campaign.products.all():
                if product.shop_product_id:
                    self.campaign_of_product[product.shop_product_id] = campaign.pk

    def creator_id(self, open_id: str | None, username: str) -> int | None:
        found = match_creator(open_id, username, self.known)
        return int(found.ref) if found else None

    def collaboration(self, creator_id: int | None, product_id: str) -> Collaboration | None:
        campaign_id = self.campaign_of_product.get(product_id)
        if creator_id is None or campaign_id is None:
            return None
        return (
            Collaboration.objects.for_workspace(self.workspace)
            .filter(creator_id=creator_id, campaign_id=campaign_id)
            .select_related("creator", "campaign")
            .first()
        )


# --- Samples -----------------------------------------------------------------------------------------

_SAMPLE_FIELDS = (
    "status",
    "units",
    "requested_on",
    "approved_on",
    "shipped_on",
    "delivered_on",
    "content_due_on",
    "carrier",
    "tracking_number",
)


def _sample_planned(
    record: SampleRecord, directory: _Directory, existing: dict[str, SampleShipment]
) -> Planned:
    shipment = existing.get(record.external_id)
    if shipment is not None:
        same = all(
            getattr(shipment, name) == _sample_value(record, shipment, name) for name in _SAMPLE_FIELDS
        )
        return Planned("unchanged" if same else "update", record.external_id)
    if record.product_id not in directory.campaign_of_product:
        return Planned(
            "unmatched",
            record.external_id,
            f"no campaign holds the product {record.product_id or '(none)'}",
        )
    if not normalized_handle(record.creator_username) and not record.creator_open_id:
        return Planned("unmatched", record.external_id, "the request names no creator")
    return Planned("create", record.external_id)


def _sample_value(record: SampleRecord, shipment: SampleShipment | None, name: str) -> Any:
    value = getattr(record, name)
    # An export that leaves a date or the tracking number out does not clear what is on file.
    if shipment is not None and value in (None, ""):
        return getattr(shipment, name)
    return value


def _existing_samples(workspace: Workspace, records: Iterable[SampleRecord]) -> dict[str, SampleShipment]:
    ids = [r.external_id for r in records]
    rows = SampleShipment.objects.for_workspace(workspace).filter(external_id__in=ids)
    return {s.external_id: s for s in rows.select_related("collaboration__creator")}


def samples_plan(*, workspace: Workspace, records: Sequence[SampleRecord]) -> list[Planned]:
    directory = _Directory(workspace)
    existing = _existing_samples(workspace, records)
    return [_sample_planned(record, directory, existing) for record in records]


def samples_write(
    *, workspace: Workspace, records: Sequence[SampleRecord], source: str, actor: object = None
) -> Written:
    """Create or update a SampleShipment per record; the collaboration moves along as the sample does."""
    with transaction.atomic():
        directory = _Directory(workspace)
        existing = _existing_samples(workspace, records)
        plan = [_sample_planned(record, directory, existing) for record in records]
        for record, planned in zip(records, plan, strict=True):
            if planned.action == "update":
                _sample_update(existing[record.external_id], record, actor)
            elif planned.action == "create":
                _sample_create(workspace, directory, record, source, actor)
    return Written.of(plan)


def _sample_update(shipment: SampleShipment, record: SampleRecord, actor: object) -> None:
    status = record.status
    for name in _SAMPLE_FIELDS:
        if name != "status":
            setattr(shipment, name, _sample_value(record, shipment, name))
    if status != shipment.status:
        shipment_set_status(shipment=shipment, status=status, actor=actor, on=_day_of(record, status))
    else:
        shipment.save()


def _sample_create(
    workspace: Workspace, directory: _Directory, record: SampleRecord, source: str, actor: object
) -> None:
    creator_id = directory.creator_id(record.creator_open_id, record.creator_username)
    if creator_id is None:
        creator_id = _creator_add(workspace, record.creator_username, record.creator_open_id).pk
        directory.known.append(
            KnownCreator(ref=str(creator_id), handle=record.creator_username, open_id=record.creator_open_id)
        )
    collaboration = directory.collaboration(creator_id, record.product_id)
    if collaboration is None:
        campaign = Campaign.objects.get(pk=directory.campaign_of_product[record.product_id])
        creator = Creator.objects.get(pk=creator_id)
        collaboration = collaboration_create(
            campaign=campaign, creator=creator, status=CollaborationStatus.ACCEPTED, actor=actor
        )
    product = directory.products.get(record.product_id)
    shipment = SampleShipment(
        workspace=workspace,
        collaboration=collaboration,
        product=product,
        unit_cost_eur=product.unit_cost_eur if product else None,
        external_id=record.external_id,
        source=source,
        **{name: _sample_value(record, None, name) for name in _SAMPLE_FIELDS if name != "status"},
    )
    shipment.save()
    shipment_set_status(
        shipment=shipment, status=record.status, actor=actor, on=_day_of(record, record.status)
    )


def _day_of(record: SampleRecord, status: str) -> datetime.date | None:
    return {
        SampleShipment.Status.SHIPPED: record.shipped_on,
        SampleShipment.Status.DELIVERED: record.delivered_on,
    }.get(SampleShipment.Status(status))


def _creator_add(workspace: Workspace, username: str, open_id: str | None) -> Creator:
    handle = normalized_handle(username) or (open_id or "")[:60]
    creator = Creator.objects.create(workspace=workspace, display_name=handle, tiktok_handle=handle)
    PlatformAccount.objects.create(
        workspace=workspace, creator=creator, platform=Platform.TIKTOK, handle=handle, open_id=open_id or ""
    )
    return creator


# --- Orders ------------------------------------------------------------------------------------------

_ORDER_FIELDS = (
    "shop_product_id",
    "creator_username",
    "creator_open_id",
    "content_id",
    "content_type",
    "status",
    "ordered_at",
    "currency",
    "units",
    "gmv",
    "commission_estimated",
    "commission_paid",
    "shop_ads_commission",
    "refunded_units",
    "returned_units",
    "refund_amount",
)


def _order_values(record: OrderRecord) -> dict[str, Any]:
    values = {name: getattr(record, name, None) for name in _ORDER_FIELDS if name != "shop_product_id"}
    values["shop_product_id"] = record.product_id
    values["creator_open_id"] = record.creator_open_id or ""
    values["creator_username"] = normalized_handle(record.creator_username)
    return values


def _existing_orders(
    workspace: Workspace, records: Iterable[OrderRecord]
) -> dict[tuple[str, str], AffiliateOrder]:
    ids = {r.order_id for r in records}
    rows = AffiliateOrder.objects.for_workspace(workspace).filter(order_id__in=ids)
    return {(o.order_id, o.sku_id): o for o in rows}


def _order_planned(record: OrderRecord, existing: dict[tuple[str, str], AffiliateOrder]) -> Planned:
    key = f"{record.order_id}/{record.sku_id}"
    order = existing.get((record.order_id, record.sku_id))
    if order is None:
        return Planned("create", key)
    same = all(getattr(order, name) == value for name, value in _order_values(record).items())
    return Planned("unchanged" if same else "update", key)


def orders_plan(*, workspace: Workspace, records: Sequence[OrderRecord]) -> list[Planned]:
    existing = _existing_orders(workspace, records)
    return [_order_planned(record, existing) for record in records]


def orders_write(*, workspace: Workspace, records: Sequence[OrderRecord], source: str) -> Written:
    """Create or update an AffiliateOrder per record, matched to its creator and collaboration."""
    with transaction.atomic():
        directory = _Directory(workspace)
        existing = _existing_orders(workspace, records)
        plan = [_order_planned(record, existing) for record in records]
        for record, planned in zip(records, plan, strict=True):
            if planned.action == "unchanged":
                continue
            order = existing.get((record.order_id, record.sku_id)) or AffiliateOrder(
                workspace=workspace, order_id=record.order_id, sku_id=record.sku_id, source=source
            )
            for name, value in _order_values(record).items():
                setattr(order, name, value)
            creator_id = directory.creator_id(record.creator_open_id, record.creator_username)
            order.creator_id = creator_id
            order.product = directory.products.get(record.product_id)
            order.collaboration = directory.collaboration(creator_id, record.product_id)
            order.save()
    return Written.of(plan)
