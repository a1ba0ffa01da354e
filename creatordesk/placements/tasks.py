"""Background work of the placements area: reading a period of Insights from the Marketing API."""

from __future__ import annotations

from django.tasks import task

from creatordesk.placements.models import InsightsRun, SyncStatus
from creatordesk.placements.sync import insights_sync


@task()
def placements_insights_run(*, run_id: int) -> str:
    """Read and store the period of the run the page or the API started."""
    run = InsightsRun.objects.select_related("workspace").filter(pk=run_id).first()
    if run is None or run.status in (SyncStatus.DONE, SyncStatus.FAILED):
        return "gone" if run is None else run.status  # a duplicate delivery of a finished run
    return insights_sync(run=run).status
