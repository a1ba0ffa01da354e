"""How much excluding a placement can change a campaign's results, whatever the test shows."""

from __future__ import annotations

import math

# Average length of a calendar month, so a monthly figure does not depend on which month it is.
DAYS_PER_MONTH = 365.25 / 12


def _check_share(share: float) -> None:
    if not 0.0 <= share < 1.0:
        raise ValueError(f"a placement's share must be at least 0 and below 1, got {share!r}")


def effect_ceiling(share: float) -> float:
    """The largest relative change in results from excluding a placement with this share: s/(1-s).

    Reached when the placement converted nothing and the cell without it spends the same budget on the
    other placements at their marginal cost (research notes on placements, section 2.6).
    """
    _check_share(share)
    return share / (1.0 - share)


def relative_change(share: float, marginal_cpa_ratio: float) -> float:
    """Relative change in results when the placement costs k times the others per result: s(1-1/k)/(1-s+s/k)."""
    _check_share(share)
    if marginal_cpa_ratio <= 0:
        raise ValueError(f"a ratio of costs per result must be positive, got {marginal_cpa_ratio!r}")
    if math.isinf(marginal_cpa_ratio):
        return effect_ceiling(share)
    inverse = 1.0 / marginal_cpa_ratio
    return share * (1.0 - inverse) / (1.0 - share + share * inverse)


def money_at_stake_per_month(share: float, daily_spend: float, worst_cpa_ratio: float = math.inf) -> float:
    """Worst-case monthly cost of keeping the placement: s x monthly spend x (1 - 1/k_max) (section 2.6)."""
    _check_share(share)
    if daily_spend < 0:
        raise ValueError(f"spend cannot be negative, got {daily_spend!r}")
    if worst_cpa_ratio < 1:
        raise ValueError(f"the worst ratio of costs per result must be at least 1, got {worst_cpa_ratio!r}")
    wasted = 1.0 if math.isinf(worst_cpa_ratio) else 1.0 - 1.0 / worst_cpa_ratio
    return share * daily_spend * DAYS_PER_MONTH * wasted
