"""The performance page: posts, figures, benchmarks and charts of the own workspace only."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from creatordesk.performance.connectors import Snapshot
from creatordesk.performance.services import post_create, snapshots_record


def _post(side, external_id: str, views: int, *, gmv: str = "0", days_ago: int = 3):
    post = post_create(
        collaboration=side.collaboration,
        platform="tiktok",
        external_id=external_id,
        url=f"https://www.tiktok.com/@x/video/{external_id}",
        posted_at=timezone.now() - timedelta(days=days_ago),
    )
    snapshots_record(
        rows=[
            (post, Snapshot(taken_at=timezone.now(), views=views, likes=10, orders=2, gmv_eur=Decimal(gmv)))
        ]
    )
    return post


def test_empty_page_says_nothing_here_yet_and_still_shows_the_benchmarks(side_a, login_as) -> None:
    response = login_as(side_a.viewer).get("/performance/")
    assert response.status_code == 200
    assert b"Nothing here yet" in response.content
    assert b"28,482" in response.content  # TikTok views per video, Metricool 2026
    assert b"+247 % interactions compared with other formats" in response.content
    assert b"Import metrics" not in response.content  # viewers cannot import


def test_viewer_sees_own_posts_with_latest_figures_and_not_the_other_workspaces(
    side_a, side_b, login_as
) -> None:
    _post(side_a, "7441000000000000001", 31337, gmv="99.90")
    _post(side_b, "7449999999999999999", 4242)
    response = login_as(side_a.viewer).get("/performance/")
    body = response.content
    assert response.status_code == 200
    assert b"7441000000000000001" in body and b"31337" in body
    assert b"7449999999999999999" not in body and b"4242" not in body
    assert side_b.creator.display_name.encode() not in body
    assert side_b.campaign.name.encode() not in body


def test_chart_data_is_embedded_as_json_with_translated_labels(side_a, login_as) -> None:
    _post(side_a, "7441000000000000002", 5000, gmv="120.50")
    response = login_as(side_a.manager).get("/performance/")
    chart = response.context["chart"]
    assert chart["labels"] == [timezone.localdate().isoformat()]
    assert chart["campaigns"] == [
        {"name": side_a.campaign.name, "gmv": [120.5], "orders": [2], "views": [5000]}
    ]
    assert chart["labels_i18n"]["gmv"] == "GMV (EUR)"
    assert b'id="performance-chart-data"' in response.content
    assert b"vendor/chart.umd.min.js" in response.content and b"js/charts.js" in response.content
    json.loads(
        response.content.split(b'id="performance-chart-data" type="application/json">')[1].split(
            b"</script>"
        )[0]
    )


def test_benchmark_row_compares_the_workspace_average_with_the_study(side_a, login_as) -> None:
    _post(side_a, "7441000000000000003", 10000)
    _post(side_a, "7441000000000000004", 30000)
    rows = login_as(side_a.viewer).get("/performance/").context["page"].benchmarks
    tiktok = next(r for r in rows if (r.platform, r.format) == ("tiktok", "video"))
    assert (tiktok.posts, tiktok.avg_views, tiktok.benchmark_views) == (2, 20000, Decimal("28482"))
    assert tiktok.avg_interactions == 10 and tiktok.benchmark_interactions == Decimal("944")


def test_page_query_count_does_not_grow_with_posts(side_a, login_as, django_assert_num_queries) -> None:
    for n in range(12):
        _post(side_a, f"74410000000001{n:02d}", 100 * n)
    client = login_as(side_a.viewer)
    with django_assert_num_queries(14):
        assert client.get("/performance/").status_code == 200


def test_the_funnel_counts_each_collaboration_up_to_its_step_and_declined_ones_as_invited(side_a) -> None:
    from creatordesk.campaigns.models import Collaboration, CollaborationStatus
    from creatordesk.creators.services import creator_create
    from creatordesk.performance.selectors import pipeline_funnel

    for n, status in enumerate(["posted", "briefed", "declined", "invited"]):
        creator = creator_create(workspace=side_a.workspace, display_name=f"Funnel {n}")
        Collaboration.objects.create(
            workspace=side_a.workspace, campaign=side_a.campaign, creator=creator, status=status
        )
    steps, declined = pipeline_funnel(side_a.workspace)
    counts = {step.status: step.count for step in steps}
    assert declined == 1
    assert counts[CollaborationStatus.INVITED] == 4  # side_a's own collaboration is still a prospect
    assert counts[CollaborationStatus.BRIEFED] == 2
    assert counts[CollaborationStatus.POSTED] == 1
    assert counts[CollaborationStatus.PAID] == 0
