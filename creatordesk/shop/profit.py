"""Profit per collaboration, creator and campaign from affiliate orders, samples and flat fees.

Net profit = GMV − refunds − commission − Shop Ads commission − sample cost − flat fee.

GMV is what buyers paid for the lines a creator's content sold (revenue). The cost of the goods sold
is left out on purpose: most order lines carry no matched product with a known unit cost, and
subtracting it for some lines only would make rows incomparable. Product.unit_cost_eur is used where
it is certain to be a cost of the creator: for samples whose shipment did not record a unit cost.

Only EUR order lines enter the sums; lines in other currencies are counted per currency and named.
Commission is the paid commission where TikTok settled it, else the estimate; rows say which.
Every figure is aggregated in the database: three queries, however many creators there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.fit import PastProfit
from creatordesk.campaigns.models import Collaboration, SampleShipment
from creatordesk.shop.models import AffiliateOrder

EUR = "EUR"
ZERO = Decimal(0)
CENT = Decimal("0.01")
# Samples that never left the warehouse cost nothing.
UNSENT_SAMPLES = (
    SampleShipment.Status.REQUESTED,
    SampleShipment.Status.REJECTED,
    SampleShipment.Status.CANCELLED,
)
MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class Period:
    """Days from `start` to `end`, both included; an open end reaches as far as the data."""

    start: date | None = None
    end: date | None = None

    def q(self, field_name: str) -> Q:
        """Rows whose `field_name` (a date or a date lookup) falls in the period."""
        q = Q()
        if self.start:
            q &= Q(**{f"{field_name}__gte": self.start})
        if self.end:
            q &= Q(**{f"{field_name}__lte": self.end})
        return q

    def holds(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    @property
    def is_open(self) -> bool:
        return self.start is None and self.end is None


@dataclass(frozen=True)
class ForeignOrders:
    """Order lines in a currency other than EUR: kept, counted, left out of the sums."""

    currency: str
    lines: int
    gmv: Decimal


@dataclass(frozen=True)
class ProfitRow:
    """The parts of net profit for one collaboration, creator or campaign."""

    label: str
    creator_id: int | None
    campaign_id: int | None
    collaboration_id: int | None
    collaborations: int
    orders: int
    order_lines: int
    units: int
    gmv: Decimal
    refunds: Decimal
    refunded_units: int
    returned_units: int
    commission_paid: Decimal
    commission_estimated: Decimal
    estimated_lines: int
    shop_ads_commission: Decimal
    samples: int
    sample_cost: Decimal
    samples_cost_unknown: int
    flat_fees: Decimal
    foreign: tuple[ForeignOrders, ...]

    @property
    def commission(self) -> Decimal:
        return self.commission_paid + self.commission_estimated

    @property
    def commission_basis(self) -> str:
        """ "paid", "estimated", "mixed", or "" without EUR order lines."""
        if not self.order_lines:
            return ""
        if not self.estimated_lines:
            return "paid"
        return "estimated" if self.estimated_lines == self.order_lines else "mixed"

    @property
    def net_profit(self) -> Decimal:
        return (
            self.gmv
            - self.refunds
            - self.commission
            - self.shop_ads_commission
            - self.sample_cost
            - self.flat_fees
        ).quantize(CENT)


@dataclass
class _Sums:
    orders: int = 0
    order_lines: int = 0
    units: int = 0
    gmv: Decimal = ZERO
    refunds: Decimal = ZERO
    refunded_units: int = 0
    returned_units: int = 0
    commission_paid: Decimal = ZERO
    commission_estimated: Decimal = ZERO
    estimated_lines: int = 0
    shop_ads_commission: Decimal = ZERO
    samples: int = 0
    sample_cost: Decimal = ZERO
    samples_cost_unknown: int = 0
    flat_fees: Decimal = ZERO
    collaborations: set[int] = field(default_factory=set)
    foreign: dict[str, list[Any]] = field(default_factory=dict)

    NUMBERS = (
        "orders", "order_lines", "units", "gmv", "refunds", "refunded_units", "returned_units",
        "commission_paid", "commission_estimated", "estimated_lines", "shop_ads_commission", "samples",
        "sample_cost", "samples_cost_unknown", "flat_fees",
    )  # fmt: skip

    @property
    def active(self) -> bool:
        return bool(self.order_lines or self.samples or self.flat_fees or self.foreign)

    def add(self, other: _Sums) -> None:
        for name in self.NUMBERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.collaborations |= other.collaborations
        for currency, (lines, gmv) in other.foreign.items():
            mine = self.foreign.setdefault(currency, [0, ZERO])
            mine[0] += lines
            mine[1] += gmv

    def add_orders(self, row: Mapping[str, Any]) -> None:
        if row["currency"] != EUR:
            mine = self.foreign.setdefault(row["currency"], [0, ZERO])
            mine[0] += row["lines"]
            mine[1] += row["gmv"] or ZERO
            return
        self.orders += row["orders"]
        self.order_lines += row["lines"]
        self.units += row["units"] or 0
        self.gmv += row["gmv"] or ZERO
        self.refunds += row["refunds"] or ZERO
        self.refunded_units += row["refunded_units"] or 0
        self.returned_units += row["returned_units"] or 0
        self.commission_paid += row["paid"] or ZERO
        self.commission_estimated += row["estimated"] or ZERO
        self.estimated_lines += row["estimated_lines"]
        self.shop_ads_commission += row["shop_ads"] or ZERO

    def freeze(self, label: str, **ids: int | None) -> ProfitRow:
        numbers = {name: getattr(self, name) for name in self.NUMBERS}
        foreign = tuple(
            ForeignOrders(currency, lines, gmv) for currency, (lines, gmv) in sorted(self.foreign.items())
        )
        return ProfitRow(
            label=label,
            creator_id=ids.get("creator_id"),
            campaign_id=ids.get("campaign_id"),
            collaboration_id=ids.get("collaboration_id"),
            collaborations=len(self.collaborations),
            foreign=foreign,
            **numbers,
        )


@dataclass(frozen=True)
class ProfitReport:
    period: Period
    by_collaboration: tuple[ProfitRow, ...]
    by_creator: tuple[ProfitRow, ...]
    by_campaign: tuple[ProfitRow, ...]
    total: ProfitRow

    @property
    def empty(self) -> bool:
        return not self.by_creator


def _order_rows(workspace: Workspace, period: Period) -> Iterable[Mapping[str, Any]]:
    unpaid = Q(commission_paid__isnull=True)
    orders = AffiliateOrder.objects.for_workspace(workspace)
    if not period.is_open:
        orders = orders.filter(period.q("ordered_at__date"))
    return (
        orders.values(
            "collaboration_id", "creator_id", "creator__display_name", "creator_username", "currency"
        )
        .annotate(
            orders=Count("order_id", distinct=True),
            lines=Count("pk"),
            units=Sum("units"),
            gmv=Sum("gmv"),
            refunds=Sum("refund_amount"),
            refunded_units=Sum("refunded_units"),
            returned_units=Sum("returned_units"),
            paid=Sum("commission_paid"),
            estimated=Sum("commission_estimated", filter=unpaid),
            estimated_lines=Count("pk", filter=unpaid),
            shop_ads=Sum("shop_ads_commission"),
        )
        .order_by()
    )


def _sample_rows(workspace: Workspace, period: Period) -> Iterable[Mapping[str, Any]]:
    # The shipment's own unit cost is what the sample cost when it went out; the product's current
    # cost stands in only where the shipment did not record one.
    unit_cost = Coalesce("unit_cost_eur", "product__unit_cost_eur")
    samples = SampleShipment.objects.for_workspace(workspace).exclude(status__in=UNSENT_SAMPLES)
    if not period.is_open:
        samples = samples.filter(
            period.q("shipped_on") | (Q(shipped_on__isnull=True) & period.q("created_at__date"))
        )
    return (
        samples.values("collaboration_id")
        .annotate(
            samples=Count("pk"),
            goods=Sum(F("units") * unit_cost, output_field=MONEY),
            shipping=Sum("shipping_cost_eur"),
            unknown=Count("pk", filter=Q(unit_cost_eur__isnull=True, product__unit_cost_eur__isnull=True)),
        )
        .order_by()
    )


@dataclass
class _Collab:
    creator_id: int
    creator_name: str
    campaign_id: int
    campaign_name: str
    sums: _Sums


def _collaborations(workspace: Workspace, period: Period) -> dict[int, _Collab]:
    collabs = {}
    rows = Collaboration.objects.for_workspace(workspace).values_list(
        "id",
        "creator_id",
        "creator__display_name",
        "campaign_id",
        "campaign__name",
        "flat_fee_eur",
        "created_at",
    )
    for pk, creator_id, creator_name, campaign_id, campaign_name, fee, created_at in rows:
        sums = _Sums(collaborations={pk})
        # A flat fee is agreed when the collaboration starts, so it counts in that period.
        if fee and period.holds(created_at.date()):
            sums.flat_fees = fee
        collabs[pk] = _Collab(creator_id, creator_name, campaign_id, campaign_name, sums)
    return collabs


def _add_samples(collabs: dict[int, _Collab], rows: Iterable[Mapping[str, Any]]) -> None:
    for row in rows:
        sums = collabs[row["collaboration_id"]].sums
        sums.samples = row["samples"]
        cost = (row["goods"] or ZERO) + (row["shipping"] or ZERO)
        sums.sample_cost = cost.quantize(CENT)
        sums.samples_cost_unknown = row["unknown"]


CreatorKey = tuple[str, int | str]


def _loose_creator(row: Mapping[str, Any]) -> tuple[CreatorKey, str]:
    """An order without a collaboration: its matched creator, or the username TikTok reported."""
    if row["creator_id"]:
        return ("creator", row["creator_id"]), row["creator__display_name"]
    username = row["creator_username"] or ""
    return ("username", username), f"@{username}" if username else _("Unknown creator")


def _creator_id(key: CreatorKey) -> int | None:
    kind, value = key
    return value if kind == "creator" and isinstance(value, int) else None


@dataclass
class _Groups:
    creators: dict[CreatorKey, _Sums] = field(default_factory=lambda: defaultdict(_Sums))
    creator_names: dict[CreatorKey, str] = field(default_factory=dict)
    campaigns: dict[int | None, _Sums] = field(default_factory=lambda: defaultdict(_Sums))
    campaign_names: dict[int | None, str] = field(default_factory=dict)


def _group(collabs: dict[int, _Collab], loose: list[Mapping[str, Any]]) -> _Groups:
    groups = _Groups()
    for collab in collabs.values():
        if not collab.sums.active:
            continue
        key: CreatorKey = ("creator", collab.creator_id)
        groups.creators[key].add(collab.sums)
        groups.creator_names[key] = collab.creator_name
        groups.campaigns[collab.campaign_id].add(collab.sums)
        groups.campaign_names[collab.campaign_id] = collab.campaign_name
    for row in loose:
        key, name = _loose_creator(row)
        groups.creators[key].add_orders(row)
        groups.creator_names.setdefault(key, name)
        groups.campaigns[None].add_orders(row)
        groups.campaign_names[None] = _("Without a campaign")
    return groups


def _ranked(rows: Iterable[ProfitRow]) -> tuple[ProfitRow, ...]:
    return tuple(sorted(rows, key=lambda r: (-r.net_profit, r.label.lower())))


def profit_report(*, workspace: Workspace, period: Period | None = None) -> ProfitReport:
    """Net profit and its parts per collaboration, creator and campaign, best first."""
    period = period or Period()
    collabs = _collaborations(workspace, period)
    _add_samples(collabs, _sample_rows(workspace, period))
    loose = []
    for row in _order_rows(workspace, period):
        collab = collabs.get(row["collaboration_id"]) if row["collaboration_id"] else None
        if collab is None:
            loose.append(row)
        else:
            collab.sums.add_orders(row)
    groups = _group(collabs, loose)
    by_collaboration = _ranked(
        c.sums.freeze(
            f"{c.creator_name} × {c.campaign_name}",
            creator_id=c.creator_id,
            campaign_id=c.campaign_id,
            collaboration_id=pk,
        )
        for pk, c in collabs.items()
        if c.sums.active
    )
    by_creator = _ranked(
        sums.freeze(groups.creator_names[key], creator_id=_creator_id(key))
        for key, sums in groups.creators.items()
    )
    by_campaign = _ranked(
        sums.freeze(groups.campaign_names[key], campaign_id=key) for key, sums in groups.campaigns.items()
    )
    total = _Sums()
    for sums in groups.creators.values():
        total.add(sums)
    return ProfitReport(period, by_collaboration, by_creator, by_campaign, total.freeze(_("All creators")))


SORTS = {
    "net": lambda r: (-r.net_profit, r.label.lower()),
    "net_asc": lambda r: (r.net_profit, r.label.lower()),
    "gmv": lambda r: (-r.gmv, r.label.lower()),
    "orders": lambda r: (-r.orders, r.label.lower()),
}


def sorted_rows(rows: Iterable[ProfitRow], sort: str) -> list[ProfitRow]:
    """Rows in one of SORTS' orders; an unknown sort falls back to net profit, best first."""
    return sorted(rows, key=SORTS.get(sort, SORTS["net"]))


def past_profit_by_creator(*, workspace: Workspace) -> dict[int, PastProfit]:
    """Every matched creator's net profit over all time, as the fit score reads it."""
    report = profit_report(workspace=workspace)
    return {
        row.creator_id: PastProfit(
            net_eur=row.net_profit, collaborations=row.collaborations, orders=row.orders
        )
        for row in report.by_creator
        if row.creator_id is not None
    }


# The chart: horizontal bars from a zero line, so losses point left and gains right.
CHART_BARS = 10
CHART_WIDTH = 640
CHART_LABEL_WIDTH = 170
CHART_VALUE_WIDTH = 90
CHART_BAR_HEIGHT = 22
CHART_GAP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    creator_id: int | None
    x: float
    y: float
    width: float
    positive: bool

    @property
    def text_y(self) -> float:
        return self.y + CHART_BAR_HEIGHT * 0.7

    @property
    def value_x(self) -> float:
        return self.x + self.width + 4 if self.positive else self.x - 4


@dataclass(frozen=True)
class ProfitChart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    zero_x: float
    bar_height: int
    label_width: int


def profit_chart(rows: Iterable[ProfitRow], *, limit: int = CHART_BARS) -> ProfitChart:
    """The `limit` creators with the highest net profit, drawn as SVG geometry."""
    top = sorted(rows, key=SORTS["net"])[:limit]
    values = [float(r.net_profit) for r in top]
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    area = CHART_WIDTH - CHART_LABEL_WIDTH - 2 * CHART_VALUE_WIDTH
    zero_x = CHART_LABEL_WIDTH + CHART_VALUE_WIDTH + area * (-low / span)
    bars = []
    for index, (row, value) in enumerate(zip(top, values, strict=True)):
        width = area * abs(value) / span
        x = zero_x if value >= 0 else zero_x - width
        y = CHART_GAP + index * (CHART_BAR_HEIGHT + CHART_GAP)
        bars.append(Bar(row.label, row.net_profit, row.creator_id, x, y, width, value >= 0))
    height = CHART_GAP + len(bars) * (CHART_BAR_HEIGHT + CHART_GAP)
    return ProfitChart(tuple(bars), CHART_WIDTH, height, zero_x, CHART_BAR_HEIGHT, CHART_LABEL_WIDTH)
