"""The audit, plans and analyses as people read them: labels, translated flags, bars and verdict texts."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creatordesk.djangolib.templatetags.numbers import percent
from creatordesk.placements.audit import AdSetSettings, Code, Flag, PlacementFigures, Scope

if TYPE_CHECKING:
    from creatordesk.placements import stats

PLATFORMS = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "threads": "Threads",
    "messenger": "Messenger",
    "audience_network": "Audience Network",
    "whatsapp": "WhatsApp",
}
FLAGS: dict[str, tuple[Promise, Promise]] = {
    Code.THREADS_WITHOUT_CHOICE: (
        gettext_lazy("Threads without a placement choice"),
        gettext_lazy("The ad set delivered on Threads with automatic (Advantage+ or unset) placements: nobody chose Threads, Meta added it."),
    ),
    Code.THREADS_CHOICE_UNKNOWN: (
        gettext_lazy("Placement choice not known"),
        gettext_lazy("The ad set delivered on Threads; enter whether its placements were chosen by hand or left to Meta."),
    ),
    Code.THREADS_STARTED_LATER: (
        gettext_lazy("Threads added while running"),
        gettext_lazy("Threads spend began days after the ad set started: the placement was probably added to the running ad set."),
    ),
    Code.MIXED_ATTRIBUTION: (
        gettext_lazy("Mixed attribution settings"),
        gettext_lazy("The rows use more than one attribution setting, so results and revenue are not summed (Meta reports no totals across them)."),
    ),
    Code.MIXED_RESULT_TYPES: (
        gettext_lazy("Mixed result types"),
        gettext_lazy("“Results” adds up different result types here; the cost per result mixes them."),
    ),
    Code.MIXED_CURRENCIES: (
        gettext_lazy("Mixed currencies"),
        gettext_lazy("Spend is summed across currencies."),
    ),
    Code.OBJECTIVE_NOT_ON_THREADS: (
        gettext_lazy("Objective not supported on Threads"),
        gettext_lazy("Meta lists awareness, traffic, engagement, sales and app promotion for Threads feed ads; this objective is not among them."),
    ),
    Code.TEXT_TOO_LONG: (
        gettext_lazy("Ad text too long for Threads"),
        gettext_lazy("Meta does not deliver ad texts over 1,000 characters on Threads."),
    ),
    Code.TEXT_NOT_CHECKED: (
        gettext_lazy("Ad text length not checked"),
        gettext_lazy("The data holds no ad texts, so texts over 1,000 characters (never shown on Threads) were not checked."),
    ),
}  # fmt: skip


def placement_label(platform: str, position: str) -> str:
    name = PLATFORMS.get(platform, platform.replace("_", " ").title())
    words = position.removeprefix(f"{platform}_").replace("_", " ")
    return f"{name} · {words.capitalize()}" if words else name


@dataclass(frozen=True)
class FlagView:
    code: str
    title: str
    explanation: str
    ad_id: str = ""


def flag_view(flag: Flag) -> FlagView:
    title, explanation = FLAGS.get(flag.code, (flag.code, flag.reason))
    return FlagView(str(flag.code), str(title), str(explanation), flag.ad_id)


@dataclass(frozen=True)
class PlacementView:
    """One placement's row in the audit table."""

    label: str
    is_threads: bool
    figures: PlacementFigures
    spend_percent: Decimal | None
    bar_width: float  # percent of the scope's spend, for the bar


@dataclass(frozen=True)
class ScopeView:
    scope: Scope
    placements: list[PlacementView]
    flags: list[FlagView]
    threads_percent: dict[str, Decimal | None] = field(default_factory=dict)
    known: AdSetSettings | None = None  # what is known of an ad set beyond its rows


def _percent(share: Decimal | None) -> Decimal | None:
    return None if share is None else (share * 100).quantize(Decimal("0.1"))


def scope_view(scope: Scope, known: AdSetSettings | None = None) -> ScopeView:
    placements = [
        PlacementView(
            label=placement_label(p.publisher_platform, p.platform_position),
            is_threads=p.publisher_platform == "threads",
            figures=p,
            spend_percent=_percent(p.shares.spend),
            bar_width=float(p.shares.spend or 0) * 100,
        )
        for p in sorted(scope.placements, key=lambda p: -(p.totals.spend))
    ]
    threads = scope.threads
    return ScopeView(
        scope=scope,
        placements=placements,
        flags=[flag_view(flag) for flag in scope.flags],
        threads_percent={
            "spend": _percent(threads.spend),
            "impressions": _percent(threads.impressions),
            "results": _percent(threads.results),
            "revenue": _percent(threads.revenue),
        },
        known=known,
    )


# --- Plans and analyses ------------------------------------------------------------------------------


def _pct(value: float) -> str:
    return "∞" if math.isinf(value) else percent(value * 100, 1)


def _euros(value: float) -> str:
    return number_format(round(value), use_l10n=True, force_grouping=True) + "\u00a0€"


def verdict_text(plan: stats.ExclusionTestPlan) -> str:
    money = _euros(plan.verdict.money_at_stake_per_month)
    if plan.verdict.worth_testing:
        return _(
            "Worth testing: with this budget the test can see a change of %(detectable)s in results per euro, "
            "and excluding Threads can change them by up to %(ceiling)s. At stake: up to %(money)s a month."
        ) % {"detectable": _pct(plan.detectable_fixed), "ceiling": _pct(plan.effect_ceiling), "money": money}
    return _(
        "Not detectable with this budget: decide by policy. The smallest change this test could see is "
        "%(detectable)s, but excluding Threads can change results by at most %(ceiling)s. At stake: up to "
        "%(money)s a month."
    ) % {"detectable": _pct(plan.detectable_fixed), "ceiling": _pct(plan.effect_ceiling), "money": money}


def _signed(ratio: float) -> str:
    change = (ratio - 1) * 100
    return ("+" if change >= 0 else "−") + percent(abs(change), 1)


def analysis_text(result: stats.ExclusionTestAnalysis) -> str:
    """One sentence that never calls a difference shown without giving its interval."""
    fixed, anytime = result.rate_ratio_interval, result.sequential_interval
    values: dict[str, Any] = {
        "change": _signed(result.rate_ratio),
        "level": round(result.level * 100),
        "low": _signed(fixed.low),
        "high": _signed(fixed.high),
        "alow": _signed(anytime.low),
        "ahigh": _signed(anytime.high),
    }
    if fixed.low > 1:
        lead = _("Without Threads, results per euro were higher: %(change)s")
    elif fixed.high < 1:
        lead = _("Without Threads, results per euro were lower: %(change)s")
    else:
        lead = _("No difference shown: %(change)s results per euro without Threads")
    return (
        lead
        + " "
        + _("(%(level)s %% interval %(low)s to %(high)s; valid at any look %(alow)s to %(ahigh)s).")
    ) % values


NON_INFERIORITY = {
    "non_inferior": gettext_lazy("Non-inferior: excluding Threads costs less than the margin."),
    "inferior": gettext_lazy("Inferior: without Threads, results per euro fall by more than the margin."),
    "inconclusive": gettext_lazy("Inconclusive: the interval still reaches past the margin."),
}
