"""The normal-mixture sequential probability ratio test (mSPRT) on an asymptotically normal estimate.

Johari, Koomen, Pekelis and Walsh (2017), "Peeking at A/B tests", KDD, section 4 (and Operations Research
70(3), 2022); with a N(0, tau^2) mixture the interval is a confidence sequence in the sense of Howard,
Ramdas, McAuliffe and Sekhon (2021), Annals of Statistics 49(2): it may be looked at any number of times.
"""

from __future__ import annotations

import math


def _check(variance: float, mixture_sd: float, alpha: float) -> None:
    if variance <= 0 or mixture_sd <= 0:
        raise ValueError("the variance and the mixture's standard deviation must be positive")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie between 0 and 1, got {alpha!r}")


def always_valid_half_width(variance: float, mixture_sd: float, alpha: float) -> float:
    """Half-width sqrt(V(V+tau^2)/tau^2 * ln((V+tau^2)/(V alpha^2))) of the mSPRT interval (Johari et al. 2017)."""
    _check(variance, mixture_sd, alpha)
    mixture_variance = mixture_sd**2
    total = variance + mixture_variance
    return math.sqrt(variance * total / mixture_variance * math.log(total / (variance * alpha**2)))


def always_valid_p_value(estimate: float, variance: float, mixture_sd: float) -> float:
    """One look's 1/Lambda of the mSPRT (Johari et al. 2017); the running minimum over looks is the p-value."""
    _check(variance, mixture_sd, 0.5)
    mixture_variance = mixture_sd**2
    total = variance + mixture_variance
    log_lambda = 0.5 * math.log(variance / total) + mixture_variance * estimate**2 / (2 * variance * total)
    return min(1.0, math.exp(-log_lambda))
