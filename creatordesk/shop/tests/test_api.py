"""The shop endpoints of the JSON API, served by an API with the project's auth and error handlers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.test import Client
from django.urls import path
from django_tasks_db.models import DBTaskResult
from ninja import NinjaAPI

from creatordesk import api as project_api
from creatordesk.accounts.api import TokenAuth
from creatordesk.accounts.models import Role
from creatordesk.accounts.services import api_token_create
from creatordesk.shop.api import router
from creatordesk.shop.models import CreatorBlock, ShopCollaboration, SyncRun

pytestmark = pytest.mark.django_db

# The router mounted as creatordesk/api.py mounts every app's, with the same auth and error shapes.
shop_api = NinjaAPI(auth=TokenAuth(), urls_namespace="shop-api-test", docs_url=None)
shop_api.add_router("", router)
shop_api.exception_handler(DjangoValidationError)(project_api.service_refused)
shop_api.exception_handler(Http404)(project_api.not_found_here)
urlpatterns = [path("api/", shop_api.urls)]


@pytest.fixture(autouse=True)
def _served_here(settings) -> None:
    settings.ROOT_URLCONF = __name__


def _client(side, role: Role = Role.MANAGER) -> Client:
    user = {Role.MANAGER: side.manager, Role.REVIEWER: side.reviewer, Role.VIEWER: side.viewer}[role]
    token = (
        side.token
        if role == Role.MANAGER
        else api_token_create(workspace=side.workspace, user=user, name="t")[1]
    )
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_starting_a_sync_answers_202_with_the_run_to_poll(side_a, django_capture_on_commit_callbacks) -> None:
    client = _client(side_a)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/api/shop/sync")
    assert started.status_code == 202
    run_id = started.json()["id"]
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {
        "workspace_id": side_a.workspace.pk,
        "run_id": run_id,
    }
    polled = client.get(f"/api/shop/sync/{run_id}").json()
    assert (polled["status"], polled["counts"]) == ("running", {"stage": "queued"})


def test_a_reviewer_token_may_read_but_not_sync_or_block(side_a) -> None:
    client = _client(side_a, Role.REVIEWER)
    assert client.post("/api/shop/sync").status_code == 403
    blocked = client.post(
        "/api/shop/blocklist",
        {"creator_id": side_a.creator.pk, "reason": "x"},
        content_type="application/json",
    )
    assert blocked.status_code == 403
    assert client.get("/api/shop/blocklist").json() == {"items": [], "count": 0}
    assert not SyncRun.objects.exists()


def test_another_workspaces_run_campaign_and_creator_are_not_found(side_a, side_b) -> None:
    client = _client(side_a)
    theirs = SyncRun.objects.create(workspace=side_b.workspace)
    assert client.get(f"/api/shop/sync/{theirs.pk}").json() == {"detail": "Not found"}
    payload = {
        "collaboration_ids": [side_b.collaboration.pk],
        "commission_percent": "15",
        "ends_at": "2099-01-01T00:00:00Z",
        "seller_email": "a@b.example",
    }
    created = client.post(
        f"/api/shop/campaigns/{side_b.campaign.pk}/collaborations", payload, content_type="application/json"
    )
    assert created.status_code == 404
    assert client.delete(f"/api/shop/blocklist/{side_b.creator.pk}").status_code == 404


def test_a_target_collaboration_is_created_through_the_api(connected) -> None:
    shop = connected.extra["shop"]
    shop.on("POST", "/202508/target_collaborations", "target_collaboration_created.json")
    shop.on("POST", "/202509/target_collaboration/7441800000000000001/link", "target_collaboration_link.json")
    payload = {
        "collaboration_ids": [connected.collaboration.pk],
        "commission_percent": "12.5",
        "free_sample": True,
        "ends_at": "2099-01-01T00:00:00Z",
        "seller_email": "team@brand.example",
    }
    response = _client(connected).post(
        f"/api/shop/campaigns/{connected.campaign.pk}/collaborations",
        payload,
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["collaboration"]["commission_rate_bp"] == 1250
    assert body["collaboration"]["acceptance_link"].startswith("https://affiliate.tiktok.com/")
    assert body["conflicts"] == [f"{connected.creator.display_name}: Glow Mask"]
    listed = _client(connected, Role.VIEWER).get("/api/shop/collaborations?limit=1").json()
    assert listed["count"] == 1 and listed["items"][0]["external_id"] == "7441800000000000001"


def test_a_commission_above_80_percent_is_refused_with_422(connected) -> None:
    payload = {
        "collaboration_ids": [connected.collaboration.pk],
        "commission_percent": "81",
        "ends_at": "2099-01-01T00:00:00Z",
        "seller_email": "team@brand.example",
    }
    response = _client(connected).post(
        f"/api/shop/campaigns/{connected.campaign.pk}/collaborations",
        payload,
        content_type="application/json",
    )
    assert response.status_code == 422 and connected.extra["shop"].received == []
    assert not ShopCollaboration.objects.exists()


def test_creating_without_a_connection_says_connect_tiktok_shop_first(side_a) -> None:
    from creatordesk.campaigns.models import Product
    from creatordesk.creators.models import Platform, PlatformAccount

    side_a.campaign.products.add(
        Product.objects.create(workspace=side_a.workspace, name="S", shop_product_id="1")
    )
    PlatformAccount.objects.filter(creator=side_a.creator, platform=Platform.TIKTOK).update(open_id="open-1")
    payload = {
        "collaboration_ids": [side_a.collaboration.pk],
        "commission_percent": "15",
        "ends_at": "2099-01-01T00:00:00Z",
        "seller_email": "team@brand.example",
    }
    response = _client(side_a).post(
        f"/api/shop/campaigns/{side_a.campaign.pk}/collaborations", payload, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"].startswith("Connect TikTok Shop first")


def test_the_blocklist_is_added_to_listed_and_removed_from(side_a) -> None:
    client = _client(side_a)
    added = client.post(
        "/api/shop/blocklist",
        {"creator_id": side_a.creator.pk, "reason": "Fake followers"},
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["reason"] == "Fake followers"
    listed = client.get("/api/shop/blocklist").json()
    assert listed["count"] == 1 and listed["items"][0]["creator"] == side_a.creator.display_name
    empty = client.post(
        "/api/shop/blocklist",
        {"creator_id": side_a.creator.pk, "reason": " "},
        content_type="application/json",
    )
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["body", "reason"]
    assert client.delete(f"/api/shop/blocklist/{side_a.creator.pk}").status_code == 204
    assert client.delete(f"/api/shop/blocklist/{side_a.creator.pk}").status_code == 404
    assert not CreatorBlock.objects.exists()
