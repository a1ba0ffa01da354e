"""What goes into and comes out of the affiliate client: plain, typed, frozen values.

Money is a Decimal with its currency. Commission rates are integers in hundredths of a percent, as the
Partner API writes them (`1550` is 15.50 %). A figure a creator shares only as a range is a `Range`, and
one they withhold is None: the client never turns either into a made-up number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

# The Partner API accepts commission rates from 1 % to 80 % in steps of 0.01 %.
MIN_COMMISSION_RATE = 100
MAX_COMMISSION_RATE = 8000
MAX_TARGET_CREATORS = 50
MAX_TARGET_PRODUCTS = 100


@dataclass(frozen=True)
class Money:
    """An amount in one currency."""

    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Range[T]:
    """A figure the platform gives only as lower and upper bound."""

    low: T
    high: T


type Figure[T] = T | Range[T] | None


def commission_rate_checked(rate: int) -> int:
    """`rate` (in 0.01 %) if the Partner API accepts it; ValueError otherwise."""
    if isinstance(rate, bool) or not isinstance(rate, int):
        raise ValueError(f"a commission rate is a whole number of 0.01 %, not {rate!r}")
    if not MIN_COMMISSION_RATE <= rate <= MAX_COMMISSION_RATE:
        raise ValueError(
            f"a commission rate must lie between 1 % and 80 %, not {commission_rate_to_percent(rate)} %"
        )
    return rate


def commission_rate_from_percent(percent: Decimal | str | int) -> int:
    """`12.5` (percent) as `1250`; refuses finer steps than 0.01 % and rates outside 1..80 %."""
    try:
        value = Decimal(str(percent).strip().removesuffix("%").strip()) * 100
    except InvalidOperation:
        raise ValueError(f"{percent!r} is not a percentage") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise ValueError(f"{percent} % is finer than 0.01 %")
    return commission_rate_checked(int(value))


def commission_rate_to_percent(rate: int) -> Decimal:
    """`1250` as `Decimal("12.50")` percent."""
    return (Decimal(rate) / 100).quantize(Decimal("0.01"))


class SampleStatus(StrEnum):
    """Where a sample application stands (seller-search-sample-applications-202508)."""

    PENDING = "PENDING"
    AWAITING_SHIPMENT = "AWAITING_SHIPMENT"
    SHIPPED = "SHIPPED"
    CONTENT_PENDING = "CONTENT_PENDING"
    COMPLETED = "COMPLETED"
    REJECT_CANCELLED = "REJECT_CANCELLED"
    OVERDUE_CANCELLED = "OVERDUE_CANCELLED"
    UNFULFILL_CANCELLED = "UNFULFILL_CANCELLED"
    DEL_OPEN_COLLAB = "DEL_OPEN_COLLAB"
    SELLER_NOT_SHIP_CANCELLED = "SELLER_NOT_SHIP_CANCELLED"
    WITHDRAW_CANCELLED = "WITHDRAW_CANCELLED"
    UNFULFILLABLE_CANCELLED = "UNFULFILLABLE_CANCELLED"
    OPS_CANCELLED = "OPS_CANCELLED"
    OPS_FAILED = "OPS_FAILED"
    OPS_COMPLETED = "OPS_COMPLETED"


class ReviewDecision(StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"


class RejectReason(StrEnum):
    NOT_MATCH = "NOT_MATCH"
    OFFLINE = "OFFLINE"
    OUT_OF_STOCK = "OUT_OF_STOCK"
    OTHER = "OTHER"


class ContentFormat(StrEnum):
    VIDEO = "VIDEO"
    LIVE = "LIVE"


class DraftInvalid(ValueError):
    """A draft the Partner API would refuse; `problems` lists every reason, nothing was sent."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class FreeSampleRule:
    has_free_sample: bool = False
    # Only meaningful with free samples: invited creators get one without the seller's review.
    is_sample_approval_exempt: bool = False


@dataclass(frozen=True)
class TargetCollaborationDraft:
    """A private invitation: these products at one commission rate, for these creators (by Open ID)."""

    name: str
    product_ids: Sequence[str]
    commission_rate: int
    creator_open_ids: Sequence[str]
    end_time: datetime
    seller_email: str
    message: str = ""
    shop_ads_commission_rate: int | None = None
    free_sample: FreeSampleRule = field(default_factory=FreeSampleRule)

    def problems(self) -> list[str]:
        """Every reason the Partner API would refuse this draft (empty when it is fine)."""
        found = _list_problems("product", self.product_ids, MAX_TARGET_PRODUCTS)
        found += _list_problems("creator", self.creator_open_ids, MAX_TARGET_CREATORS)
        found += _rate_problems(self.commission_rate, self.shop_ads_commission_rate)
        if not self.name.strip():
            found.append("the collaboration needs a name")
        if "@" not in self.seller_email:
            found.append("the seller e-mail address is missing")
        if self.end_time.tzinfo is None:
            found.append("the end time needs a time zone")
        return found


@dataclass(frozen=True)
class TargetCollaborationChange:
    """Fields to change in a target collaboration; None leaves a field as it is.

    Product and creator lists replace the current ones: a product left out is removed (at 00:00 the next
    day if a creator already shows it), as is a creator.
    """

    name: str | None = None
    product_ids: Sequence[str] | None = None
    commission_rate: int | None = None
    shop_ads_commission_rate: int | None = None
    creator_open_ids: Sequence[str] | None = None
    end_time: datetime | None = None
    seller_email: str | None = None
    free_sample: FreeSampleRule | None = None

    def problems(self) -> list[str]:
        found: list[str] = []
        if self.product_ids is not None:
            found += _list_problems("product", self.product_ids, MAX_TARGET_PRODUCTS)
            if self.commission_rate is None:
                found.append("a product list needs its commission rate")
        if self.creator_open_ids is not None:
            found += _list_problems("creator", self.creator_open_ids, MAX_TARGET_CREATORS)
        if self.commission_rate is not None:
            found += _rate_problems(self.commission_rate, self.shop_ads_commission_rate)
        if self.end_time is not None and self.end_time.tzinfo is None:
            found.append("the end time needs a time zone")
        return found


def _list_problems(noun: str, values: Sequence[str], limit: int) -> list[str]:
    found = []
    if isinstance(values, str):
        return [f"the {noun}s must be a list of ids, not one string"]
    if not values:
        found.append(f"at least one {noun} is needed")
    if len(values) > limit:
        found.append(f"at most {limit} {noun}s per collaboration, not {len(values)}")
    if len(set(values)) != len(values):
        found.append(f"a {noun} is listed twice")
    if any(not str(value).strip() for value in values):
        found.append(f"a {noun} id is empty")
    return found


def _rate_problems(rate: int, shop_ads_rate: int | None) -> list[str]:
    found = []
    for label, value in (("commission", rate), ("Shop Ads commission", shop_ads_rate)):
        if value is None:
            continue
        try:
            commission_rate_checked(value)
        except ValueError as exc:
            found.append(f"{label}: {exc}")
    return found


@dataclass(frozen=True)
class CreatorRef:
    """A creator as the Partner API names them; the Open ID is absent in answers older than 202508."""

    open_id: str | None
    username: str
    nickname: str = ""


@dataclass(frozen=True)
class Conflict:
    """A creator already bound to a product through another target collaboration."""

    creator_open_id: str
    product_id: str


@dataclass(frozen=True)
class CreatedTargetCollaboration:
    id: str
    conflicts: tuple[Conflict, ...]


@dataclass(frozen=True)
class TargetCollaboration:
    """One row of the target collaboration search."""

    id: str
    name: str
    type: str
    message: str
    start_time: datetime | None
    end_time: datetime | None
    free_sample: FreeSampleRule
    product_count: int | None
    creator_invited_count: int | None
    showcase_creator_count: int | None
    content_creator_count: int | None


@dataclass(frozen=True)
class InvitedCreator:
    creator: CreatorRef
    status: str
    showcase_product_count: int | None
    content_product_count: int | None


@dataclass(frozen=True)
class CollaborationProduct:
    product_id: str
    title: str
    status: str
    collaboration_status: str
    commission_rate: int | None
    shop_ads_commission_rate: int | None
    # Estimated commission per unit across the product's SKUs.
    commission: Range[Money] | None


@dataclass(frozen=True)
class TargetCollaborationDetail:
    summary: TargetCollaboration
    seller_email: str
    creators: tuple[InvitedCreator, ...]
    products: tuple[CollaborationProduct, ...]


@dataclass(frozen=True)
class TargetCollaborationUpdate:
    """What the Partner API did not apply; all empty means every change took effect."""

    conflicts: tuple[Conflict, ...]
    creators_not_added: tuple[str, ...]
    creators_not_removed: tuple[str, ...]
    products_not_removed: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not (
            self.conflicts
            or self.creators_not_added
            or self.creators_not_removed
            or self.products_not_removed
        )


@dataclass(frozen=True)
class OpenCollaboration:
    id: str
    product_id: str
    product_title: str
    product_status: str
    status: str
    commission_rate: int | None
    require_seller_approve_creator: bool
    showcase_creator_count: int | None
    content_creator_count: int | None


@dataclass(frozen=True)
class CreatorContent:
    """What one creator posted for a product in open collaboration."""

    creator: CreatorRef
    follower_count: int | None
    video_count: int | None
    live_count: int | None
    promotion_status: str
    promotion_end_time: datetime | None


@dataclass(frozen=True)
class SampleApplication:
    id: str
    status: str
    fulfillment_status: str
    product_id: str
    sku_id: str
    product_title: str
    creator: CreatorRef
    creator_follower_count: int | None
    creator_gmv: Money | None
    # The creator's 90-day share of samples turned into content, in percent; None when withheld.
    creator_fulfillment_percent: Decimal | None
    commission_rate: int | None
    approvable: bool
    approve_deadline: datetime | None
    shipment_deadline: datetime | None
    tracking_number: str
    order_id: str
    agency_name: str


@dataclass(frozen=True)
class FulfillmentContent:
    """A video or LIVE a creator made from a sample, with its cumulative figures."""

    content_id: str
    format: str
    page_link: str
    url: str
    description: str
    posted_at: datetime | None
    views: int | None
    likes: int | None
    comments: int | None
    paid_orders: int | None
    product_id: str


@dataclass(frozen=True)
class AffiliateOrderLine:
    """One SKU of an affiliate order, with the content that sold it and what it costs in commission."""

    order_id: str
    order_status: str
    created_at: datetime | None
    delivered_at: datetime | None
    product_id: str
    quantity: int | None
    refunded_quantity: int | None
    returned_quantity: int | None
    price: Money | None
    content_id: str
    content_type: str
    creator_username: str
    # Orders of version 202410 name the creator by username only; matching goes through `match_creator`.
    creator_open_id: str | None
    commission_rate: int | None
    shop_ads_commission_rate: int | None
    estimated_commission_base: Money | None
    actual_commission_base: Money | None
    estimated_paid_commission: Money | None
    actual_paid_commission: Money | None
    estimated_shop_ads_commission: Money | None
    actual_shop_ads_commission: Money | None
    open_collaboration_id: str
    target_collaboration_id: str
    campaign_id: str
    # Empty in answers that leave the SKU out; a line is then known by its product.
    sku_id: str = ""


@dataclass(frozen=True)
class CreatorPerformance:
    """A creator's last 30 days on the marketplace; ranged or None where they share no precise data."""

    open_id: str
    username: str
    nickname: str
    follower_count: int | None
    gmv: Figure[Money]
    units_sold: Figure[int]
    avg_commission_rate: Figure[int]
    # In 0.01 %: how often the creator posts after receiving a sample.
    post_rate: int | None
    # Promotion Performance Score, the platform's 90-day quality mark.
    pps: Decimal | None
    rating: Decimal | None


@dataclass(frozen=True)
class KnownCreator:
    """A creator CreatorDesk already has: its own reference, and the TikTok identities on file."""

    ref: str
    handle: str = ""
    open_id: str | None = None


def normalized_handle(handle: str) -> str:
    return handle.strip().removeprefix("@").strip().casefold()


def match_creator(
    open_id: str | None, username: str | None, known: Sequence[KnownCreator]
) -> KnownCreator | None:
    """The known creator behind an API answer: by Open ID first, then by handle.

    A handle is only trusted when it is unambiguous and not contradicted by an Open ID on file: handles
    change hands, Open IDs do not.
    """
    if open_id:
        for creator in known:
            if creator.open_id == open_id:
                return creator
    wanted = normalized_handle(username or "")
    if not wanted:
        return None
    candidates = [
        creator
        for creator in known
        if normalized_handle(creator.handle) == wanted and not (open_id and creator.open_id)
    ]
    return candidates[0] if len(candidates) == 1 else None
