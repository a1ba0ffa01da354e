"""Per-placement intervals on simulated overdispersed days, against statsmodels, and on the fixture export."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm
from scipy.stats import t as student_t
from statsmodels.stats.rates import confint_poisson

from creatordesk.placements.audit import DailyFigures, Interval, IntervalEstimator, Totals, audit
from creatordesk.placements.exports import read_export
from creatordesk.placements.stats.rates import placement_intervals

ENGLISH = Path(__file__).parent / "fixtures" / "ads_manager_placements_en.csv"
FIRST_DAY = date(2026, 9, 1)
METRICS = ("cpm", "link_ctr", "cpa", "roas")
TRUE_CPA, TRUE_CPM, TRUE_CTR, TRUE_ORDER_VALUE = 20.0, 9.0, 0.012, 50.0


def _gamma_poisson(rng: np.random.Generator, mean: np.ndarray, dispersion: float) -> np.ndarray:
    """Counts with variance dispersion x mean around `mean`."""
    shape = mean / (dispersion - 1)
    return rng.poisson(rng.gamma(shape, mean / shape))


def simulated_days(
    rng: np.random.Generator,
    *,
    days: int = 14,
    dispersion: float = 3.0,
    impression_dispersion: float = 200.0,
    click_concentration: float = 2000.0,
) -> list[DailyFigures]:
    """Overdispersed daily results and impressions, beta-binomial clicks, gamma-distributed order values."""
    spend = np.round(rng.uniform(40, 60, days), 2)
    results = _gamma_poisson(rng, spend / TRUE_CPA, dispersion)
    impressions = _gamma_poisson(rng, spend * 1000 / TRUE_CPM, impression_dispersion)
    shares = rng.beta(TRUE_CTR * click_concentration, (1 - TRUE_CTR) * click_concentration, days)
    clicks = rng.binomial(impressions, shares)
    return [
        DailyFigures(
            day=FIRST_DAY + timedelta(days=d),
            spend=Decimal(f"{spend[d]:.2f}"),
            impressions=int(impressions[d]),
            link_clicks=int(clicks[d]),
            results=Decimal(int(results[d])),
            revenue=Decimal(f"{rng.gamma(2.0, TRUE_ORDER_VALUE / 2, int(results[d])).sum():.2f}"),
        )
        for d in range(days)
    ]


def _totals(daily: list[DailyFigures]) -> Totals:
    return Totals(
        spend=sum((d.spend for d in daily), Decimal(0)),
        impressions=sum(d.impressions for d in daily),
        link_clicks=sum(d.link_clicks for d in daily),
        results=sum((d.results for d in daily), Decimal(0)),
        revenue=sum((d.revenue for d in daily), Decimal(0)),
    )


def _day(offset: int, spend: str, results: int = 0, **figures: int | Decimal) -> DailyFigures:
    values: dict[str, int | Decimal] = {"impressions": 1000, "link_clicks": 10, "revenue": Decimal(0)}
    values.update(figures)
    return DailyFigures(
        day=FIRST_DAY + timedelta(days=offset),
        spend=Decimal(spend),
        impressions=int(values["impressions"]),
        link_clicks=int(values["link_clicks"]),
        results=Decimal(results),
        revenue=Decimal(values["revenue"]),
    )


def _contains(interval: Interval | None, value: Decimal | float | None) -> bool:
    assert interval is not None and value is not None
    return interval.low <= Decimal(value) <= interval.high


def _coverage(runs: int, metric: str, truth: float, seed: int) -> float:
    rng = np.random.default_rng(seed)
    return sum(_contains(placement_intervals(metric, simulated_days(rng)), truth) for _ in range(runs)) / runs


def test_each_metrics_interval_contains_the_figure_from_the_totals_of_the_same_days() -> None:
    daily = simulated_days(np.random.default_rng(7))
    totals = _totals(daily)
    for metric in METRICS:
        interval = placement_intervals(metric, daily)
        assert _contains(interval, getattr(totals, metric)), metric
        assert interval is not None and "14 days" in interval.method and "95 %" in interval.method
        wide = placement_intervals(metric, daily, level=0.99)
        assert wide is not None and wide.low <= interval.low and interval.high <= wide.high
    # Totals.link_ctr is a fraction, and so are the interval's bounds.
    ctr = placement_intervals("link_ctr", daily)
    assert ctr is not None and Decimal("0.005") < ctr.low < ctr.high < Decimal("0.03")


def test_the_cpa_interval_is_wider_than_a_plain_poisson_interval_when_days_vary() -> None:
    daily = simulated_days(np.random.default_rng(11), dispersion=4.0)
    totals = _totals(daily)
    interval = placement_intervals("cpa", daily)
    assert interval is not None
    rate_low, rate_high = confint_poisson(float(totals.results or 0), float(totals.spend), method="exact-c")
    plain = math.log(rate_high / rate_low)
    assert math.log(interval.high / interval.low) > 1.4 * plain
    dispersion = float(interval.method.split("dispersion ")[1].split(" ")[0])
    assert dispersion > 2


def test_the_95_percent_cpa_interval_covers_the_true_cpa_in_overdispersed_simulations() -> None:
    rng = np.random.default_rng(20260901)
    runs, covered, plain_covered = 300, 0, 0
    for _ in range(runs):
        daily = simulated_days(rng)
        covered += _contains(placement_intervals("cpa", daily), TRUE_CPA)
        totals = _totals(daily)
        low, high = confint_poisson(float(totals.results or 0), float(totals.spend), method="exact-c")
        plain_covered += low <= 1 / TRUE_CPA <= high
    coverage, plain_coverage = covered / runs, plain_covered / runs
    print(f"CPA coverage, quasi-Poisson: {coverage:.3f}; plain Poisson: {plain_coverage:.3f}")
    assert 0.92 <= coverage <= 0.98
    # Dispersion 3 shrinks a Poisson interval to about 1/sqrt(3) of the width it needs.
    assert plain_coverage < 0.85


def test_the_cpm_link_ctr_and_roas_intervals_cover_the_true_figures_in_overdispersed_simulations() -> None:
    cpm, ctr = _coverage(200, "cpm", TRUE_CPM, 31), _coverage(200, "link_ctr", TRUE_CTR, 32)
    roas = _coverage(200, "roas", TRUE_ORDER_VALUE / TRUE_CPA, 33)
    print(f"coverage of CPM: {cpm:.3f}; link CTR: {ctr:.3f}; ROAS: {roas:.3f}")
    for coverage in (cpm, ctr, roas):
        assert 0.9 <= coverage <= 0.99


def test_there_is_no_interval_without_two_days_with_spend_results_or_revenue() -> None:
    one_day = [_day(0, "50", 3, revenue=Decimal(90))]
    assert all(placement_intervals(metric, one_day) is None for metric in METRICS)
    # A second row on a day without spend or impressions gives no second day to measure spread on.
    idle = [*one_day, _day(1, "0", 0, impressions=0, link_clicks=0)]
    assert all(placement_intervals(metric, idle) is None for metric in METRICS)
    no_results = [_day(0, "50"), _day(1, "60")]
    assert placement_intervals("cpa", no_results) is None  # no result, so no CPA exists
    assert placement_intervals("roas", no_results) is None  # no revenue
    assert placement_intervals("cpm", no_results) is not None
    assert (
        placement_intervals("link_ctr", [_day(0, "50", link_clicks=0), _day(1, "60", link_clicks=0)]) is None
    )
    assert placement_intervals("cpc", no_results) is None
    with pytest.raises(ValueError):
        placement_intervals("cpa", no_results, level=95)


def test_the_cpa_interval_is_statsmodels_quasi_poisson_glm_with_a_t_quantile() -> None:
    daily = simulated_days(np.random.default_rng(3), days=10)
    spend = np.array([float(d.spend) for d in daily])
    results = np.array([float(d.results) for d in daily])
    fit = sm.GLM(results, np.ones((10, 1)), family=sm.families.Poisson(), offset=np.log(spend)).fit(
        scale="X2"
    )
    assert fit.scale > 1
    spread = float(student_t.isf(0.025, 9)) * float(fit.bse[0])
    low, high = math.exp(-fit.params[0] - spread), math.exp(-fit.params[0] + spread)
    interval = placement_intervals("cpa", daily)
    assert interval is not None
    # Money keeps its cents and rounds outwards, so the exact bounds lie within a cent inside.
    assert interval.low <= Decimal(low) < interval.low + Decimal("0.01")
    assert interval.high - Decimal("0.01") < Decimal(high) <= interval.high
    assert interval.low.as_tuple().exponent == -2
    assert f"dispersion {fit.scale:.1f} from 10 days" in interval.method


def test_days_steadier_than_poisson_get_the_plain_poisson_interval() -> None:
    daily = [_day(0, "10", 1), _day(1, "20", 2), _day(2, "30", 3)]
    interval = placement_intervals("cpa", daily)
    assert interval is not None
    # 6 results for 60 euros: CPA 10, log-scale standard error 1/sqrt(6), t on 2 df.
    spread = float(student_t.isf(0.025, 2)) / math.sqrt(6)
    assert float(interval.low) == pytest.approx(10 * math.exp(-spread), abs=0.01)
    assert float(interval.high) == pytest.approx(10 * math.exp(spread), abs=0.01)
    assert "dispersion 1.0 (Poisson floor) from 3 days" in interval.method


def test_the_link_ctr_interval_is_statsmodels_quasi_binomial_glm_on_the_logit() -> None:
    daily = simulated_days(np.random.default_rng(5), days=12)
    clicks = np.array([d.link_clicks for d in daily], dtype=float)
    impressions = np.array([d.impressions for d in daily], dtype=float)
    fit = sm.GLM(
        clicks / impressions, np.ones((12, 1)), family=sm.families.Binomial(), var_weights=impressions
    ).fit(scale="X2")
    spread = float(student_t.isf(0.025, 11)) * float(fit.bse[0]) * math.sqrt(max(1.0, fit.scale) / fit.scale)
    low, high = (1 / (1 + math.exp(-(fit.params[0] + sign * spread))) for sign in (-1, 1))
    interval = placement_intervals("link_ctr", daily)
    assert interval is not None
    assert float(interval.low) == pytest.approx(low, rel=1e-3) and interval.low <= Decimal(low)
    assert float(interval.high) == pytest.approx(high, rel=1e-3) and interval.high >= Decimal(high)


def test_the_roas_interval_uses_the_day_level_delta_method_of_a_ratio_of_means() -> None:
    daily = simulated_days(np.random.default_rng(9), days=21)
    revenue = np.array([float(d.revenue) for d in daily])
    spend = np.array([float(d.spend) for d in daily])
    n, roas = 21, revenue.mean() / spend.mean()
    covariance = np.cov(revenue, spend, ddof=1)
    # The Eppo/GrowthBook ratio-metric variance (research notes placements.md §2.4 (c)).
    variance = roas**2 * (
        covariance[0, 0] / (n * revenue.mean() ** 2)
        + covariance[1, 1] / (n * spend.mean() ** 2)
        - 2 * covariance[0, 1] / (n * revenue.mean() * spend.mean())
    )
    # The interval is taken on log ROAS, whose delta-method standard error is se / ROAS.
    spread = float(student_t.isf(0.025, n - 1)) * math.sqrt(variance) / roas
    interval = placement_intervals("roas", daily)
    assert interval is not None
    assert float(interval.low) == pytest.approx(roas * math.exp(-spread), rel=1e-3)
    assert float(interval.high) == pytest.approx(roas * math.exp(spread), rel=1e-3)
    assert interval.method.startswith("ratio of sums, delta-method variance from 21 days")


def test_the_audit_of_the_fixture_export_fills_every_placements_intervals_around_its_figures() -> None:
    estimator: IntervalEstimator = placement_intervals
    result = audit(read_export(ENGLISH).rows, intervals=estimator)
    seen: set[str] = set()
    for scope in (*result.accounts, *result.campaigns, *result.ad_sets):
        for placement in scope.placements:
            totals = placement.totals
            expected = {metric for metric in METRICS if getattr(totals, metric)}
            assert set(placement.intervals) == expected, (scope.key, placement.placement)
            for metric in expected:
                assert _contains(placement.intervals[metric], getattr(totals, metric)), metric
            seen |= expected
    assert seen == set(METRICS)
    threads = result.scope("ad_set", "230003").placement("threads", "threads_feed")
    assert threads is not None and set(threads.intervals) == {"cpm", "link_ctr", "cpa"}
