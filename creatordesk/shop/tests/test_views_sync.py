"""The TikTok Shop pages: overview, Sync now with its progress, target collaborations, blocklist."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from creatordesk.creators.models import Platform, PlatformAccount
from creatordesk.shop.models import CreatorBlock, ShopCollaboration, SyncRun
from creatordesk.shop.tasks import shop_sync_run

pytestmark = pytest.mark.django_db

INDEX = "/shop/"


def _new_url(side) -> str:
    return reverse("shop:sync_collaboration_create", args=[side.campaign.pk])


def _form(side, **changes: str) -> dict[str, object]:
    values: dict[str, object] = {
        "collaborations": [side.collaboration.pk],
        "commission_percent": "15",
        "shop_ads_commission_percent": "",
        "free_sample": "on",
        "message": "Hallo!",
        "ends_on": "2099-01-31",
        "seller_email": "team@brand.example",
    }
    return values | changes


def test_a_manager_creates_a_target_collaboration_from_the_campaign_page(connected, login_as) -> None:
    shop = connected.extra["shop"]
    shop.on("POST", "/202508/target_collaborations", "target_collaboration_created.json")
    shop.on("POST", "/202509/target_collaboration/7441800000000000001/link", "target_collaboration_link.json")
    client = login_as(connected.manager)
    assert _new_url(connected) in client.get(INDEX).content.decode()

    page = client.get(_new_url(connected))
    assert page.status_code == 200 and connected.creator.display_name in page.content.decode()
    response = client.post(_new_url(connected), _form(connected), follow=True)

    assert response.redirect_chain[-1][0] == INDEX
    body = response.content.decode()
    assert "The target collaboration was created in TikTok Shop." in body
    assert "TikTok kept these creators in another target collaboration" in body
    assert "https://affiliate.tiktok.com/api/v1/share/AJx7Qm0Lb2" in body
    stored = ShopCollaboration.objects.get()
    assert stored.ends_at is not None and stored.ends_at.year == 2099
    assert (stored.commission_rate_bp, stored.has_free_sample) == (1500, True)


def test_a_commission_above_80_percent_is_refused_on_the_page_and_nothing_is_sent(
    connected, login_as
) -> None:
    response = login_as(connected.manager).post(
        _new_url(connected), _form(connected, commission_percent="85")
    )
    assert response.status_code == 400
    assert "80" in response.content.decode() and connected.extra["shop"].received == []


def test_a_missing_open_id_is_shown_on_the_page(connected, login_as) -> None:
    PlatformAccount.objects.filter(creator=connected.creator, platform=Platform.TIKTOK).update(open_id="")
    response = login_as(connected.manager).post(_new_url(connected), _form(connected))
    assert response.status_code == 400
    assert f"no TikTok Creator Open ID on file: {connected.creator.display_name}" in response.content.decode()


def test_a_reviewer_may_not_create_a_target_collaboration(connected, login_as) -> None:
    response = login_as(connected.reviewer).post(_new_url(connected), _form(connected))
    assert response.status_code == 403
    assert connected.extra["shop"].received == [] and not ShopCollaboration.objects.exists()


def test_another_workspaces_campaign_is_not_found(connected, side_b, login_as) -> None:
    client = login_as(connected.manager)
    assert client.get(_new_url(side_b)).status_code == 404
    assert client.post(_new_url(side_b), _form(side_b)).status_code == 404


def test_an_unconnected_workspace_is_sent_to_the_connections_page(side_a, login_as) -> None:
    body = login_as(side_a.manager).get(INDEX).content.decode()
    assert "Connect TikTok Shop first" in body
    assert reverse("performance:connections") in body
    assert 'data-testid="sync-now"' not in body
    form = login_as(side_a.manager).get(_new_url(side_a)).content.decode()
    assert "Connect TikTok Shop first" in form and reverse("performance:connections") in form


def test_sync_now_queues_the_run_and_the_progress_reports_it_done(
    connected, login_as, django_capture_on_commit_callbacks
) -> None:
    shop = connected.extra["shop"]
    shop.on("POST", "/202508/sample_applications/search", "sample_applications_page1.json")
    shop.on(
        "POST", "/202508/sample_applications/search", "sample_applications_page2.json", page_token="sa-page-2"
    )
    shop.on("POST", "/202410/orders/search", "affiliate_orders_none.json")
    client = login_as(connected.manager)
    assert 'data-testid="sync-now"' in client.get(INDEX).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("shop:sync_start"), headers={"HX-Request": "true"})
    run = SyncRun.objects.get()
    assert 'data-status="running"' in started.content.decode()
    assert "Waiting for the sync to start" in started.content.decode()
    queued = DBTaskResult.objects.get(task_path="creatordesk.shop.tasks.shop_sync_run")
    assert queued.args_kwargs["kwargs"] == {"workspace_id": connected.workspace.pk, "run_id": run.pk}
    # A second click while it runs starts nothing new.
    client.post(reverse("shop:sync_start"))
    assert SyncRun.objects.count() == 1 and DBTaskResult.objects.count() == 1

    shop_sync_run.call(**queued.args_kwargs["kwargs"])
    polled = client.get(
        f"{reverse('shop:sync_status')}?run={run.pk}&was=running", headers={"HX-Request": "true"}
    )
    assert polled["HX-Refresh"] == "true" and 'data-status="done"' in polled.content.decode()
    overview = client.get(INDEX).content.decode()
    assert "3 new, 0 changed" in overview


def test_the_progress_of_another_workspaces_run_is_not_found(connected, side_b, login_as) -> None:
    theirs = SyncRun.objects.create(workspace=side_b.workspace)
    response = login_as(connected.viewer).get(f"{reverse('shop:sync_status')}?run={theirs.pk}")
    assert response.status_code == 404
    assert login_as(connected.viewer).get(f"{reverse('shop:sync_status')}?run=abc").status_code == 404


def test_a_failed_run_shows_its_error_on_the_overview(side_a, login_as) -> None:
    SyncRun.objects.create(
        workspace=side_a.workspace, status=SyncRun.Status.FAILED, error="HTTP 500 on page 2"
    )
    assert "HTTP 500 on page 2" in login_as(side_a.viewer).get(INDEX).content.decode()


def test_a_viewer_may_not_start_a_sync(connected, login_as) -> None:
    assert login_as(connected.viewer).post(reverse("shop:sync_start")).status_code == 403
    assert not SyncRun.objects.exists()


def test_a_manager_blocks_and_unblocks_a_creator_while_a_viewer_only_reads(side_a, side_b, login_as) -> None:
    url = reverse("shop:sync_blocklist")
    viewer = login_as(side_a.viewer)
    denied = viewer.post(url, {"creator": side_a.creator.pk, "reason": "x"})
    assert denied.status_code == 403 and not CreatorBlock.objects.exists()

    manager = login_as(side_a.manager)
    manager.post(url, {"creator": side_a.creator.pk, "reason": "Sold our samples on eBay"})
    assert "Sold our samples on eBay" in viewer.get(url).content.decode()
    refused = manager.post(url, {"creator": side_b.creator.pk, "reason": "not ours"})
    assert refused.status_code == 400 and CreatorBlock.objects.count() == 1

    remove = reverse("shop:sync_blocklist_remove", args=[side_a.creator.pk])
    assert viewer.post(remove).status_code == 403
    assert manager.post(reverse("shop:sync_blocklist_remove", args=[side_b.creator.pk])).status_code == 404
    manager.post(remove)
    assert not CreatorBlock.objects.exists()
