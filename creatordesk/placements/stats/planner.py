"""Plan a placement-exclusion test: what it can detect with the budget, how long it needs, whether to run it.

Results per cell are quasi-Poisson counts with mean spend x rate and variance phi x mean; the test is the
z-test of the log rate ratio with Var = phi (1/C_A + 1/C_B) under the alternative (Zhu and Lakkis 2014,
Statistics in Medicine 33(3), as in statsmodels' `power_poisson_ratio_2indep`). The sequential design is the
normal-mixture SPRT the analyser uses, judged at the planned end only, so its power is a lower bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from scipy.optimize import brentq
from scipy.stats import norm

from creatordesk.placements.stats.ceiling import effect_ceiling, money_at_stake_per_month
from creatordesk.placements.stats.sequential import always_valid_half_width

Alternative = Literal["two-sided", "one-sided"]
VerdictCode = Literal["worth_testing", "decide_by_policy"]

# Fewer than two weeks would let the weekday cycle decide the result (research notes, section 2.3).
MIN_WEEKS = 2
# Searches stop here: a test needing more than a thousand times the results detects nothing useful.
_LARGEST_DIFFERENCE = 1000.0


@dataclass(frozen=True)
class PowerSettings:
    """Error rates of the test and the overdispersion of daily results (phi >= 1, estimated from daily rows)."""

    dispersion: float = 1.0
    alpha: float = 0.05
    power: float = 0.8
    alternative: Alternative = "two-sided"

    def __post_init__(self) -> None:
        if not self.dispersion >= 1:
            raise ValueError(f"overdispersion must be at least 1, got {self.dispersion!r}")
        if not 0 < self.alpha < 0.5:
            raise ValueError(f"alpha must lie between 0 and 0.5, got {self.alpha!r}")
        if not 0.5 <= self.power < 1:
            raise ValueError(f"power must lie between 0.5 and 1, got {self.power!r}")
        if self.alternative not in ("two-sided", "one-sided"):
            raise ValueError(f"the alternative is two-sided or one-sided, got {self.alternative!r}")


@dataclass(frozen=True)
class ExclusionTestInputs:
    """An exclusion test: cell A keeps the placement, cell B excludes it, the daily budget split equally."""

    daily_budget: float
    weeks: int
    results_per_euro: float
    placement_share: float
    settings: PowerSettings = PowerSettings()
    target_difference: float | None = None
    worst_cpa_ratio: float = math.inf

    def __post_init__(self) -> None:
        if self.daily_budget <= 0 or self.results_per_euro <= 0:
            raise ValueError("the daily budget and the results per euro must be positive")
        if self.weeks < MIN_WEEKS:
            raise ValueError(f"a test runs at least {MIN_WEEKS} whole weeks, got {self.weeks!r}")
        if self.target_difference is not None and self.target_difference <= 0:
            raise ValueError(f"a target difference must be positive, got {self.target_difference!r}")
        effect_ceiling(self.placement_share)

    @classmethod
    def from_cpa(
        cls,
        *,
        cpa: float,
        daily_budget: float,
        weeks: int,
        placement_share: float,
        settings: PowerSettings = PowerSettings(),
        target_difference: float | None = None,
    ) -> ExclusionTestInputs:
        """The same inputs from a baseline cost per result instead of results per euro."""
        if cpa <= 0:
            raise ValueError(f"a cost per result must be positive, got {cpa!r}")
        return cls(daily_budget, weeks, 1.0 / cpa, placement_share, settings, target_difference)

    @property
    def results_per_cell_per_day(self) -> float:
        return self.daily_budget / 2 * self.results_per_euro


@dataclass(frozen=True)
class Requirement:
    """What a target relative difference needs: results in cell A and whole weeks, fixed and sequential."""

    difference: float
    results_per_cell: float
    results_per_cell_sequential: float
    weeks_fixed: int
    weeks_sequential: int


@dataclass(frozen=True)
class Verdict:
    """Run the test, or decide by policy because the budget cannot see an effect as large as the ceiling."""

    code: VerdictCode
    money_at_stake_per_month: float
    look_dates: tuple[date, ...] = ()
    non_inferiority_margin: float | None = None

    @property
    def worth_testing(self) -> bool:
        return self.code == "worth_testing"


@dataclass(frozen=True)
class ExclusionTestPlan:
    """Detectable differences side by side, the cost of the test and the verdict."""

    inputs: ExclusionTestInputs
    effect_ceiling: float
    results_per_cell: float
    detectable_fixed: float
    detectable_sequential: float
    mixture_sd: float
    test_spend: float
    worst_case_waste: float
    requirement: Requirement | None
    verdict: Verdict


def _critical(settings: PowerSettings) -> float:
    tail = settings.alpha / 2 if settings.alternative == "two-sided" else settings.alpha
    return float(norm.isf(tail))


def _variance(results_a: float, difference: float, dispersion: float) -> float:
    return dispersion * (1.0 / results_a + 1.0 / (results_a * (1.0 + difference)))


def fixed_power(results_a: float, difference: float, settings: PowerSettings) -> float:
    """Power of the fixed-horizon log-rate-ratio z-test when cell B's rate is (1 + difference) x A's."""
    sd = math.sqrt(_variance(results_a, difference, settings.dispersion))
    shift = math.log1p(difference) / sd
    crit = _critical(settings)
    power = float(norm.sf(crit - shift))
    if settings.alternative == "two-sided":
        power += float(norm.cdf(-crit - shift))
    return power


def sequential_power(
    results_a: float, difference: float, settings: PowerSettings, mixture_sd: float
) -> float:
    """Chance that the always-valid interval excludes no difference at the planned end (a lower bound)."""
    variance = _variance(results_a, difference, settings.dispersion)
    sd = math.sqrt(variance)
    # The mixture interval is two-sided; at level alpha each of its sides errs less than alpha.
    half_width = always_valid_half_width(variance, mixture_sd, settings.alpha)
    shift = math.log1p(difference)
    return float(norm.sf((half_width - shift) / sd) + norm.cdf((-half_width - shift) / sd))


def detectable_difference(
    results_a: float, settings: PowerSettings, mixture_sd: float | None = None
) -> float:
    """Smallest relative rise in B's results per euro found with the planned power (fixed, or mSPRT if tau)."""
    if results_a <= 0:
        raise ValueError(f"expected results must be positive, got {results_a!r}")

    def gap(difference: float) -> float:
        if mixture_sd is None:
            return fixed_power(results_a, difference, settings) - settings.power
        return sequential_power(results_a, difference, settings, mixture_sd) - settings.power

    if gap(_LARGEST_DIFFERENCE) < 0:
        return math.inf
    return float(brentq(gap, 1e-9, _LARGEST_DIFFERENCE, xtol=1e-10, rtol=1e-10))


def results_needed(difference: float, settings: PowerSettings, mixture_sd: float | None = None) -> float:
    """Results cell A must collect so a relative difference is found with the planned power."""
    if difference <= 0:
        raise ValueError(f"a difference must be positive, got {difference!r}")

    def gap(log_results: float) -> float:
        results = math.exp(log_results)
        if mixture_sd is None:
            return fixed_power(results, difference, settings) - settings.power
        return sequential_power(results, difference, settings, mixture_sd) - settings.power

    return math.exp(float(brentq(gap, math.log(1e-3), math.log(1e12), xtol=1e-12)))


def _weeks_for(results: float, per_day: float) -> int:
    return max(MIN_WEEKS, math.ceil(results / per_day / 7))


def _requirement(inputs: ExclusionTestInputs) -> Requirement | None:
    if inputs.target_difference is None:
        return None
    target = inputs.target_difference
    fixed = results_needed(target, inputs.settings)
    sequential = results_needed(target, inputs.settings, mixture_sd=math.log1p(target))
    per_day = inputs.results_per_cell_per_day
    return Requirement(target, fixed, sequential, _weeks_for(fixed, per_day), _weeks_for(sequential, per_day))


def non_inferiority_margin(results_a: float, settings: PowerSettings) -> float:
    """Smallest margin delta for which equal cells show "B no worse than A by delta" with the planned power.

    One-sided test at alpha of ratio B/A >= 1 - delta, equivalently the two-sided 1 - 2 alpha interval's lower
    end against the margin (Eppo's non-inferiority guidance); rounded up to a whole percent.
    """
    sd = math.sqrt(2 * settings.dispersion / results_a)
    log_margin = (norm.isf(settings.alpha) + norm.ppf(settings.power)) * sd
    return math.ceil(-math.expm1(-log_margin) * 100) / 100


def plan_exclusion_test(inputs: ExclusionTestInputs, *, start: date) -> ExclusionTestPlan:
    """Detectable differences, requirement, cost and verdict of an exclusion test starting on `start`."""
    days = inputs.weeks * 7
    results_a = inputs.results_per_cell_per_day * days
    ceiling = effect_ceiling(inputs.placement_share)
    fixed = detectable_difference(results_a, inputs.settings)
    # Tuning the mixture to the planned effect keeps the interval tightest where the decision is made
    # (Johari et al. 2017, section 4.3).
    mixture_sd = math.log1p(fixed)
    sequential = (
        math.inf
        if math.isinf(fixed)
        else detectable_difference(results_a, inputs.settings, mixture_sd=mixture_sd)
    )
    at_stake = money_at_stake_per_month(inputs.placement_share, inputs.daily_budget, inputs.worst_cpa_ratio)
    if fixed <= ceiling:
        looks = tuple(start + timedelta(weeks=week) for week in range(1, inputs.weeks + 1))
        margin = non_inferiority_margin(results_a, inputs.settings)
        verdict = Verdict("worth_testing", at_stake, looks, margin)
    else:
        verdict = Verdict("decide_by_policy", at_stake)
    cell_spend = inputs.daily_budget / 2 * days
    return ExclusionTestPlan(
        inputs=inputs,
        effect_ceiling=ceiling,
        results_per_cell=results_a,
        detectable_fixed=fixed,
        detectable_sequential=sequential,
        mixture_sd=mixture_sd,
        test_spend=inputs.daily_budget * days,
        # If the placement converts nothing, its share of cell A's spend buys no results.
        worst_case_waste=inputs.placement_share * cell_spend,
        requirement=_requirement(inputs),
        verdict=verdict,
    )
