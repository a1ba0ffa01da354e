"""A real task worker is killed (SIGKILL) while committing a large creator import. The web keeps
answering, the database holds exactly the chunks the job's checkpoint says were written, and after the
recovery step and a new worker the import completes with every row exactly once.

Takes about 20-40 s on a loaded 2-core machine: it uploads 8,000 rows and runs two worker processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from creatordesk.creators import imports
from creatordesk.creators.models import ActivityEvent, Creator, ImportJob, PlatformAccount
from tests.faults.processes import database_url

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 8_000
UPLOAD = "/creators/import/"


def _worker(*extra: str) -> list[str]:
    return [sys.executable, "-m", "django", "db_worker", "--no-startup-delay", "--interval", "0.2", *extra]


def _creators_csv(path: Path) -> Path:
    lines = ["Name,Handle,Followers,Country"]
    lines += [f"Kill test {n},@kill.{n},{1000 + n},DE" for n in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_killing_the_worker_mid_commit_ends_with_every_row_imported_exactly_once(
    side_a, login_as, settings, tmp_path
) -> None:
    client = login_as(side_a.manager)
    with _creators_csv(tmp_path / "creators.csv").open("rb") as handle:
        uploaded = client.post(UPLOAD, {"file": handle})
    token = uploaded["Location"].split("/")[-3]
    form = client.get(f"{UPLOAD}{token}/columns/").context["form"]
    client.post(f"{UPLOAD}{token}/columns/", {name: form[name].value() or "" for name in form.fields})
    committing = client.post(f"{UPLOAD}{token}/commit/")
    assert committing.status_code == 302 and "/jobs/" in committing["Location"]  # too big for a request
    job = ImportJob.objects.get(workspace=side_a.workspace, token=token, commit=True)

    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "creatordesk.settings",
        "DATABASE_URL": database_url(),
        "CREATORDESK_VAR_DIR": str(settings.VAR_DIR),
        "IMPORT_CHUNK_ROWS": "100",
    }
    worker = subprocess.Popen(_worker(), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            job.refresh_from_db()
            if job.phase == ImportJob.Phase.WRITE and job.rows_done >= 500:
                break
            assert worker.poll() is None, worker.stdout.read().decode()  # type: ignore[union-attr]
            assert job.status != ImportJob.Status.DONE, (
                "the import finished before the worker could be killed"
            )
            assert time.monotonic() < deadline, "the worker never started writing"
            time.sleep(0.02)
        # The web answers while the worker writes: chunks keep each write transaction short.
        started = time.monotonic()
        assert client.get("/creators/").status_code == 200
        assert client.get(committing["Location"]).status_code == 200
        web_seconds = time.monotonic() - started
    finally:
        worker.kill()  # SIGKILL: no clean-up of any kind
        worker.wait()
    assert web_seconds < 10

    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING  # stuck, as after a crash
    assert 0 < job.rows_done < ROWS
    imported = PlatformAccount.objects.filter(workspace=side_a.workspace, handle__startswith="kill.")
    # What was written is exactly what the checkpoint says: the chunk in flight was rolled back whole.
    assert imported.count() == job.rows_done
    page = client.get(committing["Location"])
    assert page.status_code == 200 and "Saving creator" in page.content.decode()

    later = timezone.now() + timedelta(seconds=settings.IMPORT_STALL_SECONDS + 1)
    assert imports.import_jobs_recover_stalled(now=later) == 1
    restarted = subprocess.run(_worker("--batch"), env=env, capture_output=True, timeout=300)
    assert restarted.returncode == 0, restarted.stdout.decode() + restarted.stderr.decode()

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.error
    assert job.attempts == 2
    # The counts are the database's changes: the chunk the kill rolled back was counted once, when re-run.
    assert job.counts == {"new": ROWS, "updated": 0, "unchanged": 0}
    assert job.result["counts"] == {"new": ROWS, "updated": 0, "unchanged": 0, "skipped": 0}
    assert imported.count() == ROWS
    assert sorted(imported.values_list("handle", flat=True)) == sorted(f"kill.{n}" for n in range(ROWS))
    creators = Creator.objects.filter(workspace=side_a.workspace, display_name__startswith="Kill test ")
    assert creators.count() == ROWS  # no creator twice
    assert ActivityEvent.objects.filter(creator__in=creators, verb="imported").count() == ROWS
    done = client.get(committing["Location"], follow=True)
    assert f"New creators: {ROWS}." in done.content.decode().replace(",", "")
