"""Queue a background task only when no run of it is waiting: the building block of periodic tasks.

A periodic task queues its own next run; every worker that starts makes sure each periodic task has
a run waiting. With several workers (and machines) starting at once, the check and the insert must
not interleave, or each worker would start a chain of its own. PostgreSQL serialises them with a
transaction-level advisory lock
(https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS); SQLite needs nothing
extra, because the transaction takes the database's write lock when it begins
(`transaction_mode: IMMEDIATE` in settings).
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.tasks import Task, TaskResultStatus

from creatordesk.djangolib.db_busy import retry_when_locked


def enqueue_once(task: Task[..., Any], *, run_after: datetime | None = None, **kwargs: Any) -> bool:
    """Queue `task` unless a run of it is already waiting (at any time); True when one was queued."""
    from django_tasks_db.models import DBTaskResult

    def queue() -> bool:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(task.module_path.encode())]
                    )
            # READY includes runs planned for later; a RUNNING one will queue its successor itself.
            if DBTaskResult.objects.filter(
                task_path=task.module_path, status=TaskResultStatus.READY
            ).exists():
                return False
            (task.using(run_after=run_after) if run_after else task).enqueue(**kwargs)
            return True

    return retry_when_locked(queue)
