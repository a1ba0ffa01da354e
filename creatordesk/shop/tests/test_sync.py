"""The sync against the recorded TikTok Shop: paging, back-off, all-or-nothing, and the blocklist enforced."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from creatordesk.campaigns.models import SampleShipment
from creatordesk.creators.models import ActivityEvent, Platform, PlatformAccount
from creatordesk.creators.services import creator_create
from creatordesk.shop.models import AffiliateOrder, ShopCollaboration, SyncRun
from creatordesk.shop.services import creator_block
from creatordesk.shop.sync import orders_since, shop_sync
from creatordesk.shop.tasks import shop_sync_all, shop_sync_run

pytestmark = pytest.mark.django_db

TARGET_SEARCH = "/202508/target_collaborations/search"
SAMPLES = "/202508/sample_applications/search"
ORDERS = "/202410/orders/search"
OPEN_SEARCH = "/202412/open_collaborations/search"
CONTENT = "/202508/open_collaborations/creator_content_details"


def _known_collaboration(
    side, external_id: str = "7441800000000000001", status: str = ""
) -> ShopCollaboration:
    return ShopCollaboration.objects.create(
        workspace=side.workspace,
        campaign=side.campaign,
        external_id=external_id,
        name="Autumn serum launch",
        status=status,
        commission_rate_bp=1500,
    )


def _record_everything(shop, *, orders_page2: str | tuple = "affiliate_orders_page2.json") -> None:
    shop.on("POST", TARGET_SEARCH, "target_collaborations_none.json")
    shop.on("POST", TARGET_SEARCH, "target_collaborations_page1.json", body_has='"ONGOING"')
    shop.on("POST", TARGET_SEARCH, "target_collaborations_page2.json", page_token="tc-page-2")
    shop.on("POST", TARGET_SEARCH, "target_collaborations_page3.json", page_token="tc-page-3")
    shop.on("POST", "/202509/target_collaboration/7441800000000000001/link", "target_collaboration_link.json")
    shop.on("POST", SAMPLES, "sample_applications_page1.json")
    shop.on("POST", SAMPLES, "sample_applications_page2.json", page_token="sa-page-2")
    shop.on("POST", ORDERS, "affiliate_orders_page1.json")
    shop.on("POST", ORDERS, orders_page2, page_token="ord-page-2")


def _table_sizes() -> tuple[int, int, int, int]:
    return (
        SampleShipment.objects.count(),
        AffiliateOrder.objects.count(),
        ShopCollaboration.objects.count(),
        ActivityEvent.objects.count(),
    )


def test_a_sync_reads_every_page_and_stores_statuses_samples_and_orders_together(connected) -> None:
    shop = connected.extra["shop"]
    ongoing = _known_collaboration(connected)
    ended = _known_collaboration(connected, "7441800000000000099", status="ONGOING")
    _record_everything(shop)

    run = shop_sync(workspace=connected.workspace)

    assert (run.status, run.error) == (SyncRun.Status.DONE, "")
    assert not shop.refused
    assert run.counts == {
        "collaborations": 3,
        "samples": {"created": 3, "updated": 0, "unchanged": 0, "unmatched": 0},
        "orders": {"created": 3, "updated": 0, "unchanged": 0, "unmatched": 0},
        "removed_creators": 0,
    }
    ongoing.refresh_from_db()
    ended.refresh_from_db()
    assert (ongoing.status, ended.status) == ("ONGOING", "COMPLETED")
    # The acceptance link that could not be fetched when the collaboration was made is fetched now;
    # an ended collaboration needs none.
    assert ongoing.acceptance_link == "https://affiliate.tiktok.com/api/v1/share/AJx7Qm0Lb2"
    assert ended.acceptance_link == "" and len([r for r in shop.received if r.path.endswith("/link")]) == 1
    searches = shop.to(TARGET_SEARCH)
    assert [(r.json().get("collaboration_status"), r.query.get("page_token")) for r in searches] == [
        ("ONGOING", None),
        ("ONGOING", "tc-page-2"),
        ("ONGOING", "tc-page-3"),
        ("EXPIRING", None),
        ("CANCELING", None),
    ]
    assert [r.query.get("page_token") for r in shop.to(SAMPLES)] == [None, "sa-page-2"]
    assert [r.query.get("page_token") for r in shop.to(ORDERS)] == [None, "ord-page-2"]
    # The creator on file is matched by Open ID; the two the shop names for the first time are added.
    lena = SampleShipment.objects.get(external_id="7000000000000000001")
    assert lena.collaboration == connected.collaboration and lena.status == SampleShipment.Status.REQUESTED
    assert lena.unit_cost_eur == Decimal("4.50")
    live = AffiliateOrder.objects.get(order_id="578000000000000101", sku_id="1729384756000000002")
    assert live.creator == connected.creator and live.collaboration == connected.collaboration
    assert (live.gmv, live.refunded_units, live.refund_amount) == (Decimal("19.90"), 1, Decimal("19.90"))
    assert (live.commission_paid, live.commission_estimated) == (Decimal("0.00"), Decimal("2.99"))
    pending = AffiliateOrder.objects.get(order_id="578000000000000102")
    assert (pending.commission_paid, pending.commission, pending.shop_ads_commission) == (
        None,
        Decimal("2.99"),
        Decimal("1.99"),
    )
    # The recorded orders are older than the 90 days read, so the next run's mark stays where this began.
    assert run.orders_since is not None
    assert int(run.orders_since.timestamp()) == shop.to(ORDERS)[0].json()["create_time_ge"]


def test_the_first_sync_reads_orders_of_90_days_and_the_next_from_the_first_runs_mark(connected) -> None:
    shop = connected.extra["shop"]
    _record_everything(shop)
    before = timezone.now()
    first = shop_sync(workspace=connected.workspace)
    again = shop_sync(workspace=connected.workspace)

    first_from, second_from = (r.json()["create_time_ge"] for r in shop.to(ORDERS)[::2])
    ninety_days_back = (before - datetime.timedelta(days=90)).timestamp()
    assert abs(first_from - ninety_days_back) < 60
    assert first.orders_since is not None
    assert second_from == int(first.orders_since.timestamp())
    assert again.counts["orders"] == {"created": 0, "updated": 0, "unchanged": 3, "unmatched": 0}
    assert again.counts["samples"]["unchanged"] == 3
    assert orders_since(connected.workspace) == again.orders_since


def test_a_rate_limited_page_is_retried_after_a_pause_and_the_sync_completes(connected) -> None:
    shop = connected.extra["shop"]
    _record_everything(shop)
    shop.on(
        "POST", ORDERS, (429, "error_rate_limited.json", {"Retry-After": "7"}), "affiliate_orders_page1.json"
    )

    run = shop_sync(workspace=connected.workspace)

    assert run.status == SyncRun.Status.DONE and run.counts["orders"]["created"] == 3
    refused, retried, _page2 = shop.to(ORDERS)
    assert refused.query.get("page_token") is None and retried.query.get("page_token") is None
    # Retry-After asked for 7 s; the installation caps any pause at CONNECTOR_RETRY_MAX_DELAY_S (0.3 s).
    assert 0.3 <= retried.at - refused.at < 5


def test_a_failure_on_the_second_page_of_orders_fails_the_run_and_stores_nothing(connected) -> None:
    shop = connected.extra["shop"]
    known = _known_collaboration(connected, status="")
    _record_everything(shop, orders_page2=(500, "error_server.json", {}))
    before = _table_sizes()

    run = shop_sync(workspace=connected.workspace)

    assert run.status == SyncRun.Status.FAILED
    assert "HTTP 500" in run.error and run.counts == {} and run.finished_at is not None
    assert _table_sizes() == before
    known.refresh_from_db()
    assert known.status == "" and known.synced_at is None
    assert [r.query.get("page_token") for r in shop.to(ORDERS)] == [None, "ord-page-2", "ord-page-2"]
    # A failed run leaves no mark: the next one reads the same 90 days again.
    assert SyncRun.objects.get().orders_since is None


def test_an_api_refusal_while_reading_samples_fails_the_run_with_the_platforms_message(connected) -> None:
    shop = connected.extra["shop"]
    _record_everything(shop)
    shop.on("POST", SAMPLES, "error_invalid_collaboration.json")

    run = shop_sync(workspace=connected.workspace)

    assert run.status == SyncRun.Status.FAILED
    assert run.error == (
        "TikTok Shop affiliate API: 16021003 The target collaboration does not exist or has ended."
    )
    assert shop.to(ORDERS) == [] and _table_sizes()[:2] == (0, 0)


def test_a_blocked_creator_who_rejoined_an_open_collaboration_is_removed_again_with_the_reason(
    connected,
) -> None:
    shop = connected.extra["shop"]
    _record_everything(shop)
    shop.on("POST", OPEN_SEARCH, "open_collaborations_page1.json")
    shop.on("POST", OPEN_SEARCH, "open_collaborations_page2.json", page_token="oc-page-2")
    shop.on("GET", CONTENT, "creator_content_details.json")
    shop.on("POST", "/202508/open_collaborations/7399000000000000001/remove_creator", "done.json")
    shop.on("POST", "/202508/open_collaborations/7399000000000000002/remove_creator", "done.json")
    creator_block(
        creator=connected.creator, reason="Posted without the ad label twice", actor=connected.manager
    )

    run = shop_sync(workspace=connected.workspace)

    assert run.status == SyncRun.Status.DONE and run.counts["removed_creators"] == 2
    removals = [r for r in shop.received if r.path.endswith("/remove_creator")]
    assert [r.json() for r in removals] == [
        {"creator_user_open_id": "AAA-open-lena", "product_id": "1729384756000000001"},
        {"creator_user_open_id": "AAA-open-lena", "product_id": "1729384756000000003"},
    ]
    assert [r.query["product_id"] for r in shop.to(CONTENT)] == ["1729384756000000001", "1729384756000000003"]
    timeline = list(
        connected.creator.activity.filter(verb="shop_removed").order_by("pk").values_list("text", flat=True)
    )
    assert timeline == [
        "Removed again from the open collaboration for Vitamin C Serum 30 ml: Posted without the ad label twice",
        "Removed again from the open collaboration for Night Cream 50 ml: Posted without the ad label twice",
    ]
    # Jo is in the same open collaboration and not blocked: left alone.
    assert all(r.json()["creator_user_open_id"] != "AAA-open-jo" for r in removals)


def test_without_a_blocklist_open_collaborations_are_not_read(connected) -> None:
    shop = connected.extra["shop"]
    _record_everything(shop)
    assert shop_sync(workspace=connected.workspace).status == SyncRun.Status.DONE
    assert shop.to(OPEN_SEARCH) == [] and shop.to(CONTENT) == []


def test_order_lines_are_kept_per_sku_with_paid_commission_once_settled(connected) -> None:
    shop = connected.extra["shop"]
    shop.on("POST", SAMPLES, "sample_applications_none.json")
    shop.on("POST", ORDERS, "affiliate_orders_with_sku_ids.json")

    run = shop_sync(workspace=connected.workspace)

    assert run.status == SyncRun.Status.DONE and shop.to(TARGET_SEARCH) == []
    one, two = AffiliateOrder.objects.order_by("sku_id")
    assert (one.sku_id, two.sku_id) == ("1729384756000000101", "1729384756000000102")
    assert (two.units, two.gmv, two.returned_units, two.commission) == (
        2,
        Decimal("89.80"),
        1,
        Decimal("6.74"),
    )
    assert one.creator == two.creator == connected.creator


def test_a_creator_known_only_by_handle_is_matched_when_the_shop_names_them(connected) -> None:
    shop = connected.extra["shop"]
    mo = creator_create(workspace=connected.workspace, display_name="Mo", tiktok_handle="mo_makeup")
    shop.on("POST", SAMPLES, "sample_applications_none.json")
    shop.on("POST", ORDERS, "affiliate_orders_page1.json")
    shop.on("POST", ORDERS, "affiliate_orders_page2.json", page_token="ord-page-2")

    shop_sync(workspace=connected.workspace)

    assert AffiliateOrder.objects.get(order_id="578000000000000102").creator == mo
    assert PlatformAccount.objects.get(creator=mo, platform=Platform.TIKTOK).open_id == ""


def test_an_unconfigured_workspace_fails_its_run_with_connect_tiktok_shop_first(side_a) -> None:
    run = shop_sync(workspace=side_a.workspace)
    assert run.status == SyncRun.Status.FAILED
    assert run.error.startswith("Connect TikTok Shop first")


def test_the_task_syncs_into_the_run_the_page_started_and_ignores_a_finished_one(connected) -> None:
    _record_everything(connected.extra["shop"])
    run = SyncRun.objects.create(workspace=connected.workspace)
    assert shop_sync_run.call(workspace_id=connected.workspace.pk, run_id=run.pk) == "done"
    assert shop_sync_run.call(workspace_id=connected.workspace.pk, run_id=run.pk) == "done"
    assert SyncRun.objects.count() == 1 and len(connected.extra["shop"].to(ORDERS)) == 2


def test_the_periodic_sync_covers_connected_workspaces_and_queues_its_next_run(connected, side_b) -> None:
    from django_tasks_db.models import DBTaskResult

    _record_everything(connected.extra["shop"])
    counts = shop_sync_all.call(reschedule=True)

    # Workspace B has no connection of its own and the installation has no credentials.
    assert counts == {"done": 1, "failed": 0, "skipped": 1}
    assert SyncRun.objects.for_workspace(connected.workspace).get().status == SyncRun.Status.DONE
    assert not SyncRun.objects.for_workspace(side_b.workspace).exists()
    queued = DBTaskResult.objects.get(task_path="creatordesk.shop.tasks.shop_sync_all")
    assert queued.run_after > timezone.now() + datetime.timedelta(minutes=50)
