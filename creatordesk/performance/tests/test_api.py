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
from creatordesk.performance.models import MetricSnapshot
from creatordesk.performance.services import post_create

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
    assert [p["id"] for p in listed] == [own.pk]
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
    assert [s["views"] for s in listed] == [1200]


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
