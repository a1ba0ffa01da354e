"""Scale-out: three task workers on PostgreSQL share 30 pre-reviews of files in S3, one is killed.

Acceptance point 4 of the reliability review: each analysis is done once and none is lost. The
workers are real `creatordesk worker` processes on the PostgreSQL test database; the files live in
moto's S3 server, so every worker copies its video from object storage like a worker on another
machine would. One worker is killed (`kill -9`) while it reviews; the recovery task of the other
two queues that review again once its heartbeat is stale, and fails the dead worker's task row.
About two minutes on two cores (tiny clips, the `tiny.en` speech model); the figure is printed.
"""

from __future__ import annotations

import logging
import signal
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from moto.server import ThreadedMotoServer

from creatordesk.dashboard.recovery import LOST_EXCEPTION
from creatordesk.dashboard.tasks import PERIODIC
from creatordesk.reviews import services
from creatordesk.reviews.models import AnalysisStatus, AuditEvent, Version
from creatordesk.reviews.tasks import analyse_version
from creatordesk.reviews.tests.clips import CLAIM, make_clip
from tests.faults.processes import database_url, env_for_processes, free_port, start_worker, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media]

ANALYSES = 30
WORKERS = 3
BUCKET = "creatordesk-media"
S3 = {
    "S3_BUCKET": BUCKET,
    "S3_REGION": "us-east-1",
    "S3_ACCESS_KEY_ID": "test",
    "S3_SECRET_ACCESS_KEY": "test",
}


@pytest.fixture
def object_storage(settings) -> Iterator[str]:
    """A local S3 (moto's server) with an empty bucket, used as the media storage; its URL."""
    if connection.vendor != "postgresql":
        pytest.skip("scale-out runs on PostgreSQL (DATABASE_URL); SQLite takes one writer at a time")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    boto3.client(
        "s3",
        endpoint_url=url,
        region_name=S3["S3_REGION"],
        aws_access_key_id=S3["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=S3["S3_SECRET_ACCESS_KEY"],
    ).create_bucket(Bucket=BUCKET)
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": url,
                "region_name": S3["S3_REGION"],
                "access_key": S3["S3_ACCESS_KEY_ID"],
                "secret_key": S3["S3_SECRET_ACCESS_KEY"],
                "file_overwrite": False,
            },
        }
    }
    yield url
    server.stop()


def _done() -> int:
    return Version.objects.filter(analysis_status=AnalysisStatus.DONE).count()


def test_three_workers_review_thirty_stored_videos_each_once_though_one_is_killed(
    side_a, object_storage: str, settings, tmp_path: Path
) -> None:
    clip = make_clip(tmp_path / "short.mp4", CLAIM, at_s=0.2, duration_s=2.5)
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="Batch", actor=side_a.creator
    )
    for n in range(ANALYSES):
        services.submission_submit(
            collaboration=submission.collaboration,
            submission=submission,
            source=clip,
            original_name=f"take-{n}.mp4",
        )
    assert DBTaskResult.objects.filter(task_path=analyse_version.module_path).count() == ANALYSES

    env = env_for_processes(
        DATABASE_URL=database_url(),
        S3_ENDPOINT_URL=object_storage,
        **S3,
        # Longer than any step of a review on a busy machine, so no live review counts as lost.
        REVIEW_STALL_SECONDS="30",
        RECOVERY_INTERVAL_SECONDS="1",
        CREATORDESK_WHISPER_MODEL="tiny.en",
        CREATORDESK_REVIEW_SAMPLE_FPS="2",
    )
    log = tmp_path / "workers.log"
    started = time.monotonic()
    workers = [start_worker(env, log) for _ in range(WORKERS)]
    victim = workers[0]
    try:

        def reviewing_in_victim() -> list[Version]:
            """The version the first worker is reviewing right now, if any."""
            for row in DBTaskResult.objects.filter(
                task_path=analyse_version.module_path, status=TaskResultStatus.RUNNING
            ):
                if row.worker_ids and f":{victim.pid}:" in row.worker_ids[-1]:
                    pk = row.args_kwargs["kwargs"]["version_id"]
                    return list(Version.objects.filter(pk=pk, analysis_status=AnalysisStatus.RUNNING))
            return []

        [lost] = wait_until(reviewing_in_victim, timeout=180, what="the first worker to review")
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        wait_until(lambda: _done() == ANALYSES, timeout=420, what=f"{ANALYSES} reviews", every=0.5)
        seconds = time.monotonic() - started
        wait_until(
            lambda: not list(Path(settings.VAR_DIR, "tmp").glob(f"creatordesk-*-{victim.pid}-*")),
            timeout=15,
            what="the killed worker's scratch to go",
        )
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)
    print(f"{ANALYSES} reviews by {WORKERS} workers, one killed: {seconds:.0f} s")

    versions = Version.objects.all()
    assert Counter(v.analysis_status for v in versions) == {AnalysisStatus.DONE: ANALYSES}
    attempts = {v.pk: v.analysis_attempts for v in versions}
    assert attempts == {v.pk: 2 if v.pk == lost.pk else 1 for v in versions}, log.read_text()[-3000:]
    finished = Counter(
        AuditEvent.objects.filter(verb="analysis_done").values_list("detail__number", flat=True)
    )
    assert sorted(finished.values()) == [1] * ANALYSES  # no review ran twice to completion
    assert all(v.findings.filter(category="medical_claim").count() == 1 for v in versions)

    rows = DBTaskResult.objects.filter(task_path=analyse_version.module_path)
    assert Counter(r.status for r in rows) == {
        TaskResultStatus.SUCCESSFUL: ANALYSES,
        TaskResultStatus.FAILED: 1,
    }
    assert rows.get(status=TaskResultStatus.FAILED).exception_class_path == LOST_EXCEPTION
    for task in PERIODIC:  # three workers started at once, and still one waiting run each
        assert (
            DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY).count()
            <= 1
        )
