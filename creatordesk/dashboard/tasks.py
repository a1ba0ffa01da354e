"""Periodic work of the whole installation, and the one place that keeps every periodic task queued.

A periodic task queues its own next run. `periodic_ensure_scheduled()` starts each chain that has no
run waiting; every `creatordesk worker` (and so `creatordesk serve`) calls it when it starts, and
`creatordesk schedule` does it for installations that start plain `db_worker`s. `enqueue_once`
keeps it to one waiting run per task however many workers start at the same time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.tasks import Task, task
from django.utils import timezone

from creatordesk.creators.imports import import_jobs_recover_stalled
from creatordesk.dashboard.recovery import scratch_files_sweep, task_results_fail_lost
from creatordesk.djangolib import staged_files
from creatordesk.djangolib.db_busy import retry_when_locked
from creatordesk.djangolib.task_schedule import enqueue_once
from creatordesk.performance.tasks import poll_metrics
from creatordesk.reviews.chunked_uploads import upload_sessions_remove_stale
from creatordesk.reviews.services import analyses_recover_stalled
from creatordesk.shop.check_tasks import post_checks_queue
from creatordesk.shop.reminders import remind_samples
from creatordesk.shop.tasks import shop_sync_all

log = logging.getLogger(__name__)


@task()
def recover_stalled_work(*, reschedule: bool = True) -> dict[str, int]:
    """Queue again the work of workers that died, and clear the task rows and files they left.

    The next run is queued before this one starts its work, so a worker killed during this run does
    not end the chain. One step that fails (a locked or unreachable database) is logged and the
    others still run.
    """
    if reschedule:
        next_run = timezone.now() + timedelta(seconds=settings.RECOVERY_INTERVAL_SECONDS)
        enqueue_once(recover_stalled_work, run_after=next_run, reschedule=True)
        periodic_ensure_scheduled()  # a chain whose worker died while it ran starts again here
    steps: dict[str, Callable[[], int]] = {
        # Work first: what they queue again lets the task rows of the lost runs be recognised.
        "analyses": analyses_recover_stalled,
        "imports": import_jobs_recover_stalled,
        "task_rows": lambda: task_results_fail_lost(
            periodic_paths=frozenset(t.module_path for t in PERIODIC)
        ),
        "scratch": scratch_files_sweep,
        "partial_uploads": upload_sessions_remove_stale,
        "staged_imports": staged_files.remove_stale,
    }
    counts = {"failed_steps": 0}
    for name, step in steps.items():
        try:
            counts[name] = retry_when_locked(step)
        except Exception:
            log.exception("Recovery step %r failed", name)
            counts["failed_steps"] += 1
    return counts


# Every task that queues its own next run; each takes `reschedule=True`.
PERIODIC: tuple[Task[..., Any], ...] = (
    poll_metrics,
    recover_stalled_work,
    remind_samples,
    post_checks_queue,
    shop_sync_all,
)


def periodic_ensure_scheduled() -> list[str]:
    """Queue each periodic task that has no run waiting; returns the names of those queued."""
    return [t.name for t in PERIODIC if enqueue_once(t, reschedule=True)]
