"""Reads of the performance app: the performance page, benchmark comparison and chart series."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Collaboration, CollaborationStatus
from creatordesk.creators.models import Creator, Platform
from creatordesk.performance.models import AmplifyTask, Benchmark, DailyTotal, Post, PostFormat, ViralAlert
from creatordesk.reviews.selectors import approval_sla

CHART_DAYS = 90
PAGE_POSTS = 100
CHART_CREATORS = 8


@dataclass
class BenchmarkRow:
    platform: str
    format: str
    posts: int
    avg_views: float | None
    avg_interactions: float | None
    benchmark_views: Decimal | None
    benchmark_interactions: Decimal | None
    notes: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    footnotes: list[int] = field(default_factory=list)  # numbers of its citations in the page's sources

    @property
    def platform_label(self) -> str:
        return platform_label(self.platform)

    @property
    def format_label(self) -> str:
        return format_label(self.format)


@dataclass
class FunnelStep:
    status: str
    label: str
    count: int  # collaborations at this step or further along


@dataclass
class PerformancePage:
    posts: list[Post]
    alerts: list[ViralAlert]
    tasks: list[AmplifyTask]
    benchmarks: list[BenchmarkRow]
    benchmark_sources: list[str]  # each cited once, numbered from 1 in this order
    chart: dict[str, Any]
    funnel: list[FunnelStep]
    declined: int
    sla: list[tuple[str, float, int]]

    @property
    def empty(self) -> bool:
        return not self.posts


def benchmark_rows(workspace: Workspace) -> list[BenchmarkRow]:
    """Average views and interactions per post of the workspace next to the published figures.

    Only platforms posts can be recorded for: a study's figures for other networks (LinkedIn) have
    nothing of the workspace's own to be compared with.
    """
    interactions = F("likes") + F("comments") + F("shares") + F("saves")
    averages = (
        Post.objects.for_workspace(workspace)
        .filter(metrics_at__isnull=False)
        .values("platform", "format")
        .annotate(posts=Count("pk"), avg_views=Avg("views"), avg_interactions=Avg(interactions))
        .order_by()
    )
    own = {(row["platform"], row["format"]): row for row in averages}
    published: dict[tuple[str, str], list[Benchmark]] = defaultdict(list)
    for bench in Benchmark.objects.filter(platform__in=Platform.values):
        published[(bench.platform, bench.format)].append(bench)
    rows = []
    for key in sorted(set(own) | set(published)):
        mine: dict[str, Any] = dict(own.get(key, {}))
        benches = published.get(key, [])
        absolute = {b.metric: b.value for b in benches if b.unit == "per_post"}
        rows.append(
            BenchmarkRow(
                platform=key[0],
                format=key[1],
                posts=mine.get("posts", 0),
                avg_views=mine.get("avg_views"),
                avg_interactions=mine.get("avg_interactions"),
                benchmark_views=absolute.get("views"),
                benchmark_interactions=absolute.get("interactions"),
                notes=[benchmark_note(b) for b in benches if b.unit != "per_post"],
                citations=sorted({b.citation for b in benches}),
            )
        )
    return rows


def benchmark_sources(rows: list[BenchmarkRow]) -> list[str]:
    """The distinct citations of the rows, once each; every row learns its footnote numbers."""
    sources: list[str] = []
    for row in rows:
        for citation in row.citations:
            if citation not in sources:
                sources.append(citation)
        row.footnotes = [sources.index(citation) + 1 for citation in row.citations]
    return sources


def chart_series(workspace: Workspace, *, days: int = CHART_DAYS) -> dict[str, Any]:
    """Cumulative GMV, orders and views per day, per campaign and for the leading creators.

    Read from the daily gains the ingest keeps (DailyTotal): a few rows per collaboration and day,
    however many snapshots lie behind them.
    """
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    totals = DailyTotal.objects.for_workspace(workspace)
    groups_of = {
        pk: (campaign, (creator_id, creator))
        for pk, campaign, creator_id, creator in Collaboration.objects.for_workspace(workspace).values_list(
            "pk", "campaign__name", "creator_id", "creator__display_name"
        )
    }
    # What each collaboration had gained before the first day shown, then day by day.
    earlier = list(
        totals.filter(day__lt=start)
        .values("collaboration_id")
        .annotate(gmv=Sum("gmv_eur"), orders=Sum("orders"), views=Sum("views"))
        .order_by()
        .values_list("collaboration_id", "gmv", "orders", "views")
    )
    per_day: dict[date, list[tuple[int, Any, int, int]]] = defaultdict(list)
    recent = totals.filter(day__gte=start, day__lte=today).values_list(
        "collaboration_id", "day", "gmv_eur", "orders", "views"
    )
    for collaboration_id, day, gmv, orders, views in recent:
        per_day[day].append((collaboration_id, gmv, orders, views))
    if not per_day and not earlier:
        return {"labels": [], "campaigns": [], "creators": []}
    first = start if earlier else min(per_day)
    labels = [first + timedelta(days=i) for i in range((today - first).days + 1)]
    campaigns: dict[str, _Series] = {}
    creators: dict[tuple[int, str], _Series] = {}

    def add(collaboration_id: int, gmv: Any, orders: int | None, views: int | None) -> None:
        campaign, creator = groups_of[collaboration_id]
        for series in (
            campaigns.setdefault(campaign, _Series(campaign, len(labels))),
            creators.setdefault(creator, _Series(creator[1], len(labels))),
        ):
            series.add(float(gmv or 0), orders or 0, views or 0)

    for row in earlier:
        add(*row)
    for index, day in enumerate(labels):
        for row in per_day.get(day, []):
            add(*row)
        for series in (*campaigns.values(), *creators.values()):
            series.record(index)
    leading = sorted(creators.values(), key=lambda series: (-series.gmv, -series.views))
    return {
        "labels": [d.isoformat() for d in labels],
        "campaigns": [campaigns[name].as_dict() for name in sorted(campaigns)],
        "creators": [series.as_dict() for series in leading[:CHART_CREATORS]],
    }


class _Series:
    """Running GMV, orders and views of one campaign or creator, and their value on each day shown."""

    def __init__(self, name: str, days: int) -> None:
        self.name = name
        self.gmv, self.orders, self.views = 0.0, 0, 0
        self.daily: dict[str, list[Any]] = {"gmv": [0.0] * days, "orders": [0] * days, "views": [0] * days}

    def add(self, gmv: float, orders: int, views: int) -> None:
        self.gmv += gmv
        self.orders += orders
        self.views += views

    def record(self, index: int) -> None:
        self.daily["gmv"][index] = round(self.gmv, 2)
        self.daily["orders"][index] = self.orders
        self.daily["views"][index] = self.views

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, **self.daily}


FUNNEL = [
    CollaborationStatus.INVITED,
    CollaborationStatus.ACCEPTED,
    CollaborationStatus.SAMPLE_SENT,
    CollaborationStatus.BRIEFED,
    CollaborationStatus.DRAFT_SUBMITTED,
    CollaborationStatus.APPROVED,
    CollaborationStatus.POSTED,
    CollaborationStatus.PAID,
]


def pipeline_funnel(workspace: Workspace) -> tuple[list[FunnelStep], int]:
    """How many collaborations got at least as far as each step, and how many were declined.

    A declined collaboration counts as invited (it was asked) and no further: how far it got
    before is not recorded.
    """
    counts = dict(
        Collaboration.objects.for_workspace(workspace)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    position = {status: index for index, status in enumerate(CollaborationStatus.values)}
    declined = counts.get(CollaborationStatus.DECLINED, 0)
    steps = []
    for step in FUNNEL:
        reached = sum(
            n
            for status, n in counts.items()
            if status != CollaborationStatus.DECLINED and position.get(status, -1) >= position[step]
        )
        if step == CollaborationStatus.INVITED:
            reached += declined
        steps.append(FunnelStep(step, str(CollaborationStatus(step).label), reached))
    return steps, declined


def performance_page(*, workspace: Workspace) -> PerformancePage:
    posts = list(
        Post.objects.for_workspace(workspace).select_related(
            "collaboration__campaign", "collaboration__creator"
        )[:PAGE_POSTS]
    )
    now = timezone.now()
    alerts = list(
        ViralAlert.objects.for_workspace(workspace)
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))
        .select_related("post__collaboration__creator")[:50]
    )
    tasks = list(
        AmplifyTask.objects.for_workspace(workspace)
        .exclude(status=AmplifyTask.Status.EXPIRED)
        .select_related("post__collaboration__creator")[:50]
    )
    funnel, declined = pipeline_funnel(workspace)
    benchmarks = benchmark_rows(workspace)
    return PerformancePage(
        posts=posts,
        alerts=alerts,
        tasks=tasks,
        benchmarks=benchmarks,
        benchmark_sources=benchmark_sources(benchmarks),
        chart=chart_series(workspace),
        funnel=funnel,
        declined=declined,
        sla=approval_sla(workspace=workspace),
    )


def creator_amplify_tasks(*, creator: Creator) -> list[AmplifyTask]:
    return list(
        AmplifyTask.objects.filter(post__collaboration__creator=creator).select_related(
            "post__collaboration__campaign"
        )
    )


def benchmark_note(bench: Benchmark) -> str:
    """A relative benchmark as a sentence, e.g. "+247 % interactions compared with other formats"."""
    metric = {"views": _("views"), "interactions": _("interactions"), "reach": _("reach")}.get(
        bench.metric, bench.metric
    )
    value = f"{bench.value.normalize():f}"
    if bench.unit == "times":
        text = _("about %(value)s× the %(metric)s") % {"value": value, "metric": metric}
    else:
        text = _("+%(value)s %% %(metric)s") % {"value": value, "metric": metric}
    baseline = {"single images": _("single images"), "other formats": _("other formats")}.get(
        bench.compared_with, bench.compared_with
    )
    if baseline:
        text = _("%(text)s compared with %(baseline)s") % {"text": text, "baseline": baseline}
    return text


def platform_label(platform: str) -> str:
    return dict(Platform.choices).get(platform, platform)


def format_label(fmt: str) -> str:
    return str(dict(PostFormat.choices).get(fmt, fmt))
