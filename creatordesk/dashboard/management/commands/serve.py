"""Run the web server and a task worker together, and stop both on Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from creatordesk.performance.tasks import polling_ensure_scheduled
from creatordesk.reviews.services import analyses_recover_stalled


class Command(BaseCommand):
    help = "Serve CreatorDesk (gunicorn) with a background task worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--task-workers", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        web = [
            python, "-m", "gunicorn", "creatordesk.wsgi:application",
            "--bind", options["bind"], "--workers", str(options["web_workers"]),
            "--timeout", "120", "--access-logfile", "-",
        ]  # fmt: skip
        worker = [python, "-m", "django", "db_worker", "--settings", "creatordesk.settings"]
        if options["task_workers"]:
            polling_ensure_scheduled()  # the metrics poll re-queues itself from then on
        processes = [subprocess.Popen(web)]
        processes += [subprocess.Popen(worker) for _ in range(options["task_workers"])]
        self.stdout.write(f"CreatorDesk is running at http://{options['bind']}/  (database: {_db_label()})")
        self.stdout.write("Press Ctrl-C to stop.")
        stop = False

        def _stop(*_: object) -> None:
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, _stop)
        last_sweep = 0.0
        try:
            while not stop and all(p.poll() is None for p in processes):
                if time.monotonic() - last_sweep > 60:
                    # Analyses whose worker died (killed, machine restarted) are queued again.
                    last_sweep = time.monotonic()
                    analyses_recover_stalled()
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        for p in processes:
            if p.poll() is None:
                p.terminate()
        for p in processes:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        failed = [p for p in processes if p.returncode not in (0, -signal.SIGTERM, None)]
        if failed and not stop:
            raise SystemExit(1)


def _db_label() -> str:
    db = settings.DATABASES["default"]
    return f"{db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}"
