"""The demo workspace's paid placements: four weeks of daily rows as an Ads Manager export would hold them.

An always-on campaign whose automatic placements began delivering on Threads in its second week, and
an exclusion test run as two campaigns (cell A with Threads, cell B without), with daily results
that vary more than chance alone, as real ones do. Seeded, so every load writes the same rows and a
second load changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np

from creatordesk.accounts.models import Workspace
from creatordesk.placements import services
from creatordesk.placements.exports import PlacementRow
from creatordesk.placements.models import PlacementChoice, Source

ATTRIBUTION = "7d_click,1d_view"
ATTRIBUTION_LABEL = "7-day click or 1-day view"
PURCHASE = "actions:offsite_conversion.fb_pixel_purchase"
# (platform, position, Ads Manager's labels, share of the cell's spend, results per euro, CPM in euro)
PLACEMENTS = [
    ("facebook", "feed", "Facebook", "Feed", 0.30, 0.050, 9.0),
    ("instagram", "feed", "Instagram", "Feed", 0.28, 0.055, 11.0),
    ("instagram", "reels", "Instagram", "Reels", 0.22, 0.045, 7.5),
    ("instagram", "story", "Instagram", "Stories", 0.10, 0.040, 6.0),
    ("threads", "threads_feed", "Threads", "Feed", 0.10, 0.020, 4.0),
]
# (campaign id, name, ad set id, ad set name, ad id, ad name, daily budget, with Threads from day)
CAMPAIGNS = [
    ("910001", "Immer an: Serum", "920001", "Breit DE", "930001", "Serum Reel", 120.0, 9),
    ("910002", "Test A: mit Threads", "920002", "Test A", "930002", "Frühling Reel A", 150.0, 0),
    ("910003", "Test B: ohne Threads", "920003", "Test B", "930003", "Frühling Reel B", 150.0, None),
]


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def demo_rows(*, start: datetime.date, days: int = 28, seed: int = 20260901) -> list[PlacementRow]:
    """Daily rows per ad and placement; the day's results are gamma-Poisson (overdispersed) counts."""
    generator = np.random.default_rng(seed)
    rows: list[PlacementRow] = []
    for campaign_id, campaign, adset_id, adset, ad_id, ad, budget, threads_from in CAMPAIGNS:
        for offset in range(days):
            day = start + datetime.timedelta(days=offset)
            with_threads = threads_from is not None and offset >= threads_from
            placements = [p for p in PLACEMENTS if with_threads or p[0] != "threads"]
            total_share = sum(p[4] for p in placements)
            day_factor = generator.gamma(6.0, 1 / 6.0)  # the day's demand, shared by its placements
            for platform, position, platform_label, placement_label, share, rate, cpm in placements:
                spend = budget * share / total_share * generator.uniform(0.85, 1.15)
                results = int(generator.poisson(spend * rate * day_factor))
                impressions = int(spend / cpm * 1000)
                rows.append(
                    PlacementRow(
                        row=len(rows) + 2,
                        day=day,
                        starts=day,
                        ends=day,
                        publisher_platform=platform,
                        platform_position=position,
                        platform_label=platform_label,
                        placement_label=placement_label,
                        spend=_money(spend),
                        currency="EUR",
                        impressions=impressions,
                        reach=int(impressions * 0.7),
                        link_clicks=int(generator.binomial(impressions, 0.011)),
                        results=Decimal(results),
                        result_indicator=PURCHASE if results else "",
                        cost_per_result=_money(spend / results) if results else None,
                        revenue=_money(results * 39.9),
                        attribution_setting=ATTRIBUTION,
                        attribution_label=ATTRIBUTION_LABEL,
                        campaign_id=campaign_id,
                        campaign_name=campaign,
                        adset_id=adset_id,
                        adset_name=adset,
                        ad_id=ad_id,
                        ad_name=ad,
                    )
                )
    return rows


# Fixed days, so loading the demo again on another day replaces the same rows instead of adding more.
DEMO_START = datetime.date(2026, 9, 1)


def load_placements_demo(*, workspace: Workspace, start: datetime.date = DEMO_START) -> int:
    """Store four weeks of demo rows and what is known of their ad sets; returns the rows written."""
    written = services.records_write(workspace=workspace, rows=demo_rows(start=start), source=Source.EXPORT)
    services.ad_set_setting_save(
        workspace=workspace,
        adset_key="920001",
        placements=PlacementChoice.AUTOMATIC,
        start=start,
        objective="OUTCOME_SALES",
    )
    for key in ("920002", "920003"):
        services.ad_set_setting_save(
            workspace=workspace,
            adset_key=key,
            placements=PlacementChoice.MANUAL,
            start=start,
            objective="OUTCOME_SALES",
        )
    return written.created + written.updated
