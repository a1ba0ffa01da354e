"""Clearing up after a task worker that died: its task rows and its scratch files.

A worker killed mid-task (out of memory, `kill -9`, a machine restart) cleans up nothing: the row of
the task it ran stays RUNNING for ever and its scratch folder stays on disk. The work itself is
recovered by its own app (a pre-review or an import notices its missing heartbeat and is queued
again); this module handles what the task queue and the disk are left with. The recovery task in
`creatordesk/dashboard/tasks.py` calls both regularly.
"""

from __future__ import annotations

import logging
import shutil
import time
from datetime import datetime, timedelta
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.tasks import TaskResultStatus
from django.utils import timezone

from creatordesk.lib.process_tags import local_worker_pid, process_alive, scratch_owner

log = logging.getLogger(__name__)


class WorkerLost(Exception):
    """The worker that ran a task stopped before the task finished."""


# What a lost task row records as its error, where the admin's task list shows it.
LOST_EXCEPTION = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


def task_results_fail_lost(
    *, now: datetime | None = None, periodic_paths: frozenset[str] = frozenset()
) -> int:
    """Mark RUNNING task rows whose worker is gone as failed; returns how many.

    A row is lost when the worker that claimed it was started by `creatordesk worker` on this
    machine and its process no longer runs. For any other worker (a plain `db_worker`, another
    machine) a row is lost when it has run longer than the stall limit and the same task with the
    same arguments was queued again since (the pre-review and import recoveries queue lost work
    again). Periodic tasks (`periodic_paths`) queue their own next run while they run, so only the
    first rule applies to them.
    """
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stall_limit = now - timedelta(seconds=settings.REVIEW_STALL_SECONDS)
    lost: dict[UUID, str] = {}
    for row in DBTaskResult.objects.running():
        pid = local_worker_pid(row.worker_ids[-1]) if row.worker_ids else None
        if pid is not None:  # a process of this machine: whether it runs is known for certain
            if not process_alive(pid):
                lost[row.pk] = f"worker process {pid} on this machine is gone"
        elif row.task_path not in periodic_paths and row.started_at and row.started_at < stall_limit:
            later = DBTaskResult.objects.filter(task_path=row.task_path, enqueued_at__gt=row.enqueued_at)
            if row.args_kwargs in list(later.values_list("args_kwargs", flat=True)):
                lost[row.pk] = "the same task was queued again after its worker stopped"
    failed = 0
    for pk, reason in lost.items():
        # Only while still RUNNING: a slow worker that finishes in between keeps its result.
        if DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=LOST_EXCEPTION,
            traceback=f"{LOST_EXCEPTION}: {reason}\n",
        ):
            failed += 1
            log.warning("Task %s marked failed: %s", pk, reason)
    return failed


def scratch_files_sweep(*, now: float | None = None) -> int:
    """Remove scratch folders and files nobody will use again; returns how many were removed.

    Only names CreatorDesk makes are touched: the pre-review's `creatordesk-<kind>-<pid>-…` entries,
    once their process is gone (or, should its pid have been reused, once older than
    SCRATCH_MAX_AGE_MINUTES), and Django's upload files (`tmp….upload…`, see
    `django.core.files.uploadedfile.TemporaryUploadedFile`) left by a web process that died
    mid-request, once untouched for SCRATCH_MAX_AGE_MINUTES. A live upload is written to
    continuously and is used for at most one request after that.
    """
    now = now or time.time()
    oldest = now - settings.SCRATCH_MAX_AGE_MINUTES * 60
    removed = 0
    for folder in {Path(settings.VAR_DIR) / "tmp", Path(settings.FILE_UPLOAD_TEMP_DIR)}:
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            pid = scratch_owner(entry.name)
            is_upload = entry.name.startswith("tmp") and ".upload" in entry.name
            if pid is None and not is_upload:
                continue
            try:
                old = entry.lstat().st_mtime < oldest
            except FileNotFoundError:  # its owner removed it just now
                continue
            if not (old or (pid is not None and not process_alive(pid))):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
    if removed:
        log.info("Removed %s left-over scratch entries", removed)
    return removed
