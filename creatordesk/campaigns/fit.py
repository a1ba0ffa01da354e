"""An explainable 0–100 fit score of a creator for a campaign; every point comes from a named part.

Parts and their maximum points:
- category match (20): share of the campaign's target categories the creator covers;
- language and country (15): speaks a target language (10), lives in a target country (5);
- engagement (20): the creator's engagement rate against the platform benchmark;
- approval rate (15) and time to approval (10) of the creator's past versions in this workspace;
- policy record (10): blocking pre-review findings per past version;
- past GMV (10): the creator's GMV against the best creator of the workspace.
Parts without data score half their points, so a newcomer is neither punished nor favoured.

When the caller knows each creator's past net profit with the workspace (the shop app computes it;
this app may not import it), the 10 points of past GMV are split: past GMV 4, past profit 6. Profit
after commission, samples, fees and refunds is the seller's own result with the creator, while GMV
across the marketplace only says the creator can sell.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Max, Sum
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from creatordesk.campaigns.models import Campaign, Collaboration
from creatordesk.creators.categories import canonical_category
from creatordesk.creators.models import Creator, PlatformAccount

# Metricool Social Media Study 2026: TikTok posts average 28,482 views and 944 interactions,
# i.e. about 3.3 interactions per 100 views.
TIKTOK_BENCHMARK_ER = 944 / 28482 * 100


def _items(text: str) -> set[str]:
    return {part.strip().lower() for part in text.replace(";", ",").split(",") if part.strip()}


# What a reader sees for each part; `name` stays a code for tests, sorting and the API.
PART_LABELS: dict[str, Promise] = {
    "category": gettext_lazy("Category match"),
    "language_country": gettext_lazy("Language and country"),
    "engagement": gettext_lazy("Engagement"),
    "approval_rate": gettext_lazy("Approval rate"),
    "time_to_approval": gettext_lazy("Time to approval"),
    "policy_record": gettext_lazy("Policy record"),
    "gmv": gettext_lazy("Past GMV"),
    "past_profit": gettext_lazy("Past profit"),
}

GMV_POINTS = 10
GMV_POINTS_WITH_PROFIT = 4
PAST_PROFIT_POINTS = 6


def _yes_no(value: bool | None) -> str:
    return _("no target set") if value is None else _("yes") if value else _("no")


@dataclass(frozen=True)
class Part:
    name: str
    points: float
    max: float
    # Worded in the language active when the score was computed: the reader's, as it is per request.
    detail: str

    @property
    def label(self) -> str:
        return str(PART_LABELS.get(self.name, self.name))


@dataclass
class History:
    """What the workspace has seen of one creator so far."""

    decided_versions: int = 0
    approved_versions: int = 0
    hours_to_approval: list[float] = field(default_factory=list)
    versions: int = 0
    block_findings: int = 0
    gmv: Decimal = Decimal(0)


@dataclass(frozen=True)
class PastProfit:
    """A creator's net profit with the workspace so far, in EUR, and what it comes from."""

    net_eur: Decimal
    collaborations: int
    orders: int


@dataclass(frozen=True)
class FitScore:
    creator: Creator
    parts: list[Part]

    @property
    def score(self) -> int:
        # Parts are whole points, so the breakdown a user reads adds up to the score exactly.
        return int(sum(p.points for p in self.parts))


def _categories(text: str) -> set[str]:
    # Both sides through the synonym table: an imported "Beauty & Personal Care" is the target "beauty".
    return {canonical_category(item) for item in _items(text)}


def category_part(creator: Creator, campaign: Campaign) -> Part:
    wanted, has = _categories(campaign.target_categories), _categories(creator.categories)
    if not wanted:
        return Part("category", 10, 20, _("campaign names no target categories"))
    matched = wanted & has
    return Part(
        "category",
        20 * len(matched) / len(wanted),
        20,
        _("matches %(matched)d of %(wanted)d: %(names)s")
        % {"matched": len(matched), "wanted": len(wanted), "names": ", ".join(sorted(matched)) or "—"},
    )


def language_country_part(creator: Creator, campaign: Campaign) -> Part:
    languages, countries = _items(campaign.target_languages), _items(campaign.target_countries)
    speaks = bool(languages & _items(creator.languages)) if languages else None
    lives = creator.country.lower() in countries if countries else None
    points = (10 if speaks else 0 if speaks is False else 5) + (5 if lives else 0 if lives is False else 2.5)
    detail = _("speaks a target language: %(speaks)s; lives in a target country: %(lives)s") % {
        "speaks": _yes_no(speaks),
        "lives": _yes_no(lives),
    }
    return Part("language_country", points, 15, detail)


def engagement_part(creator: Creator) -> Part:
    if creator.engagement_rate is None:
        return Part("engagement", 10, 20, _("no engagement rate known"))
    ratio = creator.engagement_rate / TIKTOK_BENCHMARK_ER
    # 1.5× the benchmark or better earns everything; the benchmark itself earns two thirds.
    points = 20 * min(ratio / 1.5, 1.0)
    return Part(
        "engagement",
        points,
        20,
        _("%(rate)s %% against a benchmark of %(benchmark)s %% (%(ratio)s×)")
        % {
            "rate": number_format(creator.engagement_rate, 1),
            "benchmark": number_format(TIKTOK_BENCHMARK_ER, 1),
            "ratio": number_format(ratio, 1),
        },
    )


def approval_part(history: History) -> Part:
    if not history.decided_versions:
        return Part("approval_rate", 7.5, 15, _("no decisions yet"))
    rate = history.approved_versions / history.decided_versions
    return Part(
        "approval_rate",
        15 * rate,
        15,
        _("%(approved)d of %(decided)d versions approved")
        % {"approved": history.approved_versions, "decided": history.decided_versions},
    )


def speed_part(history: History) -> Part:
    if not history.hours_to_approval:
        return Part("time_to_approval", 5, 10, _("no approvals yet"))
    median = statistics.median(history.hours_to_approval)
    # Approved within a day earns everything; five days or more earns nothing.
    points = 10 * min(max((120 - median) / (120 - 24), 0), 1)
    detail = _("median %(hours)s h from upload to approval") % {"hours": number_format(median, 0)}
    return Part("time_to_approval", points, 10, detail)


def policy_part(history: History) -> Part:
    if not history.versions:
        return Part("policy_record", 5, 10, _("no analysed videos yet"))
    per_version = history.block_findings / history.versions
    points = 10 / (1 + per_version)
    return Part(
        "policy_record",
        points,
        10,
        _("%(findings)d blocking findings in %(versions)d versions")
        % {"findings": history.block_findings, "versions": history.versions},
    )


def gmv_part(history: History, best_gmv: Decimal, max_points: float = GMV_POINTS) -> Part:
    if best_gmv <= 0:
        return Part("gmv", max_points / 2, max_points, _("no GMV recorded in the workspace"))
    if history.gmv <= 0:
        return Part("gmv", 0, max_points, _("no GMV recorded"))
    share = math.log1p(float(history.gmv)) / math.log1p(float(best_gmv))
    detail = _("€%(gmv)s (best of the workspace: €%(best)s)") % {
        "gmv": number_format(history.gmv, 0, force_grouping=True),
        "best": number_format(best_gmv, 0, force_grouping=True),
    }
    return Part("gmv", max_points * share, max_points, detail)


def past_profit_part(profit: PastProfit | None, best_profit: Decimal) -> Part:
    """Net profit with the workspace, log-scaled against the most profitable creator; a loss earns nothing."""
    if profit is None or not profit.orders:
        return Part("past_profit", PAST_PROFIT_POINTS / 2, PAST_PROFIT_POINTS, _("no past orders"))
    detail = ngettext(
        "Past profit with you: %(profit)s € over %(count)d collaboration",
        "Past profit with you: %(profit)s € over %(count)d collaborations",
        profit.collaborations,
    ) % {
        "profit": number_format(profit.net_eur, 0, force_grouping=True),
        "count": profit.collaborations,
    }
    if profit.net_eur <= 0 or best_profit <= 0:
        return Part("past_profit", 0, PAST_PROFIT_POINTS, detail)
    share = math.log1p(float(profit.net_eur)) / math.log1p(float(best_profit))
    return Part("past_profit", PAST_PROFIT_POINTS * share, PAST_PROFIT_POINTS, detail)


def best_past_profit(past_profits: Mapping[int, PastProfit]) -> Decimal:
    return max((p.net_eur for p in past_profits.values() if p.orders), default=Decimal(0))


def _commerce_parts(
    creator: Creator,
    history: History,
    best_gmv: Decimal,
    past_profits: Mapping[int, PastProfit] | None,
    best_profit: Decimal | None,
) -> list[Part]:
    if past_profits is None:
        return [gmv_part(history, best_gmv)]
    if best_profit is None:
        best_profit = best_past_profit(past_profits)
    return [
        gmv_part(history, best_gmv, GMV_POINTS_WITH_PROFIT),
        past_profit_part(past_profits.get(creator.pk), best_profit),
    ]


def creator_histories(workspace_id: int, *, review_histories: Mapping[int, History]) -> dict[int, History]:
    """The review record the caller gathered, with each creator's GMV of the workspace added."""
    histories: dict[int, History] = defaultdict(History)
    for creator_id, history in review_histories.items():
        histories[creator_id] = replace(history, hours_to_approval=list(history.hours_to_approval))
    gmv = (
        PlatformAccount.objects.filter(workspace_id=workspace_id)
        .values("creator_id")
        .annotate(total=Sum("gmv_eur"))
    )
    for creator_id, total in gmv.values_list("creator_id", "total"):
        histories[creator_id].gmv = total or Decimal(0)
    return histories


def _whole(part: Part) -> Part:
    return Part(part.name, round(part.points), part.max, part.detail)


def fit_score(
    creator: Creator,
    campaign: Campaign,
    history: History,
    best_gmv: Decimal,
    past_profits: Mapping[int, PastProfit] | None = None,
    best_profit: Decimal | None = None,
) -> FitScore:
    """The score; with `past_profits` (creator id → past profit) past GMV shares its points with it."""
    parts = [
        category_part(creator, campaign),
        language_country_part(creator, campaign),
        engagement_part(creator),
        approval_part(history),
        speed_part(history),
        policy_part(history),
        *_commerce_parts(creator, history, best_gmv, past_profits, best_profit),
    ]
    return FitScore(creator, [_whole(p) for p in parts])


def rank_creators(
    *,
    campaign: Campaign,
    review_histories: Mapping[int, History],
    past_profits: Mapping[int, PastProfit] | None = None,
) -> list[FitScore]:
    """Every creator of the workspace by score; `review_histories` holds each one's past versions.

    `past_profits` (creator id → net profit so far) adds the past-profit part; creators missing from
    it have no past orders.
    """
    histories = creator_histories(campaign.workspace_id, review_histories=review_histories)
    best = PlatformAccount.objects.filter(workspace_id=campaign.workspace_id).values("creator_id").annotate(
        total=Sum("gmv_eur")
    ).aggregate(best=Max("total"))["best"] or Decimal(0)
    creators = Creator.objects.for_workspace(campaign.workspace).filter(erased_at__isnull=True)
    best_profit = best_past_profit(past_profits) if past_profits is not None else None
    scores = [
        fit_score(c, campaign, histories.get(c.pk, History()), best, past_profits, best_profit)
        for c in creators
    ]
    return sorted(scores, key=lambda s: (-s.score, s.creator.display_name))


@dataclass(frozen=True)
class FitRow:
    """One line of "Find creators": the score and, when the creator is in the campaign, that collaboration."""

    fit: FitScore
    collaboration: Collaboration | None


def fit_rows(
    *,
    campaign: Campaign,
    review_histories: Mapping[int, History],
    hide_in_campaign: bool = False,
    past_profits: Mapping[int, PastProfit] | None = None,
) -> list[FitRow]:
    """The ranking with each creator's collaboration in `campaign` (one more query)."""
    members = {
        c.creator_id: c
        for c in Collaboration.objects.filter(workspace_id=campaign.workspace_id, campaign=campaign)
    }
    rows = [
        FitRow(fit, members.get(fit.creator.pk))
        for fit in rank_creators(
            campaign=campaign, review_histories=review_histories, past_profits=past_profits
        )
    ]
    if hide_in_campaign:
        rows = [row for row in rows if row.collaboration is None]
    return rows
