"""Background work of the TikTok Shop area: a sync asked for on the page, and the periodic sync of every shop."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from creatordesk.accounts.models import Workspace
from creatordesk.djangolib.task_schedule import enqueue_once
from creatordesk.shop.connection import shop_connected
from creatordesk.shop.models import SyncRun
from creatordesk.shop.services import sync_run_start
from creatordesk.shop.sync import shop_sync


@task()
def shop_sync_run(*, workspace_id: int, run_id: int | None = None) -> str:
    """Sync one workspace's shop into the run the page or the API started (or a new one)."""
    workspace = Workspace.objects.get(pk=workspace_id)
    run = SyncRun.objects.for_workspace(workspace).filter(pk=run_id).first() if run_id else None
    if run is not None and run.status != SyncRun.Status.RUNNING:
        return run.status  # a duplicate delivery of a finished run
    return shop_sync(workspace=workspace, run=run).status


@task()
def shop_sync_all(*, reschedule: bool = True) -> dict[str, int]:
    """Queue the next run, then sync every workspace whose shop is connected.

    The next run is queued first, so a worker that dies during a sync does not end the loop.
    """
    if reschedule:
        next_run = timezone.now() + timedelta(minutes=settings.SHOP_SYNC_MINUTES)
        enqueue_once(shop_sync_all, run_after=next_run, reschedule=True)
    counts = {"done": 0, "failed": 0, "skipped": 0}
    for workspace in Workspace.objects.order_by("pk"):
        if shop_connected(workspace_id=workspace.pk):
            counts["skipped"] += 1
            continue
        run, started = sync_run_start(workspace=workspace)
        if not started:
            counts["skipped"] += 1  # a sync someone started is still running
            continue
        status = shop_sync(workspace=workspace, run=run).status
        counts["done" if status == SyncRun.Status.DONE else "failed"] += 1
    return counts
