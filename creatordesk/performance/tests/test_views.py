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
    assert b"+56 % interactions compared with other formats" in response.content  # Facebook videos
    assert b"Import metrics" not in response.content  # viewers cannot import


def test_viewer_sees_own_posts_with_latest_figures_and_not_the_other_workspaces(
    side_a, side_b, login_as
) -> None:
    _post(side_a, "7441000000000000001", 31337, gmv="99.90")
    _post(side_b, "7449999999999999999", 4242)
    response = login_as(side_a.viewer).get("/performance/")
    body = response.content
    assert response.status_code == 200
    assert b"7441000000000000001" in body and b"31,337" in body
    assert b"7449999999999999999" not in body and b"4,242" not in body
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


def test_an_empty_workspace_shows_the_alert_and_spark_ads_sections_saying_when_they_fill(
    side_a, login_as
) -> None:
    page = login_as(side_a.viewer).get("/performance/").content.decode()
    assert "Breakout alerts" in page and "No breakout alerts right now" in page
    assert "in its first 7 days" in page and "3× its creator's median" in page
    assert "Spark Ads requests" in page and "No Spark Ads requests yet" in page
    assert "asked for a Spark Ads code" in page
    assert 'data-testid="viral-alert"' not in page and 'data-testid="amplify-task"' not in page


def test_an_alert_and_its_spark_ads_request_replace_the_empty_states(side_a, login_as) -> None:
    now = timezone.now()

    def video(external_id: str, posted_days_ago: int, views_after_a_day: int) -> None:
        post = post_create(
            collaboration=side_a.collaboration,
            platform="tiktok",
            external_id=external_id,
            posted_at=now - timedelta(days=posted_days_ago),
        )
        taken_at = now - timedelta(days=posted_days_ago - 1)
        snapshots_record(rows=[(post, Snapshot(taken_at=taken_at, views=views_after_a_day))])

    for n in range(3):  # the creator's earlier videos: about a thousand views on their first day
        video(f"74410000000002{n:02d}", 10 + n, 1000 + n)
    video("7441000000000000300", 1, 40000)
    page = login_as(side_a.viewer).get("/performance/").content.decode()
    assert page.count('data-testid="viral-alert"') == 1 and page.count('data-testid="amplify-task"') == 1
    assert "No breakout alerts right now" not in page and "No Spark Ads requests yet" not in page


def test_counts_are_grouped_in_thousands_the_way_the_readers_language_writes_them(side_a, login_as) -> None:
    _post(side_a, "7441000000000000005", 12345, gmv="1234.50")
    client = login_as(side_a.viewer)
    english = client.get("/performance/").content.decode()
    assert ">12,345<" in english and ">1,234.50<" in english and ">28,482<" in english
    client.post("/accounts/language/", {"language": "de", "next": "/"})
    german = client.get("/performance/").content.decode()
    assert ">12.345<" in german and ">1.234,50<" in german and ">28.482<" in german
    assert "12,345" not in german


def test_benchmarks_leave_out_platforms_posts_cannot_be_recorded_for(side_a, login_as) -> None:
    from creatordesk.creators.models import Platform
    from creatordesk.performance.models import Benchmark

    assert Benchmark.objects.filter(platform="linkedin").exists()  # the study covers LinkedIn
    response = login_as(side_a.viewer).get("/performance/")
    rows = response.context["page"].benchmarks
    assert rows and {row.platform for row in rows} <= set(Platform.values)
    assert b"LinkedIn" not in response.content and b"+247 %" not in response.content


def test_the_study_is_cited_once_as_a_footnote_every_benchmark_row_points_to(side_a, login_as) -> None:
    from creatordesk.performance.models import Benchmark

    citation = Benchmark.objects.values_list("citation", flat=True).first()
    page = login_as(side_a.viewer).get("/performance/").content.decode()
    assert citation and page.count(citation) == 1
    assert f'<li id="bench-source-1">{citation}</li>' in page
    rows = page.count('data-testid="benchmark-row"')
    assert rows >= 4 and page.count('href="#bench-source-1"') == rows
