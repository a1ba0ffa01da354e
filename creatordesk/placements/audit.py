"""A descriptive placement audit of export or Insights rows: shares, efficiency per placement, flags.

Every figure here describes where Meta's delivery put the money; none says what a placement caused.
Meta's delivery minimises the average cost of the whole campaign, not of each placement (its
"breakdown effect"), so a placement with a high CPA may still lower the campaign's CPA. Intervals are
not computed here: an `IntervalEstimator` passed to `audit` gets each placement's daily figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from creatordesk.placements.exports import PlacementRow

DESCRIPTIVE = (
    "Descriptive, not causal: Meta's delivery optimises the campaign's average cost, not each placement."
)
THREADS = "threads"
# Objectives Meta lists for "Ads in Threads Feed (threads_stream)", plus app promotion, which the
# Threads App Ads page supports (research notes placements.md §3 "Objectives and formats", from Meta's
# "Threads Ads Creation" doc of 30 Jan 2026). OUTCOME_LEADS is absent there.
THREADS_OBJECTIVES = frozenset(
    {"OUTCOME_AWARENESS", "OUTCOME_TRAFFIC", "OUTCOME_ENGAGEMENT", "OUTCOME_SALES", "OUTCOME_APP_PROMOTION"}
)
# Ads Manager's objective names as exports write them, English and German, to the API's values.
OBJECTIVE_NAMES = {
    "awareness": "OUTCOME_AWARENESS", "bekanntheit": "OUTCOME_AWARENESS",
    "traffic": "OUTCOME_TRAFFIC",
    "engagement": "OUTCOME_ENGAGEMENT", "interaktion": "OUTCOME_ENGAGEMENT",
    "interaktionen": "OUTCOME_ENGAGEMENT",
    "leads": "OUTCOME_LEADS", "lead generation": "OUTCOME_LEADS",
    "app promotion": "OUTCOME_APP_PROMOTION", "app werbung": "OUTCOME_APP_PROMOTION",
    "sales": "OUTCOME_SALES", "umsatz": "OUTCOME_SALES", "verkäufe": "OUTCOME_SALES",
}  # fmt: skip
# A caption over this many characters still creates the ad, but Meta does not deliver it on Threads
# (placements.md §1.2, "Creative constraints on Threads").
THREADS_MAX_TEXT = 1000


class PlacementChoice(StrEnum):
    """How an ad set's placements were set: by the advertiser, by Meta (Advantage+ / unset), or unknown."""

    MANUAL = "manual"
    AUTOMATIC = "automatic"
    UNKNOWN = "unknown"


class Code(StrEnum):
    THREADS_WITHOUT_CHOICE = "threads_without_placement_choice"
    THREADS_CHOICE_UNKNOWN = "threads_placement_choice_unknown"
    THREADS_STARTED_LATER = "threads_started_after_ad_set"
    MIXED_ATTRIBUTION = "mixed_attribution_settings"
    MIXED_RESULT_TYPES = "mixed_result_indicators"
    MIXED_CURRENCIES = "mixed_currencies"
    OBJECTIVE_NOT_ON_THREADS = "objective_not_supported_on_threads"
    TEXT_TOO_LONG = "ad_text_too_long_for_threads"
    TEXT_NOT_CHECKED = "ad_text_length_not_checked"


@dataclass(frozen=True)
class AdSetSettings:
    """What the rows do not say about an ad set; the connector or the user supplies it."""

    placements: PlacementChoice = PlacementChoice.UNKNOWN
    start: date | None = None  # the ad set's start (or creation) date
    objective: str = ""  # an API value ("OUTCOME_LEADS") or an Ads Manager name ("Leads")
    ad_text_lengths: Mapping[str, int] = field(default_factory=dict)  # ad id -> characters


@dataclass(frozen=True)
class Flag:
    """Something in a scope a reader should know before trusting or acting on its figures."""

    code: Code
    reason: str
    ad_id: str = ""


@dataclass(frozen=True)
class DailyFigures:
    """One placement's totals on one day (or reporting period), the input of an interval estimator."""

    day: date
    spend: Decimal
    impressions: int
    link_clicks: int
    results: Decimal
    revenue: Decimal


@dataclass(frozen=True)
class Interval:
    low: Decimal
    high: Decimal
    method: str


class IntervalEstimator(Protocol):
    """Given a metric ("cpm", "link_ctr", "cpa", "roas") and its daily figures, an interval or None."""

    def __call__(self, metric: str, daily: Sequence[DailyFigures]) -> Interval | None: ...


@dataclass(frozen=True)
class Totals:
    """Sums over rows; results and revenue are None where their sum would mix attribution settings."""

    spend: Decimal = Decimal(0)
    impressions: int = 0
    link_clicks: int = 0
    results: Decimal | None = Decimal(0)
    revenue: Decimal | None = None

    @property
    def cpm(self) -> Decimal | None:
        return _ratio(self.spend * 1000, self.impressions)

    @property
    def link_ctr(self) -> Decimal | None:
        """Link clicks per impression, as a fraction."""
        return _ratio(Decimal(self.link_clicks), self.impressions)

    @property
    def cpa(self) -> Decimal | None:
        return _ratio(self.spend, self.results)

    @property
    def roas(self) -> Decimal | None:
        return None if self.revenue is None else _ratio(self.revenue, self.spend)


@dataclass(frozen=True)
class Shares:
    """A part's fraction of its scope's spend, impressions, results and revenue (0 to 1, None if undefined)."""

    spend: Decimal | None
    impressions: Decimal | None
    results: Decimal | None
    revenue: Decimal | None


@dataclass(frozen=True)
class PlacementFigures:
    """One platform × position inside a scope: totals, shares and point efficiency figures."""

    publisher_platform: str
    platform_position: str
    totals: Totals
    shares: Shares
    daily: tuple[DailyFigures, ...]
    intervals: Mapping[str, Interval] = field(default_factory=dict)
    label: str = DESCRIPTIVE

    @property
    def placement(self) -> tuple[str, str]:
        return (self.publisher_platform, self.platform_position)


@dataclass(frozen=True)
class Scope:
    """An account, campaign or ad set over the audited period."""

    level: str  # "account", "campaign" or "ad_set"
    key: str
    name: str
    currency: str
    attribution_settings: tuple[str, ...]
    totals: Totals
    threads: Shares
    placements: tuple[PlacementFigures, ...]
    flags: tuple[Flag, ...]
    label: str = DESCRIPTIVE

    def placement(self, publisher_platform: str, platform_position: str) -> PlacementFigures | None:
        return next(
            (p for p in self.placements if p.placement == (publisher_platform, platform_position)), None
        )

    def flag_codes(self) -> set[str]:
        return {str(flag.code) for flag in self.flags}


@dataclass(frozen=True)
class Audit:
    period: tuple[date, date] | None
    accounts: tuple[Scope, ...]
    campaigns: tuple[Scope, ...]
    ad_sets: tuple[Scope, ...]
    label: str = DESCRIPTIVE

    def scope(self, level: str, key: str) -> Scope:
        scopes = {"account": self.accounts, "campaign": self.campaigns, "ad_set": self.ad_sets}[level]
        return next(s for s in scopes if s.key == key)


# --- Sums -------------------------------------------------------------------------------------------


def _ratio(numerator: Decimal, denominator: Decimal | int | None) -> Decimal | None:
    if not denominator:
        return None
    return numerator / Decimal(denominator)


def _mixed_attribution(rows: Sequence[PlacementRow]) -> bool:
    return len({row.attribution_setting for row in rows}) > 1


def _totals(rows: Sequence[PlacementRow], *, comparable: bool) -> Totals:
    """Sums of the additive figures; reach is not one of them."""
    revenues = [row.revenue for row in rows if row.revenue is not None]
    return Totals(
        spend=sum((row.spend for row in rows), Decimal(0)),
        impressions=sum(row.impressions for row in rows),
        link_clicks=sum(row.link_clicks for row in rows),
        results=sum((row.results for row in rows), Decimal(0)) if comparable else None,
        revenue=sum(revenues, Decimal(0)) if comparable and revenues else None,
    )


def _share(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    if part is None or whole is None:
        return None
    return _ratio(Decimal(part), whole)


def _shares(part: Totals, whole: Totals) -> Shares:
    return Shares(
        spend=_share(part.spend, whole.spend),
        impressions=_share(part.impressions, whole.impressions),
        results=_share(part.results, whole.results),
        revenue=_share(part.revenue, whole.revenue),
    )


def _daily(rows: Sequence[PlacementRow]) -> tuple[DailyFigures, ...]:
    days: dict[date, list[PlacementRow]] = defaultdict(list)
    for row in rows:
        days[row.day or row.starts].append(row)
    return tuple(
        DailyFigures(
            day=day,
            spend=sum((r.spend for r in group), Decimal(0)),
            impressions=sum(r.impressions for r in group),
            link_clicks=sum(r.link_clicks for r in group),
            results=sum((r.results for r in group), Decimal(0)),
            revenue=sum((r.revenue or Decimal(0) for r in group), Decimal(0)),
        )
        for day, group in sorted(days.items())
    )


def _intervals(
    estimator: IntervalEstimator | None, daily: Sequence[DailyFigures], comparable: bool
) -> dict[str, Interval]:
    if estimator is None:
        return {}
    metrics = ("cpm", "link_ctr", "cpa", "roas") if comparable else ("cpm", "link_ctr")
    found = {metric: estimator(metric, daily) for metric in metrics}
    return {metric: interval for metric, interval in found.items() if interval is not None}


def _placements(
    rows: Sequence[PlacementRow], whole: Totals, comparable: bool, estimator: IntervalEstimator | None
) -> tuple[PlacementFigures, ...]:
    groups: dict[tuple[str, str], list[PlacementRow]] = defaultdict(list)
    for row in rows:
        groups[row.placement].append(row)
    figures = []
    for (platform, position), group in sorted(groups.items()):
        totals = _totals(group, comparable=comparable)
        daily = _daily(group)
        figures.append(
            PlacementFigures(
                publisher_platform=platform,
                platform_position=position,
                totals=totals,
                shares=_shares(totals, whole),
                daily=daily,
                intervals=_intervals(estimator, daily, comparable),
            )
        )
    return tuple(figures)


# --- Flags ------------------------------------------------------------------------------------------


def _sum_flags(rows: Sequence[PlacementRow]) -> list[Flag]:
    flags = []
    settings = sorted({row.attribution_setting or "(none)" for row in rows})
    if len(settings) > 1:
        flags.append(
            Flag(
                Code.MIXED_ATTRIBUTION,
                f"Results and revenue are not summed: the rows use {len(settings)} attribution settings "
                f"({', '.join(settings)}), and Meta reports no totals across attribution settings.",
            )
        )
    indicators = sorted({row.result_indicator for row in rows if row.result_indicator})
    if len(indicators) > 1:
        flags.append(
            Flag(
                Code.MIXED_RESULT_TYPES,
                f"“Results” adds up different result types ({', '.join(indicators)}); CPA mixes them.",
            )
        )
    currencies = sorted({row.currency or "(none)" for row in rows})
    if len(currencies) > 1:
        flags.append(
            Flag(Code.MIXED_CURRENCIES, f"Spend is summed across currencies ({', '.join(currencies)}).")
        )
    return flags


def _threads_days(rows: Sequence[PlacementRow]) -> list[date]:
    return sorted(row.day for row in rows if row.is_threads and row.spend > 0 and row.day is not None)


def _choice_flags(rows: Sequence[PlacementRow], settings: AdSetSettings) -> list[Flag]:
    if not any(row.is_threads and (row.spend > 0 or row.impressions > 0) for row in rows):
        return []
    if settings.placements is PlacementChoice.AUTOMATIC:
        reason = (
            "The ad set delivered on Threads with automatic (Advantage+ or unset) placements: nobody chose "
            "Threads; Meta adds new placements to such ad sets on its own."
        )
        return [Flag(Code.THREADS_WITHOUT_CHOICE, reason)]
    if settings.placements is PlacementChoice.UNKNOWN:
        reason = (
            "The ad set delivered on Threads, and whether its placements were chosen by hand or left to "
            "Meta (Advantage+ or unset) is not known."
        )
        return [Flag(Code.THREADS_CHOICE_UNKNOWN, reason)]
    return []


def _start_flags(rows: Sequence[PlacementRow], settings: AdSetSettings) -> list[Flag]:
    """Threads spend that began after the ad set did: the placement was added to a running ad set."""
    threads_days = _threads_days(rows)
    spend_days = sorted(row.day for row in rows if row.spend > 0 and row.day is not None)
    if not threads_days or not (settings.start or spend_days):
        return []
    start = settings.start or spend_days[0]
    source = "its start date" if settings.start else "its first day with spend in the data"
    if threads_days[0] <= start:
        return []
    gap = (threads_days[0] - start).days
    reason = (
        f"First Threads spend on {threads_days[0].isoformat()}, {gap} days after the ad set's first day "
        f"{start.isoformat()} ({source}): Threads was probably added to the running ad set."
    )
    return [Flag(Code.THREADS_STARTED_LATER, reason)]


def objective_value(objective: str) -> str:
    """The API's objective value for an API value or an Ads Manager objective name; "" when unknown."""
    text = objective.strip()
    if text.upper().startswith("OUTCOME_"):
        return text.upper()
    words = " ".join(text.casefold().replace("-", " ").split())
    return OBJECTIVE_NAMES.get(words, "")


def _objective_flags(rows: Sequence[PlacementRow], settings: AdSetSettings) -> list[Flag]:
    named = {settings.objective} if settings.objective else {row.objective for row in rows if row.objective}
    flags = []
    for objective in sorted(named):
        value = objective_value(objective)
        if value and value not in THREADS_OBJECTIVES:
            reason = (
                f"Objective “{objective}” ({value}) is not among the objectives Meta lists for Threads feed "
                "ads (awareness, traffic, engagement, sales, app promotion; Meta “Threads Ads Creation”, "
                "30 Jan 2026): Threads figures here do not come from a supported set-up."
            )
            flags.append(Flag(Code.OBJECTIVE_NOT_ON_THREADS, reason))
    return flags


def _text_lengths(rows: Sequence[PlacementRow], settings: AdSetSettings) -> dict[str, int]:
    lengths = {row.ad_id or row.ad_name: len(row.ad_text) for row in rows if row.ad_text is not None}
    lengths.update(settings.ad_text_lengths)
    return lengths


def _text_flags(rows: Sequence[PlacementRow], settings: AdSetSettings) -> list[Flag]:
    lengths = _text_lengths(rows, settings)
    if not lengths:
        reason = "No ad texts were given, so captions over 1,000 characters (never shown on Threads) were not checked."
        return [Flag(Code.TEXT_NOT_CHECKED, reason)]
    return [
        Flag(
            Code.TEXT_TOO_LONG,
            f"The ad's text has {length} characters; Meta does not deliver texts over {THREADS_MAX_TEXT} "
            "characters on Threads, so this ad gets no Threads delivery.",
            ad_id=ad,
        )
        for ad, length in sorted(lengths.items())
        if length > THREADS_MAX_TEXT
    ]


def _ad_set_flags(rows: Sequence[PlacementRow], settings: AdSetSettings) -> list[Flag]:
    return [
        *_choice_flags(rows, settings),
        *_start_flags(rows, settings),
        *_objective_flags(rows, settings),
        *_text_flags(rows, settings),
    ]


# --- Scopes -----------------------------------------------------------------------------------------


def _scope(
    level: str,
    key: str,
    rows: Sequence[PlacementRow],
    estimator: IntervalEstimator | None,
    extra_flags: Iterable[Flag] = (),
) -> Scope:
    comparable = not _mixed_attribution(rows)
    whole = _totals(rows, comparable=comparable)
    threads = _totals([row for row in rows if row.is_threads], comparable=comparable)
    names = {"account": "account_name", "campaign": "campaign_name", "ad_set": "adset_name"}
    return Scope(
        level=level,
        key=key,
        name=next((getattr(row, names[level]) for row in rows if getattr(row, names[level])), ""),
        currency=", ".join(sorted({row.currency for row in rows if row.currency})),
        attribution_settings=tuple(sorted({row.attribution_setting for row in rows})),
        totals=whole,
        threads=_shares(threads, whole),
        placements=_placements(rows, whole, comparable, estimator),
        flags=(*_sum_flags(rows), *extra_flags),
    )


def _key(row: PlacementRow, level: str) -> str:
    """The id of the row's account, campaign or ad set, or its name when the export has no ids."""
    pairs: dict[str, tuple[Any, Any]] = {
        "account": (row.account_id, row.account_name),
        "campaign": (row.campaign_id, row.campaign_name),
        "ad_set": (row.adset_id, row.adset_name),
    }
    identifier, name = pairs[level]
    return str(identifier or name)


def _in_period(row: PlacementRow, period: tuple[date, date] | None) -> bool:
    """Rows inside the period; a row for a longer reporting period counts only when it lies within."""
    return period is None or (period[0] <= row.starts and row.ends <= period[1])


def _grouped(rows: Iterable[PlacementRow], level: str) -> dict[str, list[PlacementRow]]:
    groups: dict[str, list[PlacementRow]] = defaultdict(list)
    for row in rows:
        groups[_key(row, level)].append(row)
    return groups


def audit(
    rows: Iterable[PlacementRow],
    period: tuple[date, date] | None = None,
    *,
    ad_sets: Mapping[str, AdSetSettings] | None = None,
    intervals: IntervalEstimator | None = None,
) -> Audit:
    """The audit of rows per account, campaign and ad set over `period` (inclusive; None: all rows).

    `ad_sets` maps an ad set's key (its id, or its name in an export without ids) to what the rows
    cannot say: whether its placements were automatic, its start date, its objective and ad text lengths.
    """
    chosen = [row for row in rows if _in_period(row, period)]
    known = ad_sets or {}
    scopes: dict[str, tuple[Scope, ...]] = {}
    for level in ("account", "campaign"):
        scopes[level] = tuple(
            _scope(level, key, group, intervals) for key, group in sorted(_grouped(chosen, level).items())
        )
    scopes["ad_set"] = tuple(
        _scope("ad_set", key, group, intervals, _ad_set_flags(group, known.get(key, AdSetSettings())))
        for key, group in sorted(_grouped(chosen, "ad_set").items())
    )
    return Audit(
        period=period, accounts=scopes["account"], campaigns=scopes["campaign"], ad_sets=scopes["ad_set"]
    )
