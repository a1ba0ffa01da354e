"""A real task worker is killed in the middle of a pre-review; after a restart the version ends up
analysed exactly once and reviewable."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from creatordesk.reviews import services
from creatordesk.reviews.models import AnalysisStatus
from tests.faults.processes import database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media]


def _worker(*extra: str) -> list[str]:
    return [sys.executable, "-m", "django", "db_worker", "--no-startup-delay", "--interval", "0.2", *extra]


def test_killing_the_worker_mid_analysis_ends_with_one_finished_analysis(
    side_a, claim_clip, settings, login_as
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
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "creatordesk.settings",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    worker = subprocess.Popen(_worker(), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            version.refresh_from_db()
            if version.analysis_status == AnalysisStatus.RUNNING:
                break
            assert worker.poll() is None, worker.stdout.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the worker never started the analysis"
            time.sleep(0.05)
    finally:
        worker.kill()  # SIGKILL: no clean-up of any kind
        worker.wait()

    version.refresh_from_db()
    assert version.analysis_status == AnalysisStatus.RUNNING  # stuck, as after a crash
    # What the periodic recovery task does: requeue analyses whose heartbeat went stale.
    later = timezone.now() + timedelta(seconds=settings.REVIEW_STALL_SECONDS + 1)
    assert services.analyses_recover_stalled(now=later) == 1

    restarted = subprocess.run(_worker("--batch"), env=env, capture_output=True, timeout=300)
    assert restarted.returncode == 0, restarted.stdout.decode() + restarted.stderr.decode()

    version.refresh_from_db()
    assert version.analysis_status == AnalysisStatus.DONE, version.analysis_error
    assert version.analysis_attempts == 2
    assert version.findings.filter(category="medical_claim").count() == 1  # stored once, not twice
    page = login_as(side_a.reviewer).get(f"/reviews/{submission.pk}/")
    assert page.status_code == 200 and "medical_claim" in page.content.decode()
