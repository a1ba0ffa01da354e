"""Bulk ingest: stored snapshots, each post's newest figures and the daily gains always agree.

The expected figures are worked out here from the stored snapshots alone, the slow and obvious way,
and compared with what the ingest kept up to date along the way.
"""

from __future__ import annotations

import importlib
import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from creatordesk.campaigns.services import collaboration_create
from creatordesk.creators.services import creator_create
from creatordesk.performance import ingest
from creatordesk.performance.ingest import UnknownPostError, figures_rebuild, snapshots_ingest
from creatordesk.performance.models import DailyTotal, MetricSnapshot, Post
from creatordesk.performance.selectors import chart_series
from creatordesk.performance.services import post_create

# Evening in Berlin: the UTC day differs.
START = datetime(2026, 11, 1, 20, 0, tzinfo=timezone.get_current_timezone())


def _posts(side, count: int = 3) -> list[Post]:
    other = collaboration_create(
        campaign=side.campaign,
        creator=creator_create(workspace=side.workspace, display_name="Second Creator"),
    )
    return [
        post_create(
            collaboration=side.collaboration if n % 2 == 0 else other,
            platform="tiktok",
            external_id=f"7450000000000000{n:03d}",
            posted_at=START - timedelta(hours=1),
        )
        for n in range(count)
    ]


def _row(post: Post, hours: float, views, orders=0, gmv="0", likes=0) -> ingest.Row:
    gmv_value = None if gmv is None else Decimal(gmv)
    return (post.pk, START + timedelta(hours=hours), views, likes, 0, 0, 0, orders, gmv_value)


def _expected(workspace) -> tuple[dict[int, tuple], dict[tuple[int, date], tuple]]:
    """Newest figures per post and cumulative (views, orders, GMV) per collaboration and local day."""
    newest: dict[int, tuple] = {}
    day_last: dict[int, dict[date, tuple]] = defaultdict(dict)
    for snap in MetricSnapshot.objects.filter(workspace=workspace).order_by("post_id", "taken_at"):
        newest[snap.post_id] = (snap.taken_at, snap.views, snap.likes, snap.orders, snap.gmv_eur)
        day_last[snap.post_id][timezone.localdate(snap.taken_at)] = (snap.views, snap.orders, snap.gmv_eur)
    collaboration_of = dict(Post.objects.filter(workspace=workspace).values_list("pk", "collaboration_id"))
    days = sorted({day for per_post in day_last.values() for day in per_post})
    cumulative: dict[tuple[int, date], tuple] = {}
    for day in days:
        sums: dict[int, list] = defaultdict(lambda: [0, 0, Decimal(0)])
        for post_id, per_post in day_last.items():
            known = [d for d in per_post if d <= day]
            if known:
                figures = per_post[max(known)]
                total = sums[collaboration_of[post_id]]
                for i in range(3):
                    total[i] += figures[i]
        for collaboration_id, total in sums.items():
            cumulative[(collaboration_id, day)] = tuple(total)
    return newest, cumulative


def _kept(workspace, days) -> tuple[dict[int, tuple], dict[tuple[int, date], tuple]]:
    newest = {
        post.pk: (post.metrics_at, post.views, post.likes, post.orders, post.gmv_eur)
        for post in Post.objects.filter(workspace=workspace, metrics_at__isnull=False)
    }
    cumulative = {}
    for collaboration_id in {c for c, _day in days}:
        rows = list(DailyTotal.objects.filter(collaboration_id=collaboration_id).order_by("day"))
        for day in sorted(d for c, d in days if c == collaboration_id):
            upto = [r for r in rows if r.day <= day]
            cumulative[(collaboration_id, day)] = (
                sum(r.views for r in upto),
                sum(r.orders for r in upto),
                sum((r.gmv_eur for r in upto), Decimal(0)),
            )
    return newest, cumulative


def _assert_consistent(workspace) -> None:
    expected_newest, expected_days = _expected(workspace)
    assert _kept(workspace, expected_days.keys()) == (expected_newest, expected_days)


def test_polled_rows_are_stored_and_totals_follow(side_a) -> None:
    posts = _posts(side_a)
    result = snapshots_ingest(
        workspace_id=side_a.workspace.pk,
        rows=[
            _row(p, h, 100 * h * (n + 1), orders=h, gmv=f"{h}.50")
            for h in range(1, 30)
            for n, p in enumerate(posts)
        ],
    )
    assert result.stored == 29 * 3
    assert result.newest[posts[0].pk] == START + timedelta(hours=29)
    posts[0].refresh_from_db()
    assert (posts[0].views, posts[0].orders, posts[0].gmv_eur) == (2900, 29, Decimal("29.50"))
    _assert_consistent(side_a.workspace)


def test_a_missing_figure_is_carried_forward_within_a_batch_and_from_stored_rows(side_a) -> None:
    post = _posts(side_a, 1)[0]
    snapshots_ingest(workspace_id=side_a.workspace.pk, rows=[_row(post, 1, 500, likes=7)])
    snapshots_ingest(
        workspace_id=side_a.workspace.pk,
        rows=[
            _row(post, 2, None, orders=3, gmv="30", likes=None),
            _row(post, 3, None, orders=4, gmv=None, likes=9),
        ],
    )
    stored = list(MetricSnapshot.objects.filter(post=post).values_list("views", "likes", "orders", "gmv_eur"))
    assert stored == [(500, 7, 0, Decimal("0")), (500, 7, 3, Decimal("30")), (500, 9, 4, Decimal("30"))]
    _assert_consistent(side_a.workspace)


def test_backfills_corrections_and_repeats_keep_every_total_right(side_a) -> None:
    posts = _posts(side_a)
    rng = random.Random(3)
    workspace_id = side_a.workspace.pk
    for _round in range(6):
        rows = []
        for post in posts:
            for _ in range(rng.randrange(1, 25)):
                hours = rng.randrange(0, 24 * 6)  # anywhere in six days: out of order, overlapping
                rows.append(
                    _row(
                        post,
                        hours,
                        rng.randrange(0, 10_000),
                        rng.randrange(0, 50),
                        f"{rng.randrange(0, 999)}.25",
                    )
                )
        snapshots_ingest(workspace_id=workspace_id, rows=rows)
        _assert_consistent(side_a.workspace)
    figures_before = _kept(side_a.workspace, _expected(side_a.workspace)[1].keys())
    figures_rebuild(workspace_id=workspace_id)
    assert _kept(side_a.workspace, _expected(side_a.workspace)[1].keys()) == figures_before


def test_rows_in_several_chunks_and_two_rows_for_one_moment(side_a, monkeypatch) -> None:
    monkeypatch.setattr(ingest, "CHUNK_ROWS", 7)
    post = _posts(side_a, 1)[0]
    rows = [_row(post, h, 10 * h) for h in range(40)]
    rows.insert(20, _row(post, 19, 999))  # the same moment twice: the later row wins
    rows += [_row(post, 5, 55)]  # a correction of an earlier moment, in a later chunk
    result = snapshots_ingest(workspace_id=side_a.workspace.pk, rows=rows)
    assert MetricSnapshot.objects.filter(post=post).count() == 40
    assert MetricSnapshot.objects.get(post=post, taken_at=START + timedelta(hours=19)).views == 999
    assert MetricSnapshot.objects.get(post=post, taken_at=START + timedelta(hours=5)).views == 55
    assert result.newest[post.pk] == START + timedelta(hours=39)
    _assert_consistent(side_a.workspace)


def test_posts_of_another_workspace_are_refused_and_nothing_is_stored(side_a, side_b) -> None:
    own = _posts(side_a, 1)[0]
    foreign = post_create(
        collaboration=side_b.collaboration, platform="tiktok", external_id="7459999999999999999"
    )
    with pytest.raises(UnknownPostError):
        snapshots_ingest(workspace_id=side_a.workspace.pk, rows=[_row(own, 1, 5), _row(foreign, 1, 5)])
    assert not MetricSnapshot.objects.exists()
    assert not DailyTotal.objects.exists()


def test_a_moment_stored_meanwhile_by_another_writer_is_updated_not_refused(side_a) -> None:
    """On PostgreSQL the COPY fails on the duplicate and the rows go in as upserts instead."""
    post = _posts(side_a, 1)[0]
    moment = START + timedelta(hours=1)
    MetricSnapshot.objects.create(workspace=side_a.workspace, post=post, taken_at=moment, views=1)
    stored_value = (
        connection.ops.adapt_datetimefield_value(moment) if connection.vendor == "sqlite" else moment
    )
    ingest._append([(side_a.workspace.pk, post.pk, stored_value, 77, 0, 0, 0, 0, 0, 0)])
    assert MetricSnapshot.objects.get(post=post, taken_at=moment).views == 77


def test_the_chart_reads_the_totals_by_campaign_and_by_creator(side_a) -> None:
    posts = _posts(side_a, 2)
    now = timezone.now().replace(microsecond=0)
    rows = [
        (posts[0].pk, now - timedelta(days=2), 100, 0, 0, 0, 0, 1, Decimal("10")),
        (posts[0].pk, now, 300, 0, 0, 0, 0, 2, Decimal("20")),
        (posts[1].pk, now - timedelta(days=1), 50, 0, 0, 0, 0, 0, Decimal("0")),
    ]
    snapshots_ingest(workspace_id=side_a.workspace.pk, rows=rows)
    chart = chart_series(side_a.workspace)
    assert chart["labels"][-1] == timezone.localdate().isoformat()
    (campaign,) = chart["campaigns"]
    assert campaign["name"] == side_a.campaign.name
    assert campaign["views"][-3:] == [100, 150, 350]
    assert campaign["gmv"][-1] == 20.0 and campaign["orders"][-1] == 2
    assert {c["name"]: c["views"][-1] for c in chart["creators"]} == {
        side_a.collaboration.creator.display_name: 300,
        "Second Creator": 50,
    }


def test_the_migration_derives_figures_for_snapshots_stored_before_it(side_a) -> None:
    post = _posts(side_a, 1)[0]
    for hours, views in ((1, 10), (30, 40), (31, 45)):
        MetricSnapshot.objects.create(
            workspace=side_a.workspace,
            post=post,
            taken_at=START + timedelta(hours=hours),
            views=views,
            orders=1,
        )
    migration = importlib.import_module("creatordesk.performance.migrations.0003_post_figures_daily_totals")
    migration.fill(django_apps, None)
    _assert_consistent(side_a.workspace)


def test_a_correction_in_the_hour_the_clocks_go_back_replaces_the_stored_moment(side_a) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    post = _posts(side_a, 1)[0]
    first_0230 = datetime(2026, 10, 25, 2, 30, tzinfo=berlin)  # summer time, the first 02:30
    snapshots_ingest(workspace_id=side_a.workspace.pk, rows=[(post.pk, first_0230, 100, 1, 0, 0, 0, 1, None)])
    snapshots_ingest(
        workspace_id=side_a.workspace.pk,
        rows=[(post.pk, first_0230, 150, None, 0, 0, 0, 2, Decimal("5"))],  # the same instant, corrected
    )
    stored = list(MetricSnapshot.objects.filter(post=post).values_list("views", "likes", "orders"))
    assert stored == [(150, 1, 2)]
    post.refresh_from_db()
    assert (post.views, post.orders, post.gmv_eur) == (150, 2, Decimal("5"))
    _assert_consistent(side_a.workspace)


def test_deleting_a_post_takes_its_figures_out_of_the_totals(side_a) -> None:
    posts = _posts(side_a, 2)
    snapshots_ingest(
        workspace_id=side_a.workspace.pk, rows=[_row(p, h, 100 * h, orders=h) for h in (1, 30) for p in posts]
    )
    posts[0].delete()
    _assert_consistent(side_a.workspace)
    assert DailyTotal.objects.aggregate(views=Sum("views"))["views"] == 3000


def test_the_rebuild_command_agrees_with_what_the_ingest_kept(side_a) -> None:
    posts = _posts(side_a, 2)
    snapshots_ingest(
        workspace_id=side_a.workspace.pk,
        rows=[_row(p, h, 7 * h, gmv="1.5") for h in range(50) for p in posts],
    )
    kept = _kept(side_a.workspace, _expected(side_a.workspace)[1].keys())
    out = StringIO()
    call_command("rebuild_performance_figures", workspace=side_a.workspace.pk, stdout=out)
    assert "2 posts" in out.getvalue()
    assert _kept(side_a.workspace, _expected(side_a.workspace)[1].keys()) == kept
