"""Intervals for one placement's CPM, link CTR, CPA and ROAS from its daily figures.

Counts are modelled against their exposure (results and impressions per euro of spend, link clicks per
impression) with an intercept-only quasi-likelihood model; its dispersion is Pearson's chi^2 over the
days divided by n - 1, floored at 1, and the interval is a t interval on n - 1 degrees of freedom on
the link scale (McCullagh and Nelder 1989, section 4.5; the same fit as statsmodels' GLM with
scale="X2"). ROAS is a ratio of sums with the day-level delta-method variance (GrowthBook and Eppo
ratio metrics), its t interval taken on the log ratio. Day-to-day variation is what makes these intervals honest: impressions and clicks
cluster, so the plain Poisson or binomial variance of the totals understates it (research notes
placements.md §2.4).

The intervals describe how precisely the period pins down each average figure, nothing more: they say
nothing about what the placement caused.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal

import numpy as np
from scipy.stats import t as student_t

from creatordesk.placements.audit import DailyFigures, Interval

SIGNIFICANT_DIGITS = 4
# Past this exp() overflows a float: the days then bound nothing on that side.
_LARGEST_EXPONENT = 700.0


@dataclass(frozen=True)
class _Fit:
    """A quasi-likelihood estimate on its link scale, its standard error, dispersion and days used."""

    centre: float
    standard_error: float
    dispersion: float
    floored: bool
    days: int

    def bounds(self, level: float) -> tuple[float, float]:
        spread = float(student_t.isf((1 - level) / 2, self.days - 1)) * self.standard_error
        return self.centre - spread, self.centre + spread

    def described(self, family: str, level: float, scale: str) -> str:
        dispersion = f"dispersion {self.dispersion:.1f}" + (" (Poisson floor)" if self.floored else "")
        return (
            f"{family}, {dispersion} from {self.days} days; "
            f"{_percent(level)} t interval on the {scale} ({self.days - 1} df)"
        )


def _percent(level: float) -> str:
    return f"{level * 100:g} %"


def _exp(value: float) -> float:
    return math.exp(value) if value < _LARGEST_EXPONENT else math.inf


def _expit(value: float) -> float:
    return 1 / (1 + _exp(-value))


def _outward(value: float, rounding: str, *, money: bool) -> Decimal:
    """The value to four significant digits (money: to the cent), rounded away from the centre."""
    if value <= 0:
        return Decimal(0)
    number = Decimal(value)
    exponent = number.adjusted() - (SIGNIFICANT_DIGITS - 1)
    if money:
        # Cents, or two significant digits for amounts under ten cents.
        exponent = min(-2, number.adjusted() - 1)
    # A positive exponent would print as 5.291E+4: large bounds keep their units digit instead.
    exponent = min(exponent, 0)
    digits = number.adjusted() - exponent + 2
    return number.quantize(
        Decimal(1).scaleb(exponent), rounding=rounding, context=Context(prec=max(28, digits))
    )


def _interval(low: float, high: float, method: str, *, money: bool) -> Interval | None:
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    return Interval(
        low=_outward(low, ROUND_FLOOR, money=money),
        high=_outward(high, ROUND_CEILING, money=money),
        method=method,
    )


def _arrays(values: Sequence[Decimal | int]) -> np.ndarray:
    return np.array([float(value) for value in values], dtype=float)


def _quasi_poisson(counts: np.ndarray, exposure: np.ndarray) -> _Fit | None:
    """Intercept-only Poisson GLM with a log(exposure) offset and Pearson's scale, in closed form.

    Counts on days without exposure (results reported on a day with no spend) count towards the rate,
    as they do in the totals, but not towards the dispersion: a day without exposure has no expectation.
    """
    exposed = exposure > 0
    days, total = int(exposed.sum()), float(counts.sum())
    if days < 2 or total <= 0:
        return None
    rate = total / float(exposure.sum())
    expected = exposure[exposed] * rate
    scale = float(((counts[exposed] - expected) ** 2 / expected).sum()) / (days - 1)
    # Pearson's scale below 1 would claim less noise than Poisson counts can have.
    dispersion = max(1.0, scale)
    return _Fit(math.log(rate), math.sqrt(dispersion / total), dispersion, scale < 1, days)


def _quasi_binomial(successes: np.ndarray, trials: np.ndarray) -> _Fit | None:
    """Intercept-only binomial GLM on the logit with Pearson's scale, in closed form."""
    tried = trials > 0
    days, total, attempts = int(tried.sum()), float(successes.sum()), float(trials.sum())
    if days < 2 or total <= 0 or total >= attempts:
        return None
    share = total / attempts
    variance = trials[tried] * share * (1 - share)
    scale = float(((successes[tried] - trials[tried] * share) ** 2 / variance).sum()) / (days - 1)
    dispersion = max(1.0, scale)
    standard_error = math.sqrt(dispersion / (attempts * share * (1 - share)))
    return _Fit(math.log(share / (1 - share)), standard_error, dispersion, scale < 1, days)


def _cpa(daily: Sequence[DailyFigures], level: float) -> Interval | None:
    fit = _quasi_poisson(_arrays([d.results for d in daily]), _arrays([d.spend for d in daily]))
    if fit is None:
        return None
    low, high = fit.bounds(level)
    # Spend per result is the reciprocal of results per euro, so the bounds swap.
    method = fit.described("quasi-Poisson results per euro", level, "log rate")
    return _interval(_exp(-high), _exp(-low), method, money=True)


def _cpm(daily: Sequence[DailyFigures], level: float) -> Interval | None:
    fit = _quasi_poisson(_arrays([d.impressions for d in daily]), _arrays([d.spend for d in daily]))
    if fit is None:
        return None
    low, high = fit.bounds(level)
    method = fit.described("quasi-Poisson impressions per euro", level, "log rate")
    return _interval(1000 * _exp(-high), 1000 * _exp(-low), method, money=True)


def _link_ctr(daily: Sequence[DailyFigures], level: float) -> Interval | None:
    fit = _quasi_binomial(_arrays([d.link_clicks for d in daily]), _arrays([d.impressions for d in daily]))
    if fit is None:
        return None
    low, high = fit.bounds(level)
    method = fit.described("quasi-binomial link clicks per impression", level, "logit")
    return _interval(_expit(low), _expit(high), method, money=False)


def _roas(daily: Sequence[DailyFigures], level: float) -> Interval | None:
    spend, revenue = _arrays([d.spend for d in daily]), _arrays([d.revenue for d in daily])
    kept = (spend > 0) | (revenue != 0)
    spend, revenue = spend[kept], revenue[kept]
    days = len(spend)
    if int((spend > 0).sum()) < 2 or revenue.sum() <= 0:
        return None
    ratio = float(revenue.sum() / spend.sum())
    # Linearised ratio of sums: Var(mean R / mean S) ~ Var(R - ROAS S) / (n mean S^2), which is the
    # delta-method formula (s_R^2 - 2 ROAS s_RS + ROAS^2 s_S^2) / (n mean S^2) written another way.
    residuals = revenue - ratio * spend
    variance = float((residuals**2).sum()) / (days - 1) / (days * float(spend.mean()) ** 2)
    # On the log ratio (delta method again: se / ROAS) the interval stays above 0 and follows the
    # right skew of revenue; on simulated 7-28 day placements it covered as promised where the
    # symmetric one fell short by 3-6 points.
    spread = float(student_t.isf((1 - level) / 2, days - 1)) * math.sqrt(variance) / ratio
    method = (
        f"ratio of sums, delta-method variance from {days} days; "
        f"{_percent(level)} t interval on the log ratio ({days - 1} df)"
    )
    return _interval(ratio * _exp(-spread), ratio * _exp(spread), method, money=False)


_ESTIMATORS: dict[str, Callable[[Sequence[DailyFigures], float], Interval | None]] = {
    "cpa": _cpa,
    "cpm": _cpm,
    "link_ctr": _link_ctr,
    "roas": _roas,
}


def placement_intervals(
    metric: str, daily: Sequence[DailyFigures], *, level: float = 0.95
) -> Interval | None:
    """An interval for one placement's "cpa", "cpm", "link_ctr" or "roas" over its days, or None.

    Fits `audit.IntervalEstimator` (pass `functools.partial(placement_intervals, level=0.9)` for
    another level). The figures match `audit.Totals`: CPA and CPM in the account's currency, ROAS as
    revenue per unit of spend, link CTR as a fraction. Bounds have four significant digits, money is to
    the cent (two significant digits below ten cents); both round outwards, so they still enclose the
    unrounded interval.

    None for an unknown metric, for fewer than two days with spend (with impressions, for link CTR),
    and when the figure is undefined or has no spread to estimate: no results in total (then there is
    no CPA at all), no impressions, no link clicks (or as many as impressions), no revenue. None too
    when the days bound nothing on one side (an upper end beyond what a float holds).
    """
    if not 0 < level < 1:
        raise ValueError(f"an interval's level lies between 0 and 1, got {level!r}")
    estimate = _ESTIMATORS.get(metric)
    return None if estimate is None else estimate(daily, level)
