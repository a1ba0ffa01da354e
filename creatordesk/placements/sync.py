"""Read a period of placement Insights from the Marketing API and store it like an imported export.

Everything is read first (the report, then the ad sets' settings) and stored in one transaction at
the end, so a failed or interrupted read stores nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from creatordesk.accounts.models import User, Workspace
from creatordesk.performance.connectors import ConnectorError
from creatordesk.placements import services
from creatordesk.placements.connection import AdsNotConnected, insights_client_for
from creatordesk.placements.models import InsightsRun, Source, SyncStatus

# A run that has not finished in this time died with its worker; a new one may start.
STALE_AFTER = timedelta(hours=2)


def insights_run_start(
    *, workspace: Workspace, since: date, until: date, actor: User | None
) -> tuple[InsightsRun, bool]:
    """A new Insights run for the period, or the one already running; True when it is new."""
    if since > until:
        raise ValueError("the period ends before it starts")
    with transaction.atomic():
        running = (
            InsightsRun.objects.for_workspace(workspace)
            .filter(
                status__in=[SyncStatus.QUEUED, SyncStatus.RUNNING],
                started_at__gte=timezone.now() - STALE_AFTER,
            )
            .first()
        )
        if running is not None:
            return running, False
        run = InsightsRun.objects.create(
            workspace=workspace, since=since, until=until, started_by=actor, stage="queued"
        )
        return run, True


def _stage(run: InsightsRun, stage: str, **fields: Any) -> None:
    InsightsRun.objects.filter(pk=run.pk).update(stage=stage, **fields)


def _settings_values(settings: Any) -> dict[str, Any]:
    return {
        "placements": str(settings.placements),
        "start": settings.start,
        "objective": settings.objective,
        "ad_text_lengths": dict(settings.ad_text_lengths),
    }


def insights_sync(*, run: InsightsRun) -> InsightsRun:
    """Read the run's period by ad, placement and day, then store rows and ad set settings together."""
    workspace = run.workspace
    _stage(run, "report", status=SyncStatus.RUNNING)
    try:
        client = insights_client_for(workspace_id=workspace.pk)
        rows = client.placement_rows(run.since, run.until, level="ad")
        _stage(run, "ad_sets")
        found = client.ad_set_settings({row.adset_id for row in rows if row.adset_id})
        _stage(run, "storing")
        with transaction.atomic():
            services.records_write(workspace=workspace, rows=rows, source=Source.API)
            services.ad_set_settings_save_all(
                workspace=workspace,
                settings=((key, _settings_values(value)) for key, value in found.items()),
                source=Source.API,
            )
    except (AdsNotConnected, ConnectorError, ValueError) as exc:
        _stage(run, "", status=SyncStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
    else:
        _stage(run, "", status=SyncStatus.DONE, rows=len(rows), finished_at=timezone.now())
    run.refresh_from_db()
    return run
