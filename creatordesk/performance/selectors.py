"""Reads of the performance app: the performance page, benchmark comparison and chart series."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import FloatField, OuterRef, Q, Subquery
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.accounts.models import Workspace
from creatordesk.creators.models import Creator, Platform
from creatordesk.performance.models import (
    AmplifyTask,
    Benchmark,
    MetricSnapshot,
    Post,
    PostFormat,
    ViralAlert,
)

CHART_DAYS = 90
PAGE_POSTS = 100


@dataclass
class PostRow:
    post: Post
    latest: MetricSnapshot | None


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

    @property
    def platform_label(self) -> str:
        return platform_label(self.platform)

    @property
    def format_label(self) -> str:
        return format_label(self.format)


@dataclass
class PerformancePage:
    posts: list[PostRow]
    alerts: list[ViralAlert]
    tasks: list[AmplifyTask]
    benchmarks: list[BenchmarkRow]
    chart: dict[str, Any]

    @property
    def empty(self) -> bool:
        return not self.posts


def _latest_by_post(workspace: Workspace) -> dict[int, MetricSnapshot]:
    newest = MetricSnapshot.objects.filter(post=OuterRef("post")).order_by("-taken_at").values("taken_at")[:1]
    rows = MetricSnapshot.objects.for_workspace(workspace).filter(taken_at=Subquery(newest))
    return {snap.post_id: snap for snap in rows.only("post_id", "taken_at", *_METRICS)}


_METRICS = ("views", "likes", "comments", "shares", "saves", "orders", "gmv_eur")


def benchmark_rows(posts: list[Post], latest: dict[int, MetricSnapshot]) -> list[BenchmarkRow]:
    """Average views and interactions per post of the workspace next to the published figures."""
    groups: dict[tuple[str, str], list[MetricSnapshot]] = defaultdict(list)
    for post in posts:
        if post.pk in latest:
            groups[(post.platform, post.format)].append(latest[post.pk])
    published: dict[tuple[str, str], list[Benchmark]] = defaultdict(list)
    for bench in Benchmark.objects.all():
        published[(bench.platform, bench.format)].append(bench)
    rows = []
    for key in sorted(set(groups) | set(published)):
        snaps = groups.get(key, [])
        benches = published.get(key, [])
        absolute = {b.metric: b.value for b in benches if b.unit == "per_post"}
        rows.append(
            BenchmarkRow(
                platform=key[0],
                format=key[1],
                posts=len(snaps),
                avg_views=sum(s.views for s in snaps) / len(snaps) if snaps else None,
                avg_interactions=sum(s.interactions for s in snaps) / len(snaps) if snaps else None,
                benchmark_views=absolute.get("views"),
                benchmark_interactions=absolute.get("interactions"),
                notes=[benchmark_note(b) for b in benches if b.unit != "per_post"],
                citations=sorted({b.citation for b in benches}),
            )
        )
    return rows


def _add_to_totals(totals: dict[str, list[float]], row: tuple[str, int, int, float], sign: int) -> None:
    name, views, orders, gmv = row
    totals[name][0] += sign * gmv
    totals[name][1] += sign * orders
    totals[name][2] += sign * views


def chart_series(workspace: Workspace, *, days: int = CHART_DAYS) -> dict[str, Any]:
    """Daily cumulative GMV, orders and views per campaign (each post's last figure of the day)."""
    start = timezone.localdate() - timedelta(days=days - 1)
    start_at = datetime.combine(start, time.min, tzinfo=timezone.get_current_timezone())
    campaign_of = dict(
        Post.objects.for_workspace(workspace).values_list("pk", "collaboration__campaign__name")
    )
    # The day and a float GMV come from the database: converting tens of thousands of datetimes and
    # decimals in Python was most of this page's time.
    snaps = (
        MetricSnapshot.objects.for_workspace(workspace)
        .filter(taken_at__gte=start_at)
        .annotate(day=TruncDate("taken_at"), gmv=Cast("gmv_eur", FloatField()))
        .order_by("taken_at")
        .values_list("post_id", "day", "views", "orders", "gmv")
    )
    per_day: dict[date, dict[int, tuple[str, int, int, float]]] = defaultdict(dict)
    for post_id, day, views, orders, gmv in snaps:
        per_day[day][post_id] = (campaign_of[post_id], views, orders, gmv or 0.0)
    if not per_day:
        return {"labels": [], "campaigns": []}
    days_list = [min(per_day) + timedelta(days=i) for i in range((max(per_day) - min(per_day)).days + 1)]
    # Running totals per campaign: a post's new figure replaces its old one, so each snapshot is
    # touched once instead of every post being summed again for every day.
    current: dict[int, tuple[str, int, int, float]] = {}
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    campaigns: dict[str, dict[str, list[float]]] = {}
    for index, day in enumerate(days_list):
        for post_id, row in per_day.get(day, {}).items():
            if post_id in current:
                _add_to_totals(totals, current[post_id], -1)
            _add_to_totals(totals, row, 1)
            current[post_id] = row
        for campaign, (gmv_sum, order_sum, view_sum) in totals.items():
            series = campaigns.setdefault(
                campaign,
                {
                    "gmv": [0.0] * len(days_list),
                    "orders": [0] * len(days_list),
                    "views": [0] * len(days_list),
                },
            )
            series["gmv"][index] = round(gmv_sum, 2)
            series["orders"][index] = int(order_sum)
            series["views"][index] = int(view_sum)
    return {
        "labels": [d.isoformat() for d in days_list],
        "campaigns": [{"name": name, **series} for name, series in sorted(campaigns.items())],
    }


def performance_page(*, workspace: Workspace) -> PerformancePage:
    posts = list(
        Post.objects.for_workspace(workspace).select_related(
            "collaboration__campaign", "collaboration__creator"
        )[:PAGE_POSTS]
    )
    all_posts = list(Post.objects.for_workspace(workspace).only("pk", "platform", "format"))
    latest = _latest_by_post(workspace)
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
    return PerformancePage(
        posts=[PostRow(p, latest.get(p.pk)) for p in posts],
        alerts=alerts,
        tasks=tasks,
        benchmarks=benchmark_rows(all_posts, latest),
        chart=chart_series(workspace),
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
    return {**dict(Platform.choices), "linkedin": "LinkedIn"}.get(platform, platform)


def format_label(fmt: str) -> str:
    return str({**dict(PostFormat.choices), "poll": _("Poll")}.get(fmt, fmt))
