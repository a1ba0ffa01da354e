"""Posts, snapshots and alerts in the JSON API, scoped to the token's workspace."""

from __future__ import annotations

import pytest
from django.urls import path
from django.utils import timezone
from ninja import NinjaAPI

from creatordesk.accounts.api import TokenAuth
from creatordesk.accounts.models import Role
from creatordesk.accounts.services import api_token_create
from creatordesk.performance.api import router
from creatordesk.performance.connectors import Snapshot
from creatordesk.performance.models import MetricSnapshot
from creatordesk.performance.services import post_create, snapshots_record

# Mounted on a test API so the tests do not depend on where the project wires the router.
test_api = NinjaAPI(auth=TokenAuth(), urls_namespace="performance-api-test")
test_api.add_router("", router)
urlpatterns = [path("api/", test_api.urls)]
pytestmark = pytest.mark.urls(__name__)


def _auth(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_posts_of_the_own_workspace_are_listed_and_others_are_404(side_a, side_b, client) -> None:
    own = post_create(collaboration=side_a.collaboration, platform="tiktok", external_id="7441")
    other = post_create(collaboration=side_b.collaboration, platform="tiktok", external_id="7449")
    listed = client.get("/api/performance/posts", **_auth(side_a.token)).json()
    assert [p["id"] for p in listed["items"]] == [own.pk] and listed["count"] == 1
    assert client.get(f"/api/performance/posts/{other.pk}", **_auth(side_a.token)).status_code == 404
    assert (
        client.get(f"/api/performance/posts/{other.pk}/snapshots", **_auth(side_a.token)).status_code == 404
    )


def test_a_manager_records_a_snapshot_and_a_viewer_may_not(side_a, client) -> None:
    post = post_create(collaboration=side_a.collaboration, platform="tiktok", external_id="7441")
    taken = timezone.now().replace(microsecond=0).isoformat()
    body = {"taken_at": taken, "views": 1200, "orders": 3, "gmv_eur": "59.70"}
    response = client.post(
        f"/api/performance/posts/{post.pk}/snapshots",
        body,
        content_type="application/json",
        **_auth(side_a.token),
    )
    assert response.status_code == 201 and response.json()["views"] == 1200
    assert MetricSnapshot.objects.get(post=post).orders == 3
    _token, viewer_token = api_token_create(workspace=side_a.workspace, user=side_a.viewer, name="v")
    assert side_a.viewer.memberships.get().role == Role.VIEWER
    refused = client.post(
        f"/api/performance/posts/{post.pk}/snapshots",
        body,
        content_type="application/json",
        **_auth(viewer_token),
    )
    assert refused.status_code == 403
    listed = client.get(f"/api/performance/posts/{post.pk}/snapshots", **_auth(viewer_token)).json()
    assert [s["views"] for s in listed["items"]] == [1200]


def test_negative_figures_are_rejected(side_a, client) -> None:
    post = post_create(collaboration=side_a.collaboration, platform="tiktok", external_id="7441")
    response = client.post(
        f"/api/performance/posts/{post.pk}/snapshots",
        {"taken_at": timezone.now().isoformat(), "views": -5},
        content_type="application/json",
        **_auth(side_a.token),
    )
    assert response.status_code == 422
    assert not MetricSnapshot.objects.exists()


def test_alert_list_needs_a_token(client) -> None:
    assert client.get("/api/performance/alerts").status_code == 401


def test_benchmarks_show_the_workspaces_own_averages_next_to_the_published_ones(
    side_a, side_b, client
) -> None:
    from decimal import Decimal

    from creatordesk.performance.models import Benchmark

    published = Benchmark.objects.get(platform="tiktok", format="video", metric="views", unit="per_post")
    own = post_create(collaboration=side_a.collaboration, platform="tiktok", external_id="7441")
    other = post_create(collaboration=side_b.collaboration, platform="tiktok", external_id="7449")
    taken = timezone.now()
    snapshots_record(
        rows=[(own, Snapshot(taken_at=taken, views=1000)), (other, Snapshot(taken_at=taken, views=9000))]
    )
    listed = client.get("/api/performance/benchmarks", **_auth(side_a.token)).json()
    tiktok = next(row for row in listed["items"] if (row["platform"], row["format"]) == ("tiktok", "video"))
    assert tiktok["posts"] == 1 and tiktok["avg_views"] == 1000  # workspace B's post is not averaged in
    assert Decimal(tiktok["benchmark_views"]) == published.value
    assert published.citation in tiktok["citations"]
    assert listed["count"] == len(listed["items"])


def test_figures_are_those_of_the_performance_page(side_a, side_b, client, login_as) -> None:
    from creatordesk.campaigns.services import collaboration_move

    collaboration_move(collaboration=side_a.collaboration, status="accepted")
    collaboration_move(collaboration=side_b.collaboration, status="posted")
    figures = client.get("/api/performance/figures", **_auth(side_a.token)).json()
    funnel = {step["status"]: step["count"] for step in figures["funnel"]}
    assert funnel["invited"] == funnel["accepted"] == 1 and funnel["sample_sent"] == 0
    assert figures["declined"] == 0 and figures["approval_times"] == []
    assert set(figures["chart"]) >= {"labels", "campaigns", "creators"}
    viewer = api_token_create(workspace=side_a.workspace, user=side_a.viewer, name="v")[1]
    assert client.get("/api/performance/figures", **_auth(viewer)).status_code == 200
