"""Repeat-affiliate tiers on a small cast, with the commission rate suggested for each."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from creatordesk.campaigns.models import Collaboration, Product
from creatordesk.campaigns.products import product_create
from creatordesk.campaigns.services import collaboration_create
from creatordesk.creators.models import Creator
from creatordesk.creators.services import creator_create
from creatordesk.performance.services.posts import post_create
from creatordesk.reviews.models import Decision, Submission, Version
from creatordesk.shop import tiers
from creatordesk.shop.models import ShopCollaboration, Source
from creatordesk.shop.records import OrderRecord, orders_write

pytestmark = pytest.mark.django_db

D = Decimal


def _member(side, name: str, handle: str) -> tuple[Creator, Collaboration]:
    creator = creator_create(workspace=side.workspace, display_name=name, tiktok_handle=handle)
    return creator, collaboration_create(campaign=side.campaign, creator=creator)


def _posts(collaboration: Collaboration, count: int) -> None:
    for n in range(count):
        post_create(collaboration=collaboration, platform="tiktok", external_id=f"{collaboration.pk}-{n}")


def _sold(side, handle: str, gmv: str, commission: str = "0") -> None:
    record = OrderRecord(f"O-{handle}", "S", "P1", handle, gmv=D(gmv), commission_paid=D(commission))
    orders_write(workspace=side.workspace, records=[record], source=Source.TIKTOK_API)


def _approved_after(side, collaboration: Collaboration, hours: float) -> None:
    submission = Submission.objects.create(workspace=side.workspace, collaboration=collaboration, title="t")
    version = Version.objects.create(
        workspace=side.workspace, submission=submission, number=1, file="x.mp4", original_name="x.mp4",
        size_bytes=1, duration_s=5, width=720, height=1280, analysis_status="done", outcome="approved",
    )  # fmt: skip
    decision = Decision.objects.create(
        workspace=side.workspace,
        version=version,
        stage_name="Review",
        reviewer=side.reviewer,
        outcome="approved",
    )
    Decision.objects.filter(pk=decision.pk).update(created_at=version.uploaded_at + timedelta(hours=hours))


@pytest.fixture
def cast(side_a):
    product = product_create(workspace=side_a.workspace, name="Serum")
    Product.objects.filter(pk=product.pk).update(shop_product_id="P1")
    side_a.campaign.products.add(product)
    for rate in (1000, 1200):
        ShopCollaboration.objects.create(
            workspace=side_a.workspace, campaign=side_a.campaign, external_id=f"T{rate}", name="t",
            commission_rate_bp=rate,
        )  # fmt: skip
    core, core_c = _member(side_a, "Core creator", "core_one")
    _posts(core_c, 3)
    _sold(side_a, "core_one", "1500.00", "150.00")
    _approved_after(side_a, core_c, 20)
    slow, slow_c = _member(side_a, "Slow creator", "slow_one")
    _posts(slow_c, 4)
    _sold(side_a, "slow_one", "2000.00", "200.00")
    _approved_after(side_a, slow_c, 72)
    thin, thin_c = _member(side_a, "Thin margin", "thin_one")
    _posts(thin_c, 1)
    _sold(side_a, "thin_one", "300.00")
    Collaboration.objects.filter(pk=thin_c.pk).update(flat_fee_eur=D("295.00"))
    trial, trial_c = _member(side_a, "Trial creator", "trial_one")
    _posts(trial_c, 1)
    _sold(side_a, "trial_one", "50.00")
    return {"core": core, "slow": slow, "thin": thin, "trial": trial}


def test_each_creator_lands_in_the_tier_its_record_earns(side_a, cast) -> None:
    table = tiers.creator_tiers(workspace=side_a.workspace)
    by_name = {row.name: row for row in table.rows}
    assert {name: row.tier for name, row in by_name.items()} == {
        "Core creator": tiers.CORE,
        "Slow creator": tiers.RISING,
        "Thin margin": tiers.RISING,
        "Trial creator": tiers.TRIAL,
        # In the campaign from the cast, with nothing posted.
        "Creator alpha": tiers.INACTIVE,
    }
    assert [row.tier for row in table.rows] == ["core", "rising", "rising", "trial", "inactive"]
    assert by_name["Core creator"].median_approval_hours == pytest.approx(20)
    assert "approval takes a median 72 h (Core: 48 h or less)" in by_name["Slow creator"].reason
    assert "Rising needs 200 € GMV" in by_name["Trial creator"].reason
    assert by_name["Creator alpha"].reason == "No posts and no sales yet. The usual rate."
    assert table.count(tiers.RISING) == 2


def test_rates_are_suggested_in_hundredths_of_a_percent_on_the_workspaces_usual_rate(side_a, cast) -> None:
    table = tiers.creator_tiers(workspace=side_a.workspace)
    by_name = {row.name: row for row in table.rows}
    # The median of the target collaborations' 10 % and 12 %.
    assert table.base_rate_bp == 1100
    assert by_name["Core creator"].suggested_rate_bp == 1100 + 500
    assert by_name["Core creator"].suggested_rate_percent == D("16.00")
    assert by_name["Slow creator"].suggested_rate_bp == 1100 + 200
    assert by_name["Trial creator"].suggested_rate_bp == 1100
    assert by_name["Creator alpha"].suggested_rate_bp == 1100
    # 5.00 € net profit on 300.00 € GMV pays for 1.66 points more, not the tier's 2.
    assert by_name["Thin margin"].suggested_rate_bp == 1100 + 166
    assert "net profit so far pays for no more" in by_name["Thin margin"].reason


def test_sales_without_a_recorded_post_make_a_trial_not_an_inactive_creator(side_a, cast) -> None:
    _sold(side_a, side_a.creator.tiktok_handle, "900.00")
    row = next(r for r in tiers.creator_tiers(workspace=side_a.workspace).rows if r.name == "Creator alpha")
    assert row.tier == tiers.TRIAL
    assert row.reason.startswith("0 posts, 900 € GMV; no post recorded; Rising needs one and 200 € GMV.")


def test_without_any_rate_of_the_workspace_the_default_rate_is_the_base(side_b) -> None:
    assert tiers.base_rate(workspace=side_b.workspace) == (
        tiers.DEFAULT_BASE_RATE_BP,
        "no rate of yours known yet",
    )
    table = tiers.creator_tiers(workspace=side_b.workspace)
    assert [(row.name, row.tier, row.suggested_rate_bp) for row in table.rows] == [
        ("Creator beta", tiers.INACTIVE, tiers.DEFAULT_BASE_RATE_BP)
    ]


def test_a_raise_never_leaves_the_range_tiktok_accepts(side_a, cast) -> None:
    ShopCollaboration.objects.filter(workspace=side_a.workspace).update(commission_rate_bp=7900)
    by_name = {row.name: row for row in tiers.creator_tiers(workspace=side_a.workspace).rows}
    assert by_name["Core creator"].suggested_rate_bp == tiers.MAX_RATE_BP
