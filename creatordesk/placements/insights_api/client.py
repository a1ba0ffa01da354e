"""Placement figures and ad set settings of one ad account through the Meta Marketing API.

The Insights report runs as an asynchronous job (placements.md §1.5): a POST to
`act_<id>/insights` creates a report run, `/<report_run_id>` is polled until it says
`Job Completed` at 100 %, and `/<report_run_id>/insights` is read page by page along the `after`
cursor (§1.7). The cursor is sent to the configured base URL rather than following `paging.next`
as written, so the token never goes to a host the answer names.

Every request goes through the guarded outbound client. Meta throttles with HTTP 400/403 and error
codes 4, 17, 32, 613 or 80000–80014, sometimes with 429 (§1.6); those are retried after the time its
usage headers or Retry-After ask for, capped by the RetryPolicy, and so are 5xx answers and dropped
connections. Any other error envelope raises at once. A method reads everything before it returns:
a failure on any poll or page raises and returns nothing, so a caller never stores half a report.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from creatordesk.lib import outbound
from creatordesk.performance.connectors import TIMEOUT_S, ConnectorError, RetryPolicy
from creatordesk.placements.audit import AdSetSettings
from creatordesk.placements.exports import PlacementRow
from creatordesk.placements.insights_api import parsing
from creatordesk.placements.insights_api.parsing import JSON

# The version the Ads Insights reference uses in its examples (placements.md §1.1).
VERSION = "v25.0"
LEVELS = ("account", "campaign", "adset", "ad")
BREAKDOWNS = "publisher_platform,platform_position"
# Meta's `default` windows (placements.md §1.4) and the audit query's choice (§1.8).
DEFAULT_WINDOWS = ("7d_click", "1d_view")
# One canonical action type, never the sum of its duplicates (`omni_purchase`, `purchase`, ...),
# which Meta reports with equal values for the same purchase (§1.3).
DEFAULT_RESULT_ACTION_TYPE = "offsite_conversion.fb_pixel_purchase"
_IDENTITY = {
    "account": ("account_id", "account_name"),
    "campaign": ("campaign_id", "campaign_name"),
    "adset": ("adset_id", "adset_name"),
    "ad": ("ad_id", "ad_name"),
}
FIGURES = (
    "objective", "optimization_goal", "attribution_setting", "account_currency", "spend", "impressions",
    "reach", "inline_link_clicks", "actions", "action_values", "date_start", "date_stop",
)  # fmt: skip
# Rate limiting codes of the Marketing API and of the business use case quotas (§1.6).
THROTTLE_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
TOKEN_CODE = 190
# Status strings of a report run; "Job Completed" with 100 % is what the SDK waits for (§1.5, the
# failure strings are marked unverified there, so any other status keeps the poll going).
JOB_DONE = "Job Completed"
JOB_FAILED = frozenset({"Job Failed", "Job Skipped"})
PAGE_SIZE = 500
# The Graph API reads at most 50 objects per `ids=` request.
IDS_PER_REQUEST = 50
AD_SET_FIELDS = (
    "id,name,start_time,created_time,targeting,campaign{objective},"
    "ads.limit(100){id,creative{body,object_story_spec}}"
)
AD_FIELDS = "id,creative{body,object_story_spec}"
DEFAULT_MAX_PAGES = 200
# A page of 500 Insights rows with their action lists runs to about a megabyte.
MAX_RESPONSE_BYTES = 8 * 1024 * 1024
_LIMITS = outbound.Limits(timeout_s=TIMEOUT_S, total_timeout_s=4 * TIMEOUT_S, max_bytes=MAX_RESPONSE_BYTES)


class MetaApiError(ConnectorError):
    """Meta answered with an error envelope `{"error": {"code", "message", ...}}` (or none it could read)."""

    def __init__(
        self,
        code: int | None,
        message: str,
        *,
        subcode: int | None = None,
        status: int = 0,
        trace_id: str = "",
    ) -> None:
        super().__init__(f"Meta: {code if code is not None else f'HTTP {status}'} {message}".strip())
        self.code = code
        self.subcode = subcode
        self.message = message
        self.status = status
        self.trace_id = trace_id


class TokenInvalid(MetaApiError):
    """Code 190: the access token expired or was revoked; the ad account has to be connected again."""


class RateLimited(MetaApiError):
    """Meta still throttled the request after every attempt the RetryPolicy allows."""


class ReportJobFailed(ConnectorError):
    """The report run ended `Job Failed` or `Job Skipped`; Meta gives no other reason."""

    def __init__(self, report_run_id: str, status: str, percent: object) -> None:
        super().__init__(f"Meta: report run {report_run_id} ended “{status}” at {percent} %")
        self.report_run_id = report_run_id
        self.status = status


class ReportJobTimeout(ConnectorError):
    """The report run had not completed after the last poll the client allows."""

    def __init__(self, report_run_id: str, polls: int, status: str) -> None:
        super().__init__(f"Meta: report run {report_run_id} still “{status}” after {polls} polls")
        self.report_run_id = report_run_id
        self.status = status


class TooManyPages(ConnectorError):
    """A report still had pages after the page cap; ask for a shorter period or a higher level instead."""


def appsecret_proof(app_secret: str, access_token: str) -> str:
    """The `appsecret_proof` parameter: HMAC-SHA256 of the token keyed with the app secret, in hex."""
    # developers.facebook.com/docs/graph-api/guides/secure-requests
    return hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class InsightsClient:
    """Placement Insights and ad set settings of one ad account, read with one access token."""

    access_token: str
    ad_account_id: str  # digits, with or without the "act_" prefix
    app_secret: str = ""  # when given, every request carries its appsecret_proof
    base_url: str = "https://graph.facebook.com"
    version: str = VERSION
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # Internal hosts the base URL may point at; by default only public addresses are reached.
    allow: outbound.AllowList = field(default_factory=outbound.AllowList)
    # Async reports "can take up to an hour to complete" (§1.5): 360 polls 10 s apart.
    poll_interval_s: float = 10.0
    max_polls: int = 360
    sleep: Callable[[float], None] = time.sleep
    max_pages: int = DEFAULT_MAX_PAGES

    def configured(self) -> bool:
        return bool(self.access_token and self.ad_account_id)

    @property
    def account(self) -> str:
        digits = self.ad_account_id.strip().removeprefix("act_")
        if not digits.isdigit():
            raise ValueError(f"{self.ad_account_id!r} is not an ad account id")
        return f"act_{digits}"

    def insights_params(
        self, since: date, until: date, level: str, attribution_windows: Sequence[str] = DEFAULT_WINDOWS
    ) -> dict[str, str]:
        """The parameters of the placement report: one row per object, placement and day."""
        if level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
        if since > until:
            raise ValueError("the period ends before it starts")
        identity = [name for above in LEVELS[: LEVELS.index(level) + 1] for name in _IDENTITY[above]]
        params = {
            "level": level,
            "fields": ",".join((*identity, *FIGURES)),
            "breakdowns": BREAKDOWNS,
            "time_range": json.dumps({"since": since.isoformat(), "until": until.isoformat()}),
            "time_increment": "1",
        }
        if attribution_windows:
            params["action_attribution_windows"] = json.dumps(list(attribution_windows))
        return params

    def placement_rows(
        self,
        since: date,
        until: date,
        level: str = "ad",
        *,
        result_action_type: str = DEFAULT_RESULT_ACTION_TYPE,
        attribution_windows: Sequence[str] = DEFAULT_WINDOWS,
    ) -> list[PlacementRow]:
        """Every placement row of the period, by day, after the report run has completed.

        `results` counts the `actions` of `result_action_type` and `revenue` its `action_values`;
        each row keeps its own `attribution_setting`, or the requested windows where it states none.
        """
        params = self.insights_params(since, until, level, attribution_windows)
        created = self._call("POST", f"{self.account}/insights", params)
        run_id = parsing.text(created.get("report_run_id"))
        if not run_id:
            raise ConnectorError("Meta: the report was not created (no report_run_id)")
        self._await_report(run_id)
        items = self._pages(f"{_segment(run_id)}/insights", {"limit": str(PAGE_SIZE)})
        rows = [
            parsing.placement_row(
                item,
                number=number,
                result_action_type=result_action_type,
                requested_windows=attribution_windows,
            )
            for number, item in enumerate(items, start=1)
        ]
        return parsing.with_known_revenue(rows)

    def ad_set_settings(self, ad_set_ids: Iterable[str]) -> dict[str, AdSetSettings]:
        """Placement choice, start date, objective and ad text lengths of each ad set, by ad set id."""
        ids = list(dict.fromkeys(i.strip() for i in ad_set_ids if i and i.strip()))
        settings: dict[str, AdSetSettings] = {}
        for start in range(0, len(ids), IDS_PER_REQUEST):
            chunk = ids[start : start + IDS_PER_REQUEST]
            nodes = self._call("GET", "", {"ids": ",".join(chunk), "fields": AD_SET_FIELDS})
            for ad_set_id in chunk:
                node = parsing.obj(nodes.get(ad_set_id))
                if not node:
                    raise ConnectorError(f"Meta: ad set {ad_set_id} is missing from the answer")
                ads = self._pages(
                    f"{_segment(ad_set_id)}/ads",
                    {"fields": AD_FIELDS, "limit": "100"},
                    first=parsing.obj(node.get("ads")),
                )
                settings[ad_set_id] = parsing.ad_set_settings(node, ads)
        return settings

    # Transport.

    def _await_report(self, run_id: str) -> None:
        status = ""
        for poll in range(self.max_polls):
            if poll:
                self.sleep(self.poll_interval_s)
            run = self._call("GET", _segment(run_id), {})
            status = parsing.text(run.get("async_status"))
            percent = run.get("async_percent_completion")
            if status in JOB_FAILED:
                raise ReportJobFailed(run_id, status, percent)
            if status == JOB_DONE and parsing.text(percent) == "100":
                return
        raise ReportJobTimeout(run_id, self.max_polls, status)

    def _pages(self, path: str, params: dict[str, str], first: JSON | None = None) -> list[JSON]:
        items: list[JSON] = []
        seen: set[str] = set()
        page = self._call("GET", path, params) if first is None else first
        for count in range(1, self.max_pages + 1):
            items.extend(parsing.objects(page.get("data")))
            after = _next_cursor(page)
            if not after:
                return items
            if count == self.max_pages:
                break
            if after in seen:
                raise ConnectorError(f"Meta: cursor {after!r} came back twice")
            seen.add(after)
            page = self._call("GET", path, {**params, "after": after})
        raise TooManyPages(f"Meta: {path} has more than {self.max_pages} pages; narrow the report")

    def _call(self, method: str, path: str, params: dict[str, str]) -> JSON:
        """One Graph API call below the version root; POST parameters travel as a form body."""
        auth = {"access_token": self.access_token}
        if self.app_secret:
            auth["appsecret_proof"] = appsecret_proof(self.app_secret, self.access_token)
        encoded = urllib.parse.urlencode({**params, **auth})
        url = f"{self.base_url.rstrip('/')}/{self.version}/{path}"
        if method == "GET":
            return _send(
                "GET", f"{url}?{encoded}", None, {"Accept": "application/json"}, self.retry, self.allow
            )
        headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
        return _send(method, url, encoded.encode(), headers, self.retry, self.allow)


def _segment(value: str) -> str:
    if not value.strip():
        raise ValueError("an id is missing")
    return urllib.parse.quote(value.strip(), safe="")


def _next_cursor(page: JSON) -> str:
    paging = parsing.obj(page.get("paging"))
    if not paging.get("next"):
        return ""
    after = parsing.text(parsing.obj(paging.get("cursors")).get("after"))
    if not after:
        raise ConnectorError("Meta: a page names a next page but no cursor")
    return after


@dataclass(frozen=True)
class _Retry:
    """A refusal worth another attempt, with how long to wait first (None: the policy's backoff)."""

    last: str
    wait_s: float | None = None
    throttle: MetaApiError | None = None


def _send(
    method: str,
    url: str,
    body: bytes | None,
    headers: dict[str, str],
    retry: RetryPolicy,
    allow: outbound.AllowList,
) -> JSON:
    last = _Retry("no attempt")
    for attempt in range(1, retry.attempts + 1):
        try:
            response = outbound.request(method, url, body=body, headers=headers, allow=allow, limits=_LIMITS)
        except (outbound.Unreachable, outbound.UnresolvableHost) as exc:
            # Refused or dropped connections, timeouts and failed look-ups may pass: worth another try.
            last = _Retry(f"{type(exc).__name__}: {exc}")
        except outbound.BlockedTarget as exc:
            raise ConnectorError(f"address not allowed (see OUTBOUND_ALLOWED_HOSTS): {exc}") from None
        except outbound.OutboundError as exc:
            raise ConnectorError(f"{type(exc).__name__}: {exc}") from None
        else:
            outcome = _outcome(response, attempt, retry)
            if not isinstance(outcome, _Retry):
                return outcome
            last = outcome
        if attempt < retry.attempts:
            retry.sleep(last.wait_s if last.wait_s is not None else retry.delay(attempt))
    if last.throttle is not None:
        error = last.throttle
        raise RateLimited(
            error.code, error.message, subcode=error.subcode, status=error.status, trace_id=error.trace_id
        )
    raise ConnectorError(f"gave up after {retry.attempts} attempts, last: {last.last}")


def _outcome(response: outbound.Response, attempt: int, retry: RetryPolicy) -> JSON | _Retry:
    """The answer's JSON object, a retry with its wait, or a raised MetaApiError."""
    try:
        payload: Any = json.loads(response.body.decode() or "null")
    except ValueError as exc:
        if response.status < 300:
            raise ConnectorError(f"unreadable response: {exc}") from exc
        payload = None
    error = parsing.obj(payload.get("error")) if isinstance(payload, dict) else {}
    if response.status < 300 and not error:
        if not isinstance(payload, dict):
            raise ConnectorError("response is not a JSON object")
        return payload
    refusal = _api_error(response, error)
    if response.status == 429 or refusal.code in THROTTLE_CODES:
        headers = {name.lower(): value for name, value in response.headers.items()}
        wanted = min(parsing.regain_access_s(headers), retry.max_delay_s)
        wait = max(retry.delay(attempt, headers.get("retry-after")), wanted)
        return _Retry(str(refusal), wait, refusal)
    if response.status >= 500:
        return _Retry(f"HTTP {response.status}: {refusal.message}")
    raise refusal


def _api_error(response: outbound.Response, error: JSON) -> MetaApiError:
    code = error.get("code")
    subcode = error.get("error_subcode")
    kind = TokenInvalid if code == TOKEN_CODE else MetaApiError
    return kind(
        code if isinstance(code, int) else None,
        parsing.text(error.get("message")) or response.reason,
        subcode=subcode if isinstance(subcode, int) else None,
        status=response.status,
        trace_id=parsing.text(error.get("fbtrace_id")),
    )
