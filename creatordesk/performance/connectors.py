"""Fetch current figures of a post from a platform API.

Every connector builds the platform's real request and reads its documented response shape. Requests
go through the guarded client of `creatordesk.lib.outbound` (explicit timeouts, capped answers,
checked redirects): a base URL on an internal address works only when it is listed in
OUTBOUND_ALLOWED_HOSTS. Base URLs are configurable so the tests can serve recorded responses from a
local server. Credentials, endpoints, retries and the allow list are given by the caller (the
installation's settings, read once at start-up, or a workspace's own connection): this module reads
no configuration itself. A connector without credentials reports itself as skipped.

Rate limits (HTTP 429), server errors (5xx) and dropped connections are retried a few times with
exponential backoff; a Retry-After header is honoured up to a cap. A connector that gives up raises
ConnectorError and returns nothing, so a poll never stores half-read figures.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Protocol

from creatordesk.lib import outbound

if TYPE_CHECKING:
    from creatordesk.performance.models import Post

METRIC_FIELDS = ("views", "likes", "comments", "shares", "saves", "orders", "gmv_eur")
TIMEOUT_S = 15
# The figures of one post are a few kilobytes; a bigger answer is not one of these APIs.
MAX_RESPONSE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a connector retries a refused or failed request."""

    attempts: int = 4
    base_delay_s: float = 1.0
    max_delay_s: float = 30.0
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number `attempt` (1-based): Retry-After if given, else doubling."""
        wanted = _retry_after_s(retry_after)
        if wanted is None:
            wanted = self.base_delay_s * 2 ** (attempt - 1)
        return min(wanted, self.max_delay_s)


@dataclass(frozen=True)
class Snapshot:
    """Cumulative figures at one moment; None means the source does not report that figure."""

    taken_at: datetime
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    orders: int | None = None
    gmv_eur: Decimal | None = None


class ConnectorError(Exception):
    """The platform refused the request or answered with something unreadable."""


class Connector(Protocol):
    name: str

    def configured(self) -> bool: ...

    def fetch_metrics(self, post: Post) -> list[Snapshot]: ...


def _hour(now: datetime | None = None) -> datetime:
    # Polls within the same hour land on the same snapshot, which makes a repeated poll harmless.
    return (now or datetime.now(UTC)).replace(minute=0, second=0, microsecond=0)


def _retry_after_s(value: str | None) -> float | None:
    """Retry-After as seconds; the header holds either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def tiktok_shop_sign(secret: str, path: str, params: Mapping[str, str], body: str = "") -> str:
    """Signature of a TikTok Shop Partner API request (the `sign` query parameter)."""
    # The Partner API signs secret + path + sorted key/value pairs + body + secret with HMAC-SHA256.
    pairs = "".join(f"{k}{params[k]}" for k in sorted(params) if k not in ("sign", "access_token"))
    message = f"{secret}{path}{pairs}{body}{secret}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def request_json(
    request: urllib.request.Request, retry: RetryPolicy, allow: outbound.AllowList
) -> dict[str, Any]:
    """Send `request` (any method, with its body) and return the JSON object it answers, retrying as told."""
    # urllib's Request only describes the call; the guarded client makes it.
    limits = outbound.Limits(timeout_s=TIMEOUT_S, total_timeout_s=2 * TIMEOUT_S, max_bytes=MAX_RESPONSE_BYTES)
    last = ""
    for attempt in range(1, retry.attempts + 1):
        retry_after = None
        try:
            response = outbound.request(
                request.get_method(),
                request.full_url,
                body=request.data if isinstance(request.data, bytes) else None,
                headers={name.title(): value for name, value in request.header_items()},
                allow=allow,
                limits=limits,
            )
        except (outbound.Unreachable, outbound.UnresolvableHost) as exc:
            # Refused or dropped connections, timeouts and failed look-ups may pass: worth another try.
            last = f"{type(exc).__name__}: {exc}"
        except outbound.BlockedTarget as exc:
            raise ConnectorError(f"address not allowed (see OUTBOUND_ALLOWED_HOSTS): {exc}") from None
        except outbound.OutboundError as exc:
            raise ConnectorError(f"{type(exc).__name__}: {exc}") from None
        else:
            if response.status < 300:
                return _parsed(response.body)
            if not _retryable(response.status):
                return _refusal(response)
            last, retry_after = f"HTTP {response.status}", response.headers.get("Retry-After")
        if attempt < retry.attempts:
            retry.sleep(retry.delay(attempt, retry_after))
    raise ConnectorError(f"gave up after {retry.attempts} attempts, last: {last}")


def _parsed(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body.decode())
    except ValueError as exc:
        raise ConnectorError(f"unreadable response: {exc}") from exc
    if not isinstance(payload, dict):
        raise ConnectorError("response is not a JSON object")
    return payload


def _refusal(response: outbound.Response) -> dict[str, Any]:
    # Both APIs explain a refusal in a JSON body; that message is worth more than the status.
    try:
        payload = json.loads(response.body.decode() or "null")
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise ConnectorError(f"HTTP {response.status}: {response.reason}")
    return payload


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


@dataclass
class TikTokBusinessConnector:
    """Organic video figures of a TikTok account through the TikTok API for Business (v1.3)."""

    access_token: str = ""
    business_id: str = ""
    base_url: str = "https://business-api.tiktok.com"
    name: str = "tiktok_business"
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # Internal hosts the base URL may point at; by default only public addresses are reached.
    allow: outbound.AllowList = field(default_factory=outbound.AllowList)

    def configured(self) -> bool:
        return bool(self.access_token and self.business_id)

    def request_for(self, post: Post) -> urllib.request.Request:
        query = urllib.parse.urlencode(
            {
                "business_id": self.business_id,
                "fields": json.dumps(
                    ["item_id", "create_time", "video_views", "likes", "comments", "shares"]
                ),
                "filters": json.dumps({"video_ids": [post.external_id]}),
            }
        )
        return urllib.request.Request(
            f"{self.base_url.rstrip('/')}/open_api/v1.3/business/video/list/?{query}",
            headers={"Access-Token": self.access_token, "Accept": "application/json"},
        )

    def fetch_metrics(self, post: Post) -> list[Snapshot]:
        payload = request_json(self.request_for(post), self.retry, self.allow)
        if payload.get("code") != 0:
            raise ConnectorError(f"TikTok: {payload.get('code')} {payload.get('message', '')}".strip())
        for video in (payload.get("data") or {}).get("videos") or []:
            if str(video.get("item_id")) == post.external_id:
                return [
                    Snapshot(
                        taken_at=_hour(),
                        views=_int(video.get("video_views")),
                        likes=_int(video.get("likes")),
                        comments=_int(video.get("comments")),
                        shares=_int(video.get("shares")),
                    )
                ]
        return []


@dataclass
class TikTokShopConnector:
    """Orders and GMV a video drove, through the TikTok Shop Partner API (analytics, signed)."""

    app_key: str = ""
    app_secret: str = ""
    access_token: str = ""
    shop_cipher: str = ""
    base_url: str = "https://open-api.tiktokglobalshop.com"
    name: str = "tiktok_shop"
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # Internal hosts the base URL may point at; by default only public addresses are reached.
    allow: outbound.AllowList = field(default_factory=outbound.AllowList)

    def configured(self) -> bool:
        return bool(self.app_key and self.app_secret and self.access_token)

    def sign(self, path: str, params: dict[str, str], body: str = "") -> str:
        return tiktok_shop_sign(self.app_secret, path, params, body)

    def request_for(self, post: Post, *, today: str, start: str) -> urllib.request.Request:
        path = f"/analytics/202409/shop_videos/{urllib.parse.quote(post.external_id)}/performance"
        params = {
            "app_key": self.app_key,
            "timestamp": str(int(time.time())),
            "start_date_ge": start,
            "end_date_lt": today,
            "currency": "LOCAL",
        }
        if self.shop_cipher:
            params["shop_cipher"] = self.shop_cipher
        params["sign"] = self.sign(path, params)
        return urllib.request.Request(
            f"{self.base_url.rstrip('/')}{path}?{urllib.parse.urlencode(params)}",
            headers={"x-tts-access-token": self.access_token, "Content-Type": "application/json"},
        )

    def fetch_metrics(self, post: Post) -> list[Snapshot]:
        taken = _hour()
        start = post.posted_at.date().isoformat() if post.posted_at else taken.date().isoformat()
        payload = request_json(
            self.request_for(post, today=taken.date().isoformat(), start=start), self.retry, self.allow
        )
        if payload.get("code") != 0:
            raise ConnectorError(f"TikTok Shop: {payload.get('code')} {payload.get('message', '')}".strip())
        intervals = ((payload.get("data") or {}).get("performance") or {}).get("intervals") or []
        if not intervals:
            return []
        orders, gmv = 0, Decimal(0)
        currencies = set()
        for interval in intervals:
            orders += _int(interval.get("sku_orders")) or 0
            money = interval.get("gmv") or {}
            currencies.add(money.get("currency") or "EUR")
            gmv += Decimal(str(money.get("amount") or "0"))
        # GMV is kept in EUR only; a shop selling in another currency reports orders without GMV.
        return [Snapshot(taken_at=taken, orders=orders, gmv_eur=gmv if currencies == {"EUR"} else None)]


@dataclass
class MetaGraphConnector:
    """Instagram media insights through the Meta Graph API."""

    access_token: str = ""
    base_url: str = "https://graph.facebook.com"
    version: str = "v23.0"
    name: str = "meta_graph"
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # Internal hosts the base URL may point at; by default only public addresses are reached.
    allow: outbound.AllowList = field(default_factory=outbound.AllowList)

    def configured(self) -> bool:
        return bool(self.access_token)

    def request_for(self, post: Post) -> urllib.request.Request:
        query = urllib.parse.urlencode(
            {"metric": "views,likes,comments,shares,saved", "access_token": self.access_token}
        )
        media = urllib.parse.quote(post.external_id)
        return urllib.request.Request(
            f"{self.base_url.rstrip('/')}/{self.version}/{media}/insights?{query}",
            headers={"Accept": "application/json"},
        )

    def fetch_metrics(self, post: Post) -> list[Snapshot]:
        payload = request_json(self.request_for(post), self.retry, self.allow)
        if "error" in payload:
            error = payload["error"] or {}
            raise ConnectorError(f"Meta: {error.get('code')} {error.get('message', '')}".strip())
        values: dict[str, int | None] = {}
        for metric in payload.get("data") or []:
            points = metric.get("values") or []
            total = metric.get("total_value") or {}
            values[metric.get("name", "")] = _int(points[-1].get("value") if points else total.get("value"))
        if not values:
            return []
        return [
            Snapshot(
                taken_at=_hour(),
                views=values.get("views"),
                likes=values.get("likes"),
                comments=values.get("comments"),
                shares=values.get("shares"),
                saves=values.get("saved"),
            )
        ]
