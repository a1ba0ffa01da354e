"""The exclusion-test analyser on simulated overdispersed cells: coverage, peeking and the figures it reports."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
from statsmodels.stats.rates import confint_poisson_2indep

from creatordesk.placements.stats import (
    DailyRow,
    always_valid_interval,
    analyse_exclusion_test,
    fit_rate_ratio,
    look_fits,
    weekly_looks,
)

MONDAY = date(2026, 1, 5)


def simulated_cells(
    rng: np.random.Generator, *, days: int, ratio: float, dispersion: float, rate: float = 0.2
) -> tuple[list[DailyRow], list[DailyRow]]:
    """Daily gamma-Poisson results with variance dispersion x mean; cell B's rate is ratio x A's."""
    cells = []
    for cell_rate in (rate, rate * ratio):
        spend = rng.uniform(40, 60, days)
        mean = spend * cell_rate
        shape = mean / (dispersion - 1)
        results = rng.poisson(rng.gamma(shape, mean / shape))
        cells.append(
            [DailyRow(MONDAY + timedelta(days=d), float(spend[d]), float(results[d])) for d in range(days)]
        )
    return cells[0], cells[1]


def test_the_95_percent_intervals_cover_the_true_ratio_in_overdispersed_tests() -> None:
    rng = np.random.default_rng(20261202)
    true_ratio, runs = 1.1, 500
    covered = poisson_covered = 0
    for _ in range(runs):
        cell_a, cell_b = simulated_cells(rng, days=28, ratio=true_ratio, dispersion=2.5)
        covered += fit_rate_ratio(cell_a, cell_b).interval(0.95).contains(true_ratio)
        # The plain Poisson interval on the totals, which ignores the overdispersion.
        low, high = confint_poisson_2indep(
            sum(r.results for r in cell_b),
            sum(r.spend for r in cell_b),
            sum(r.results for r in cell_a),
            sum(r.spend for r in cell_a),
            method="score",
            compare="ratio",
        )
        poisson_covered += low <= true_ratio <= high
    coverage, poisson_coverage = covered / runs, poisson_covered / runs
    print(
        f"coverage of the quasi-Poisson 95 % interval: {coverage:.3f}; plain Poisson: {poisson_coverage:.3f}"
    )
    assert 0.93 <= coverage <= 0.97
    assert poisson_coverage < 0.9


def test_the_always_valid_intervals_keep_their_error_rate_under_weekly_looks() -> None:
    rng = np.random.default_rng(7)
    runs, ever_wrong, naive_ever_wrong = 300, 0, 0
    for _ in range(runs):
        cell_a, cell_b = simulated_cells(rng, days=56, ratio=1.0, dispersion=2.5)
        fits = look_fits(cell_a, cell_b, weekly_looks(cell_a, cell_b))
        assert len(fits) == 8
        ever_wrong += not always_valid_interval(fits, mixture_sd=0.15).contains(1.0)
        naive_ever_wrong += any(not fit.interval(0.95).contains(1.0) for fit in fits)
    error, naive_error = ever_wrong / runs, naive_ever_wrong / runs
    print(
        f"share ever excluding the true ratio over 8 looks: always-valid {error:.3f}, fixed 95 % {naive_error:.3f}"
    )
    assert error <= 0.05 + 0.02
    assert naive_error > 0.1
    assert naive_error > error


def rows(spend: list[float], results: list[float], revenue: list[float] | None = None) -> list[DailyRow]:
    return [
        DailyRow(MONDAY + timedelta(days=d), s, r, None if revenue is None else revenue[d])
        for d, (s, r) in enumerate(zip(spend, results, strict=True))
    ]


CELL_A = rows(
    [100, 120, 90, 110, 100, 95, 105, 100],
    [10, 15, 7, 12, 9, 11, 14, 8],
    [300, 420, 180, 390, 250, 280, 400, 240],
)
CELL_B = rows(
    [100, 110, 95, 105, 100, 100, 100, 90],
    [12, 9, 14, 10, 13, 16, 8, 12],
    [310, 260, 450, 300, 330, 470, 200, 350],
)


def test_the_rate_ratio_is_the_ratio_of_results_per_euro_and_the_cpa_ratio_its_inverse() -> None:
    analysis = analyse_exclusion_test(CELL_A, CELL_B)
    rate_a = sum(r.results for r in CELL_A) / sum(r.spend for r in CELL_A)
    rate_b = sum(r.results for r in CELL_B) / sum(r.spend for r in CELL_B)
    assert analysis.rate_ratio == pytest.approx(rate_b / rate_a, rel=1e-8)
    assert analysis.cpa_ratio == pytest.approx(rate_a / rate_b, rel=1e-8)
    fixed, cpa = analysis.rate_ratio_interval, analysis.cpa_ratio_interval
    assert fixed.low < analysis.rate_ratio < fixed.high
    assert cpa.low == pytest.approx(1 / fixed.high) and cpa.high == pytest.approx(1 / fixed.low)
    assert (analysis.results_a, analysis.results_b, analysis.days) == (86, 94, 8)


def test_the_overdispersion_is_pearsons_chi_square_over_the_residual_degrees_of_freedom() -> None:
    chi_square = 0.0
    for cell in (CELL_A, CELL_B):
        rate = sum(r.results for r in cell) / sum(r.spend for r in cell)
        chi_square += sum((r.results - r.spend * rate) ** 2 / (r.spend * rate) for r in cell)
    fit = fit_rate_ratio(CELL_A, CELL_B)
    expected = chi_square / (len(CELL_A) + len(CELL_B) - 2)
    assert fit.dispersion == pytest.approx(max(1.0, expected), rel=1e-6)
    total_a, total_b = sum(r.results for r in CELL_A), sum(r.results for r in CELL_B)
    assert fit.standard_error == pytest.approx(
        math.sqrt(fit.dispersion * (1 / total_a + 1 / total_b)), rel=1e-6
    )


def test_the_roas_difference_uses_the_day_level_delta_method() -> None:
    roas = analyse_exclusion_test(CELL_A, CELL_B).roas
    assert roas is not None

    def ratio_variance(cell: list[DailyRow]) -> tuple[float, float]:
        revenue = np.array([r.revenue for r in cell], dtype=float)
        spend = np.array([r.spend for r in cell], dtype=float)
        n, mean_r, mean_s = len(cell), revenue.mean(), spend.mean()
        cov = np.cov(revenue, spend)
        relative = (
            cov[0, 0] / (n * mean_r**2) + cov[1, 1] / (n * mean_s**2) - 2 * cov[0, 1] / (n * mean_r * mean_s)
        )
        return mean_r / mean_s, (mean_r / mean_s) ** 2 * relative

    (roas_a, var_a), (roas_b, var_b) = ratio_variance(CELL_A), ratio_variance(CELL_B)
    assert roas.difference == pytest.approx(roas_b - roas_a)
    half = (roas.interval.high - roas.interval.low) / 2
    assert half == pytest.approx(2.3646 * math.sqrt(var_a + var_b), rel=1e-3)  # t with 7 degrees of freedom


def test_cells_without_revenue_report_no_roas() -> None:
    plain = [DailyRow(r.day, r.spend, r.results) for r in CELL_A]
    assert analyse_exclusion_test(plain, CELL_B).roas is None


def test_the_always_valid_interval_is_wider_than_the_fixed_one_and_holds_it() -> None:
    analysis = analyse_exclusion_test(CELL_A, CELL_B)
    fixed, sequential = analysis.rate_ratio_interval, analysis.sequential_interval
    assert sequential.low < fixed.low and fixed.high < sequential.high
    assert analysis.looks == 2


def test_non_inferiority_is_shown_refuted_or_left_open() -> None:
    rng = np.random.default_rng(3)
    equal = simulated_cells(rng, days=28, ratio=1.0, dispersion=2.0, rate=2.0)
    worse = simulated_cells(rng, days=28, ratio=0.7, dispersion=2.0, rate=2.0)
    small = simulated_cells(rng, days=14, ratio=1.0, dispersion=2.0, rate=0.02)
    verdicts = [analyse_exclusion_test(*cells, margin=0.1).non_inferiority for cells in (equal, worse, small)]
    assert [check.verdict for check in verdicts if check] == ["non_inferior", "inferior", "inconclusive"]
    assert all(check and check.margin == 0.1 for check in verdicts)


def test_the_summary_gives_every_difference_with_its_interval_and_never_says_significant() -> None:
    rng = np.random.default_rng(11)
    lower, higher = (
        simulated_cells(rng, days=28, ratio=ratio, dispersion=2.0, rate=1.0) for ratio in (0.7, 1.3)
    )
    cases = {
        "b_fewer_results_per_euro": lower,
        "no_difference_shown": (CELL_A, CELL_A),
        "b_more_results_per_euro": higher,
    }
    for finding, cells in cases.items():
        summary = analyse_exclusion_test(*cells, margin=0.1).summary()
        assert summary["finding"] == finding
        assert "signific" not in repr(summary).lower()
        interval = summary["rate_ratio_interval"]
        assert isinstance(interval, list)
        low, high = interval
        assert f"{(low - 1) * 100:+.1f} %" in str(summary["headline"])
        assert f"{(high - 1) * 100:+.1f} %" in str(summary["headline"])


def test_days_without_spend_are_left_out_and_cells_without_results_refused() -> None:
    idle = [*CELL_A, DailyRow(MONDAY + timedelta(days=8), 0.0, 0.0)]
    assert fit_rate_ratio(idle, CELL_B) == fit_rate_ratio(CELL_A, CELL_B)
    with pytest.raises(ValueError, match="at least one result"):
        fit_rate_ratio([DailyRow(r.day, r.spend, 0.0) for r in CELL_A], CELL_B)


def test_day_effects_take_one_degree_of_freedom_per_day_beyond_the_first() -> None:
    with_days = fit_rate_ratio(CELL_A, CELL_B, day_effects=True)
    without = fit_rate_ratio(CELL_A, CELL_B)
    assert (with_days.df_resid, without.df_resid) == (7, 14)
    # Equal spend in both cells on most days leaves the ratio nearly where the totals put it.
    assert with_days.log_ratio == pytest.approx(without.log_ratio, abs=0.02)
    assert with_days.log_ratio != without.log_ratio
