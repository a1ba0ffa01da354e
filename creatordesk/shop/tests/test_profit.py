"""Net profit per collaboration, creator and campaign, worked out by hand next to what the selector says."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from creatordesk.campaigns.models import Collaboration, Product, SampleShipment
from creatordesk.campaigns.products import product_create
from creatordesk.campaigns.services import campaign_create, collaboration_create
from creatordesk.creators.services import creator_create
from creatordesk.shop.models import Source
from creatordesk.shop.profit import Period, past_profit_by_creator, profit_chart, profit_report, sorted_rows
from creatordesk.shop.records import OrderRecord, orders_write

pytestmark = pytest.mark.django_db

D = Decimal


def _product(side, shop_id: str, unit_cost: str | None = None) -> Product:
    product = product_create(workspace=side.workspace, name=f"Serum {shop_id}")
    Product.objects.filter(pk=product.pk).update(shop_product_id=shop_id, unit_cost_eur=unit_cost)
    return product


def _sample(collaboration: Collaboration, **fields: object) -> SampleShipment:
    return SampleShipment.objects.create(
        workspace_id=collaboration.workspace_id, collaboration=collaboration, **fields
    )


def _fee(collaboration: Collaboration, amount: str) -> None:
    Collaboration.objects.filter(pk=collaboration.pk).update(flat_fee_eur=D(amount))


def _orders(side, *records: OrderRecord) -> None:
    orders_write(workspace=side.workspace, records=records, source=Source.SELLER_CENTER)


def _on(day: int) -> datetime:
    return datetime(2026, 3, day, 12, tzinfo=UTC)


@pytest.fixture
def shop(side_a):
    """Campaign A sells P1: "Creator alpha" (alpha_one) and "Second alpha" (alpha_two) are in it;
    campaign B holds only "Second alpha" with a flat fee and no sales."""
    p1 = _product(side_a, "P1", unit_cost="4.00")
    side_a.campaign.products.add(p1)
    mine = side_a.collaboration
    _fee(mine, "50.00")
    other = collaboration_create(campaign=side_a.campaign, creator=side_a.other_creator)
    campaign_b = campaign_create(workspace=side_a.workspace, name="Campaign B")
    other_b = collaboration_create(campaign=campaign_b, creator=side_a.other_creator)
    _fee(other_b, "30.00")
    _orders(
        side_a,
        # Commission paid: the estimate no longer counts.
        OrderRecord("O1", "S1", "P1", "alpha_one", units=2, gmv=D("100.00"), commission_estimated=D("14.00"),
                    commission_paid=D("15.00"), shop_ads_commission=D("5.00"), ordered_at=_on(2)),
        # Commission only estimated, and one unit refunded.
        OrderRecord("O2", "S1", "P1", "alpha_one", units=1, gmv=D("60.00"), commission_estimated=D("9.00"),
                    refunded_units=1, refund_amount=D("20.00"), ordered_at=_on(10)),
        # Dollars: kept, named, left out of every EUR figure.
        OrderRecord("O3", "S1", "P1", "alpha_one", currency="USD", gmv=D("120.00"),
                    commission_estimated=D("18.00"), ordered_at=_on(10)),
        # Nobody in the workspace has this handle.
        OrderRecord("O4", "S1", "P1", "someone_else", gmv=D("40.00"), commission_estimated=D("6.00"),
                    ordered_at=_on(20)),
        OrderRecord("O5", "S1", "P1", "alpha_two", gmv=D("80.00"), commission_paid=D("12.00"),
                    ordered_at=_on(20)),
    )  # fmt: skip
    _sample(mine, units=2, unit_cost_eur=D("4.00"), shipping_cost_eur=D("5.90"), status="delivered",
            shipped_on=date(2026, 3, 1))  # fmt: skip
    _sample(mine, units=3, unit_cost_eur=D("2.50"), shipping_cost_eur=D("4.10"), status="shipped",
            shipped_on=date(2026, 3, 1))  # fmt: skip
    # Cancelled before it left: costs nothing.
    _sample(mine, units=1, unit_cost_eur=D("10.00"), shipping_cost_eur=D("5.00"), status="cancelled")
    # Sent, but neither the shipment nor a product says what it cost.
    _sample(other, units=1, status="delivered", shipped_on=date(2026, 3, 1))
    return {"mine": mine, "other": other, "other_b": other_b, "campaign_b": campaign_b}


def test_profit_of_a_creator_equals_the_hand_calculation(side_a, shop) -> None:
    # GMV:          100.00 + 60.00                          = 160.00 (the USD line is left out)
    # refunds:       20.00
    # commission:    15.00 paid + 9.00 estimated            =  24.00
    # Shop Ads:       5.00
    # samples:       2 × 4.00 + 5.90 + 3 × 2.50 + 4.10       =  25.50 (the cancelled one costs nothing)
    # flat fee:      50.00
    # net profit:   160.00 − 20.00 − 24.00 − 5.00 − 25.50 − 50.00 = 35.50
    report = profit_report(workspace=side_a.workspace)
    row = next(r for r in report.by_creator if r.creator_id == side_a.creator.pk)
    assert row.label == "Creator alpha"
    assert (row.orders, row.units, row.gmv) == (2, 3, D("160.00"))
    assert (row.refunds, row.refunded_units) == (D("20.00"), 1)
    assert (row.commission_paid, row.commission_estimated, row.commission) == (
        D("15.00"),
        D("9.00"),
        D("24.00"),
    )
    assert row.commission_basis == "mixed" and row.estimated_lines == 1
    assert row.shop_ads_commission == D("5.00")
    assert (row.samples, row.sample_cost, row.samples_cost_unknown) == (2, D("25.50"), 0)
    assert row.flat_fees == D("50.00")
    assert row.net_profit == D("35.50")
    assert [(f.currency, f.lines, f.gmv) for f in row.foreign] == [("USD", 1, D("120.00"))]


def test_a_sample_without_a_known_cost_is_named_and_orders_without_a_creator_go_by_username(
    side_a, shop
) -> None:
    report = profit_report(workspace=side_a.workspace)
    second = next(r for r in report.by_creator if r.creator_id == side_a.other_creator.pk)
    # 80.00 − 12.00 paid commission − 30.00 flat fee in campaign B; the unknown sample adds nothing.
    assert second.net_profit == D("38.00")
    assert (second.samples, second.samples_cost_unknown, second.collaborations) == (1, 1, 2)
    assert second.commission_basis == "paid"
    loose = next(r for r in report.by_creator if r.creator_id is None)
    assert loose.label == "@someone_else"
    assert (loose.net_profit, loose.commission_basis) == (D("34.00"), "estimated")


def test_campaign_rows_sum_their_collaborations_and_everything_adds_up(side_a, shop) -> None:
    report = profit_report(workspace=side_a.workspace)
    campaigns = {r.label: r for r in report.by_campaign}
    # Campaign A: 35.50 (Creator alpha) + 80.00 − 12.00 (Second alpha) = 103.50
    assert campaigns["Campaign alpha"].net_profit == D("103.50")
    assert campaigns["Campaign alpha"].gmv == D("240.00")
    assert campaigns["Campaign B"].net_profit == D("-30.00")
    assert campaigns["Without a campaign"].net_profit == D("34.00")
    assert report.total.net_profit == D("107.50") == sum(r.net_profit for r in report.by_campaign)
    assert report.total.net_profit == sum(r.net_profit for r in report.by_creator)
    collaborations = {r.collaboration_id: r.net_profit for r in report.by_collaboration}
    assert collaborations == {
        shop["mine"].pk: D("35.50"),
        shop["other"].pk: D("68.00"),
        shop["other_b"].pk: D("-30.00"),
    }
    assert [r.label for r in report.by_campaign] == ["Campaign alpha", "Without a campaign", "Campaign B"]
    assert sorted_rows(report.by_campaign, "net_asc")[0].label == "Campaign B"


def test_a_period_keeps_only_its_orders_samples_and_fees(side_a, shop) -> None:
    report = profit_report(workspace=side_a.workspace, period=Period(date(2026, 3, 5), date(2026, 3, 15)))
    row = next(r for r in report.by_creator if r.creator_id == side_a.creator.pk)
    # Only O2 (60.00 − 20.00 refund − 9.00 estimated); the samples went out on 1 March and the fee
    # was agreed when the collaboration started (today), outside the period.
    assert (row.gmv, row.sample_cost, row.flat_fees, row.net_profit) == (D("60.00"), 0, 0, D("31.00"))
    assert [r.creator_id for r in report.by_creator] == [side_a.creator.pk]


def test_the_query_count_does_not_grow_with_the_number_of_creators(side_a) -> None:
    product = _product(side_a, "P9", unit_cost="3.00")
    side_a.campaign.products.add(product)

    def add_creator(n: int) -> None:
        creator = creator_create(
            workspace=side_a.workspace, display_name=f"Many {n}", tiktok_handle=f"many_{n}"
        )
        collaboration = collaboration_create(campaign=side_a.campaign, creator=creator)
        _fee(collaboration, "10.00")
        _sample(collaboration, units=1, product=product, shipping_cost_eur=D("2.00"), status="shipped")
        _orders(side_a, OrderRecord(f"M{n}", "S", "P9", f"many_{n}", gmv=D("50.00"), commission_paid=D("5")))

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            report = profit_report(workspace=side_a.workspace)
        return len(queries), len(report.by_creator)

    add_creator(0)
    one = count()
    for n in range(1, 5):
        add_creator(n)
    five = count()
    assert (one[1], five[1]) == (1, 5)
    assert one[0] == five[0] == 3
    # The product's cost stands in for the shipment's: 50 − 5 − (3.00 + 2.00) − 10 = 30.
    assert {r.net_profit for r in profit_report(workspace=side_a.workspace).by_creator} == {D("30.00")}


def test_past_profit_for_the_fit_score_counts_collaborations_and_orders(side_a, shop) -> None:
    past = past_profit_by_creator(workspace=side_a.workspace)
    assert past[side_a.creator.pk].net_eur == D("35.50")
    assert (past[side_a.other_creator.pk].collaborations, past[side_a.other_creator.pk].orders) == (2, 1)
    assert None not in past


def test_the_chart_draws_gains_right_and_losses_left_of_the_zero_line(side_a, shop) -> None:
    campaign_c = campaign_create(workspace=side_a.workspace, name="Campaign C")
    loser = creator_create(workspace=side_a.workspace, display_name="Loss maker")
    _fee(collaboration_create(campaign=campaign_c, creator=loser), "90.00")
    chart = profit_chart(profit_report(workspace=side_a.workspace).by_creator)
    bars = {bar.label: bar for bar in chart.bars}
    assert list(bars) == ["Second alpha", "Creator alpha", "@someone_else", "Loss maker"]
    assert bars["Loss maker"].positive is False
    assert bars["Loss maker"].x + bars["Loss maker"].width == pytest.approx(chart.zero_x)
    assert bars["Second alpha"].x == pytest.approx(chart.zero_x)
    # Widths are proportional to the amounts: 38.00 against 90.00.
    assert bars["Second alpha"].width / bars["Loss maker"].width == pytest.approx(38 / 90)
    assert len(profit_chart(profit_report(workspace=side_a.workspace).by_creator, limit=2).bars) == 2


def test_another_workspace_sees_none_of_the_figures(side_a, side_b, shop) -> None:
    assert profit_report(workspace=side_b.workspace).empty
    assert past_profit_by_creator(workspace=side_b.workspace) == {}
