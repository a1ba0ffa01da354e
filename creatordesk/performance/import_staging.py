"""The staged metrics upload: stored once, checked (dry run), committed from the stored copy.

The file waits in the staged-file store (creatordesk.djangolib.staged_files) with a metrics.json
naming its workspace and the options chosen. Files with more rows than a request may parse are
checked or committed by the task worker as an ImportJob.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from creatordesk.accounts.models import User, Workspace
from creatordesk.campaigns.models import Collaboration
from creatordesk.creators import import_jobs
from creatordesk.creators.import_limits import SpreadsheetRefused
from creatordesk.creators.models import ImportJob, Platform
from creatordesk.djangolib import staged_files
from creatordesk.performance.importing import (
    ImportFileError,
    ImportReport,
    Options,
    Reading,
    TooLargeForRequest,
    check_and_store,
    inspect_file,
    report_summary,
)

META_FILE = "metrics.json"


class ImportNotFound(Exception):
    """No staged metrics file with this token in this workspace (imported, expired or someone else's)."""


# --- The staged upload ------------------------------------------------------------------------------


@dataclass
class StagedMetrics:
    """A metrics file waiting in VAR_DIR/imports/<token>/ between its dry run and its commit."""

    token: str
    workspace_id: int
    filename: str
    reading: dict[str, Any]  # Reading, as JSON keeps it
    options: dict[str, Any]  # Options, as JSON keeps it
    lines: int = 0  # an estimate of the rows, for the progress of a job
    created_at: float = field(default_factory=time.time)

    @property
    def source(self) -> Path:
        return staged_files.source(self.token, self.reading["kind"])

    def read_as(self) -> Reading:
        return Reading(
            **{
                **self.reading,
                "columns": tuple(self.reading["columns"]),
                "fields": tuple(self.reading["fields"]),
            }
        )

    def chosen(self) -> Options:
        return Options(**self.options)

    def save(self) -> None:
        staged_files.write_meta(self.token, META_FILE, asdict(self))


def metrics_stage(
    *,
    workspace: Workspace,
    upload: IO[bytes],
    filename: str,
    platform: str = "tiktok",
    collaboration: Collaboration | None = None,
    taken_at: datetime | None = None,
    extra_columns: dict[str, str] | None = None,
) -> StagedMetrics:
    """Keep an uploaded file for its dry run and commit; ImportFileError if it cannot be imported at all."""
    options = Options(
        platform=Platform(platform).value,
        collaboration_id=collaboration.pk if collaboration else None,
        taken_at=taken_at.isoformat() if taken_at else None,
        extra_columns=dict(extra_columns or {}),
    )
    kind = "xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) else "csv"
    upload.seek(0)
    token, lines = staged_files.store(iter(lambda: upload.read(1 << 20), b""), kind=kind)
    source = staged_files.source(token, kind)
    try:
        reading = inspect_file(source, source.name, options.extra_columns)
    except (ImportFileError, SpreadsheetRefused) as exc:
        staged_files.discard(token)
        raise ImportFileError(str(exc)) from None
    except OSError:
        staged_files.discard(token)
        raise
    staged = StagedMetrics(
        token=token,
        workspace_id=workspace.pk,
        filename=Path(filename).name[:200],
        reading=asdict(reading),
        options=asdict(options),
        lines=lines,
    )
    staged.save()
    return staged


def metrics_load(*, workspace: Workspace, token: str) -> StagedMetrics:
    """The staged file behind `token` if it belongs to `workspace`; anything else looks like a missing one."""
    try:
        return StagedMetrics(**staged_files.read_meta(token, META_FILE, workspace_id=workspace.pk))
    except staged_files.StagedFileMissing:
        raise ImportNotFound(token) from None


def metrics_discard(*, staged: StagedMetrics) -> None:
    staged_files.discard(staged.token)


def metrics_plan(
    *,
    workspace: Workspace,
    staged: StagedMetrics,
    commit: bool,
    max_rows: int | None = None,
    on_row: Callable[[int], None] | None = None,
) -> ImportReport:
    """The dry run of the staged file, or with `commit` its import; a committed file is removed."""
    report = ImportReport(token=staged.token)
    try:
        check_and_store(
            report, workspace, staged.source, staged.read_as(), staged.chosen(),
            commit=commit, max_rows=max_rows, on_row=on_row,
        )  # fmt: skip
    except (ImportFileError, SpreadsheetRefused) as exc:
        report.file_errors.append(str(exc))
    if report.committed or not report.ok:
        # Nothing more can come of it: a file with errors is fixed and uploaded again.
        metrics_discard(staged=staged)
        report.token = ""
    return report


def metrics_run(
    *, workspace: Workspace, staged: StagedMetrics, commit: bool, actor: User | None
) -> ImportReport | ImportJob:
    """Check (or commit) the staged file in this request when it is small, else queue it for the worker."""
    try:
        return metrics_plan(
            workspace=workspace, staged=staged, commit=commit, max_rows=settings.IMPORT_INLINE_ROWS
        )
    except TooLargeForRequest:
        return metrics_job_start(workspace=workspace, staged=staged, commit=commit, actor=actor)


# --- Large files: run by the task worker as an ImportJob ----------------------------------------------


def metrics_job_start(
    *, workspace: Workspace, staged: StagedMetrics, commit: bool, actor: User | None
) -> ImportJob:
    """Queue the check (and, with `commit`, the import) of a staged file for the worker."""
    return import_jobs.job_start(
        workspace=workspace,
        kind=ImportJob.Kind.METRICS,
        token=staged.token,
        commit=commit,
        options={"filename": staged.filename},
        actor=actor,
        rows_total=staged.lines,
    )


def metrics_job_run(*, job: ImportJob) -> None:
    """Check, and for a commit store, the file of `job`; the report is kept on the job for the page."""
    try:
        staged = metrics_load(workspace=job.workspace, token=job.token)
    except ImportNotFound:
        import_jobs.job_finish(
            job=job, status=ImportJob.Status.FAILED, error=_("The file is gone. Upload it again.")
        )
        return

    def on_row(number: int) -> None:
        if number % 1000 == 0:
            import_jobs.job_progress(job=job, rows_done=number)

    report = metrics_plan(workspace=job.workspace, staged=staged, commit=job.commit, on_row=on_row)
    status = ImportJob.Status.DONE if report.ok else ImportJob.Status.FAILED
    import_jobs.job_finish(job=job, status=status, result=report_summary(report))
