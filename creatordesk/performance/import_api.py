"""Metrics imports in the JSON API: upload an export with its options, check it (dry run), commit it.

The same staged upload as the import page (performance/importing.py): the upload answers a token, the
dry run and the commit read the stored file the same way, and a file too large for a request is run by
the task worker (202 with the job to poll).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from creatordesk.accounts.permissions import PERFORMANCE_STAFF, require_role
from creatordesk.accounts.scoping import WorkspaceRequest, api_user, get_scoped_or_404
from creatordesk.campaigns.models import Collaboration
from creatordesk.creators.import_api import JobOut, job_out, refused
from creatordesk.creators.models import ImportJob, Platform
from creatordesk.performance import import_staging, importing

router = Router(tags=["imports"])


class StagedOut(Schema):
    token: str
    filename: str
    columns: list[str]
    fields: list[str]  # the field each column is read into, "" for none
    decimal_comma: bool


def _load(request: WorkspaceRequest, token: str) -> import_staging.StagedMetrics:
    try:
        return import_staging.metrics_load(workspace=request.workspace, token=token)
    except import_staging.ImportNotFound:
        raise Http404 from None  # another workspace's upload looks like a missing one


def _staged_out(staged: import_staging.StagedMetrics) -> dict[str, Any]:
    reading = staged.read_as()
    return {
        "token": staged.token,
        "filename": staged.filename,
        "columns": list(reading.columns),
        "fields": list(reading.fields),
        "decimal_comma": reading.decimal_comma,
    }


def _outcome(outcome: importing.ImportReport | ImportJob) -> Status[dict[str, Any]]:
    if isinstance(outcome, ImportJob):
        return Status(202, job_out(outcome))
    if outcome.file_errors:
        raise ValidationError([{"loc": ["body", "file"], "msg": message} for message in outcome.file_errors])
    return Status(200, _report_out(outcome))


def _report_out(report: importing.ImportReport) -> dict[str, Any]:
    summary = importing.report_summary(report)
    summary["errors"] = [
        {"row": row.number, "column": column, "message": message}
        for row in report.error_rows
        for column, message in row.problems
    ]
    return summary


@router.post("/imports/metrics", response={201: StagedOut})
def metrics_upload(
    request: WorkspaceRequest,
    file: File[UploadedFile],
    platform: Form[str] = Platform.TIKTOK.value,
    collaboration_id: Form[int | None] = None,
    taken_at: Form[datetime | None] = None,
) -> Status[dict[str, Any]]:
    require_role(request, *PERFORMANCE_STAFF)
    if not (file.name or "").lower().endswith((".csv", ".tsv", ".txt", ".xlsx", ".xlsm")):
        raise refused("file", _("Upload a CSV or XLSX file."))
    if platform not in Platform.values:
        raise refused("platform", _("Unknown platform “%(platform)s”.") % {"platform": platform})
    collaboration = None
    if collaboration_id is not None:
        collaboration = (
            Collaboration.objects.for_workspace(request.workspace).filter(pk=collaboration_id).first()
        )
        if collaboration is None:
            raise refused(
                "collaboration_id",
                _("Select a valid choice. That choice is not one of the available choices."),
            )
    try:
        staged = import_staging.metrics_stage(
            workspace=request.workspace,
            upload=file.open("rb"),
            filename=file.name or "",
            platform=platform,
            collaboration=collaboration,
            taken_at=taken_at,
        )
    except importing.ImportFileError as exc:
        raise refused("file", str(exc)) from None
    return Status(201, _staged_out(staged))


@router.get("/imports/metrics/{token}", response=StagedOut)
def metrics_staged(request: WorkspaceRequest, token: str) -> dict[str, Any]:
    require_role(request, *PERFORMANCE_STAFF)
    return _staged_out(_load(request, token))


@router.post("/imports/metrics/{token}/dry-run", response={200: dict[str, Any], 202: JobOut})
def metrics_dry_run(request: WorkspaceRequest, token: str) -> Status[dict[str, Any]]:
    require_role(request, *PERFORMANCE_STAFF)
    staged = _load(request, token)
    return _outcome(
        import_staging.metrics_run(
            workspace=request.workspace, staged=staged, commit=False, actor=api_user(request)
        )
    )


@router.post("/imports/metrics/{token}/commit", response={200: dict[str, Any], 202: JobOut})
def metrics_commit(request: WorkspaceRequest, token: str) -> Status[dict[str, Any]]:
    require_role(request, *PERFORMANCE_STAFF)
    staged = _load(request, token)
    try:
        outcome = import_staging.metrics_run(
            workspace=request.workspace, staged=staged, commit=True, actor=api_user(request)
        )
    except IntegrityError:
        raise refused(
            "file", _("Another import created the same posts at the same time; try again.")
        ) from None
    if isinstance(outcome, importing.ImportReport) and outcome.error_count:
        errors = [
            {"loc": ["body", "file", row.number, column], "msg": message}
            for row in outcome.error_rows
            for column, message in row.problems
        ]
        raise ValidationError(errors)
    return _outcome(outcome)


@router.delete("/imports/metrics/{token}", response={204: None})
def metrics_discard(request: WorkspaceRequest, token: str) -> Status[None]:
    require_role(request, *PERFORMANCE_STAFF)
    import_staging.metrics_discard(staged=_load(request, token))
    return Status(204, None)


@router.get("/imports/metrics/jobs/{job_id}", response=JobOut)
def metrics_job(request: WorkspaceRequest, job_id: int) -> dict[str, Any]:
    require_role(request, *PERFORMANCE_STAFF)
    return job_out(get_scoped_or_404(ImportJob, request.workspace, pk=job_id, kind=ImportJob.Kind.METRICS))
