"""The Insights client against recorded Marketing API answers served by a real HTTP server on 127.0.0.1.

The server checks the access token and the appsecret_proof as Graph API does and answers a failed
check with Meta's error envelope, so a client that authenticates wrongly fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from creatordesk.lib.outbound import AllowList
from creatordesk.performance.connectors import ConnectorError, RetryPolicy
from creatordesk.placements.audit import Code, PlacementChoice, audit
from creatordesk.placements.insights_api import (
    InsightsClient,
    MetaApiError,
    RateLimited,
    ReportJobFailed,
    ReportJobTimeout,
    TokenInvalid,
    TooManyPages,
)
from tests.placements.recorded_meta import (
    ACCOUNT,
    APP_SECRET,
    REPORT_RUN,
    TOKEN,
    VERSION,
    RecordedMeta,
    Reply,
    serve,
)

LOOPBACK = AllowList.parse(["127.0.0.1"])
CREATE = f"act_{ACCOUNT}/insights"
ROWS = f"{REPORT_RUN}/insights"
PAGE_2 = "MAZDZDpage2"
AUTO, MANUAL = "120210000000000101", "120210000000000102"
AD1, AD2, AD3 = "120210000000001001", "120210000000001002", "120210000000001003"
SEPTEMBER = (date(2026, 9, 1), date(2026, 9, 2))


@pytest.fixture
def meta() -> Iterator[RecordedMeta]:
    with serve() as state:
        yield state


def _no_wait(waits: list[float], attempts: int = 3, max_delay_s: float = 120.0) -> RetryPolicy:
    """Retries that record the pauses they would take instead of sleeping."""
    return RetryPolicy(attempts=attempts, base_delay_s=0.5, max_delay_s=max_delay_s, sleep=waits.append)


def _client(meta: RecordedMeta, *, token: str = TOKEN, **options: Any) -> InsightsClient:
    options.setdefault("retry", _no_wait([]))
    options.setdefault("sleep", [].append)
    return InsightsClient(
        token, ACCOUNT, base_url=meta.url, allow=LOOPBACK, poll_interval_s=2.0, max_polls=5, **options
    )


def _report(meta: RecordedMeta, *polls: str | Reply, page_2: str | Reply = "") -> None:
    """The recorded report run: created, polled through `polls`, read over two pages."""
    meta.on("POST", CREATE, "report_run_created.json")
    meta.on("GET", REPORT_RUN, *(polls or ("report_run_completed.json",)))
    meta.on("GET", ROWS, "insights_page1.json")
    meta.on("GET", ROWS, page_2 or "insights_page2.json", after=PAGE_2)


def _calls(meta: RecordedMeta) -> list[tuple[str, str]]:
    return [(r.method, r.path.removeprefix(f"/{VERSION}/")) for r in meta.received]


# The report run


def test_a_report_is_created_polled_until_complete_and_read_over_two_pages(meta) -> None:
    _report(meta, "report_run_not_started.json", "report_run_running.json", "report_run_completed.json")
    pauses: list[float] = []
    rows = _client(meta, sleep=pauses.append).placement_rows(*SEPTEMBER)
    assert len(rows) == 9 and [row.row for row in rows] == list(range(1, 10))
    assert _calls(meta) == [("POST", CREATE)] + [("GET", REPORT_RUN)] * 3 + [("GET", ROWS)] * 2
    assert pauses == [2.0, 2.0]
    first, second = meta.to(ROWS)
    assert "after" not in first.params and second.params["after"] == PAGE_2
    assert first.params["limit"] == second.params["limit"] == "500"
    assert not meta.refused


def test_the_report_asks_for_placement_breakdowns_daily_rows_the_level_and_the_audit_fields(meta) -> None:
    _report(meta)
    _client(meta).placement_rows(*SEPTEMBER, level="ad")
    [created] = meta.to(CREATE)
    assert created.headers["Content-Type"] == "application/x-www-form-urlencoded"
    params = created.params
    assert params["breakdowns"] == "publisher_platform,platform_position"
    assert params["time_increment"] == "1" and params["level"] == "ad"
    assert json.loads(params["time_range"]) == {"since": "2026-09-01", "until": "2026-09-02"}
    assert json.loads(params["action_attribution_windows"]) == ["7d_click", "1d_view"]
    fields = params["fields"].split(",")
    for name in ("account_id", "campaign_id", "campaign_name", "adset_id", "adset_name", "ad_id", "ad_name",
                 "spend", "impressions", "reach", "inline_link_clicks", "actions", "action_values",
                 "objective", "attribution_setting", "account_currency", "date_start", "date_stop"):  # fmt: skip
        assert name in fields, name
    assert params["access_token"] == TOKEN and "appsecret_proof" not in params


def test_an_ad_set_report_does_not_ask_for_ad_fields(meta) -> None:
    params = _client(meta).insights_params(*SEPTEMBER, level="adset")
    assert "adset_id" in params["fields"] and "ad_id" not in params["fields"].split(",")
    with pytest.raises(ValueError, match="level must be one of"):
        _client(meta).insights_params(*SEPTEMBER, level="placement")
    with pytest.raises(ValueError, match="ends before it starts"):
        _client(meta).placement_rows(date(2026, 9, 2), date(2026, 9, 1))
    assert meta.received == []


def test_rows_carry_threads_the_currency_an_attribution_setting_and_their_day(meta) -> None:
    _report(meta)
    rows = _client(meta).placement_rows(*SEPTEMBER)
    threads = [row for row in rows if row.is_threads]
    assert [(r.ad_id, r.day, r.platform_position) for r in threads] == [
        (AD1, date(2026, 9, 1), "threads_feed"),
        (AD1, date(2026, 9, 2), "threads_feed"),
        (AD3, date(2026, 9, 2), "threads_feed"),
    ]
    assert {row.currency for row in rows} == {"EUR"}
    assert all(row.day == row.starts == row.ends for row in rows)
    assert [row.attribution_setting for row in rows] == [
        *["7d_click,1d_view"] * 4, "1d_click", *["7d_click,1d_view"] * 2,
        "7d_click,1d_view",  # the row states no setting: the requested windows
        "1d_click",
    ]  # fmt: skip
    assert rows[7].attribution_label == "" and rows[0].attribution_label == "7d_click_1d_view"
    reels = rows[2]
    assert reels.placement == ("instagram", "instagram_reels") and reels.adset_id == AUTO
    assert (reels.spend, reels.impressions, reels.reach, reels.link_clicks) == (
        Decimal("6.55"),
        1220,
        1105,
        8,
    )
    assert (rows[8].link_clicks, rows[8].results, rows[8].revenue) == (0, 0, 0)


def test_results_count_one_purchase_type_and_revenue_comes_from_its_values(meta) -> None:
    _report(meta)
    rows = _client(meta).placement_rows(*SEPTEMBER)
    # Meta reports a purchase as `purchase`, `omni_purchase` and the pixel type; one is counted.
    assert [row.results for row in rows] == [2, 1, 0, 0, 1, 3, 1, 0, 0]
    assert [row.revenue for row in rows][:4] == [Decimal("79.8"), Decimal("39.9"), 0, 0]
    assert {row.result_indicator for row in rows} == {"actions:offsite_conversion.fb_pixel_purchase"}
    assert rows[0].objective == "OUTCOME_SALES" and rows[0].campaign_name == "Autumn serum – Sales"


def test_a_result_type_without_values_leaves_revenue_unknown_rather_than_zero(meta) -> None:
    _report(meta)
    rows = _client(meta).placement_rows(*SEPTEMBER, result_action_type="link_click")
    assert [row.results for row in rows][:3] == [31, 19, 8]
    assert {row.revenue for row in rows} == {None}


@pytest.mark.parametrize("ending", ["report_run_failed.json", "report_run_skipped.json"])
def test_a_report_run_that_fails_or_is_skipped_raises_with_its_status(meta, ending) -> None:
    _report(meta, "report_run_running.json", ending)
    rows = None
    with pytest.raises(ReportJobFailed) as failed:
        rows = _client(meta).placement_rows(*SEPTEMBER)
    assert rows is None and failed.value.report_run_id == REPORT_RUN
    assert failed.value.status == {"report_run_failed.json": "Job Failed"}.get(ending, "Job Skipped")
    assert meta.to(ROWS) == []


def test_polling_gives_up_after_the_last_allowed_poll(meta) -> None:
    _report(meta, "report_run_running.json")
    pauses: list[float] = []
    with pytest.raises(ReportJobTimeout, match="still “Job Running” after 5 polls"):
        _client(meta, sleep=pauses.append).placement_rows(*SEPTEMBER)
    assert len(meta.to(REPORT_RUN)) == 5 and pauses == [2.0] * 4 and meta.to(ROWS) == []


# Throttling and failures


def test_a_429_is_retried_after_the_retry_after_seconds(meta) -> None:
    _report(meta)
    meta.on(
        "POST", CREATE, (429, "error_rate_limit_80000.json", {"Retry-After": "7"}), "report_run_created.json"
    )
    waits: list[float] = []
    rows = _client(meta, retry=_no_wait(waits)).placement_rows(*SEPTEMBER)
    assert len(rows) == 9 and waits == [7.0]
    assert len(meta.to(CREATE)) == 2


def test_a_code_17_refusal_waits_the_time_the_usage_header_estimates(meta) -> None:
    usage = {
        "1234567890": [{"type": "ads_insights", "call_count": 100, "total_cputime": 41, "total_time": 57,
                        "estimated_time_to_regain_access": 1, "ads_api_access_tier": "standard_access"}],
        "987654321": [{"type": "ads_management", "call_count": 12, "total_cputime": 3, "total_time": 4,
                       "estimated_time_to_regain_access": 0}],
    }  # fmt: skip
    throttled = (400, "error_rate_limit_17.json", {"X-Business-Use-Case-Usage": json.dumps(usage)})
    _report(meta, throttled, "report_run_completed.json")
    waits: list[float] = []
    rows = _client(meta, retry=_no_wait(waits)).placement_rows(*SEPTEMBER)
    assert len(rows) == 9 and waits == [60.0]  # one minute, as the header says
    assert len(meta.to(REPORT_RUN)) == 2


def test_throttling_that_outlasts_every_attempt_raises_with_waits_capped_by_the_policy(meta) -> None:
    account_usage = json.dumps({"acc_id_util_pct": 100, "reset_time_duration": 900})
    meta.on("POST", CREATE, (400, "error_rate_limit_17.json", {"X-Ad-Account-Usage": account_usage}))
    waits: list[float] = []
    with pytest.raises(RateLimited) as limited:
        _client(meta, retry=_no_wait(waits, attempts=3, max_delay_s=45.0)).placement_rows(*SEPTEMBER)
    assert limited.value.code == 17 and limited.value.subcode == 2446079
    assert waits == [45.0, 45.0] and len(meta.to(CREATE)) == 3


def test_a_failing_second_page_raises_and_returns_nothing(meta) -> None:
    _report(meta, page_2=(500, "error_server.json", {}))
    waits: list[float] = []
    rows = None
    with pytest.raises(ConnectorError, match="gave up after 2 attempts, last: HTTP 500: An unknown error"):
        rows = _client(meta, retry=_no_wait(waits, attempts=2)).placement_rows(*SEPTEMBER)
    assert rows is None and waits == [0.5]
    assert [r.params.get("after") for r in meta.to(ROWS)] == [None, PAGE_2, PAGE_2]


def test_an_expired_token_raises_code_190_with_metas_message_and_is_not_retried(meta) -> None:
    _report(meta)
    with pytest.raises(TokenInvalid) as refused:
        _client(meta, token="EAAexpired").placement_rows(*SEPTEMBER)
    assert (refused.value.code, refused.value.subcode, refused.value.status) == (190, 463, 400)
    assert refused.value.message.startswith("Error validating access token: Session has expired")
    assert str(refused.value).startswith("Meta: 190 Error validating access token")
    assert len(meta.received) == 1


def test_the_app_secret_proof_is_sent_and_a_wrong_one_is_refused(meta) -> None:
    _report(meta)
    assert len(_client(meta, app_secret=APP_SECRET).placement_rows(*SEPTEMBER)) == 9
    assert all("appsecret_proof" in r.params for r in meta.received) and not meta.refused
    with pytest.raises(MetaApiError, match="Invalid appsecret_proof") as refused:
        _client(meta, app_secret="another-secret").placement_rows(*SEPTEMBER)
    assert refused.value.code == 100 and not isinstance(refused.value, TokenInvalid)


def test_a_report_with_more_pages_than_the_cap_raises_instead_of_returning_a_part(meta) -> None:
    _report(meta)
    with pytest.raises(TooManyPages, match="more than 1 pages"):
        _client(meta, max_pages=1).placement_rows(*SEPTEMBER)
    assert len(meta.to(ROWS)) == 1


def test_a_cursor_that_comes_back_again_stops_the_report(meta) -> None:
    _report(meta, page_2="insights_page1.json")
    with pytest.raises(ConnectorError, match="came back twice"):
        _client(meta).placement_rows(*SEPTEMBER)


def test_an_api_url_on_a_private_address_is_refused_without_the_allow_list(meta) -> None:
    _report(meta)
    client = InsightsClient(TOKEN, ACCOUNT, base_url=meta.url, retry=_no_wait([]))
    with pytest.raises(ConnectorError, match="address not allowed"):
        client.placement_rows(*SEPTEMBER)
    assert meta.received == []


# Ad set settings


def test_ad_set_settings_tell_manual_from_automatic_placements_with_start_objective_and_text_lengths(
    meta,
) -> None:
    meta.on("GET", "", "ad_sets.json")
    meta.on("GET", f"{AUTO}/ads", "ad_set_ads_page2.json", after="QVFIUads1after")
    settings = _client(meta).ad_set_settings([AUTO, MANUAL, AUTO])
    automatic, manual = settings[AUTO], settings[MANUAL]
    assert automatic.placements is PlacementChoice.AUTOMATIC and manual.placements is PlacementChoice.MANUAL
    assert (automatic.start, manual.start) == (date(2026, 8, 14), date(2026, 8, 28))
    assert automatic.objective == manual.objective == "OUTCOME_SALES"
    assert automatic.ad_text_lengths == {AD1: 154, AD2: 1240}  # AD2's caption is on the second page
    assert manual.ad_text_lengths == {AD3: 87}
    ids_request, ads_request = meta.received
    assert ids_request.params["ids"] == f"{AUTO},{MANUAL}"
    assert {"start_time", "targeting", "campaign{objective}"} <= set(ids_request.params["fields"].split(","))
    assert ads_request.params["fields"] == "id,creative{body,object_story_spec}"


def test_api_rows_and_ad_set_settings_feed_the_audit_like_an_export(meta) -> None:
    _report(meta)
    meta.on("GET", "", "ad_sets.json")
    meta.on("GET", f"{AUTO}/ads", "ad_set_ads_page2.json", after="QVFIUads1after")
    client = _client(meta)
    rows = client.placement_rows(*SEPTEMBER)
    result = audit(rows, SEPTEMBER, ad_sets=client.ad_set_settings({row.adset_id for row in rows}))
    automatic = result.scope("ad_set", AUTO)
    assert {Code.THREADS_WITHOUT_CHOICE, Code.TEXT_TOO_LONG} <= automatic.flag_codes()
    assert Code.THREADS_WITHOUT_CHOICE not in result.scope("ad_set", MANUAL).flag_codes()
    threads = automatic.placement("threads", "threads_feed")
    assert threads is not None and threads.totals.spend == Decimal("1.43") and threads.totals.results == 1


def test_the_client_loads_without_django() -> None:
    probe = (
        "import sys, creatordesk.placements.insights_api; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'ninja', 'django_tasks_db')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
