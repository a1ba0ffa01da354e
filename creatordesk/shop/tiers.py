"""Repeat-affiliate tiers: which creators to keep, from their posts, GMV and approval speed, with the
commission rate to offer each tier (whole hundredths of a percent, as TikTok Shop keeps rates)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Count
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Campaign, Collaboration
from creatordesk.performance.models import Post
from creatordesk.reviews.histories import creator_review_histories
from creatordesk.shop.models import ShopCollaboration
from creatordesk.shop.profit import ProfitReport, ProfitRow, profit_report

CORE, RISING, TRIAL, INACTIVE = "core", "rising", "trial", "inactive"
TIER_ORDER = (CORE, RISING, TRIAL, INACTIVE)
TIER_LABELS: dict[str, Promise] = {
    CORE: gettext_lazy("Core"),
    RISING: gettext_lazy("Rising"),
    TRIAL: gettext_lazy("Trial"),
    INACTIVE: gettext_lazy("Inactive"),
}

# Three posts means the creator came back twice after the first video: a habit, not a one-off.
CORE_MIN_POSTS = 3
# About a month of a typical affiliate's sales in one category; below it the next post could double it.
CORE_MIN_GMV = Decimal(1000)
# One post that sold something shows the audience buys; less than this is noise from friends and tests.
RISING_MIN_POSTS = 1
RISING_MIN_GMV = Decimal(200)
# Two days from upload to approval: beyond that, drafts go through rounds of changes and miss the
# posting window the sample was sent for, which costs the team more than the commission it saves.
FAST_APPROVAL_HOURS = 48.0

# TikTok accepts 1–80 % (100–8000 in 0.01 %); a suggestion never leaves that range.
MIN_RATE_BP, MAX_RATE_BP = 100, 8000
# Without any rate of the workspace to start from: 10 %, the usual open-collaboration rate in beauty
# and home categories.
DEFAULT_BASE_RATE_BP = 1000
# On top of the workspace's usual rate. Proven creators get enough more to prefer this shop over the
# next offer; a rising one a smaller step; everyone else the usual rate, since a higher rate has not
# been earned and a lower one would not win back someone who does not post.
TIER_RAISE_BP = {CORE: 500, RISING: 200, TRIAL: 0, INACTIVE: 0}


@dataclass(frozen=True)
class TierRow:
    creator_id: int
    name: str
    tier: str
    posts: int
    gmv: Decimal
    net_profit: Decimal
    median_approval_hours: float | None
    suggested_rate_bp: int
    reason: str

    @property
    def tier_label(self) -> str:
        return str(TIER_LABELS[self.tier])

    @property
    def suggested_rate_percent(self) -> Decimal:
        return Decimal(self.suggested_rate_bp) / 100


@dataclass(frozen=True)
class TierTable:
    rows: tuple[TierRow, ...]
    base_rate_bp: int
    base_source: str

    @property
    def base_rate_percent(self) -> Decimal:
        return Decimal(self.base_rate_bp) / 100

    def count(self, tier: str) -> int:
        return sum(1 for row in self.rows if row.tier == tier)


@dataclass(frozen=True)
class _Record:
    posts: int
    gmv: Decimal
    net_profit: Decimal
    median_hours: float | None


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."


def _money(value: Decimal) -> str:
    return number_format(value, 0, force_grouping=True)


def _approval_words(hours: float | None) -> str:
    if hours is None:
        return _("no approvals recorded")
    return _("approved in a median %(hours)s h") % {"hours": number_format(hours, 0)}


def _classify(record: _Record) -> tuple[str, str]:
    """The tier and, in words, why."""
    slow = record.median_hours is not None and record.median_hours > FAST_APPROVAL_HOURS
    facts = ngettext("%(posts)d post, %(gmv)s € GMV", "%(posts)d posts, %(gmv)s € GMV", record.posts) % {
        "posts": record.posts,
        "gmv": _money(record.gmv),
    }
    if record.posts >= CORE_MIN_POSTS and record.gmv >= CORE_MIN_GMV and not slow:
        return CORE, facts + ", " + _approval_words(record.median_hours)
    if record.posts >= RISING_MIN_POSTS and record.gmv >= RISING_MIN_GMV:
        if slow:
            why = _("approval takes a median %(hours)s h (Core: %(limit)s h or less)")
        else:
            why = _("Core needs %(posts)d posts and %(gmv)s € GMV")
        return RISING, facts + "; " + why % {
            "hours": number_format(record.median_hours or 0, 0),
            "limit": number_format(FAST_APPROVAL_HOURS, 0),
            "posts": CORE_MIN_POSTS,
            "gmv": _money(CORE_MIN_GMV),
        }
    if record.posts or record.gmv > 0:
        # Sales without a recorded post come from LIVEs, the showcase or a post nobody linked here.
        if record.posts:
            needs = _("Rising needs %(gmv)s € GMV")
        else:
            needs = _("no post recorded; Rising needs one and %(gmv)s € GMV")
        return TRIAL, facts + "; " + needs % {"gmv": _money(RISING_MIN_GMV)}
    return INACTIVE, _("no posts and no sales yet")


def _suggestion(tier: str, record: _Record, base_bp: int) -> tuple[int, str]:
    """The rate for the tier; a raise is capped so that it cannot turn past profit into a loss."""
    raise_bp = TIER_RAISE_BP[tier]
    if raise_bp and record.gmv > 0:
        # What the raise would have cost on past GMV must stay within the net profit it earned.
        affordable = (record.net_profit / record.gmv * 10000).to_integral_value(ROUND_FLOOR)
        raise_bp = max(0, min(raise_bp, int(affordable)))
    rate = max(MIN_RATE_BP, min(MAX_RATE_BP, base_bp + raise_bp))
    if not TIER_RAISE_BP[tier]:
        return rate, _("the usual rate")
    if raise_bp < TIER_RAISE_BP[tier]:
        return rate, _(
            "a smaller raise than the tier's %(points)s points: net profit so far pays for no more"
        ) % {"points": number_format(Decimal(TIER_RAISE_BP[tier]) / 100, 2)}
    return rate, _("%(points)s points above the usual rate") % {
        "points": number_format(Decimal(raise_bp) / 100, 2)
    }


def base_rate(*, workspace: Workspace) -> tuple[int, str]:
    """The workspace's usual commission rate in 0.01 %, and where it comes from."""
    shop_rates = list(
        ShopCollaboration.objects.for_workspace(workspace).values_list("commission_rate_bp", flat=True)
    )
    if shop_rates:
        return int(statistics.median(shop_rates)), _("median of your target collaborations")
    campaign_rates = [
        rate
        for rate in Campaign.objects.for_workspace(workspace).values_list("commission_rate", flat=True)
        if rate is not None
    ]
    if campaign_rates:
        median = statistics.median(campaign_rates) * 100
        return int(Decimal(median).to_integral_value()), _("median of your campaigns")
    return DEFAULT_BASE_RATE_BP, _("no rate of yours known yet")


def _posts_by_creator(workspace: Workspace, report: ProfitReport) -> dict[int, int]:
    posts = Post.objects.for_workspace(workspace)
    if not report.period.is_open:
        posts = posts.filter(report.period.q("posted_at__date"))
    rows = posts.values("collaboration__creator_id").annotate(n=Count("pk")).order_by()
    return {row["collaboration__creator_id"]: row["n"] for row in rows}


def creator_tiers(*, workspace: Workspace, report: ProfitReport | None = None) -> TierTable:
    """Every creator with a collaboration, by tier (best first), with a rate suggestion and its reason."""
    report = report or profit_report(workspace=workspace)
    base_bp, base_source = base_rate(workspace=workspace)
    posts = _posts_by_creator(workspace, report)
    histories = creator_review_histories(workspace_id=workspace.pk)
    money: dict[int | None, ProfitRow] = {row.creator_id: row for row in report.by_creator}
    creators = (
        Collaboration.objects.for_workspace(workspace)
        .filter(creator__erased_at__isnull=True)
        .values_list("creator_id", "creator__display_name")
        .distinct()
        .order_by()
    )
    rows = []
    for creator_id, name in creators:
        hours = histories[creator_id].hours_to_approval if creator_id in histories else []
        row = money.get(creator_id)
        record = _Record(
            posts=posts.get(creator_id, 0),
            gmv=row.gmv if row else Decimal(0),
            net_profit=row.net_profit if row else Decimal(0),
            median_hours=statistics.median(hours) if hours else None,
        )
        tier, why = _classify(record)
        rate, rate_why = _suggestion(tier, record, base_bp)
        reason = f"{_sentence(why)} {_sentence(rate_why)}"
        rows.append(
            TierRow(
                creator_id,
                name,
                tier,
                record.posts,
                record.gmv,
                record.net_profit,
                record.median_hours,
                rate,
                reason,
            )
        )
    rows.sort(key=lambda r: (TIER_ORDER.index(r.tier), -r.gmv, r.name.lower()))
    return TierTable(tuple(rows), base_bp, base_source)
