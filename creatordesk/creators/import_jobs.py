"""Import jobs: large spreadsheets are checked and committed by the task worker, never in a request.

The commit writes the validated plan in chunks, each in its own short transaction that also moves the
job's checkpoint (`rows_done`). A worker killed mid-import leaves the last chunk rolled back and the
checkpoint at the chunk before it; the job is queued again and carries on from there, so every row is
written exactly once and neither web requests nor other tasks wait long for the SQLite write lock.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.accounts.models import User, Workspace
from creatordesk.creators import imports
from creatordesk.creators.import_limits import declared_rows
from creatordesk.creators.models import ImportJob
from creatordesk.djangolib.db_busy import retry_when_locked

log = logging.getLogger(__name__)

# Progress of the check phase is written every this many rows: often enough for the page, rarely
# enough that the writes cost nothing next to parsing.
_PROGRESS_EVERY = 1000

Status = ImportJob.Status


def plan_summary(plan: imports.ImportPlan) -> dict[str, Any]:
    """The plan as the preview page shows it, in a form a job row can keep (JSON)."""

    def shown(values: dict[str, Any]) -> dict[str, Any]:
        return {k: str(v) if isinstance(v, Decimal) else v for k, v in values.items()}

    return {
        "rows": plan.rows,
        "error_rows": plan.error_rows,
        "error_count": plan.error_count,
        "repeated_rows": plan.repeated_rows,
        "new_count": plan.new_count,
        "updated_count": plan.updated_count,
        "unchanged_count": plan.unchanged_count,
        "category_mappings": plan.category_mappings,
        "errors": [asdict(error) for error in plan.errors],
        "preview": [
            {
                "row": entry.row,
                "is_new": entry.is_new,
                "display_name": entry.display_name,
                "handle": entry.handle,
                "platform_label": str(entry.platform_label),
                "creator_fields": shown(entry.creator_fields),
                "account_fields": shown(entry.account_fields),
                "changes": entry.changes,
            }
            for entry in plan.preview
        ],
    }


def mapping_key(stored: imports.StoredImport) -> str:
    """What a plan depends on besides the file: a finished check is reused only while this is unchanged."""
    return json.dumps([stored.columns, stored.default_platform, stored.decimal_comma, stored.list_modes])


def estimate_rows(stored: imports.StoredImport) -> int:
    """Roughly how many rows the file has, for the progress bar; reads no cell."""
    if stored.kind == "xlsx":
        return declared_rows(stored.source)
    lines = 0
    with open(stored.source, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            lines += chunk.count(b"\n")
    return max(lines - stored.header_row, 0)


def creators_job_queue(
    *, workspace: Workspace, stored: imports.StoredImport, commit: bool, skip_errors: bool, actor: User | None
) -> ImportJob:
    """Queue the check or the commit of a creator upload too large for a request (page and API alike)."""
    arguments: dict[str, Any] = {
        "workspace": workspace,
        "kind": ImportJob.Kind.CREATORS,
        "token": stored.token,
        "options": {"mapping": mapping_key(stored), "skip_errors": skip_errors},
        "actor": actor,
        "rows_total": estimate_rows(stored),
    }
    if commit:  # a second press of the button that got past the first look finds the job there
        return job_start_commit(**arguments)
    return job_start(commit=False, **arguments)


def job_start(
    *,
    workspace: Workspace,
    kind: str,
    token: str,
    commit: bool,
    options: dict[str, Any],
    actor: User | None,
    rows_total: int = 0,
) -> ImportJob:
    """Record a job for the staged upload `token` and queue it for the task worker."""
    job = ImportJob.objects.create(
        workspace=workspace,
        kind=kind,
        token=token,
        commit=commit,
        options=options,
        rows_total=rows_total,
        created_by=actor,
    )
    _enqueue(job.pk)
    return job


def job_running_commit(*, workspace: Workspace, kind: str, token: str) -> ImportJob | None:
    """The commit of the staged upload `token` that is queued or running, if there is one."""
    running = ImportJob.objects.for_workspace(workspace).filter(
        kind=kind, token=token, commit=True, status__in=[Status.QUEUED, Status.RUNNING]
    )
    return running.order_by("pk").first()


def job_start_commit(
    *,
    workspace: Workspace,
    kind: str,
    token: str,
    options: dict[str, Any],
    actor: User | None,
    rows_total: int = 0,
) -> ImportJob:
    """Start the commit of the staged upload `token`, or return the one already queued or running.

    Two quick presses of the button both get here; two commit jobs would write the same rows side by
    side. The workspace row is locked while looking and creating, so the second press waits for the
    first one's job and finds it (SQLite's IMMEDIATE transactions serialise the same way). FOR NO KEY
    UPDATE leaves inserts of rows pointing at the workspace unblocked.
    """
    with transaction.atomic():
        Workspace.objects.select_for_update(no_key=True).filter(pk=workspace.pk).first()
        running = job_running_commit(workspace=workspace, kind=kind, token=token)
        if running is not None:
            return running
        return job_start(
            workspace=workspace,
            kind=kind,
            token=token,
            commit=True,
            options=options,
            actor=actor,
            rows_total=rows_total,
        )


def _enqueue(job_id: int) -> None:
    from creatordesk.creators.tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.enqueue(job_id=job_id))


def job_claim(*, job_id: int) -> ImportJob | None:
    """Mark a queued job running for this worker; None when another worker has it or it has ended."""
    claimed = retry_when_locked(
        lambda: ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
            status=Status.RUNNING, attempts=F("attempts") + 1, heartbeat=timezone.now()
        )
    )
    return ImportJob.objects.get(pk=job_id) if claimed else None


def job_finish(*, job: ImportJob, status: str, result: dict[str, Any] | None = None, error: str = "") -> bool:
    """End the job; False when a newer run has it, which then ends it itself."""
    fields = {"status": status, "error": error, "finished_at": timezone.now(), "heartbeat": timezone.now()}
    if result is not None:
        fields["result"] = result
    # Only the latest run ends a job: a run taken for dead that still finishes must not overwrite it.
    return bool(
        retry_when_locked(lambda: ImportJob.objects.filter(pk=job.pk, attempts=job.attempts).update(**fields))
    )


class JobSuperseded(Exception):
    """A newer run of the job has claimed it; this run stops without writing anything more."""


def job_progress(*, job: ImportJob, rows_done: int | None = None) -> None:
    """Beat the job's heartbeat (and move its progress); raises JobSuperseded once a newer run has it.

    A run that was taken for dead while it still worked must notice, or it would overwrite the newer
    run's progress and checkpoint.
    """
    fields: dict[str, Any] = {"heartbeat": timezone.now()}
    if rows_done is not None:
        fields["rows_done"] = rows_done
    if not retry_when_locked(
        lambda: ImportJob.objects.filter(pk=job.pk, attempts=job.attempts).update(**fields)
    ):
        raise JobSuperseded


def jobs_recover_stalled(*, now: datetime | None = None) -> int:
    """Queue again running jobs whose heartbeat is older than IMPORT_STALL_SECONDS (their worker died).

    A job that has already used IMPORT_MAX_ATTEMPTS runs is failed instead. Returns how many jobs were
    queued again or failed.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.IMPORT_STALL_SECONDS)
    stalled = ImportJob.objects.filter(status=Status.RUNNING, heartbeat__lt=cutoff)
    changed = 0
    for job in stalled:
        if job.attempts >= settings.IMPORT_MAX_ATTEMPTS:
            done = job.rows_done if job.phase == ImportJob.Phase.WRITE else 0
            message = _(
                "The import stopped %(times)d times and was given up; %(done)d creators were saved."
            ) % {
                "times": job.attempts,
                "done": done,
            }
            changed += ImportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
                status=Status.FAILED, error=message, finished_at=now
            )
            continue
        with transaction.atomic():
            if ImportJob.objects.filter(pk=job.pk, status=Status.RUNNING, heartbeat=job.heartbeat).update(
                status=Status.QUEUED
            ):
                changed += 1
                _enqueue(job.pk)
    return changed


def job_run(*, job_id: int) -> None:
    """Run one queued job; every failure ends as a failed job with a message the page shows."""
    job = job_claim(job_id=job_id)
    if job is None:
        return
    try:
        if job.kind == ImportJob.Kind.METRICS:
            # The metrics import belongs to the performance app, which builds on this one.
            from creatordesk.performance.import_staging import metrics_job_run

            metrics_job_run(job=job)
        else:
            creators_job_run(job=job)
    except JobSuperseded:
        log.info("import job %s run %s stopped: a newer run has it", job.pk, job.attempts)
    except Exception:
        log.exception("import job %s failed", job.pk)
        job_finish(job=job, status=Status.FAILED, error=_("The import failed unexpectedly. Try again."))


# --- The creator import as a job --------------------------------------------------------------------


def creators_job_run(*, job: ImportJob) -> None:
    """Check the upload of `job` and, for a commit, write it in chunks from the last checkpoint."""
    workspace = job.workspace
    stored = _job_upload(job)
    if stored is None:
        return
    writing = job.phase == ImportJob.Phase.WRITE  # a resumed commit keeps its checkpoint

    def on_row(number: int) -> None:
        if number % _PROGRESS_EVERY == 0:
            job_progress(job=job, rows_done=None if writing else number)

    try:
        plan = imports._plan(
            workspace=workspace, stored=stored, on_row=on_row, heartbeat=partial(job_progress, job=job)
        )
    except imports.ImportRejected as rejected:
        job_finish(job=job, status=Status.FAILED, error=str(rejected))
        return
    if not job.commit or (plan.error_rows and not job.options.get("skip_errors")):
        _finish_check(job, stored, plan)
        return
    entries = creator_ordered(list(plan.entries.values()))
    if not writing:
        _start_writing(job, rows_total=len(entries))
    actor = job.created_by
    for start, chunk in chunked(entries, first=job.rows_done, size=settings.IMPORT_CHUNK_ROWS):
        try:
            retry_when_locked(partial(_commit_chunk, job, start, chunk, stored, actor))
        except _CheckpointMoved:
            raise JobSuperseded from None
    job.refresh_from_db(fields=["counts"])
    counts = dict(job.counts, skipped=plan.error_rows)
    if job_finish(job=job, status=Status.DONE, result={"counts": counts, "filename": stored.filename}):
        imports.import_discard(stored=stored)


def _finish_check(job: ImportJob, stored: imports.StoredImport, plan: imports.ImportPlan) -> None:
    """End a dry run with its plan, or a commit refused for rows with errors with the plan that shows them."""
    imports.describe_changes(workspace=job.workspace, stored=stored, plan=plan)
    if not job.commit:
        job_finish(job=job, status=Status.DONE, result=plan_summary(plan))
        return
    message = _("Nothing was imported: %(count)d rows have errors.") % {"count": plan.error_rows}
    job_finish(job=job, status=Status.FAILED, result=plan_summary(plan), error=message)


def _job_upload(job: ImportJob) -> imports.StoredImport | None:
    """The upload the job imports as it was mapped when queued; None (and the job failed) otherwise."""
    try:
        stored = imports.import_load(workspace=job.workspace, token=job.token)
    except imports.ImportNotFound:
        job_finish(
            job=job, status=Status.FAILED, error=_("This import no longer exists. Upload the file again.")
        )
        return None
    if mapping_key(stored) != job.options.get("mapping"):
        job_finish(
            job=job,
            status=Status.FAILED,
            error=_("The columns were changed meanwhile. Check the preview again."),
        )
        return None
    return stored


def _start_writing(job: ImportJob, *, rows_total: int) -> None:
    """Move a checked job to its write phase, from row 0; JobSuperseded if another run owns it now."""
    # Only while this run still owns the job: a newer run may already have written chunks.
    switched = retry_when_locked(
        lambda: ImportJob.objects.filter(
            pk=job.pk, attempts=job.attempts, phase=ImportJob.Phase.CHECK
        ).update(
            phase=ImportJob.Phase.WRITE,
            rows_done=0,
            rows_total=rows_total,
            counts={},
            heartbeat=timezone.now(),
        )
    )
    if not switched:
        raise JobSuperseded
    # Set here rather than reloaded: a reload would also take the attempt of a run claiming it now.
    job.phase, job.rows_done, job.rows_total, job.counts = ImportJob.Phase.WRITE, 0, rows_total, {}


def creator_ordered(entries: list[imports.Entry]) -> list[imports.Entry]:
    """The entries in file order, except that the rows of one existing creator follow its first row.

    A creator with several accounts in the file is then written, and counted, in one chunk. The order
    depends only on creators that existed before the import began (a creator the import adds has one
    row), so a resumed run computes the same order and its checkpoint points at the same row.
    """
    groups: dict[object, list[imports.Entry]] = {}
    for index, entry in enumerate(entries):
        groups.setdefault(entry.creator_id if entry.creator_id is not None else ("row", index), []).append(
            entry
        )
    return [entry for group in groups.values() for entry in group]


def chunked(
    entries: list[imports.Entry], *, first: int, size: int
) -> Iterator[tuple[int, list[imports.Entry]]]:
    """(start, chunk) from entry `first` on, about `size` entries each, never splitting a creator's rows."""
    start = first
    while start < len(entries):
        end = min(start + size, len(entries))
        owner = entries[end - 1].creator_id
        while owner is not None and end < len(entries) and entries[end].creator_id == owner:
            end += 1
        yield start, entries[start:end]
        start = end


class _CheckpointMoved(Exception):
    """Another run of the same job claimed it or committed this chunk first; this run's copy is rolled
    back."""


def _commit_chunk(
    job: ImportJob, start: int, chunk: list[imports.Entry], stored: imports.StoredImport, actor: User | None
) -> None:
    """Write one chunk and move the checkpoint past it, in one short transaction."""
    workspace = job.workspace
    with transaction.atomic():
        # Matched again inside the transaction: rows an earlier chunk or anyone else added since the
        # check count as updates, so a repeated chunk can never create a creator twice.
        fresh = {(entry.platform, entry.handle): entry for entry in chunk}
        for entry in chunk:
            entry.creator_id = entry.account_id = None
        imports._match_existing(workspace, fresh)
        written = imports.write_entries(workspace, chunk, stored=stored, actor=actor)
        counts = ImportJob.objects.select_for_update().values_list("counts", flat=True).get(pk=job.pk)
        counts = cast(dict[str, int], counts)
        counts = {name: counts.get(name, 0) + written[name] for name in ("new", "updated", "unchanged")}
        moved = ImportJob.objects.filter(pk=job.pk, attempts=job.attempts, rows_done=start).update(
            rows_done=start + len(chunk), counts=counts, heartbeat=timezone.now()
        )
        if not moved:
            raise _CheckpointMoved
