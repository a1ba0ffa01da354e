"""Connectors against recorded API responses served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from creatordesk.performance.connectors import (
    Connector,
    ConnectorError,
    MetaGraphConnector,
    TikTokBusinessConnector,
    TikTokShopConnector,
)
from creatordesk.performance.models import MetricSnapshot
from creatordesk.performance.services import post_create, post_metrics_poll
from creatordesk.performance.tasks import poll_metrics

FIXTURES = Path(__file__).parent / "fixtures"
VIDEO_ID = "7441234567890123456"
MEDIA_ID = "17912345678901234"


@dataclass
class FakePlatform:
    """Routes path prefixes to (status, fixture file) and remembers every request it got."""

    url: str
    routes: dict[str, tuple[int, str]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)


@pytest.fixture
def platform() -> Iterator[FakePlatform]:
    state = FakePlatform(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, dict(self.headers)))
            path = urllib.parse.urlsplit(self.path).path
            status, name = next(
                (route for prefix, route in state.routes.items() if path.startswith(prefix)), (404, "")
            )
            body = (FIXTURES / name).read_bytes() if name else b'{"code": 404}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
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


def _business(platform: FakePlatform, token: str = "tok-123") -> TikTokBusinessConnector:
    return TikTokBusinessConnector(access_token=token, business_id="biz-9", base_url=platform.url)


def _shop(platform: FakePlatform) -> TikTokShopConnector:
    return TikTokShopConnector(
        app_key="key-1",
        app_secret="secret-1",
        access_token="shop-tok",
        shop_cipher="ROW_c1",
        base_url=platform.url,
    )


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
    [snap] = MetaGraphConnector(access_token="meta-tok", base_url=platform.url).fetch_metrics(post)
    assert (snap.views, snap.likes, snap.comments, snap.shares, snap.saves) == (98120, 5210, 143, 388, 702)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(platform.requests[0][0]).query)
    assert query["metric"] == ["views,likes,comments,shares,saved"]


def test_meta_refusal_reports_metas_own_message(platform, side_a) -> None:
    post = post_create(collaboration=side_a.collaboration, platform="instagram", external_id=MEDIA_ID)
    platform.routes["/v23.0/"] = (400, "meta_error.json")
    with pytest.raises(ConnectorError, match="Invalid OAuth access token"):
        MetaGraphConnector(access_token="bad", base_url=platform.url).fetch_metrics(post)


def test_poll_combines_both_tiktok_sources_into_one_snapshot_and_is_idempotent(platform, tiktok_post) -> None:
    platform.routes["/open_api/"] = (200, "tiktok_business_video_list.json")
    platform.routes["/analytics/"] = (200, "tiktok_shop_video_performance.json")
    connectors: list[Connector] = [_business(platform), _shop(platform)]
    first = post_metrics_poll(post=tiktok_post, connectors=connectors)
    again = post_metrics_poll(post=tiktok_post, connectors=connectors)
    assert first.status == again.status == "ok"
    snap = MetricSnapshot.objects.get(post=tiktok_post)  # the same hour: still one snapshot
    assert (snap.views, snap.orders, snap.gmv_eur) == (412345, 41, Decimal("1234.50"))


def test_poll_without_credentials_is_skipped_with_a_reason(tiktok_post, monkeypatch) -> None:
    for name in ("TIKTOK_BUSINESS_ACCESS_TOKEN", "TIKTOK_SHOP_APP_KEY", "TIKTOK_SHOP_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    result = post_metrics_poll(post=tiktok_post)
    assert result.status == "skipped" and result.detail == "no connector credentials"
    assert not MetricSnapshot.objects.exists()


def test_poll_task_reads_credentials_and_base_url_from_the_environment(
    platform, tiktok_post, monkeypatch
) -> None:
    platform.routes["/open_api/"] = (200, "tiktok_business_video_list.json")
    monkeypatch.setenv("TIKTOK_BUSINESS_ACCESS_TOKEN", "env-token")
    monkeypatch.setenv("TIKTOK_BUSINESS_ID", "biz-env")
    monkeypatch.setenv("TIKTOK_BUSINESS_API_URL", platform.url)
    monkeypatch.delenv("TIKTOK_SHOP_APP_KEY", raising=False)
    counts = poll_metrics.call(reschedule=False)
    assert counts == {"ok": 1, "skipped": 0, "error": 0}
    assert platform.requests[0][1]["Access-Token"] == "env-token"
    assert MetricSnapshot.objects.get(post=tiktok_post).views == 412345


def test_poll_task_queues_its_next_run(tiktok_post, monkeypatch) -> None:
    from django_tasks_db.models import DBTaskResult

    monkeypatch.delenv("TIKTOK_BUSINESS_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("TIKTOK_SHOP_APP_KEY", raising=False)
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
