"""The affiliate client against recorded answers served by a real HTTP server on 127.0.0.1.

The server checks every request as TikTok Shop would: the HMAC-SHA256 signature (computed here
independently of the client, from the app secret), the access token header, the app key and the shop
cipher. A request that fails the check gets a refusal, so a signing bug fails the test that made it.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from creatordesk.lib.outbound import AllowList
from creatordesk.performance.connectors import ConnectorError, RetryPolicy
from creatordesk.shop.affiliate_api import (
    AffiliateApiError,
    AffiliateClient,
    ContentFormat,
    DraftInvalid,
    FreeSampleRule,
    KnownCreator,
    Money,
    Range,
    RejectReason,
    ReviewDecision,
    SampleStatus,
    TargetCollaborationChange,
    TargetCollaborationDraft,
    TooManyPages,
    commission_rate_checked,
    commission_rate_from_percent,
    commission_rate_to_percent,
    match_creator,
)
from creatordesk.shop.tests.recorded_shop import (
    APP_KEY,
    APP_SECRET,
    CIPHER,
    ROOT,
    TOKEN,
    RecordedShop,
)

NOW = 1764583200  # 2025-12-01 10:00 UTC
LOOPBACK = AllowList.parse(["127.0.0.1"])
TARGET_SEARCH = f"{ROOT}/202508/target_collaborations/search"
ORDERS = f"{ROOT}/202410/orders/search"


@pytest.fixture
def shop(recorded_shop: RecordedShop) -> RecordedShop:
    return recorded_shop


def _no_wait(waits: list[float], attempts: int = 3) -> RetryPolicy:
    """Retries that record the pauses they would take instead of sleeping."""
    return RetryPolicy(attempts=attempts, base_delay_s=0.5, max_delay_s=10.0, sleep=waits.append)


def _client(shop: RecordedShop, *, secret: str = APP_SECRET, **options: Any) -> AffiliateClient:
    options.setdefault("retry", _no_wait([]))
    return AffiliateClient(
        APP_KEY, secret, TOKEN, CIPHER, base_url=shop.url, allow=LOOPBACK, clock=lambda: NOW, **options
    )


def _signed_and_answered(shop: RecordedShop) -> None:
    assert shop.received and not shop.refused


def _draft(**changes: Any) -> TargetCollaborationDraft:
    values: dict[str, Any] = {
        "name": "Autumn serum launch",
        "product_ids": ["1729384756000000001", "1729384756000000002"],
        "commission_rate": 1500,
        "shop_ads_commission_rate": 800,
        "creator_open_ids": ["AAA-open-lena", "AAA-open-mo"],
        "end_time": datetime(2026, 1, 1, tzinfo=UTC),
        "seller_email": "partnerships@glowbrand.example",
        "message": "Hi! We would love to send you our new serum.",
        "free_sample": FreeSampleRule(has_free_sample=True, is_sample_approval_exempt=True),
    }
    return TargetCollaborationDraft(**(values | changes))


# Signing and target collaborations


def test_a_target_collaboration_is_created_with_a_signed_request_and_reports_its_conflicts(shop) -> None:
    shop.on("POST", f"{ROOT}/202508/target_collaborations", "target_collaboration_created.json")
    created = _client(shop).create_target_collaboration(_draft())
    assert created.id == "7441800000000000001"
    assert [(c.creator_open_id, c.product_id) for c in created.conflicts] == [
        ("AAA-open-lena", "1729384756000000002")
    ]
    _signed_and_answered(shop)
    [request] = shop.received
    assert request.query["timestamp"] == str(NOW) and request.query["shop_cipher"] == CIPHER
    assert request.headers["Content-Type"] == "application/json"
    assert request.json() == {
        "name": "Autumn serum launch",
        "products": [
            {"id": "1729384756000000001", "target_commission_rate": 1500, "shop_ads_commission_rate": 800},
            {"id": "1729384756000000002", "target_commission_rate": 1500, "shop_ads_commission_rate": 800},
        ],
        "creator_user_open_ids": ["AAA-open-lena", "AAA-open-mo"],
        "free_sample_rule": {"has_free_sample": True, "is_sample_approval_exempt": True},
        "message": "Hi! We would love to send you our new serum.",
        "end_time": "1767225600",
        "seller_contact_info": {"email": "partnerships@glowbrand.example"},
    }


def test_a_request_signed_with_another_secret_is_refused_by_the_recorded_shop(shop) -> None:
    shop.on(
        "GET", f"{ROOT}/202508/target_collaborations/7441800000000000001", "target_collaboration_detail.json"
    )
    with pytest.raises(AffiliateApiError, match="106001") as refused:
        _client(shop, secret="an-old-secret").get_target_collaboration("7441800000000000001")
    assert refused.value.code == 106001 and "signature" in refused.value.message
    assert shop.refused == [f"GET {ROOT}/202508/target_collaborations/7441800000000000001: bad signature"]


def test_a_draft_with_51_creators_is_refused_before_any_request(shop) -> None:
    draft = _draft(creator_open_ids=[f"AAA-open-{n}" for n in range(51)])
    with pytest.raises(DraftInvalid, match="at most 50 creators per collaboration, not 51"):
        _client(shop).create_target_collaboration(draft)
    assert shop.received == []


def test_a_draft_names_every_problem_at_once_and_sends_nothing(shop) -> None:
    draft = _draft(
        name=" ",
        product_ids=[str(n) for n in range(100)] + ["0"],
        commission_rate=50,
        shop_ads_commission_rate=9000,
        seller_email="",
        end_time=datetime(2026, 1, 1),  # noqa: DTZ001 - a draft without a time zone is what is tested
    )
    with pytest.raises(DraftInvalid) as invalid:
        _client(shop).create_target_collaboration(draft)
    assert invalid.value.problems == (
        "at most 100 products per collaboration, not 101",
        "a product is listed twice",
        "commission: a commission rate must lie between 1 % and 80 %, not 0.50 %",
        "Shop Ads commission: a commission rate must lie between 1 % and 80 %, not 90.00 %",
        "the collaboration needs a name",
        "the seller e-mail address is missing",
        "the end time needs a time zone",
    )
    assert shop.received == []
    assert _draft().problems() == []


def test_commission_rates_convert_between_percent_and_hundredths_of_a_percent() -> None:
    assert commission_rate_from_percent("12.5") == 1250
    assert commission_rate_from_percent(" 15 %") == 1500
    assert commission_rate_from_percent(Decimal("80")) == 8000 and commission_rate_from_percent(1) == 100
    assert commission_rate_to_percent(1250) == Decimal("12.50")
    for refused in ("0.99", "80.01", "12.345", "twelve"):
        with pytest.raises(ValueError):
            commission_rate_from_percent(refused)
    with pytest.raises(ValueError):
        commission_rate_checked(True)


def test_searching_target_collaborations_reads_all_three_pages_in_order(shop) -> None:
    shop.on("POST", TARGET_SEARCH, "target_collaborations_page1.json")
    shop.on("POST", TARGET_SEARCH, "target_collaborations_page2.json", page_token="tc-page-2")
    shop.on("POST", TARGET_SEARCH, "target_collaborations_page3.json", page_token="tc-page-3")
    found = _client(shop).search_target_collaborations(status="ONGOING", keyword="serum")
    assert [c.name for c in found] == [
        "Autumn serum launch",
        "Glow mask creators",
        "Holiday gift sets",
        "Top creator program",
        "January restock",
    ]
    assert found[0].creator_invited_count == 3 and found[0].free_sample.has_free_sample
    assert found[3].type == "TOP_CREATOR_PROGRAM" and not found[3].free_sample.has_free_sample
    assert found[0].end_time == datetime(2026, 1, 1, tzinfo=UTC)
    _signed_and_answered(shop)
    assert [r.query.get("page_token") for r in shop.received] == [None, "tc-page-2", "tc-page-3"]
    assert {r.query["page_size"] for r in shop.received} == {"100"}
    assert shop.received[2].json() == {
        "collaboration_status": "ONGOING",
        "search_param": {"keyword": "serum", "keyword_type": "TARGET_COLLABORATION_NAME"},
    }


def test_a_target_collaborations_detail_names_creators_by_open_id_and_products_with_their_rates(shop) -> None:
    shop.on(
        "GET", f"{ROOT}/202508/target_collaborations/7441800000000000001", "target_collaboration_detail.json"
    )
    detail = _client(shop).get_target_collaboration("7441800000000000001")
    assert detail.seller_email == "partnerships@glowbrand.example"
    assert [(c.creator.open_id, c.creator.username, c.status) for c in detail.creators] == [
        ("AAA-open-lena", "lena.glow", "NORMAL"),
        ("AAA-open-mo", "mo_makeup", "DELETING"),
    ]
    serum, mask = detail.products
    assert (serum.commission_rate, serum.shop_ads_commission_rate) == (1500, 800)
    assert mask.shop_ads_commission_rate is None and mask.status == "OUT_OF_STOCK"
    assert mask.commission == Range(Money(Decimal("2.99"), "EUR"), Money(Decimal("5.24"), "EUR"))
    assert shop.received[0].body == b""
    _signed_and_answered(shop)


def test_an_update_sends_the_new_terms_and_reports_the_creators_the_platform_did_not_add(shop) -> None:
    shop.on(
        "PUT", f"{ROOT}/202508/target_collaborations/7441800000000000001", "target_collaboration_updated.json"
    )
    change = TargetCollaborationChange(
        product_ids=["1729384756000000001"],
        commission_rate=1800,
        shop_ads_commission_rate=1000,
        creator_open_ids=["AAA-open-lena", "AAA-open-kim"],
    )
    outcome = _client(shop).update_target_collaboration("7441800000000000001", change)
    assert outcome.creators_not_added == ("AAA-open-kim",) and not outcome.complete
    assert shop.received[0].json() == {
        "products": [
            {"id": "1729384756000000001", "commission_rate": 1800, "target_ad_commission_rate": 1000}
        ],
        "creator_user_open_ids": ["AAA-open-lena", "AAA-open-kim"],
    }
    _signed_and_answered(shop)


def test_an_update_without_changes_or_with_a_product_list_but_no_rate_is_refused_unsent(shop) -> None:
    client = _client(shop)
    with pytest.raises(DraftInvalid, match="nothing to change"):
        client.update_target_collaboration("7441800000000000001", TargetCollaborationChange())
    with pytest.raises(DraftInvalid, match="a product list needs its commission rate"):
        client.update_target_collaboration(
            "7441800000000000001", TargetCollaborationChange(product_ids=["1"])
        )
    assert shop.received == []


def test_removing_a_target_collaboration_deletes_it_by_id(shop) -> None:
    shop.on("DELETE", f"{ROOT}/202409/target_collaborations/7441800000000000001", "done.json")
    _client(shop).remove_target_collaboration("7441800000000000001")
    assert [(r.method, r.body) for r in shop.received] == [("DELETE", b"")]
    _signed_and_answered(shop)


def test_the_acceptance_link_for_a_creator_comes_from_the_202509_operation(shop) -> None:
    shop.on(
        "POST",
        f"{ROOT}/202509/target_collaboration/7441800000000000001/link",
        "target_collaboration_link.json",
    )
    link = _client(shop).target_collaboration_link("7441800000000000001")
    assert link == "https://affiliate.tiktok.com/api/v1/share/AJx7Qm0Lb2"
    _signed_and_answered(shop)


# Open collaborations


def test_open_collaborations_are_read_over_two_pages(shop) -> None:
    path = f"{ROOT}/202412/open_collaborations/search"
    shop.on("POST", path, "open_collaborations_page1.json")
    shop.on("POST", path, "open_collaborations_page2.json", page_token="oc-page-2")
    found = _client(shop).search_open_collaborations()
    assert [(c.product_title, c.commission_rate, c.status) for c in found] == [
        ("Vitamin C Serum 30 ml", 1200, "NORMAL"),
        ("Night Cream 50 ml", 1000, "TERMINATING"),
    ]
    assert found[0].showcase_creator_count == 13 and shop.received[0].json() == {}
    _signed_and_answered(shop)


def test_creator_content_per_open_collaboration_shows_videos_lives_and_promotion_status(shop) -> None:
    shop.on(
        "GET", f"{ROOT}/202508/open_collaborations/creator_content_details", "creator_content_details.json"
    )
    content = _client(shop).open_collaboration_creator_content("1729384756000000001")
    lena, jo = content
    assert (lena.creator.open_id, lena.video_count, lena.live_count, lena.promotion_status) == (
        "AAA-open-lena",
        3,
        1,
        "NORMAL",
    )
    assert lena.promotion_end_time is None
    assert jo.promotion_status == "TERMINATING" and jo.promotion_end_time == datetime(2025, 12, 2, tzinfo=UTC)
    assert shop.received[0].query["product_id"] == "1729384756000000001"
    _signed_and_answered(shop)


def test_a_creator_is_removed_from_open_collaboration_by_open_id(shop) -> None:
    shop.on("POST", f"{ROOT}/202508/open_collaborations/7399000000000000001/remove_creator", "done.json")
    _client(shop).remove_creator_from_open_collaboration(
        "7399000000000000001", creator_open_id="AAA-open-jo", product_id="1729384756000000001"
    )
    assert shop.received[0].json() == {
        "creator_user_open_id": "AAA-open-jo",
        "product_id": "1729384756000000001",
    }
    _signed_and_answered(shop)


# Samples


def test_pending_sample_applications_are_read_over_two_pages_with_withheld_figures_left_empty(shop) -> None:
    path = f"{ROOT}/202508/sample_applications/search"
    shop.on("POST", path, "sample_applications_page1.json")
    shop.on("POST", path, "sample_applications_page2.json", page_token="sa-page-2")
    found = _client(shop).search_sample_applications(status=SampleStatus.PENDING)
    lena, ivy, noa = found
    assert (lena.creator.open_id, lena.commission_rate, lena.approvable) == ("AAA-open-lena", 1500, True)
    assert lena.creator_gmv == Money(Decimal("1234.56"), "EUR")
    assert lena.creator_fulfillment_percent == Decimal("60.85")
    assert (ivy.creator_gmv, ivy.creator_fulfillment_percent) == (None, None)
    assert (noa.commission_rate, noa.agency_name) == (2000, "Bright Talent Agency")
    assert [r.json() for r in shop.received] == [{"status": "PENDING"}] * 2
    assert {r.query["page_size"] for r in shop.received} == {"50"}
    _signed_and_answered(shop)


def test_an_unknown_sample_status_is_refused_unsent(shop) -> None:
    with pytest.raises(ValueError, match="unknown sample application status"):
        _client(shop).search_sample_applications(status="SHIPPING")
    assert shop.received == []


def test_a_sample_rejection_is_sent_with_its_reason_and_refused_without_one(shop) -> None:
    path = f"{ROOT}/202507/sample_applications/7000000000000000001/review"
    shop.on("POST", path, "done.json")
    client = _client(shop)
    for decision, reason in ((ReviewDecision.REJECT, None), (ReviewDecision.APPROVE, RejectReason.OTHER)):
        with pytest.raises(ValueError, match="a rejection needs a reason"):
            client.review_sample_application("7000000000000000001", decision, reason)
    assert shop.received == []
    client.review_sample_application("7000000000000000001", ReviewDecision.REJECT, RejectReason.OUT_OF_STOCK)
    client.review_sample_application("7000000000000000001", ReviewDecision.APPROVE)
    assert [r.json() for r in shop.received] == [
        {"review_result": "REJECT", "reject_reason": "OUT_OF_STOCK"},
        {"review_result": "APPROVE"},
    ]
    _signed_and_answered(shop)


def test_sample_fulfilment_content_reports_views_likes_comments_and_paid_orders(shop) -> None:
    shop.on(
        "POST",
        f"{ROOT}/202409/sample_applications/7000000000000000001/fulfillments/search",
        "sample_fulfillments.json",
    )
    video, live = _client(shop).sample_fulfillments("7000000000000000001", ContentFormat.VIDEO)
    assert (video.content_id, video.format, video.views, video.likes, video.comments, video.paid_orders) == (
        "7442000000000000001",
        "VIDEO",
        48213,
        3120,
        87,
        41,
    )
    assert video.page_link == "https://www.tiktok.com/@lena.glow/video/7442000000000000001"
    assert (live.format, live.paid_orders, live.url) == ("LIVE", 9, "")
    assert shop.received[0].json() == {"content_format": "VIDEO"}
    _signed_and_answered(shop)


# Affiliate orders


def test_affiliate_orders_are_filtered_by_time_and_come_back_as_sku_lines(shop) -> None:
    shop.on("POST", ORDERS, "affiliate_orders_page1.json")
    shop.on("POST", ORDERS, "affiliate_orders_page2.json", page_token="ord-page-2")
    lines = _client(shop).search_affiliate_orders(
        created_from=datetime(2025, 12, 1, tzinfo=UTC), created_before=datetime(2025, 12, 8, tzinfo=UTC)
    )
    video, live, shop_ads = lines
    assert (video.order_id, video.content_type, video.creator_username, video.quantity) == (
        "578000000000000101",
        "VIDEO",
        "lena.glow",
        2,
    )
    assert video.actual_paid_commission == Money(Decimal("7.47"), "EUR")
    assert (video.commission_rate, video.shop_ads_commission_rate) == (1500, 800)
    assert (live.refunded_quantity, live.actual_commission_base) == (1, Money(Decimal("0.00"), "EUR"))
    assert live.estimated_paid_commission == Money(Decimal("2.99"), "EUR")
    assert (shop_ads.order_status, shop_ads.shop_ads_commission_rate) == ("PROCESSING", None)
    assert shop_ads.actual_shop_ads_commission == Money(Decimal("1.99"), "EUR")
    assert shop_ads.open_collaboration_id == "7399000000000000001" and shop_ads.delivered_at is None
    assert shop.received[0].json() == {"create_time_ge": 1764547200, "create_time_lt": 1765152000}
    _signed_and_answered(shop)


def test_a_time_filter_without_a_time_zone_is_refused_unsent(shop) -> None:
    with pytest.raises(ValueError, match="time zone"):
        _client(shop).search_affiliate_orders(created_from=datetime(2025, 12, 1))  # noqa: DTZ001
    assert shop.received == []


# Creator performance


def test_creator_performance_with_precise_data_is_exact(shop) -> None:
    shop.on("GET", f"{ROOT}/202508/marketplace_creators/AAA-open-lena", "marketplace_creator_exact.json")
    lena = _client(shop).creator_performance("AAA-open-lena")
    assert (lena.open_id, lena.username, lena.follower_count) == ("AAA-open-lena", "lena.glow", 48210)
    assert lena.gmv == Money(Decimal("18450.20"), "EUR") and lena.units_sold == 1312
    assert (lena.post_rate, lena.pps, lena.rating) == (7250, Decimal("4.6"), Decimal("4.8"))
    _signed_and_answered(shop)


def test_creator_performance_shared_only_as_ranges_stays_a_range(shop) -> None:
    shop.on("GET", f"{ROOT}/202508/marketplace_creators/AAA-open-noa", "marketplace_creator_ranged.json")
    noa = _client(shop).creator_performance("AAA-open-noa")
    assert noa.gmv == Range(Money(Decimal("10000"), "USD"), Money(Decimal("50000"), "USD"))
    assert noa.units_sold == Range(1000, 5000) and noa.avg_commission_rate == Range(1000, 2000)


def test_creator_performance_a_creator_withholds_is_none_not_zero(shop) -> None:
    shop.on("GET", f"{ROOT}/202508/marketplace_creators/AAA-open-ivy", "marketplace_creator_withheld.json")
    ivy = _client(shop).creator_performance("AAA-open-ivy")
    assert (ivy.gmv, ivy.units_sold, ivy.avg_commission_rate) == (None, None, None)
    assert (ivy.post_rate, ivy.pps, ivy.rating) == (None, None, None)
    assert ivy.follower_count == 2300


# Failures: retries, half-read searches, refusals


def test_a_rate_limited_page_is_retried_after_the_time_the_platform_asks_for(shop) -> None:
    shop.on(
        "POST", ORDERS, (429, "error_rate_limited.json", {"Retry-After": "7"}), "affiliate_orders_page1.json"
    )
    shop.on("POST", ORDERS, "affiliate_orders_page2.json", page_token="ord-page-2")
    waits: list[float] = []
    lines = _client(shop, retry=_no_wait(waits)).search_affiliate_orders()
    assert len(lines) == 3 and waits == [7.0]
    assert [r.query.get("page_token") for r in shop.received] == [None, None, "ord-page-2"]


def test_a_page_failing_after_the_first_returns_nothing(shop) -> None:
    shop.on("POST", ORDERS, "affiliate_orders_page1.json")
    shop.on("POST", ORDERS, (500, "error_server.json", {}), page_token="ord-page-2")
    waits: list[float] = []
    lines = None
    with pytest.raises(ConnectorError, match="gave up after 2 attempts, last: HTTP 500"):
        lines = _client(shop, retry=_no_wait(waits, attempts=2)).search_affiliate_orders()
    assert lines is None and waits == [0.5]
    assert [r.query.get("page_token") for r in shop.received] == [None, "ord-page-2", "ord-page-2"]


def test_an_error_envelope_raises_with_the_platforms_code_and_message(shop) -> None:
    shop.on("GET", f"{ROOT}/202508/target_collaborations/404", "error_invalid_collaboration.json")
    with pytest.raises(AffiliateApiError) as failed:
        _client(shop).get_target_collaboration("404")
    assert failed.value.code == 16021003
    assert failed.value.message == "The target collaboration does not exist or has ended."
    assert str(failed.value) == (
        "TikTok Shop affiliate API: 16021003 The target collaboration does not exist or has ended."
    )
    assert len(shop.received) == 1  # a refusal is not retried


def test_unreadable_json_raises_and_is_not_retried(shop) -> None:
    shop.on("POST", ORDERS, "truncated.json")
    with pytest.raises(ConnectorError, match="unreadable response"):
        _client(shop).search_affiliate_orders()
    assert len(shop.received) == 1


def test_a_search_with_more_pages_than_the_cap_raises_instead_of_returning_a_part(shop) -> None:
    shop.on("POST", TARGET_SEARCH, "target_collaborations_page1.json")
    shop.on("POST", TARGET_SEARCH, "target_collaborations_page2.json", page_token="tc-page-2")
    with pytest.raises(TooManyPages, match="more than 2 pages"):
        _client(shop, max_pages=2).search_target_collaborations()
    assert len(shop.received) == 2


def test_a_page_token_that_comes_back_again_stops_the_search(shop) -> None:
    shop.on("POST", TARGET_SEARCH, "target_collaborations_page1.json")
    shop.on("POST", TARGET_SEARCH, "target_collaborations_page1.json", page_token="tc-page-2")
    with pytest.raises(ConnectorError, match="came back twice"):
        _client(shop).search_target_collaborations()
    assert len(shop.received) == 2


def test_an_api_url_on_a_private_address_is_refused_without_the_allow_list(shop) -> None:
    shop.on("DELETE", f"{ROOT}/202409/target_collaborations/1", "done.json")
    client = AffiliateClient(APP_KEY, APP_SECRET, TOKEN, CIPHER, base_url=shop.url, retry=_no_wait([]))
    with pytest.raises(ConnectorError, match="address not allowed"):
        client.remove_target_collaboration("1")
    assert shop.received == []


# Construction and matching


def test_a_client_is_configured_only_with_key_secret_token_and_shop() -> None:
    assert AffiliateClient(APP_KEY, APP_SECRET, TOKEN, CIPHER).configured()
    assert not AffiliateClient(APP_KEY, APP_SECRET, TOKEN, "").configured()
    assert not AffiliateClient(APP_KEY, "", TOKEN, CIPHER).configured()


def test_an_api_creator_is_matched_by_open_id_first_then_by_handle() -> None:
    lena = KnownCreator(ref="c-1", handle="@Lena.Glow", open_id="AAA-open-lena")
    mo = KnownCreator(ref="c-2", handle="mo_makeup")
    renamed = KnownCreator(ref="c-3", handle="lena.glow.old", open_id="AAA-open-old")
    known = [lena, mo, renamed]
    assert match_creator("AAA-open-lena", "somebody.else", known) is lena
    assert match_creator(None, "  @LENA.glow ", known) is lena
    assert match_creator("AAA-open-mo", "Mo_Makeup", known) is mo  # no Open ID on file yet
    assert match_creator("AAA-open-new", "lena.glow", known) is None  # the handle now names someone else
    assert match_creator(None, "", known) is None and match_creator(None, "unknown", known) is None


def test_a_handle_two_known_creators_share_matches_neither() -> None:
    known = [KnownCreator(ref="c-1", handle="jo.skin"), KnownCreator(ref="c-2", handle="@JO.SKIN")]
    assert match_creator(None, "jo.skin", known) is None


def test_the_client_loads_without_django() -> None:
    probe = (
        "import sys, creatordesk.shop.affiliate_api; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'ninja', 'django_tasks_db')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
