"""Connectors against recorded API responses served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from creatordesk.lib.outbound import AllowList
from creatordesk.performance.connectors import (
    Connector,
    ConnectorError,
    MetaGraphConnector,
    RetryPolicy,
    TikTokBusinessConnector,
    TikTokShopConnector,
)
from creatordesk.performance.models import MetricSnapshot
from creatordesk.performance.services import post_create, post_metrics_poll
from creatordesk.performance.tasks import poll_metrics

FIXTURES = Path(__file__).parent / "fixtures"
VIDEO_ID = "7441234567890123456"
MEDIA_ID = "17912345678901234"
# The recorded platforms listen on loopback, which outbound requests reach only when allow-listed.
LOOPBACK = AllowList.parse(["127.0.0.1"])


Reply = tuple[int, str, dict[str, str]]


@dataclass
class FakePlatform:
    """Routes path prefixes to (status, fixture file) and remembers every request it got.

    `scripts` route a prefix to a sequence of replies (status, fixture, headers) given in turn; the
    last one repeats, so [500, 200] recovers and [500] fails for good.
    """

    url: str
    routes: dict[str, tuple[int, str]] = field(default_factory=dict)
    scripts: dict[str, list[Reply]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def reply_for(self, path: str) -> Reply:
        for prefix, replies in self.scripts.items():
            if path.startswith(prefix):
                return replies.pop(0) if len(replies) > 1 else replies[0]
        status, name = next(
            (route for prefix, route in self.routes.items() if path.startswith(prefix)), (404, "")
        )
        return status, name, {}


@pytest.fixture(autouse=True)
def _local_platform_allowed(settings) -> None:
    # Polls build their connectors from the settings; the installation has no credentials of its own.
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.PLATFORM_CONNECTORS = {}


@pytest.fixture
def platform() -> Iterator[FakePlatform]:
    state = FakePlatform(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, dict(self.headers)))
            status, name, headers = state.reply_for(urllib.parse.urlsplit(self.path).path)
            body = (FIXTURES / name).read_bytes() if name else b'{"code": 404}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def tiktok_post(side_a):
    return post_create(
        collaboration=side_a.collaboration,
        platform="tiktok",
        external_id=VIDEO_ID,
        posted_at=timezone.now() - timedelta(days=2),
    )


def _business(
    platform: FakePlatform,
    token: str = "tok-123",
    retry: RetryPolicy | None = None,
    allow: AllowList = LOOPBACK,
) -> TikTokBusinessConnector:
    return TikTokBusinessConnector(
        access_token=token,
        business_id="biz-9",
        base_url=platform.url,
        retry=retry or _no_wait([]),
        allow=allow,
    )


def _shop(platform: FakePlatform, retry: RetryPolicy | None = None) -> TikTokShopConnector:
    return TikTokShopConnector(
        app_key="key-1",
        app_secret="secret-1",
        access_token="shop-tok",
        shop_cipher="ROW_c1",
        base_url=platform.url,
        retry=retry or _no_wait([]),
        allow=LOOPBACK,
    )


def _no_wait(waits: list[float], attempts: int = 3) -> RetryPolicy:
    """Retries that record the pauses they would take instead of sleeping."""
    return RetryPolicy(attempts=attempts, base_delay_s=0.5, max_delay_s=10.0, sleep=waits.append)


def test_tiktok_business_connector_sends_the_token_and_reads_the_video_figures(platform, tiktok_post) -> None:
    platform.routes["/open_api/v1.3/business/video/list/"] = (200, "tiktok_business_video_list.json")
    [snap] = _business(platform).fetch_metrics(tiktok_post)
    assert (snap.views, snap.likes, snap.comments, snap.shares) == (412345, 30123, 812, 1540)
    assert snap.saves is None and snap.orders is None  # not reported by this API
    path, headers = platform.requests[0]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    assert headers["Access-Token"] == "tok-123"
    assert query["business_id"] == ["biz-9"]
    assert json.loads(query["filters"][0]) == {"video_ids": [VIDEO_ID]}


def test_tiktok_business_error_code_becomes_a_connector_error(platform, tiktok_post) -> None:
    platform.routes["/open_api/"] = (200, "tiktok_business_error.json")
    with pytest.raises(ConnectorError, match="40105"):
        _business(platform).fetch_metrics(tiktok_post)


def test_tiktok_shop_connector_signs_the_request_and_sums_orders_and_gmv(platform, tiktok_post) -> None:
    platform.routes[f"/analytics/202409/shop_videos/{VIDEO_ID}/performance"] = (
        200,
        "tiktok_shop_video_performance.json",
    )
    connector = _shop(platform)
    [snap] = connector.fetch_metrics(tiktok_post)
    assert (snap.orders, snap.gmv_eur) == (41, Decimal("1234.50"))
    path, headers = platform.requests[0]
    split = urllib.parse.urlsplit(path)
    params = {k: v[0] for k, v in urllib.parse.parse_qs(split.query).items()}
    assert headers["X-Tts-Access-Token"] == "shop-tok"
    assert params["shop_cipher"] == "ROW_c1"
    assert params["sign"] == connector.sign(split.path, {k: v for k, v in params.items() if k != "sign"})


def test_meta_connector_reads_instagram_insights(platform, side_a) -> None:
    post = post_create(collaboration=side_a.collaboration, platform="instagram", external_id=MEDIA_ID)
    platform.routes[f"/v23.0/{MEDIA_ID}/insights"] = (200, "meta_instagram_insights.json")
    connector = MetaGraphConnector(access_token="meta-tok", base_url=platform.url, allow=LOOPBACK)
    [snap] = connector.fetch_metrics(post)
    assert (snap.views, snap.likes, snap.comments, snap.shares, snap.saves) == (98120, 5210, 143, 388, 702)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(platform.requests[0][0]).query)
    assert query["metric"] == ["views,likes,comments,shares,saved"]


def test_meta_refusal_reports_metas_own_message(platform, side_a) -> None:
    post = post_create(collaboration=side_a.collaboration, platform="instagram", external_id=MEDIA_ID)
    platform.routes["/v23.0/"] = (400, "meta_error.json")
    with pytest.raises(ConnectorError, match="Invalid OAuth access token"):
        MetaGraphConnector(access_token="bad", base_url=platform.url, allow=LOOPBACK).fetch_metrics(post)


def test_poll_combines_both_tiktok_sources_into_one_snapshot_and_is_idempotent(platform, tiktok_post) -> None:
    platform.routes["/open_api/"] = (200, "tiktok_business_video_list.json")
    platform.routes["/analytics/"] = (200, "tiktok_shop_video_performance.json")
    connectors: list[Connector] = [_business(platform), _shop(platform)]
    first = post_metrics_poll(post=tiktok_post, connectors=connectors)
    again = post_metrics_poll(post=tiktok_post, connectors=connectors)
    assert first.status == again.status == "ok"
    snap = MetricSnapshot.objects.get(post=tiktok_post)  # the same hour: still one snapshot
    assert (snap.views, snap.orders, snap.gmv_eur) == (412345, 41, Decimal("1234.50"))


def test_poll_without_credentials_is_skipped_with_a_reason(tiktok_post) -> None:
    result = post_metrics_poll(post=tiktok_post)
    assert result.status == "skipped" and result.detail == "no connector credentials"
    assert not MetricSnapshot.objects.exists()


def test_poll_task_uses_the_installations_credentials_and_base_url(platform, tiktok_post, settings) -> None:
    platform.routes["/open_api/"] = (200, "tiktok_business_video_list.json")
    settings.PLATFORM_CONNECTORS = {
        "tiktok_business": {"access_token": "env-token", "business_id": "biz-env", "base_url": platform.url}
    }
    counts = poll_metrics.call(reschedule=False)
    assert counts == {"ok": 1, "skipped": 0, "error": 0}
    assert platform.requests[0][1]["Access-Token"] == "env-token"
    assert MetricSnapshot.objects.get(post=tiktok_post).views == 412345


def test_poll_task_queues_its_next_run(tiktok_post) -> None:
    from django_tasks_db.models import DBTaskResult

    before = timezone.now()
    poll_metrics.call(reschedule=True)
    queued = DBTaskResult.objects.get(task_path="creatordesk.performance.tasks.poll_metrics")
    assert queued.run_after is not None and queued.run_after >= before + timedelta(minutes=59)


def test_tiktok_shop_in_another_currency_reports_orders_without_gmv(platform, tiktok_post) -> None:
    platform.routes["/analytics/"] = (200, "tiktok_shop_video_performance_usd.json")
    [snap] = _shop(platform).fetch_metrics(tiktok_post)
    assert (snap.orders, snap.gmv_eur) == (41, None)


@pytest.mark.django_db
def test_the_polling_loop_is_queued_once() -> None:
    from creatordesk.performance.tasks import polling_ensure_scheduled

    assert polling_ensure_scheduled() is True
    assert polling_ensure_scheduled() is False


BUSINESS = "/open_api/v1.3/business/video/list/"


def test_rate_limit_is_retried_after_the_time_the_platform_asks_for(platform, tiktok_post) -> None:
    platform.scripts[BUSINESS] = [
        (429, "tiktok_business_rate_limited.json", {"Retry-After": "7"}),
        (200, "tiktok_business_video_list.json", {}),
    ]
    waits: list[float] = []
    [snap] = _business(platform, retry=_no_wait(waits)).fetch_metrics(tiktok_post)
    assert snap.views == 412345
    assert waits == [7.0] and len(platform.requests) == 2


def test_a_long_retry_after_is_capped(platform, tiktok_post) -> None:
    platform.scripts[BUSINESS] = [
        (429, "tiktok_business_rate_limited.json", {"Retry-After": "3600"}),
        (200, "tiktok_business_video_list.json", {}),
    ]
    waits: list[float] = []
    _business(platform, retry=_no_wait(waits)).fetch_metrics(tiktok_post)
    assert waits == [10.0]


def test_rate_limit_without_retry_after_backs_off_exponentially(platform, side_a) -> None:
    post = post_create(collaboration=side_a.collaboration, platform="instagram", external_id=MEDIA_ID)
    platform.scripts["/v23.0/"] = [
        (429, "meta_rate_limited.json", {}),
        (429, "meta_rate_limited.json", {}),
        (200, "meta_instagram_insights.json", {}),
    ]
    waits: list[float] = []
    connector = MetaGraphConnector(
        access_token="meta-tok", base_url=platform.url, retry=_no_wait(waits), allow=LOOPBACK
    )
    [snap] = connector.fetch_metrics(post)
    assert snap.views == 98120 and waits == [0.5, 1.0]


def test_server_error_is_retried_with_backoff(platform, tiktok_post) -> None:
    platform.scripts[BUSINESS] = [
        (500, "tiktok_business_server_error.json", {}),
        (200, "tiktok_business_video_list.json", {}),
    ]
    waits: list[float] = []
    [snap] = _business(platform, retry=_no_wait(waits)).fetch_metrics(tiktok_post)
    assert snap.views == 412345 and waits == [0.5]


def test_a_lasting_server_error_gives_up_with_a_clear_reason(platform, tiktok_post) -> None:
    platform.scripts[BUSINESS] = [(500, "tiktok_business_server_error.json", {})]
    waits: list[float] = []
    with pytest.raises(ConnectorError, match="gave up after 3 attempts, last: HTTP 500"):
        _business(platform, retry=_no_wait(waits)).fetch_metrics(tiktok_post)
    assert len(platform.requests) == 3 and waits == [0.5, 1.0]  # no pause after the last attempt


def test_a_refused_connection_is_retried_then_reported(tiktok_post) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    closed = f"http://127.0.0.1:{server.server_address[1]}"
    server.server_close()  # nothing listens there any more
    waits: list[float] = []
    connector = TikTokBusinessConnector(
        access_token="t", business_id="b", base_url=closed, retry=_no_wait(waits, attempts=2), allow=LOOPBACK
    )
    with pytest.raises(ConnectorError, match="gave up after 2 attempts"):
        connector.fetch_metrics(tiktok_post)
    assert waits == [0.5]


def test_malformed_json_is_an_error_and_not_retried(platform, tiktok_post) -> None:
    platform.scripts[BUSINESS] = [(200, "tiktok_business_truncated.json", {})]
    with pytest.raises(ConnectorError, match="unreadable response"):
        _business(platform).fetch_metrics(tiktok_post)
    assert len(platform.requests) == 1


def test_a_source_that_gives_up_loses_nothing_the_other_source_fetched(platform, tiktok_post) -> None:
    platform.scripts[BUSINESS] = [(503, "tiktok_business_server_error.json", {})]
    platform.routes["/analytics/"] = (200, "tiktok_shop_video_performance.json")
    result = post_metrics_poll(post=tiktok_post, connectors=[_business(platform), _shop(platform)])
    assert (result.status, result.snapshots) == ("ok", 1)
    assert result.detail == "tiktok_business: gave up after 3 attempts, last: HTTP 503"
    snap = MetricSnapshot.objects.get(post=tiktok_post)
    assert (snap.orders, snap.gmv_eur) == (41, Decimal("1234.50"))


def test_a_failed_poll_keeps_earlier_snapshots_and_writes_nothing_partial(platform, tiktok_post) -> None:
    platform.routes["/open_api/"] = (200, "tiktok_business_video_list.json")
    post_metrics_poll(post=tiktok_post, connectors=[_business(platform)])
    before = list(MetricSnapshot.objects.values_list("taken_at", "views"))
    platform.scripts[BUSINESS] = [(200, "tiktok_business_truncated.json", {})]
    result = post_metrics_poll(post=tiktok_post, connectors=[_business(platform)])
    assert (result.status, result.snapshots) == ("error", 0)
    assert "unreadable response" in result.detail
    assert list(MetricSnapshot.objects.values_list("taken_at", "views")) == before == [(before[0][0], 412345)]


def test_retry_after_may_be_an_http_date() -> None:
    policy = RetryPolicy(attempts=2, base_delay_s=1.0, max_delay_s=60.0)
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    assert 15 <= policy.delay(1, later) <= 20
    assert policy.delay(3, "soon") == 4.0  # unreadable: ordinary backoff


def test_the_poll_prefers_the_workspaces_own_credentials_to_the_installations(
    platform, tiktok_post, side_a, settings
) -> None:
    from creatordesk.performance.connections import connection_save

    platform.routes["/open_api/"] = (200, "tiktok_business_video_list.json")
    settings.PLATFORM_CONNECTORS = {
        "tiktok_business": {"access_token": "env-token", "business_id": "biz-env", "base_url": platform.url}
    }
    connection_save(
        workspace=side_a.workspace,
        kind="tiktok_business",
        values={"business_id": "biz-brand-a", "access_token": "brand-a-token"},
        user=side_a.owner,
    )
    assert post_metrics_poll(post=tiktok_post).status == "ok"
    path, headers = platform.requests[0]
    assert headers["Access-Token"] == "brand-a-token"
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["business_id"] == ["biz-brand-a"]


def test_an_api_url_on_an_address_outside_the_allow_list_is_refused_without_retrying(
    platform, tiktok_post
) -> None:
    platform.routes["/open_api/"] = (200, "tiktok_business_video_list.json")
    waits: list[float] = []
    with pytest.raises(ConnectorError, match="address not allowed"):
        _business(platform, retry=_no_wait(waits), allow=AllowList()).fetch_metrics(tiktok_post)
    assert platform.requests == [] and waits == []
    exactly = AllowList.parse([platform.url.removeprefix("http://")])  # this host and port only
    assert _business(platform, allow=exactly).fetch_metrics(tiktok_post)[0].views == 412345
