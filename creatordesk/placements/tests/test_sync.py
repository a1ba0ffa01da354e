"""Reading Insights from the recorded Marketing API into the workspace's rows, through the page and the task."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django_tasks_db.models import DBTaskResult

from creatordesk.performance.connections import connection_save
from creatordesk.placements.models import AdSetSetting, InsightsRun, PlacementRecord, Source, SyncStatus
from creatordesk.placements.tasks import placements_insights_run
from tests.placements.recorded_meta import ACCOUNT, APP_SECRET, REPORT_RUN, TOKEN, RecordedMeta, serve

AUTO, MANUAL = "120210000000000101", "120210000000000102"


@pytest.fixture
def meta() -> Iterator[RecordedMeta]:
    with serve() as state:
        yield state


@pytest.fixture
def connected(side_a, marketer, meta, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.PLATFORM_CONNECTORS = {"meta_ads": {"base_url": meta.url}}
    settings.INSIGHTS_POLL_SECONDS = 0
    settings.CONNECTOR_RETRY_ATTEMPTS = 2
    settings.CONNECTOR_RETRY_DELAY_S = 0
    connection_save(
        workspace=side_a.workspace,
        kind="meta_ads",
        values={"ad_account_id": ACCOUNT, "access_token": TOKEN, "app_secret": APP_SECRET},
        user=side_a.owner,
    )
    return side_a


def _recorded_report(meta: RecordedMeta, page_2: str = "insights_page2.json") -> None:
    meta.on("POST", f"act_{ACCOUNT}/insights", "report_run_created.json")
    meta.on("GET", REPORT_RUN, "report_run_running.json", "report_run_completed.json")
    meta.on("GET", f"{REPORT_RUN}/insights", "insights_page1.json")
    meta.on("GET", f"{REPORT_RUN}/insights", page_2, after="MAZDZDpage2")
    meta.on("GET", "", "ad_sets.json")
    meta.on("GET", f"{AUTO}/ads", "ad_set_ads_page2.json", after="QVFIUads1after")


def test_a_read_started_on_the_page_stores_rows_and_ad_set_settings(
    connected, marketer, meta, login_as, django_capture_on_commit_callbacks
) -> None:
    _recorded_report(meta)
    client = login_as(marketer)
    assert 'data-testid="insights-form"' in client.get("/placements/sync/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/placements/sync/start/", {"since": "2026-09-01", "until": "2026-09-02"})
    assert response.status_code == 302
    run = InsightsRun.objects.get()
    queued = DBTaskResult.objects.get(task_path="creatordesk.placements.tasks.placements_insights_run")
    assert queued.args_kwargs["kwargs"] == {"run_id": run.pk}
    assert 'hx-trigger="every 2s"' in client.get(f"/placements/sync/{run.pk}/").content.decode()

    assert placements_insights_run.call(run_id=run.pk) == SyncStatus.DONE
    rows = PlacementRecord.objects.for_workspace(connected.workspace)
    assert rows.count() == 9 and set(rows.values_list("source", flat=True)) == {Source.API}
    assert rows.filter(publisher_platform="threads", platform_position="threads_feed").exists()
    assert all(rows.values_list("attribution_setting", flat=True))
    settings = {s.adset_key: s for s in AdSetSetting.objects.for_workspace(connected.workspace)}
    assert settings[AUTO].placements == "automatic" and settings[MANUAL].placements == "manual"
    page = client.get(f"/placements/sync/{run.pk}/").content.decode()
    assert 'data-status="done"' in page and "9 rows read" in page
    # Reading the same period again replaces the rows instead of adding to them.
    again = InsightsRun.objects.create(workspace=connected.workspace, since=run.since, until=run.until)
    placements_insights_run.call(run_id=again.pk)
    assert rows.count() == 9


def test_a_failing_page_stores_nothing_and_the_run_says_why(connected, meta) -> None:
    _recorded_report(meta, page_2=(500, "error_server.json", {}))  # type: ignore[arg-type]
    run = InsightsRun.objects.create(workspace=connected.workspace, since="2026-09-01", until="2026-09-02")
    assert placements_insights_run.call(run_id=run.pk) == SyncStatus.FAILED
    run.refresh_from_db()
    assert run.error and run.finished_at is not None
    assert not PlacementRecord.objects.exists() and not AdSetSetting.objects.exists()


def test_an_unconnected_workspace_is_asked_to_connect(side_a, marketer, login_as) -> None:
    page = login_as(marketer).get("/placements/sync/").content.decode()
    assert 'data-testid="ads-not-connected"' in page and 'data-testid="insights-form"' not in page


def test_a_finished_run_delivered_twice_is_not_read_again(connected, meta) -> None:
    run = InsightsRun.objects.create(
        workspace=connected.workspace, since="2026-09-01", until="2026-09-02", status=SyncStatus.DONE
    )
    assert placements_insights_run.call(run_id=run.pk) == SyncStatus.DONE
    assert not meta.received
