"""The periodic recovery: one waiting run per periodic task, lost task rows failed, left-over scratch removed."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from creatordesk.dashboard.recovery import LOST_EXCEPTION, scratch_files_sweep, task_results_fail_lost
from creatordesk.dashboard.tasks import PERIODIC, periodic_ensure_scheduled, recover_stalled_work
from creatordesk.djangolib import staged_files
from creatordesk.djangolib.task_schedule import enqueue_once
from creatordesk.lib.process_tags import HOST, local_worker_pid, scratch_owner, worker_id
from creatordesk.reviews.models import AnalysisStatus, Submission, Version
from creatordesk.reviews.tasks import analyse_version


def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _waiting(task: object) -> int:
    return DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY).count()  # type: ignore[attr-defined]


def _running_row(*, worker: str, started_ago: timedelta, version_id: int = 7) -> DBTaskResult:
    result = analyse_version.enqueue(version_id=version_id)
    row = DBTaskResult.objects.get(pk=result.id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - started_ago, worker_ids=[worker]
    )
    row.refresh_from_db()
    return row


@pytest.mark.django_db
def test_each_periodic_task_is_queued_once_however_often_workers_start() -> None:
    assert sorted(periodic_ensure_scheduled()) == sorted(t.name for t in PERIODIC)
    assert periodic_ensure_scheduled() == []
    assert [_waiting(t) for t in PERIODIC] == [1] * len(PERIODIC)


@pytest.mark.django_db
def test_a_recovery_run_queues_its_next_run_for_later_and_no_second_one() -> None:
    before = timezone.now()
    recover_stalled_work.call(reschedule=True)
    recover_stalled_work.call(reschedule=True)  # a second chain merges into the first
    [waiting] = DBTaskResult.objects.filter(task_path=recover_stalled_work.module_path)
    assert waiting.run_after >= before + timedelta(seconds=59)


@pytest.mark.django_db(transaction=True)
def test_workers_starting_at_the_same_moment_queue_one_run() -> None:
    # Each thread has a connection of its own, as each worker process would.
    barrier = threading.Barrier(4)
    queued: list[bool] = []

    def start_worker() -> None:
        try:
            barrier.wait()
            queued.append(enqueue_once(recover_stalled_work, reschedule=True))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start_worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(queued) == [False, False, False, True]
    assert _waiting(recover_stalled_work) == 1


def test_a_worker_id_names_this_machine_and_process() -> None:
    assert local_worker_pid(worker_id()) == os.getpid()
    assert local_worker_pid(f"other-host:{os.getpid()}:ab12") is None
    assert local_worker_pid("Xq3v9kq2mC8zJ0pL") is None  # db_worker's own random ids name nothing


@pytest.mark.django_db
def test_a_task_row_of_a_killed_worker_is_marked_failed() -> None:
    row = _running_row(worker=f"{HOST}:{_dead_pid()}:ab12", started_ago=timedelta(seconds=5))
    assert task_results_fail_lost() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == LOST_EXCEPTION
    assert "is gone" in row.traceback


@pytest.mark.django_db
def test_a_task_row_of_a_running_worker_is_left_alone(settings) -> None:
    row = _running_row(worker=f"{HOST}:{os.getpid()}:ab12", started_ago=timedelta(hours=2))
    analyse_version.enqueue(version_id=7)  # even when the same work was queued again
    assert task_results_fail_lost() == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_stalled_task_row_whose_work_was_queued_again_is_marked_failed(settings) -> None:
    # A plain db_worker's id (or one on another machine) says nothing about its process.
    stale = _running_row(
        worker="Xq3v9kq2mC8zJ0pL", started_ago=timedelta(seconds=settings.REVIEW_STALL_SECONDS + 5)
    )
    other = _running_row(
        worker="Xq3v9kq2mC8zJ0pL",
        started_ago=timedelta(seconds=settings.REVIEW_STALL_SECONDS + 5),
        version_id=8,
    )
    fresh = _running_row(worker="Xq3v9kq2mC8zJ0pL", started_ago=timedelta(seconds=5), version_id=9)
    analyse_version.enqueue(version_id=7)
    analyse_version.enqueue(version_id=9)
    assert task_results_fail_lost() == 1
    statuses = {r.pk: r.status for r in DBTaskResult.objects.filter(pk__in=[stale.pk, other.pk, fresh.pk])}
    assert statuses == {
        stale.pk: TaskResultStatus.FAILED,
        other.pk: TaskResultStatus.RUNNING,  # nothing queued it again: it may still be working
        fresh.pk: TaskResultStatus.RUNNING,  # not stalled yet
    }


def _aged(path: Path, minutes: float) -> Path:
    """A file last written `minutes` ago."""
    path.write_bytes(b"some bytes")
    then = time.time() - minutes * 60
    os.utime(path, (then, then))
    return path


def test_scratch_of_dead_processes_and_abandoned_uploads_is_removed(settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    dead = scratch / f"creatordesk-review-{_dead_pid()}-k2j3"
    (dead / "frames").mkdir(parents=True)
    (dead / "frames" / "0001.jpg").write_bytes(b"jpeg")
    dead_copy = scratch / f"creatordesk-copy-{_dead_pid()}-x8y9.mp4"
    dead_copy.write_bytes(b"video")
    live = scratch / f"creatordesk-review-{os.getpid()}-a1b2"
    live.mkdir()
    # Its pid was reused by a live process, but no review takes that long.
    _aged(scratch / f"creatordesk-copy-{os.getpid()}-c3d4.mp4", settings.SCRATCH_MAX_AGE_MINUTES + 1)
    _aged(scratch / "tmpab12cd34.upload.mp4", settings.SCRATCH_MAX_AGE_MINUTES + 1)
    current_upload = _aged(scratch / "tmpef56gh78.upload.mov", 1)
    someone_elses = _aged(scratch / "backup-2026.tar.gz", 10_000)

    assert scratch_files_sweep() == 4
    assert sorted(p.name for p in scratch.iterdir()) == sorted(
        [live.name, current_upload.name, someone_elses.name]
    )


def test_scratch_names_record_their_process() -> None:
    assert scratch_owner("creatordesk-review-4242-k2j3_x") == 4242
    assert scratch_owner("creatordesk-copy-17-abc.mp4") == 17
    assert scratch_owner("tmpab12.upload.mp4") is None
    assert scratch_owner("creatordesk.sqlite3") is None


def _analysis(side: object, *, number: int, heartbeat_ago: timedelta) -> Version:
    """A version whose analysis a worker started and last reported on `heartbeat_ago`."""
    submission, _created = Submission.objects.get_or_create(
        workspace=side.workspace,  # type: ignore[attr-defined]
        collaboration=side.collaboration,  # type: ignore[attr-defined]
        defaults={"title": "Draft"},
    )
    return Version.objects.create(
        workspace=side.workspace,  # type: ignore[attr-defined]
        submission=submission,
        number=number,
        file="x.mp4",
        original_name="x.mp4",
        size_bytes=1,
        duration_s=5,
        width=720,
        height=1280,
        analysis_status=AnalysisStatus.RUNNING,
        analysis_attempts=1,
        analysis_heartbeat=timezone.now() - heartbeat_ago,
    )


def test_the_recovery_task_queues_a_stalled_analysis_again_and_leaves_a_live_one(
    side_a, django_capture_on_commit_callbacks
) -> None:
    stalled = _analysis(side_a, number=1, heartbeat_ago=timedelta(minutes=10))
    live = _analysis(side_a, number=2, heartbeat_ago=timedelta(seconds=5))
    with django_capture_on_commit_callbacks(execute=True):
        counts = recover_stalled_work.call(reschedule=False)
    assert counts["analyses"] == 1 and counts["failed_steps"] == 0
    stalled.refresh_from_db()
    live.refresh_from_db()
    assert (stalled.analysis_status, live.analysis_status) == (AnalysisStatus.QUEUED, AnalysisStatus.RUNNING)
    [queued] = DBTaskResult.objects.filter(
        task_path=analyse_version.module_path, status=TaskResultStatus.READY
    )
    assert queued.args_kwargs["kwargs"] == {"version_id": stalled.pk}
    # The chain is the worker's to keep: a run told not to reschedule leaves no next run behind.
    assert _waiting(recover_stalled_work) == 0


@pytest.mark.django_db
def test_the_recovery_task_removes_staged_imports_nobody_came_back_for(settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    abandoned, _lines = staged_files.store([b"Name\nLea\n"], kind="csv")
    waiting, _lines = staged_files.store([b"Name\nMo\n"], kind="csv")
    then = time.time() - staged_files.KEEP_S - 60
    os.utime(staged_files.folder(abandoned), (then, then))

    counts = recover_stalled_work.call(reschedule=False)

    assert counts["staged_imports"] == 1 and counts["failed_steps"] == 0
    assert not staged_files.folder(abandoned).exists() and staged_files.folder(waiting).exists()
