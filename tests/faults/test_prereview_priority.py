"""A pre-review must not starve the web server.

The load test of the reliability review: with 20 clients on two cores the pages answered with a p95
of 115 ms, but of 334 ms while a pre-review ran, because the task worker, its model thread pools and
its ffmpeg and tesseract children competed with the web workers at the same priority. A real task
worker now reviews at nice 10 (CREATORDESK_ANALYSIS_NICE), and every tool it starts inherits it, so
the kernel runs page requests first whenever both want a core. `bench/load.py` measures the latency.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from creatordesk.engine.context import ReviewContext
from creatordesk.reviews import services
from creatordesk.reviews.models import AnalysisStatus
from tests.faults.processes import database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media]


def _children(pid: int) -> dict[int, tuple[str, int]]:
    """Command name and nice value of every running child process of `pid`, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        # "pid (comm) state ppid ..."; the command name may hold spaces and parentheses.
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found[int(entry.name)] = (name, int(fields[16]))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process priorities from /proc")
def test_a_real_worker_reviews_and_runs_its_tools_below_the_web_servers_priority(
    side_a, claim_clip, settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="Busy afternoon", actor=side_a.creator
    )
    version = services.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=claim_clip,
        original_name="v.mp4",
    )
    env = {key: value for key, value in os.environ.items() if key != "CREATORDESK_ANALYSIS_NICE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "creatordesk.settings",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": settings.MEDIA_ROOT,
    }
    web_nice = os.getpriority(os.PRIO_PROCESS, 0)
    worker = subprocess.Popen(
        [sys.executable, "-m", "django", "db_worker", "--no-startup-delay", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    worker_nice: set[int] = set()
    tools: dict[int, tuple[str, int]] = {}
    try:
        deadline = time.monotonic() + 180
        # Until the review has started its first tools: probe, audio and frames all begin with one.
        while not tools or len(worker_nice) == 0:
            version.refresh_from_db()
            if version.analysis_status == AnalysisStatus.RUNNING:
                # The status turns to running after the task has lowered its priority.
                worker_nice.add(os.getpriority(os.PRIO_PROCESS, worker.pid))
                tools |= _children(worker.pid)
            assert version.analysis_status in (AnalysisStatus.QUEUED, AnalysisStatus.RUNNING), (
                f"the review ended before a tool was seen: {version.analysis_status}"
            )
            assert worker.poll() is None, worker.stdout.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the worker did not start the pre-review"
            time.sleep(0.005)
        time.sleep(0.5)  # and a little longer, to see more of them
        tools |= _children(worker.pid)
        worker_nice.add(os.getpriority(os.PRIO_PROCESS, worker.pid))
    finally:
        worker.kill()
        worker.wait()

    expected = max(web_nice, ReviewContext.analysis_nice)  # a niced test run stays where it is
    assert worker_nice == {expected}
    names = {name for name, _ in tools.values()}
    assert names & {"ffmpeg", "ffprobe", "tesseract"}, f"no tool process was seen: {names}"
    assert {nice for _, nice in tools.values()} == {expected}, tools
