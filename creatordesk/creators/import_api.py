"""Creator imports in the JSON API: upload a file, check it (dry run), commit it.

The same steps as the import pages, on the same staged upload (creators/imports.py): the upload answers
a token, the dry run and the commit compute the same plan from the stored file, and a file too large
for a request is checked or committed by the task worker (202 with the job to poll).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from creatordesk.accounts.permissions import MANAGERS, require_role
from creatordesk.accounts.scoping import WorkspaceRequest, api_user, get_scoped_or_404
from creatordesk.creators import import_jobs, imports
from creatordesk.creators.import_values import LIST_ADD, LIST_FIELDS, LIST_REPLACE, TARGETS
from creatordesk.creators.models import ImportJob, Platform

router = Router(tags=["imports"])


class StagedOut(Schema):
    token: str
    filename: str
    headers: list[str]
    columns: list[str]  # the field each column is imported into, "" for none
    default_platform: str
    decimal_comma: bool


class MappingIn(Schema):
    columns: list[str]
    default_platform: str = Platform.TIKTOK.value
    decimal_comma: bool = False
    list_modes: dict[str, str] = {}


class CommitIn(Schema):
    skip_errors: bool = False


class JobOut(Schema):
    """A background check or commit of an import file, as clients poll it."""

    job_id: int
    status: str
    rows_done: int
    rows_total: int
    result: dict[str, Any] | None = None
    error: str = ""


def refused(field: str, message: str) -> ValidationError:
    """A 422 naming the field, as every refused request of the API does."""
    return ValidationError([{"loc": ["body", field], "msg": message}])


def _staged_out(stored: imports.StoredImport) -> dict[str, Any]:
    return {
        "token": stored.token,
        "filename": stored.filename,
        "headers": stored.headers,
        "columns": stored.columns,
        "default_platform": stored.default_platform,
        "decimal_comma": stored.decimal_comma,
    }


def job_out(job: ImportJob) -> dict[str, Any]:
    return {
        "job_id": job.pk,
        "status": job.status,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "result": job.result or None,
        "error": job.error,
    }


def _load(request: WorkspaceRequest, token: str) -> imports.StoredImport:
    try:
        return imports.import_load(workspace=request.workspace, token=token)
    except imports.ImportNotFound:
        raise Http404 from None  # another workspace's upload looks like a missing one


@router.post("/imports/creators", response={201: StagedOut})
def creators_upload(request: WorkspaceRequest, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    require_role(request, *MANAGERS)
    try:
        stored = imports.import_upload(workspace=request.workspace, upload=file)
    except imports.ImportRejected as rejected:
        raise refused("file", str(rejected)) from None
    return Status(201, _staged_out(stored))


@router.get("/imports/creators/{token}", response=StagedOut)
def creators_staged(request: WorkspaceRequest, token: str) -> dict[str, Any]:
    require_role(request, *MANAGERS)
    return _staged_out(_load(request, token))


@router.put("/imports/creators/{token}/mapping", response=StagedOut)
def creators_mapping(request: WorkspaceRequest, token: str, payload: MappingIn) -> dict[str, Any]:
    require_role(request, *MANAGERS)
    stored = _load(request, token)
    if len(payload.columns) != len(stored.headers) or not set(payload.columns) <= {"", *TARGETS}:
        raise refused("columns", _('Give one known field (or "") per column of the file.'))
    if "handle" not in payload.columns:
        raise refused("columns", _("Choose the column that holds the handle."))
    if payload.default_platform not in Platform.values:
        raise refused(
            "default_platform", _("Unknown platform “%(value)s”.") % {"value": payload.default_platform}
        )
    modes = payload.list_modes
    if not set(modes) <= set(LIST_FIELDS) or not set(modes.values()) <= {LIST_ADD, LIST_REPLACE}:
        raise refused("list_modes", _("A list field is updated with “add” or “replace”."))
    imports.import_set_mapping(
        stored=stored,
        columns=payload.columns,
        default_platform=payload.default_platform,
        decimal_comma=payload.decimal_comma,
        list_modes=modes,
    )
    return _staged_out(stored)


@router.post("/imports/creators/{token}/dry-run", response={200: dict[str, Any], 202: JobOut})
def creators_dry_run(request: WorkspaceRequest, token: str) -> Status[dict[str, Any]]:
    require_role(request, *MANAGERS)
    stored = _load(request, token)
    try:
        plan = imports.import_dry_run(
            workspace=request.workspace, stored=stored, max_rows=settings.IMPORT_INLINE_ROWS
        )
    except imports.ImportRejected as rejected:
        raise refused("file", str(rejected)) from None
    except imports.ImportTooLargeForRequest:
        job = import_jobs.creators_job_queue(
            workspace=request.workspace,
            stored=stored,
            commit=False,
            skip_errors=False,
            actor=api_user(request),
        )
        return Status(202, job_out(job))
    return Status(200, import_jobs.plan_summary(plan))


@router.post("/imports/creators/{token}/commit", response={200: dict[str, Any], 202: JobOut})
def creators_commit(request: WorkspaceRequest, token: str, payload: CommitIn) -> Status[dict[str, Any]]:
    require_role(request, *MANAGERS)
    stored = _load(request, token)
    try:
        plan = imports.import_commit(
            workspace=request.workspace,
            stored=stored,
            actor=api_user(request),
            skip_errors=payload.skip_errors,
            max_rows=settings.IMPORT_INLINE_ROWS,
        )
    except imports.ImportTooLargeForRequest:
        job = import_jobs.creators_job_queue(
            workspace=request.workspace,
            stored=stored,
            commit=True,
            skip_errors=payload.skip_errors,
            actor=api_user(request),
        )
        return Status(202, job_out(job))
    except imports.ImportHasErrors as failed:
        errors = [{"loc": ["body", "file", e.row, e.column], "msg": e.message} for e in failed.plan.errors]
        raise ValidationError(errors) from None
    except imports.ImportRejected as rejected:
        raise refused("file", str(rejected)) from None
    except IntegrityError:
        raise refused(
            "file", _("Nothing was imported: the creators changed meanwhile. Check the preview again.")
        ) from None
    return Status(200, {**import_jobs.plan_summary(plan), "written": plan.written})


@router.delete("/imports/creators/{token}", response={204: None})
def creators_discard(request: WorkspaceRequest, token: str) -> Status[None]:
    require_role(request, *MANAGERS)
    imports.import_discard(stored=_load(request, token))
    return Status(204, None)


@router.get("/imports/creators/jobs/{job_id}", response=JobOut)
def creators_job(request: WorkspaceRequest, job_id: int) -> dict[str, Any]:
    require_role(request, *MANAGERS)
    return job_out(get_scoped_or_404(ImportJob, request.workspace, pk=job_id, kind=ImportJob.Kind.CREATORS))
