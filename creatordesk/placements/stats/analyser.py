"""Analyse an exclusion test from the two cells' daily rows: rate and CPA ratio, ROAS, non-inferiority.

The rate ratio comes from a quasi-Poisson GLM with a log(spend) offset and a cell indicator, its scale
estimated by Pearson chi^2 (McCullagh and Nelder 1989, section 4.5; statsmodels GLM with scale="X2"),
with t intervals on the residual degrees of freedom. The always-valid interval is the mSPRT on the GLM's
estimate and standard error at every look, intersected over looks (Johari et al. 2017; Howard et al. 2021).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np
from scipy.stats import t as student_t

from creatordesk.placements.stats.sequential import always_valid_half_width

NonInferiorityVerdict = Literal["non_inferior", "inferior", "inconclusive"]

# The mixture's spread on the log rate ratio when no plan tuned it: about a 15 % difference.
DEFAULT_MIXTURE_SD = 0.15


@dataclass(frozen=True)
class DailyRow:
    """One cell's spend, results and (when tracked) revenue on one day."""

    day: date
    spend: float
    results: float
    revenue: float | None = None


@dataclass(frozen=True)
class Interval:
    """A closed interval on the scale of the figure it belongs to."""

    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class RateRatioFit:
    """The GLM's log rate ratio B/A with its standard error, overdispersion and residual degrees of freedom."""

    log_ratio: float
    standard_error: float
    dispersion: float
    df_resid: float

    def interval(self, level: float = 0.95) -> Interval:
        """Fixed-horizon t interval for the rate ratio B/A (valid at one planned look only)."""
        crit = float(student_t.isf((1 - level) / 2, self.df_resid))
        spread = crit * self.standard_error
        return Interval(math.exp(self.log_ratio - spread), math.exp(self.log_ratio + spread))

    def always_valid(self, mixture_sd: float, alpha: float = 0.05) -> Interval:
        """This look's mSPRT interval for the rate ratio B/A (Johari et al. 2017)."""
        half = always_valid_half_width(self.standard_error**2, mixture_sd, alpha)
        return Interval(math.exp(self.log_ratio - half), math.exp(self.log_ratio + half))


@dataclass(frozen=True)
class RoasDifference:
    """ROAS of each cell and B minus A, with a delta-method interval over daily rows."""

    roas_a: float
    roas_b: float
    difference: float
    interval: Interval


@dataclass(frozen=True)
class NonInferiority:
    """Whether B's results per euro are no worse than A's by more than the margin, fixed and sequential."""

    margin: float
    lower_bound: float
    verdict: NonInferiorityVerdict
    sequential_verdict: NonInferiorityVerdict


@dataclass(frozen=True)
class ExclusionTestAnalysis:
    """Cell totals, the rate and CPA ratios B/A with fixed and always-valid intervals, ROAS and margin check."""

    days: int
    spend_a: float
    spend_b: float
    results_a: float
    results_b: float
    level: float
    fit: RateRatioFit
    rate_ratio_interval: Interval
    sequential_interval: Interval
    looks: int
    roas: RoasDifference | None
    non_inferiority: NonInferiority | None

    @property
    def rate_ratio(self) -> float:
        return math.exp(self.fit.log_ratio)

    @property
    def cpa_ratio(self) -> float:
        return math.exp(-self.fit.log_ratio)

    @property
    def cpa_ratio_interval(self) -> Interval:
        return Interval(1 / self.rate_ratio_interval.high, 1 / self.rate_ratio_interval.low)

    def summary(self) -> dict[str, object]:
        """Plain figures for people: every claim of a difference comes with its interval."""
        return _summary(self)


def _arrays(rows: Sequence[DailyRow]) -> tuple[np.ndarray, np.ndarray, list[date]]:
    kept = [row for row in rows if row.spend > 0]
    if any(row.spend < 0 or row.results < 0 for row in rows):
        raise ValueError("spend and results cannot be negative")
    spend = np.array([row.spend for row in kept], dtype=float)
    results = np.array([row.results for row in kept], dtype=float)
    return spend, results, [row.day for row in kept]


def _design(days_a: list[date], days_b: list[date], day_effects: bool) -> np.ndarray:
    cell = np.r_[np.zeros(len(days_a)), np.ones(len(days_b))]
    columns = [np.ones_like(cell), cell]
    if day_effects:
        all_days = days_a + days_b
        for day in sorted(set(all_days))[1:]:
            columns.append(np.array([float(d == day) for d in all_days]))
    return np.column_stack(columns)


def fit_rate_ratio(
    cell_a: Sequence[DailyRow], cell_b: Sequence[DailyRow], *, day_effects: bool = False
) -> RateRatioFit:
    """Quasi-Poisson GLM, log(spend) offset, cell indicator (and day effects): log rate ratio B/A."""
    spend_a, results_a, days_a = _arrays(cell_a)
    spend_b, results_b, days_b = _arrays(cell_b)
    if results_a.sum() == 0 or results_b.sum() == 0:
        raise ValueError("each cell needs at least one result before the ratio can be estimated")
    exog = _design(days_a, days_b, day_effects)
    if exog.shape[0] <= exog.shape[1]:
        raise ValueError("too few days with spend to estimate the overdispersion")
    # Imported here: statsmodels (with pandas) takes seconds to load, and every web and worker process
    # loads this module through the URL configuration, while few of them ever fit a model.
    import statsmodels.api as sm

    model = sm.GLM(
        np.r_[results_a, results_b],
        exog,
        family=sm.families.Poisson(),
        offset=np.log(np.r_[spend_a, spend_b]),
    )
    fitted = model.fit(scale="X2")
    # Pearson's scale below 1 would claim less noise than Poisson counts can have.
    dispersion = max(1.0, float(fitted.scale))
    standard_error = float(fitted.bse[1]) * math.sqrt(dispersion / float(fitted.scale))
    return RateRatioFit(float(fitted.params[1]), standard_error, dispersion, float(fitted.df_resid))


def weekly_looks(cell_a: Sequence[DailyRow], cell_b: Sequence[DailyRow]) -> list[date]:
    """The last day of every whole week since the first day, and the last day with data."""
    days = sorted({row.day for row in [*cell_a, *cell_b]})
    if not days:
        return []
    first, last = days[0], days[-1]
    looks = [first + timedelta(days=6 + 7 * week) for week in range((last - first).days // 7 + 1)]
    looks = [look for look in looks if look <= last]
    return looks if looks and looks[-1] == last else [*looks, last]


def look_fits(
    cell_a: Sequence[DailyRow],
    cell_b: Sequence[DailyRow],
    looks: Sequence[date],
    *,
    day_effects: bool = False,
) -> list[RateRatioFit]:
    """The GLM fitted on the rows up to each look; looks too early to estimate anything are skipped."""
    fits = []
    for look in looks:
        try:
            fits.append(
                fit_rate_ratio(
                    [r for r in cell_a if r.day <= look],
                    [r for r in cell_b if r.day <= look],
                    day_effects=day_effects,
                )
            )
        except ValueError:
            continue
    return fits


def always_valid_interval(
    fits: Sequence[RateRatioFit], *, mixture_sd: float, alpha: float = 0.05
) -> Interval:
    """Running intersection of the looks' mSPRT intervals; if they are disjoint, the gap between them."""
    if not fits:
        raise ValueError("an always-valid interval needs at least one look")
    low, high = 0.0, math.inf
    for fit in fits:
        look = fit.always_valid(mixture_sd, alpha)
        low, high = max(low, look.low), min(high, look.high)
    return Interval(low, max(low, high)) if low <= high else Interval(high, low)


def roas_difference(
    cell_a: Sequence[DailyRow], cell_b: Sequence[DailyRow], level: float = 0.95
) -> RoasDifference | None:
    """ROAS B minus A with the day-level delta-method variance of each ratio (GrowthBook/Eppo ratio metrics)."""
    rows = [*cell_a, *cell_b]
    if not rows or any(row.revenue is None for row in rows):
        return None
    roas_a, var_a, n_a = _ratio_and_variance(cell_a)
    roas_b, var_b, n_b = _ratio_and_variance(cell_b)
    difference = roas_b - roas_a
    crit = float(student_t.isf((1 - level) / 2, min(n_a, n_b) - 1))
    spread = crit * math.sqrt(var_a + var_b)
    return RoasDifference(roas_a, roas_b, difference, Interval(difference - spread, difference + spread))


def _ratio_and_variance(rows: Sequence[DailyRow]) -> tuple[float, float, int]:
    revenue = np.array([row.revenue or 0.0 for row in rows], dtype=float)
    spend = np.array([row.spend for row in rows], dtype=float)
    n = len(rows)
    if n < 2 or spend.sum() <= 0:
        raise ValueError("a ROAS interval needs at least two days with spend in each cell")
    ratio = float(revenue.mean() / spend.mean())
    covariance = np.cov(revenue, spend, ddof=1)
    # Var(mean R / mean S) ~ (Var R - 2 ROAS Cov(R, S) + ROAS^2 Var S) / (n mean S^2), the delta method.
    spread = covariance[0, 0] - 2 * ratio * covariance[0, 1] + ratio**2 * covariance[1, 1]
    return ratio, float(spread / (n * spend.mean() ** 2)), n


def _margin_verdict(interval: Interval, floor: float) -> NonInferiorityVerdict:
    if interval.low >= floor:
        return "non_inferior"
    if interval.high < floor:
        return "inferior"
    return "inconclusive"


def non_inferiority(
    fit: RateRatioFit, sequential: Interval, *, margin: float, alpha: float = 0.05
) -> NonInferiority:
    """B is no worse than A by more than the margin when the 1 - 2 alpha interval's lower end clears 1 - margin.

    Comparing the two-sided interval at twice the one-sided alpha with the margin is Eppo's rule for
    non-inferiority tests; the sequential verdict uses the always-valid interval instead.
    """
    if not 0 < margin < 1:
        raise ValueError(f"a non-inferiority margin lies between 0 and 1, got {margin!r}")
    floor = 1 - margin
    one_sided = fit.interval(1 - 2 * alpha)
    return NonInferiority(
        margin, one_sided.low, _margin_verdict(one_sided, floor), _margin_verdict(sequential, floor)
    )


def analyse_exclusion_test(
    cell_a: Sequence[DailyRow],
    cell_b: Sequence[DailyRow],
    *,
    alpha: float = 0.05,
    mixture_sd: float = DEFAULT_MIXTURE_SD,
    margin: float | None = None,
    day_effects: bool = False,
    looks: Sequence[date] | None = None,
) -> ExclusionTestAnalysis:
    """Everything the analyser reports for cell A (with the placement) against cell B (without it)."""
    fit = fit_rate_ratio(cell_a, cell_b, day_effects=day_effects)
    last = max(row.day for row in [*cell_a, *cell_b])
    planned = [look for look in (weekly_looks(cell_a, cell_b) if looks is None else looks) if look < last]
    fits = [*look_fits(cell_a, cell_b, planned, day_effects=day_effects), fit]
    sequential = always_valid_interval(fits, mixture_sd=mixture_sd, alpha=alpha)
    spend_a, results_a, days_a = _arrays(cell_a)
    spend_b, results_b, days_b = _arrays(cell_b)
    return ExclusionTestAnalysis(
        days=len(set(days_a) | set(days_b)),
        spend_a=float(spend_a.sum()),
        spend_b=float(spend_b.sum()),
        results_a=float(results_a.sum()),
        results_b=float(results_b.sum()),
        level=1 - alpha,
        fit=fit,
        rate_ratio_interval=fit.interval(1 - alpha),
        sequential_interval=sequential,
        looks=len(fits),
        roas=roas_difference(cell_a, cell_b, 1 - alpha),
        non_inferiority=None
        if margin is None
        else non_inferiority(fit, sequential, margin=margin, alpha=alpha),
    )


def _direction(interval: Interval) -> str:
    if interval.low > 1:
        return "b_more_results_per_euro"
    if interval.high < 1:
        return "b_fewer_results_per_euro"
    return "no_difference_shown"


def _percent(ratio: float) -> str:
    return f"{(ratio - 1) * 100:+.1f} %"


def _summary(analysis: ExclusionTestAnalysis) -> dict[str, object]:
    fixed, sequential = analysis.rate_ratio_interval, analysis.sequential_interval
    level = round(analysis.level * 100)
    summary: dict[str, object] = {
        "days": analysis.days,
        "results": {"a": analysis.results_a, "b": analysis.results_b},
        "spend": {"a": analysis.spend_a, "b": analysis.spend_b},
        "rate_ratio": analysis.rate_ratio,
        "rate_ratio_interval": [fixed.low, fixed.high],
        "cpa_ratio": analysis.cpa_ratio,
        "cpa_ratio_interval": [analysis.cpa_ratio_interval.low, analysis.cpa_ratio_interval.high],
        "always_valid_interval": [sequential.low, sequential.high],
        "dispersion": analysis.fit.dispersion,
        "finding": _direction(fixed),
        "finding_always_valid": _direction(sequential),
        "headline": (
            f"Results per euro without the placement: {_percent(analysis.rate_ratio)} "
            f"({level} % interval {_percent(fixed.low)} to {_percent(fixed.high)}; "
            f"valid at any look {_percent(sequential.low)} to {_percent(sequential.high)})"
        ),
    }
    if analysis.roas is not None:
        roas = analysis.roas
        summary["roas"] = {"a": roas.roas_a, "b": roas.roas_b, "difference": roas.difference}
        summary["roas_difference_interval"] = [roas.interval.low, roas.interval.high]
    if analysis.non_inferiority is not None:
        check = analysis.non_inferiority
        summary["non_inferiority"] = {
            "margin": check.margin,
            "lower_bound": check.lower_bound,
            "verdict": check.verdict,
            "verdict_always_valid": check.sequential_verdict,
        }
    return summary
