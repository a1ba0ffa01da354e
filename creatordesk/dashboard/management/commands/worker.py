"""Run a task worker: django-tasks-db's `db_worker`, with a worker id that names this process."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from creatordesk.dashboard.tasks import periodic_ensure_scheduled
from creatordesk.lib.process_tags import worker_id


class Command(DbWorkerCommand):
    help = (
        "Run a background task worker (db_worker) whose worker id names its machine and process, "
        "and queue the periodic tasks if they are not queued yet."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        # A task row left RUNNING under this id can then be told apart from one whose worker still
        # runs (creatordesk/dashboard/recovery.py); db_worker's own default id is random. The
        # autoreloader would run the tasks in a child process, under another pid than the id names.
        parser.set_defaults(worker_id=worker_id(), reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        queued = periodic_ensure_scheduled()
        if queued:
            self.stdout.write(f"Queued periodic tasks: {', '.join(queued)}")
        super().handle(*args, **options)
