"""A task worker killed or stalled in the middle of a pre-review: the web goes on, the review finishes once.

The reliability review: a pre-review whose worker died stayed "running" until a sweep that ran only
inside `creatordesk serve` or when someone polled the status, and the dead worker's task row and
scratch folder stayed for ever. Now the periodic recovery task, run by whichever worker is alive,
queues the analysis again once its heartbeat is stale, marks the dead worker's task row failed and
removes its scratch folder. A worker that only stalled (a swapping machine) and comes back after
its review was queued again must not store a second result. Real workers, a real clip, `kill -9`
and SIGSTOP; about 50 s each.
"""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest
from django.tasks import TaskResultStatus
from django.test import Client
from django_tasks_db.models import DBTaskResult

from creatordesk.dashboard.recovery import LOST_EXCEPTION
from creatordesk.reviews import services
from creatordesk.reviews.models import AnalysisStatus, AuditEvent, Version
from creatordesk.reviews.tasks import analyse_version
from tests.faults.processes import database_url, env_for_processes, start_worker, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media]


def _stop(worker: subprocess.Popen[bytes]) -> None:
    """Ask the worker to stop; on a machine too busy for it to finish in time, end it."""
    worker.terminate()
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=30)


def _status(version: Version) -> str:
    version.refresh_from_db()
    return version.analysis_status


def _workers_env(settings) -> dict[str, str]:
    return env_for_processes(
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        REVIEW_STALL_SECONDS="10",  # the shortest allowed: a lost review is noticed 10 s after its last heartbeat
        RECOVERY_INTERVAL_SECONDS="1",
        CREATORDESK_WHISPER_MODEL="tiny.en",
    )


def test_a_review_whose_worker_was_killed_is_finished_once_by_another_worker(
    side_a, claim_clip, settings, login_as, tmp_path: Path
) -> None:
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="Kill me", actor=side_a.creator
    )
    version = services.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=claim_clip,
        original_name="v.mp4",
    )
    env = _workers_env(settings)
    log = tmp_path / "workers.log"
    scratch = Path(settings.VAR_DIR) / "tmp"

    first = start_worker(env, log)
    try:
        wait_until(
            lambda: _status(version) == AnalysisStatus.RUNNING, timeout=120, what="the review to start"
        )
        folders = wait_until(
            lambda: list(scratch.glob(f"creatordesk-review-{first.pid}-*")),
            timeout=60,
            what="its scratch folder",
        )
    finally:
        first.kill()  # SIGKILL: no clean-up of any kind
        first.wait()
    assert _status(version) == AnalysisStatus.RUNNING, log.read_text()
    [killed_task] = DBTaskResult.objects.filter(
        task_path=analyse_version.module_path, status=TaskResultStatus.RUNNING
    )

    # With no worker at all the web keeps answering, and the status poll only reports.
    assert Client().get("/health/").status_code == 200
    status = login_as(side_a.reviewer).get(f"/reviews/versions/{version.pk}/status/")
    assert status.status_code == 200 and _status(version) == AnalysisStatus.RUNNING

    second = start_worker(env, log)
    try:
        wait_until(lambda: _status(version) == AnalysisStatus.DONE, timeout=180, what="the review to finish")
        wait_until(lambda: not any(f.exists() for f in folders), timeout=15, what="the scratch folder to go")
        killed_task.refresh_from_db()
    finally:
        _stop(second)

    assert version.analysis_attempts == 2
    assert version.findings.filter(category="medical_claim").count() == 1  # stored once, not twice
    assert AuditEvent.objects.filter(submission=submission, verb="analysis_done").count() == 1
    assert (
        killed_task.status == TaskResultStatus.FAILED and killed_task.exception_class_path == LOST_EXCEPTION
    )
    page = login_as(side_a.reviewer).get(f"/reviews/{submission.pk}/")
    assert page.status_code == 200 and "medical_claim" in page.content.decode()


def test_a_stalled_worker_that_comes_back_after_its_review_was_redone_stores_nothing(
    side_a, claim_clip, settings, tmp_path: Path
) -> None:
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="Stall", actor=side_a.creator
    )
    version = services.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=claim_clip,
        original_name="v.mp4",
    )
    env = _workers_env(settings)
    log = tmp_path / "workers.log"

    stalled = start_worker(env, log)
    second = None
    try:
        wait_until(
            lambda: _status(version) == AnalysisStatus.RUNNING, timeout=120, what="the review to start"
        )
        [first_task] = DBTaskResult.objects.filter(task_path=analyse_version.module_path)
        stalled.send_signal(signal.SIGSTOP)  # alive, but no heartbeat any more
        second = start_worker(env, log)
        wait_until(lambda: _status(version) == AnalysisStatus.DONE, timeout=180, what="the second run")
        assert version.analysis_attempts == 2
        stalled.send_signal(signal.SIGCONT)
        wait_until(
            lambda: DBTaskResult.objects.get(pk=first_task.pk).status != TaskResultStatus.RUNNING,
            timeout=120,
            what="the stalled run to end",
        )
    finally:
        stalled.send_signal(signal.SIGCONT)
        for worker in (stalled, second):
            if worker is not None:
                _stop(worker)

    first_task.refresh_from_db()
    assert first_task.status == TaskResultStatus.SUCCESSFUL, first_task.traceback  # it ran to its end
    version.refresh_from_db()
    assert version.analysis_status == AnalysisStatus.DONE and version.analysis_progress == 100
    assert AuditEvent.objects.filter(submission=submission, verb="analysis_done").count() == 1
    assert version.findings.filter(category="medical_claim").count() == 1
