"""The exclusion-test planner against statsmodels' power functions and the effect ceiling."""

from __future__ import annotations

import math
from datetime import date

import pytest
from scipy.optimize import brentq
from statsmodels.stats.rates import power_poisson_ratio_2indep

from creatordesk.placements.stats import (
    ExclusionTestInputs,
    PowerSettings,
    detectable_difference,
    effect_ceiling,
    fixed_power,
    money_at_stake_per_month,
    non_inferiority_margin,
    plan_exclusion_test,
    relative_change,
    results_needed,
)

MONDAY = date(2026, 1, 5)


def statsmodels_power(results_a: float, difference: float, settings: PowerSettings) -> float:
    """Zhu and Lakkis power of B against A with cell A's rate as the unit, so nobs1 = results in A."""
    alternative = "two-sided" if settings.alternative == "two-sided" else "larger"
    return float(
        power_poisson_ratio_2indep(
            rate1=1 + difference,
            rate2=1.0,
            nobs1=results_a,
            value=1.0,
            alpha=settings.alpha,
            dispersion=settings.dispersion,
            alternative=alternative,
            return_results=False,
        )
    )


RATES = [
    PowerSettings(),
    PowerSettings(dispersion=2.0),
    PowerSettings(dispersion=3.0, alpha=0.1, power=0.9, alternative="one-sided"),
]


@pytest.mark.parametrize("rates", RATES)
@pytest.mark.parametrize("results_a", [150.0, 1_000.0, 20_000.0])
def test_the_detectable_difference_agrees_with_statsmodels_poisson_ratio_power(
    rates: PowerSettings, results_a: float
) -> None:
    planned = detectable_difference(results_a, rates)
    by_statsmodels = brentq(lambda m: statsmodels_power(results_a, m, rates) - rates.power, 1e-6, 50)
    assert planned == pytest.approx(by_statsmodels, rel=0.02)
    assert statsmodels_power(results_a, planned, rates) == pytest.approx(rates.power, rel=0.02)


@pytest.mark.parametrize("rates", RATES)
@pytest.mark.parametrize("difference", [0.05, 0.1, 0.2])
def test_the_results_needed_agree_with_statsmodels_sample_sizes(
    rates: PowerSettings, difference: float
) -> None:
    planned = results_needed(difference, rates)
    by_statsmodels = math.exp(
        brentq(lambda n: statsmodels_power(math.exp(n), difference, rates) - rates.power, 0, 20)
    )
    assert planned == pytest.approx(by_statsmodels, rel=0.02)


def test_overdispersion_multiplies_the_results_needed_by_phi() -> None:
    poisson = results_needed(0.1, PowerSettings())
    assert results_needed(0.1, PowerSettings(dispersion=2.0)) == pytest.approx(2 * poisson, rel=1e-6)
    # The research notes' equal-count approximation asks 1,728 results for 10 %; B's extra results lower it.
    assert 1_600 < poisson < 1_728


def test_the_effect_ceiling_is_the_share_over_the_rest() -> None:
    assert effect_ceiling(0.0) == 0.0
    assert effect_ceiling(0.1) == pytest.approx(1 / 9)
    assert effect_ceiling(0.05) == pytest.approx(0.0526, abs=5e-5)
    assert effect_ceiling(0.5) == pytest.approx(1.0)


def test_no_cost_ratio_moves_results_beyond_the_ceiling() -> None:
    # Section 2.6's table: 10 % share at k = 1.5, 2 and 3.
    assert [round(relative_change(0.1, k), 4) for k in (1.5, 2, 3)] == [0.0345, 0.0526, 0.0714]
    assert relative_change(0.1, math.inf) == effect_ceiling(0.1)
    assert relative_change(0.1, 1.0) == 0.0
    assert all(relative_change(0.1, k) < effect_ceiling(0.1) for k in (1.01, 10, 1e6))


@pytest.mark.parametrize("share", [1.0, 1.5, -0.01, math.nan])
def test_a_share_outside_zero_to_below_one_is_refused(share: float) -> None:
    with pytest.raises(ValueError, match="share"):
        effect_ceiling(share)


def test_money_at_stake_is_the_share_of_a_months_spend_times_the_wasted_part() -> None:
    assert money_at_stake_per_month(0.05, 1_000) == pytest.approx(0.05 * 1_000 * 365.25 / 12)
    assert money_at_stake_per_month(0.05, 1_000, worst_cpa_ratio=2) == pytest.approx(
        0.025 * 1_000 * 365.25 / 12
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"weeks": 1},
        {"daily_budget": 0},
        {"results_per_euro": -0.1},
        {"placement_share": 1.0},
        {"target_difference": -0.1},
    ],
)
def test_impossible_plans_are_refused(bad: dict[str, object]) -> None:
    fields: dict[str, object] = {
        "daily_budget": 500,
        "weeks": 4,
        "results_per_euro": 0.05,
        "placement_share": 0.1,
    }
    with pytest.raises(ValueError):
        ExclusionTestInputs(**(fields | bad))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad", [{"dispersion": 0.8}, {"alpha": 0.0}, {"power": 1.0}, {"alternative": "larger"}]
)
def test_impossible_error_rates_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        PowerSettings(**bad)  # type: ignore[arg-type]


def test_a_large_test_on_a_big_share_is_worth_running_with_weekly_looks_and_a_margin() -> None:
    inputs = ExclusionTestInputs.from_cpa(
        cpa=10.0, daily_budget=3_000.0, weeks=4, placement_share=0.12, settings=PowerSettings(dispersion=2.0)
    )
    plan = plan_exclusion_test(inputs, start=MONDAY)
    assert plan.results_per_cell == pytest.approx(1_500 / 10 * 28)
    assert plan.detectable_fixed < plan.effect_ceiling == pytest.approx(0.12 / 0.88)
    assert plan.verdict.worth_testing
    assert plan.verdict.look_dates == tuple(date(2026, m, d) for m, d in ((1, 12), (1, 19), (1, 26), (2, 2)))
    assert plan.verdict.money_at_stake_per_month == pytest.approx(0.12 * 3_000 * 365.25 / 12)
    assert plan.test_spend == 3_000 * 28
    assert plan.worst_case_waste == pytest.approx(0.12 * 1_500 * 28)
    margin = plan.verdict.non_inferiority_margin
    assert margin is not None and 0 < margin < plan.effect_ceiling


def test_a_small_share_on_a_small_budget_is_left_to_policy() -> None:
    inputs = ExclusionTestInputs(daily_budget=200.0, weeks=4, results_per_euro=1 / 25, placement_share=0.03)
    plan = plan_exclusion_test(inputs, start=MONDAY)
    assert plan.detectable_fixed > plan.effect_ceiling
    assert plan.verdict.code == "decide_by_policy"
    assert not plan.verdict.worth_testing
    assert plan.verdict.look_dates == ()
    assert plan.verdict.non_inferiority_margin is None
    assert plan.verdict.money_at_stake_per_month == pytest.approx(0.03 * 200 * 365.25 / 12)


def test_a_budget_that_buys_almost_no_results_detects_nothing() -> None:
    inputs = ExclusionTestInputs(daily_budget=1.0, weeks=2, results_per_euro=1e-4, placement_share=0.2)
    plan = plan_exclusion_test(inputs, start=MONDAY)
    assert math.isinf(plan.detectable_fixed) and math.isinf(plan.detectable_sequential)
    assert plan.verdict.code == "decide_by_policy"


def test_looking_at_any_time_costs_detectable_difference_and_weeks() -> None:
    inputs = ExclusionTestInputs(
        daily_budget=1_000.0, weeks=6, results_per_euro=0.1, placement_share=0.1, target_difference=0.1
    )
    plan = plan_exclusion_test(inputs, start=MONDAY)
    assert plan.detectable_sequential > plan.detectable_fixed
    assert plan.mixture_sd == pytest.approx(math.log1p(plan.detectable_fixed))
    requirement = plan.requirement
    assert requirement is not None
    assert requirement.results_per_cell_sequential > requirement.results_per_cell
    assert requirement.weeks_sequential > requirement.weeks_fixed


def test_the_weeks_needed_for_a_target_are_the_fewest_that_reach_the_power() -> None:
    settings = PowerSettings(dispersion=2.5)
    inputs = ExclusionTestInputs(
        daily_budget=400.0,
        weeks=2,
        results_per_euro=0.2,
        placement_share=0.1,
        settings=settings,
        target_difference=0.1,
    )
    requirement = plan_exclusion_test(inputs, start=MONDAY).requirement
    assert requirement is not None
    per_week = inputs.results_per_cell_per_day * 7
    assert fixed_power(per_week * requirement.weeks_fixed, 0.1, settings) >= 0.8
    assert fixed_power(per_week * (requirement.weeks_fixed - 1), 0.1, settings) < 0.8


def test_the_suggested_margin_is_the_smallest_whole_percent_statsmodels_finds_with_the_power() -> None:
    settings = PowerSettings(dispersion=2.0)
    results_a = 4_000.0
    margin = non_inferiority_margin(results_a, settings)

    def power(delta: float) -> float:
        return float(
            power_poisson_ratio_2indep(
                1.0,
                1.0,
                results_a,
                value=1 - delta,
                dispersion=2.0,
                alternative="larger",
                return_results=False,
            )
        )

    assert power(margin) >= 0.8
    assert power(margin - 0.01) < 0.8
