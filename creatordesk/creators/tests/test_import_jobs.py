"""Files larger than a request may parse are checked and committed by the task worker, with progress."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from creatordesk.creators import import_jobs, imports
from creatordesk.creators.models import ActivityEvent, Creator, ImportJob, PlatformAccount
from creatordesk.creators.tests.test_import import UPLOAD, confirm_columns, upload, write
from creatordesk.djangolib import staged_files

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _small_requests(settings, tmp_path) -> None:
    settings.VAR_DIR = tmp_path / "var"
    settings.IMPORT_INLINE_ROWS = 5  # anything longer goes to the worker
    settings.IMPORT_CHUNK_ROWS = 4  # several chunks even for a small file


def run_worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def creators_csv(tmp_path: Path, rows: int, bad_row: bool = False) -> Path:
    lines = ["Name,Handle,Followers"] + [f"Row {i},@creator.{i},{1000 + i}" for i in range(rows)]
    if bad_row:
        lines.append("Broken,broken,lots")
    return write(tmp_path, "big.csv", "\n".join(lines) + "\n")


def start(client: Client, path: Path) -> str:
    token = upload(client, path)
    confirm_columns(client, token)
    return token


def test_a_large_file_is_checked_by_the_worker_with_progress_and_its_preview_is_kept(
    side_a, login_as, tmp_path
) -> None:
    client = login_as(side_a.manager)
    token = start(client, creators_csv(tmp_path, 12))
    page = client.get(f"{UPLOAD}{token}/preview/")
    assert page.status_code == 200
    assert 'data-testid="import-progress"' in page.content.decode()
    assert "Waiting for the import to start" in page.content.decode()
    job = ImportJob.objects.get(workspace=side_a.workspace, token=token)
    poll = client.get(f"{UPLOAD}{token}/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and "hx-trigger" in poll.content.decode()

    run_worker()
    poll = client.get(f"{UPLOAD}{token}/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true"
    preview = client.get(f"{UPLOAD}{token}/preview/")
    assert preview.context["plan"]["new_count"] == 12
    assert 'data-testid="new-count">12<' in preview.content.decode()
    assert ImportJob.objects.filter(token=token).count() == 1  # shown again, not checked again
    assert not Creator.objects.filter(workspace=side_a.workspace, display_name__startswith="Row ").exists()


def test_the_progress_partial_counts_the_rows_checked(side_a, login_as, tmp_path) -> None:
    client = login_as(side_a.manager)
    token = start(client, creators_csv(tmp_path, 30_000))
    client.get(f"{UPLOAD}{token}/preview/")
    job = ImportJob.objects.get(token=token)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, rows_done=12_000)
    poll = client.get(f"{UPLOAD}{token}/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "Checking row 12,000 of 30,000" in poll


def test_a_large_commit_is_written_by_the_worker_in_chunks_with_every_row_once(
    side_a, login_as, tmp_path
) -> None:
    client = login_as(side_a.manager)
    token = start(client, creators_csv(tmp_path, 10))
    response = client.post(f"{UPLOAD}{token}/commit/")
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert client.post(f"{UPLOAD}{token}/commit/")["Location"] == response["Location"]  # pressed twice

    run_worker()
    job = ImportJob.objects.get(token=token, commit=True)
    assert (job.status, job.rows_done, job.counts) == ("done", 10, {"new": 10, "updated": 0, "unchanged": 0})
    assert client.get(response["Location"], HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    done = client.get(response["Location"], follow=True)
    assert (
        "New creators: 10. Updated creators: 0. Unchanged creators: 0. Rows skipped: 0."
        in done.content.decode()
    )
    handles = PlatformAccount.objects.filter(workspace=side_a.workspace, handle__startswith="creator.")
    assert sorted(handles.values_list("handle", flat=True)) == sorted(f"creator.{i}" for i in range(10))
    assert ActivityEvent.objects.filter(workspace=side_a.workspace, verb="imported").count() == 10
    assert not staged_files.folder(token).exists()


def test_a_large_commit_with_errors_writes_nothing_unless_told_to_skip_them(
    side_a, login_as, tmp_path
) -> None:
    client = login_as(side_a.manager)
    token = start(client, creators_csv(tmp_path, 10, bad_row=True))
    client.get(f"{UPLOAD}{token}/preview/")
    run_worker()
    refused = client.post(f"{UPLOAD}{token}/commit/")
    assert refused.status_code == 400
    assert "Nothing was imported: 1 row has errors." in refused.content.decode()
    assert not Creator.objects.filter(workspace=side_a.workspace, display_name__startswith="Row ").exists()

    client.post(f"{UPLOAD}{token}/commit/", {"skip_errors": "on"})
    run_worker()
    assert Creator.objects.filter(workspace=side_a.workspace, display_name__startswith="Row ").count() == 10


def test_a_resumed_commit_carries_on_from_its_checkpoint_without_writing_a_row_twice(
    side_a, login_as, tmp_path, settings
) -> None:
    client = login_as(side_a.manager)
    # What two chunks of four wrote before the worker died: rows 0-7, with their timeline entries.
    settings.IMPORT_INLINE_ROWS = 100
    client.post(f"{UPLOAD}{start(client, creators_csv(tmp_path, 8))}/commit/")
    written = dict(
        PlatformAccount.objects.filter(workspace=side_a.workspace, handle__startswith="creator.").values_list(
            "handle", "creator_id"
        )
    )
    settings.IMPORT_INLINE_ROWS = 5
    token = start(client, creators_csv(tmp_path, 10))
    client.post(f"{UPLOAD}{token}/commit/")
    job = ImportJob.objects.get(token=token, commit=True)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, phase=ImportJob.Phase.WRITE, rows_done=8, rows_total=10,
        counts={"new": 8, "updated": 0}, attempts=1, heartbeat=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    DBTaskResult.objects.all().delete()  # the task the dead worker had taken

    assert imports.import_jobs_recover_stalled() == 1
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.attempts, job.counts) == (
        "done",
        10,
        2,
        {"new": 10, "updated": 0, "unchanged": 0},
    )
    accounts = PlatformAccount.objects.filter(workspace=side_a.workspace, handle__startswith="creator.")
    assert accounts.count() == 10
    # The eight written before were neither created again nor touched; only rows 8 and 9 were added.
    assert {h: c for h, c in accounts.values_list("handle", "creator_id") if h in written} == written
    assert ActivityEvent.objects.filter(workspace=side_a.workspace, verb="imported").count() == 10
    assert not ActivityEvent.objects.filter(workspace=side_a.workspace, verb="import_updated").exists()


def claim_again(job: ImportJob) -> ImportJob:
    """What the stall recovery and the next worker do to a running job: a newer run takes it."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    newer = import_jobs.job_claim(job_id=job.pk)
    assert newer is not None
    return newer


def test_a_run_taken_for_dead_that_finishes_its_check_late_writes_nothing(
    side_a, login_as, tmp_path, monkeypatch
) -> None:
    client = login_as(side_a.manager)
    token = start(client, creators_csv(tmp_path, 10))
    client.post(f"{UPLOAD}{token}/commit/")
    job = ImportJob.objects.get(token=token, commit=True)
    plan = imports._plan
    newer_ran: list[bool] = []

    def plan_then_lose_the_job(**kwargs):
        # The first run is slow to check the file; meanwhile it is taken for dead and a newer run
        # checks and writes the whole import.
        result = plan(**kwargs)
        if not newer_ran:
            newer_ran.append(True)
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
            import_jobs.job_run(job_id=job.pk)
        return result

    monkeypatch.setattr(imports, "_plan", plan_then_lose_the_job)
    import_jobs.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.attempts, job.rows_done, job.counts) == (
        "done",
        2,
        10,
        {"new": 10, "updated": 0, "unchanged": 0},
    )
    assert job.result["counts"] == {"new": 10, "updated": 0, "unchanged": 0, "skipped": 0}
    assert ActivityEvent.objects.filter(workspace=side_a.workspace, verb="imported").count() == 10
    assert not ActivityEvent.objects.filter(workspace=side_a.workspace, verb="import_updated").exists()


def test_a_run_taken_for_dead_can_neither_move_the_progress_nor_write_a_chunk(
    side_a, login_as, tmp_path
) -> None:
    client = login_as(side_a.manager)
    token = start(client, creators_csv(tmp_path, 10))
    client.post(f"{UPLOAD}{token}/commit/")
    job = ImportJob.objects.get(token=token, commit=True)
    ImportJob.objects.filter(pk=job.pk).update(phase=ImportJob.Phase.WRITE, rows_done=4, rows_total=10)
    stale = import_jobs.job_claim(job_id=job.pk)
    assert stale is not None
    claim_again(stale)
    stored = imports.import_load(workspace=side_a.workspace, token=token)
    entries = list(imports._plan(workspace=side_a.workspace, stored=stored).entries.values())

    with pytest.raises(import_jobs.JobSuperseded):
        import_jobs.job_progress(job=stale, rows_done=0)
    with pytest.raises(import_jobs._CheckpointMoved):
        import_jobs._commit_chunk(stale, 4, entries[4:8], stored, side_a.manager)
    job.refresh_from_db()
    assert (job.rows_done, job.counts) == (4, {})
    assert not PlatformAccount.objects.filter(
        workspace=side_a.workspace, handle__startswith="creator."
    ).exists()


def test_a_background_check_beats_its_heartbeat_while_matching_existing_accounts(
    side_a, login_as, tmp_path, settings, monkeypatch
) -> None:
    client = login_as(side_a.manager)
    settings.IMPORT_INLINE_ROWS = 100
    client.post(f"{UPLOAD}{start(client, creators_csv(tmp_path, 8))}/commit/")
    token = start(client, creators_csv(tmp_path, 10))
    stored = imports.import_load(workspace=side_a.workspace, token=token)
    monkeypatch.setattr(imports, "_HEARTBEAT_EVERY", 2)
    beats: list[None] = []
    rows: list[int] = []
    imports._plan(
        workspace=side_a.workspace, stored=stored, on_row=rows.append, heartbeat=lambda: beats.append(None)
    )
    # Once before matching, once per two of the eight accounts read, once before the legacy handles.
    assert len(rows) == 10 and len(beats) == 1 + 8 // 2 + 1


def test_two_quick_presses_of_commit_start_one_job(side_a, login_as, tmp_path, monkeypatch) -> None:
    client = login_as(side_a.manager)
    token = start(client, creators_csv(tmp_path, 10))
    stored = imports.import_load(workspace=side_a.workspace, token=token)
    commit = imports.import_commit
    first: list[ImportJob] = []

    def commit_while_the_other_press_starts_its_job(**kwargs):
        # The other request looked for a running commit at the same moment, found none, and starts its
        # job while this one finds out that the file is too large for a request.
        try:
            return commit(**kwargs)
        except imports.ImportTooLargeForRequest:
            first.append(
                import_jobs.job_start_commit(
                    workspace=side_a.workspace,
                    kind=ImportJob.Kind.CREATORS,
                    token=token,
                    options={"mapping": import_jobs.mapping_key(stored), "skip_errors": False},
                    actor=side_a.manager,
                )
            )
            raise

    monkeypatch.setattr(imports, "import_commit", commit_while_the_other_press_starts_its_job)
    response = client.post(f"{UPLOAD}{token}/commit/")
    assert response.status_code == 302
    assert response["Location"] == f"{UPLOAD}{token}/jobs/{first[0].pk}/"
    assert ImportJob.objects.filter(token=token, commit=True).count() == 1


def test_a_job_that_keeps_losing_its_worker_is_failed_with_a_message(side_a, settings) -> None:
    stale = timezone.now() - timedelta(seconds=settings.IMPORT_STALL_SECONDS + 5)
    fresh = timezone.now()
    lost = ImportJob.objects.create(
        workspace=side_a.workspace, kind="creators", token="t" * 24, status="running", heartbeat=stale,
        attempts=settings.IMPORT_MAX_ATTEMPTS,
    )  # fmt: skip
    retried = ImportJob.objects.create(
        workspace=side_a.workspace,
        kind="creators",
        token="u" * 24,
        status="running",
        heartbeat=stale,
        attempts=1,
    )
    alive = ImportJob.objects.create(
        workspace=side_a.workspace,
        kind="creators",
        token="v" * 24,
        status="running",
        heartbeat=fresh,
        attempts=1,
    )
    assert imports.import_jobs_recover_stalled() == 2
    for job in (lost, retried, alive):
        job.refresh_from_db()
    assert lost.status == "failed" and "was given up" in lost.error
    assert retried.status == "queued"
    assert DBTaskResult.objects.filter(args_kwargs__kwargs__job_id=retried.pk).exists()
    assert alive.status == "running"


def test_another_workspace_cannot_see_an_import_job(side_a, side_b, login_as, tmp_path) -> None:
    client = login_as(side_a.manager)
    token = start(client, creators_csv(tmp_path, 12))
    client.get(f"{UPLOAD}{token}/preview/")
    job = ImportJob.objects.get(token=token)
    assert login_as(side_b.manager).get(f"{UPLOAD}{token}/jobs/{job.pk}/").status_code == 404
