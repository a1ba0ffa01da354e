"""The counts an import reports (new, updated, unchanged, skipped) are the changes the database shows.

Checked for the inline commit, the commit by the worker, and a worker commit whose run dies in the
middle of a chunk and is resumed: the re-run chunk neither counts a row twice nor writes one twice.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Side
from creatordesk.creators import import_jobs, imports
from creatordesk.creators.models import ActivityEvent, Creator, ImportJob, PlatformAccount
from creatordesk.creators.services import account_upsert
from creatordesk.creators.tests.test_import import UPLOAD, upload, write
from creatordesk.creators.tests.test_import_jobs import run_worker
from creatordesk.creators.tests.test_import_updates import start

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path) -> None:
    settings.VAR_DIR = tmp_path / "var"


def mixed_file(tmp_path: Path, side: Side) -> Path:
    """4 new creators, 1 existing one changed through two of its accounts, 1 existing one named with
    exactly what it has (unchanged), 1 row with an error (skipped)."""
    one, two = side.creator.tiktok_handle, side.other_creator.tiktok_handle
    return write(
        tmp_path,
        "creators.csv",
        "Name,Handle,Followers,Categories\n"
        f"Creator alpha,{one},5000,Beauty & Personal Care\n"
        "Jana,jana,1000,skincare\n"
        "Mehmet,mehmet,2000,\n"
        f"{side.other_creator.display_name},{two},,\n"
        "Broken,broken,lots,\n"
        "Lea,lea,3000,\n"
        "Tom,tom,4000,\n"
        "Creator alpha,https://www.instagram.com/alpha.insta,700,\n",
    )


def with_second_account(side: Side) -> None:
    account_upsert(creator=side.creator, platform="instagram", handle="alpha.insta", followers=100)


def database_state(side: Side) -> dict[int, tuple[Any, ...]]:
    """Every creator of the workspace with each field an import can write, and its accounts."""
    accounts: dict[int, list[tuple[Any, ...]]] = {}
    for creator_id, *values in (
        PlatformAccount.objects.filter(workspace=side.workspace)
        .order_by("id")
        .values_list(
            "creator_id", "platform", "handle", "followers", "avg_views", "engagement_rate", "gmv_eur"
        )
    ):
        accounts.setdefault(creator_id, []).append(tuple(values))
    creators = Creator.objects.filter(workspace=side.workspace).values_list(
        "pk", "display_name", "email", "country", "languages", "categories", "tags", "phone", "notes",
        "tiktok_handle", "followers", "engagement_rate",
    )  # fmt: skip
    return {pk: (*values, tuple(accounts.get(pk, []))) for pk, *values in creators}


def database_counts(before: dict[int, tuple], after: dict[int, tuple], named: set[int]) -> dict[str, int]:
    """What happened in the database to the creators; `named` are the existing ones the file names."""
    changed = {pk for pk in before if before[pk] != after.get(pk)}
    assert changed <= named, "the import changed a creator the file does not name"
    return {
        "new": len(set(after) - set(before)),
        "updated": len(changed),
        "unchanged": len(named - changed),
    }


def finished_message(counts: dict[str, int], skipped: int) -> str:
    return (
        f"New creators: {counts['new']}. Updated creators: {counts['updated']}. "
        f"Unchanged creators: {counts['unchanged']}. Rows skipped: {skipped}."
    )


def test_an_inline_import_reports_exactly_what_it_changed(side_a, login_as, tmp_path) -> None:
    with_second_account(side_a)
    client = login_as(side_a.manager)
    before = database_state(side_a)
    token = start(client, mixed_file(tmp_path, side_a))
    preview = client.get(f"{UPLOAD}{token}/preview/").context["plan"]
    response = client.post(f"{UPLOAD}{token}/commit/", {"skip_errors": "on"})
    page = client.get(response["Location"]).content.decode()

    happened = database_counts(before, database_state(side_a), {side_a.creator.pk, side_a.other_creator.pk})
    assert happened == {"new": 4, "updated": 1, "unchanged": 1}
    assert finished_message(happened, skipped=1) in page
    # The dry run said the same before anything was written.
    assert (preview.new_count, preview.updated_count, preview.unchanged_count) == (4, 1, 1)
    # Only a creator that changed gets "updated from the file" in its timeline.
    updated = ActivityEvent.objects.filter(workspace=side_a.workspace, verb="import_updated")
    assert list(updated.values_list("creator_id", flat=True)) == [side_a.creator.pk]


def test_importing_the_same_file_again_reports_every_creator_unchanged(side_a, login_as, tmp_path) -> None:
    client = login_as(side_a.manager)
    path = write(tmp_path, "a.csv", "Name,Handle,Followers,Categories\nJana,jana,1000,Health\nTom,tom,20,\n")
    client.post(f"{UPLOAD}{start(client, path)}/commit/")
    before = database_state(side_a)
    response = client.post(f"{UPLOAD}{start(client, path)}/commit/")
    page = client.get(response["Location"]).content.decode()

    assert database_state(side_a) == before
    assert finished_message({"new": 0, "updated": 0, "unchanged": 2}, skipped=0) in page


def test_a_background_import_reports_exactly_what_it_changed(side_a, login_as, tmp_path, settings) -> None:
    settings.IMPORT_INLINE_ROWS = 3  # the rows go to the worker
    settings.IMPORT_CHUNK_ROWS = 2  # in chunks; the creator with two accounts has rows in two of them
    with_second_account(side_a)
    client = login_as(side_a.manager)
    before = database_state(side_a)
    token = start(client, mixed_file(tmp_path, side_a))
    response = client.post(f"{UPLOAD}{token}/commit/", {"skip_errors": "on"})
    run_worker()
    page = client.get(response["Location"], follow=True).content.decode()

    job = ImportJob.objects.get(token=token, commit=True)
    happened = database_counts(before, database_state(side_a), {side_a.creator.pk, side_a.other_creator.pk})
    assert happened == {"new": 4, "updated": 1, "unchanged": 1}
    assert job.result["counts"] == {**happened, "skipped": 1}
    assert finished_message(happened, skipped=1) in page


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing of the run's own error handling gets to run."""


def test_a_commit_resumed_after_its_worker_died_mid_chunk_reports_exactly_what_it_changed(
    side_a, login_as, tmp_path, settings, monkeypatch
) -> None:
    settings.IMPORT_INLINE_ROWS = 3
    settings.IMPORT_CHUNK_ROWS = 2
    with_second_account(side_a)
    client = login_as(side_a.manager)
    before = database_state(side_a)
    token = start(client, mixed_file(tmp_path, side_a))
    response = client.post(f"{UPLOAD}{token}/commit/", {"skip_errors": "on"})
    job = ImportJob.objects.get(token=token, commit=True)

    # The first chunk holds both rows of the existing creator with two accounts (they are far apart in
    # the file) and updates it; the run dies after writing the second chunk's two new creators and
    # before moving the checkpoint past them.
    record = imports._record_activity
    chunks_written = []

    def dies_in_the_second_chunk(*args: Any, **kwargs: Any) -> None:
        record(*args, **kwargs)
        chunks_written.append(1)
        if len(chunks_written) == 2:
            raise WorkerKilled

    monkeypatch.setattr(imports, "_record_activity", dies_in_the_second_chunk)
    with pytest.raises(WorkerKilled):
        import_jobs.job_run(job_id=job.pk)
    monkeypatch.setattr(imports, "_record_activity", record)
    job.refresh_from_db()
    assert (job.status, job.phase) == (ImportJob.Status.RUNNING, ImportJob.Phase.WRITE)
    assert job.rows_done == 2
    assert job.counts == {"new": 0, "updated": 1, "unchanged": 0}
    assert Creator.objects.filter(workspace=side_a.workspace).count() == len(before)  # rolled back

    later = timezone.now() + timedelta(seconds=settings.IMPORT_STALL_SECONDS + 1)
    assert imports.import_jobs_recover_stalled(now=later) == 1
    run_worker()
    page = client.get(response["Location"], follow=True).content.decode()

    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportJob.Status.DONE, 2)
    happened = database_counts(before, database_state(side_a), {side_a.creator.pk, side_a.other_creator.pk})
    assert happened == {"new": 4, "updated": 1, "unchanged": 1}
    assert job.result["counts"] == {**happened, "skipped": 1}
    assert finished_message(happened, skipped=1) in page
    handles = PlatformAccount.objects.filter(workspace=side_a.workspace).values_list("handle", flat=True)
    assert sorted(handles) == sorted(
        ["alpha_one", "alpha_two", "alpha.insta", "jana", "mehmet", "lea", "tom"]
    )
    assert ActivityEvent.objects.filter(workspace=side_a.workspace, verb="imported").count() == 4


def test_the_mapping_and_the_preview_show_what_each_category_is_stored_as(side_a, login_as, tmp_path) -> None:
    client = login_as(side_a.manager)
    path = write(
        tmp_path,
        "affiliate.csv",
        "Creator username,Product category\n"
        "jana,Beauty & Personal Care\n"
        "lea,Beauty & Körperpflege; Clean Beauty\n"
        "tom,skincare\n",
    )
    token = upload(client, path)
    mapping = client.get(f"{UPLOAD}{token}/columns/").content.decode()
    hints = mapping.split('data-testid="import-category-hints"', 1)[1].split("</ul>", 1)[0]
    assert "Beauty &amp; Personal Care → beauty" in hints
    assert "Beauty &amp; Körperpflege → beauty" in hints
    assert "Clean Beauty" in hints and "no match, kept as written" in hints
    assert "skincare →" not in hints  # already CreatorDesk's key: nothing to say

    confirm = client.get(f"{UPLOAD}{token}/columns/").context["form"]
    Client.post(client, f"{UPLOAD}{token}/columns/", {n: confirm[n].value() or "" for n in confirm.fields})
    preview = client.get(f"{UPLOAD}{token}/preview/").content.decode()
    listed = preview.split('data-testid="import-categories"', 1)[1].split("</ul>", 1)[0]
    assert "Beauty &amp; Personal Care → beauty" in listed
    assert 'data-testid="category-unmapped"' in listed and "Clean Beauty" in listed
    client.post(f"{UPLOAD}{token}/commit/")
    stored = dict(
        Creator.objects.filter(workspace=side_a.workspace).values_list("tiktok_handle", "categories")
    )
    assert (stored["jana"], stored["lea"], stored["tom"]) == ("beauty", "beauty, Clean Beauty", "skincare")
