"""Creators hand over Spark Ads codes through their portal link, for their own posts only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import include, path
from django.utils import timezone

from creatordesk.campaigns.services import collaboration_create
from creatordesk.creators.portal import portal_token_for
from creatordesk.performance.models import AmplifyTask
from creatordesk.performance.services import amplify_task_request, post_create
from creatordesk.urls import urlpatterns as project_urlpatterns

# The project mounts the portal here; the tests do the same so they do not depend on that wiring.
urlpatterns = [
    path("creators/portal/<str:token>/amplify/", include("creatordesk.performance.portal_urls")),
    *project_urlpatterns,
]
pytestmark = pytest.mark.urls(__name__)


def _task(collaboration, external_id: str) -> AmplifyTask:
    post = post_create(collaboration=collaboration, platform="tiktok", external_id=external_id)
    return amplify_task_request(post=post)


def _valid_until() -> str:
    return (timezone.localdate() + timedelta(days=30)).isoformat()


def test_creator_enters_the_spark_code_for_their_own_post(side_a, client) -> None:
    task = _task(side_a.collaboration, "7441")
    token = portal_token_for(side_a.creator)
    listing = client.get(f"/creators/portal/{token}/amplify/")
    assert listing.status_code == 200 and side_a.campaign.name.encode() in listing.content
    response = client.post(
        f"/creators/portal/{token}/amplify/{task.pk}/",
        {"spark_code": " #SparkAuth123 ", "code_expires_on": _valid_until()},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.spark_code) == ("received", "#SparkAuth123")
    assert task.received_at is not None


def test_creator_cannot_open_or_fill_another_creators_request(side_a, client) -> None:
    other_collab = collaboration_create(campaign=side_a.campaign, creator=side_a.other_creator)
    task = _task(other_collab, "7442")
    token = portal_token_for(side_a.creator)
    url = f"/creators/portal/{token}/amplify/{task.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"spark_code": "#x", "code_expires_on": _valid_until()}).status_code == 404
    task.refresh_from_db()
    assert task.spark_code == ""
    assert b"7442" not in client.get(f"/creators/portal/{token}/amplify/").content


def test_creator_of_another_workspace_gets_404(side_a, side_b, client) -> None:
    task = _task(side_a.collaboration, "7443")
    assert (
        client.get(f"/creators/portal/{portal_token_for(side_b.creator)}/amplify/{task.pk}/").status_code
        == 404
    )


def test_an_expired_code_or_a_forged_link_is_refused(side_a, client) -> None:
    task = _task(side_a.collaboration, "7444")
    token = portal_token_for(side_a.creator)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        f"/creators/portal/{token}/amplify/{task.pk}/", {"spark_code": "#x", "code_expires_on": past}
    )
    assert response.status_code == 400 and b"already expired" in response.content
    assert client.get(f"/creators/portal/{token}x/amplify/").status_code == 404


def test_a_request_in_use_can_no_longer_be_changed_by_the_creator(side_a, client) -> None:
    task = _task(side_a.collaboration, "7445")
    AmplifyTask.objects.filter(pk=task.pk).update(status="in_use", spark_code="#old")
    response = client.post(
        f"/creators/portal/{portal_token_for(side_a.creator)}/amplify/{task.pk}/",
        {"spark_code": "#new", "code_expires_on": _valid_until()},
    )
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.spark_code == "#old"
