"""Run the web server and the task workers, restart whichever stops, and stop them all on Ctrl-C.

`serve` is a small supervisor, doing for one machine what systemd or supervisord do in bigger set-ups.
It starts gunicorn and N `creatordesk worker` processes, each in a process group of its own. When a
child exits without being asked to, the rest of its group is killed too (the workers of a dead
gunicorn still hold the port; a dead task worker may leave ffmpeg running), the exit is logged with
its code, and the child starts again after 1 s, 2 s, 4 s, ... at most 60 s. A child that stayed up
for a while starts over at 1 s. The children are independent: a task worker that dies never stops
the web server. SIGTERM or SIGINT (Ctrl-C) stops every child and gives a task worker a grace period
to finish the task it runs; what it cannot finish, the recovery task queues again later.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

log = logging.getLogger("creatordesk.serve")

FIRST_DELAY_S = 1.0
MAX_DELAY_S = 60.0
STABLE_AFTER_S = 30.0  # a child that ran this long counts as healthy: its next restart waits 1 s again
GRACE_S = 20.0  # on stop, time for a task worker to finish its task before it is killed


@dataclass
class Child:
    """One supervised process and the back-off of its restarts."""

    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float = 0.0
    quick_exits: int = 0  # exits in a row that came less than STABLE_AFTER_S after a start

    def start(self) -> None:
        # A group of its own: Ctrl-C reaches only the supervisor, and a dead child's helpers can be
        # found and stopped with it.
        self.process = subprocess.Popen(self.argv, process_group=0)
        self.started_at = time.monotonic()
        log.info("Started %s (pid %s)", self.name, self.process.pid)

    def check(self, now: float) -> None:
        """Start the child when its restart is due; notice when it has exited and plan the restart."""
        if self.process is None:
            if now >= self.restart_at:
                self.start()
            return
        code = self.process.poll()
        if code is None:
            return
        _kill_group(self.process.pid)
        self.quick_exits = 1 if now - self.started_at >= STABLE_AFTER_S else self.quick_exits + 1
        delay = min(FIRST_DELAY_S * 2 ** (self.quick_exits - 1), MAX_DELAY_S)
        log.warning(
            "%s (pid %s) exited with %s; restarting in %.0f s",
            self.name,
            self.process.pid,
            _describe(code),
            delay,
        )
        self.process = None
        self.restart_at = now + delay

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait_or_kill(self, deadline: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.warning("%s (pid %s) did not stop in time; killing it", self.name, self.process.pid)
        _kill_group(self.process.pid)
        self.process.wait()


class Command(BaseCommand):
    help = "Serve CreatorDesk (gunicorn) with background task workers, restarting any that stop."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--task-workers", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        # No control socket: this process manages gunicorn, and gunicorn's default socket path is
        # one per user, shared by every `serve` that user runs.
        web = [
            python, "-m", "gunicorn", "creatordesk.wsgi:application",
            "--bind", options["bind"], "--workers", str(options["web_workers"]),
            "--timeout", "120", "--graceful-timeout", str(int(GRACE_S) - 5), "--access-logfile", "-",
            "--no-control-socket",
        ]  # fmt: skip
        # Each worker queues the periodic tasks (metrics poll, recovery) when they are not queued yet.
        worker = [python, "-m", "creatordesk.cli", "worker"]
        host = options["bind"].rsplit(":", 1)[0]
        if not settings.SITE_URL and host not in ("0.0.0.0", "[::]") and not host.startswith("unix"):
            # Mailed links then point where this server listens (the children inherit it). A wildcard
            # address is no place to open, so there links keep coming from each request's host.
            os.environ["SITE_URL"] = f"http://{options['bind']}"
        children = [Child("web", web)]
        children += [Child(f"worker-{n}", worker) for n in range(1, options["task_workers"] + 1)]

        stopping = False

        def _stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        self.stdout.write(f"CreatorDesk is running at http://{options['bind']}/  (database: {_db_label()})")
        self.stdout.write("Press Ctrl-C to stop.")
        while not stopping:
            now = time.monotonic()
            for child in children:
                child.check(now)
            time.sleep(0.2)

        log.info("Stopping")
        for child in children:
            child.stop()
        deadline = time.monotonic() + GRACE_S
        for child in children:
            child.wait_or_kill(deadline)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group is empty: nothing was left behind
        os.killpg(pgid, signal.SIGKILL)


def _describe(code: int) -> str:
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"code {code}"


def _db_label() -> str:
    db = settings.DATABASES["default"]
    return f"{db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}"
