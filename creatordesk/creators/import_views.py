"""The creator import in four steps: upload, column mapping, preview (the dry run), commit."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from creatordesk.accounts.permissions import MANAGERS, role_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.creators import import_jobs, imports
from creatordesk.creators.import_values import (
    LIST_ADD,
    LIST_FIELDS,
    LIST_REPLACE,
    TARGETS,
    category_mapping_shown,
    category_pairs,
)
from creatordesk.creators.models import ImportJob, Platform
from creatordesk.djangolib.htmx import is_htmx_partial


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.xlsx"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["file"].help_text = _("A CSV file or an Excel workbook (.xlsx), up to %(size)d MB.") % {
            "size": settings.IMPORT_MAX_BYTES // (1024 * 1024)
        }


class MappingForm(forms.Form):
    """A target per column of the file, the platform for rows that name none, the number format."""

    default_platform = forms.ChoiceField(
        label=gettext_lazy("Platform of rows without one"), choices=Platform.choices
    )
    number_format = forms.ChoiceField(
        label=gettext_lazy("Number format"),
        choices=[("en", gettext_lazy("1,234.5 (English)")), ("de", gettext_lazy("1.234,5 (German)"))],
    )

    def __init__(self, *args: object, stored: imports.StoredImport, **kwargs: object) -> None:
        kwargs["initial"] = {
            "default_platform": stored.default_platform,
            "number_format": "de" if stored.decimal_comma else "en",
            **{f"column_{i}": target for i, target in enumerate(stored.columns)},
            **{f"list_mode_{name}": stored.list_modes.get(name, LIST_ADD) for name in LIST_FIELDS},
        }
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [("", _("Don't import")), *TARGETS.items()]
        for index, header in enumerate(stored.headers):
            label = header or _("Column %(number)d") % {"number": index + 1}
            self.fields[f"column_{index}"] = forms.ChoiceField(label=label, choices=choices, required=False)
        self.width = len(stored.headers)
        modes = [(LIST_ADD, _("Add to the list")), (LIST_REPLACE, _("Replace the list"))]
        for name in LIST_FIELDS:
            # Not required: a form posted without the choice keeps the safe default, adding.
            self.fields[f"list_mode_{name}"] = forms.ChoiceField(
                label=TARGETS[name], choices=modes, required=False
            )

    def list_modes(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"list_mode_{name}"] or LIST_ADD for name in LIST_FIELDS}

    def list_mode_fields(self) -> list[forms.BoundField]:
        return [self[f"list_mode_{name}"] for name in LIST_FIELDS]

    def columns(self) -> list[str]:
        return [self.cleaned_data[f"column_{index}"] for index in range(self.width)]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        chosen = Counter(target for target in self.columns() if target)
        for target, count in chosen.items():
            if count > 1:
                self.add_error(
                    None, _("“%(target)s” is chosen for more than one column.") % {"target": TARGETS[target]}
                )
        if "handle" not in chosen:
            self.add_error(None, _("Choose the column that holds the handle."))
        return cleaned


def _load(request: WorkspaceRequest, token: str) -> imports.StoredImport:
    try:
        return imports.import_load(workspace=request.workspace, token=token)
    except imports.ImportNotFound:
        raise Http404(_("This import no longer exists. Upload the file again.")) from None


@role_required(*MANAGERS)
def import_upload(request: WorkspaceRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stored = imports.import_upload(workspace=request.workspace, upload=form.cleaned_data["file"])
        except imports.ImportRejected as rejected:
            form.add_error("file", str(rejected))
        else:
            return redirect("creators:import_mapping", token=stored.token)
    return render(request, "creators/import_upload.html", {"form": form}, status=400 if form.errors else 200)


@role_required(*MANAGERS)
def import_mapping(request: WorkspaceRequest, token: str) -> HttpResponse:
    stored = _load(request, token)
    form = MappingForm(request.POST or None, stored=stored)
    if request.method == "POST" and form.is_valid():
        imports.import_set_mapping(
            stored=stored,
            columns=form.columns(),
            default_platform=form.cleaned_data["default_platform"],
            decimal_comma=form.cleaned_data["number_format"] == "de",
            list_modes=form.list_modes(),
        )
        return redirect("creators:import_preview", token=stored.token)
    samples = imports.import_sample(stored=stored)
    rows = [
        (form[f"column_{i}"], samples[i], _category_hints(samples[i]) if target == "categories" else [])
        for i, target in enumerate(stored.columns)
    ]
    context = {"stored": stored, "form": form, "rows": rows}
    return render(request, "creators/import_mapping.html", context, status=400 if form.errors else 200)


def _category_hints(samples: list[str]) -> list[dict[str, str]]:
    """What the sample categories are stored as, for the labels the synonym table renames or misses."""
    pairs = dict(pair for sample in samples for pair in category_pairs(sample))
    return [
        {"label": label, "key": key or ""}
        for label, key in pairs.items()
        if category_mapping_shown(label, key)
    ]


def _preview(
    request: WorkspaceRequest,
    stored: imports.StoredImport,
    plan: imports.ImportPlan | dict[str, Any],
    refused: bool = False,
) -> HttpResponse:
    """The dry run's page, from a plan made in this request or from the summary a job kept."""
    if isinstance(plan, dict):
        more_errors = plan["error_count"] - len(plan["errors"])
    else:
        more_errors = plan.error_count - len(plan.errors)
    context = {"stored": stored, "plan": plan, "more_errors": more_errors, "refused": refused}
    return render(request, "creators/import_preview.html", context, status=400 if refused else 200)


@role_required(*MANAGERS)
def import_preview(request: WorkspaceRequest, token: str) -> HttpResponse:
    stored = _load(request, token)
    if not stored.mapping_confirmed:
        return redirect("creators:import_mapping", token=stored.token)
    job = _check_job(request, stored)
    if job is None:
        try:
            plan = imports.import_dry_run(
                workspace=request.workspace, stored=stored, max_rows=settings.IMPORT_INLINE_ROWS
            )
        except imports.ImportRejected as rejected:
            messages.error(request, str(rejected))
            return redirect("creators:import_mapping", token=stored.token)
        except imports.ImportTooLargeForRequest:
            job = _start_job(request, stored, commit=False)
        else:
            return _preview(request, stored, plan)
    if job.status == ImportJob.Status.DONE:
        return _preview(request, stored, job.result)
    return _progress(request, stored, job)


def _check_job(request: WorkspaceRequest, stored: imports.StoredImport) -> ImportJob | None:
    """The latest background check of this upload with its current columns, if there is one."""
    jobs = ImportJob.objects.for_workspace(request.workspace).filter(
        kind=ImportJob.Kind.CREATORS,
        token=stored.token,
        commit=False,
        options__mapping=import_jobs.mapping_key(stored),
    )
    return jobs.order_by("-pk").first()


def _start_job(
    request: WorkspaceRequest, stored: imports.StoredImport, *, commit: bool, skip_errors: bool = False
) -> ImportJob:
    return import_jobs.creators_job_queue(
        workspace=request.workspace, stored=stored, commit=commit, skip_errors=skip_errors, actor=request.user
    )


def _progress(request: WorkspaceRequest, stored: imports.StoredImport, job: ImportJob) -> HttpResponse:
    context = {"stored": stored, "job": job, "rows_total": max(job.rows_total, job.rows_done)}
    partial = is_htmx_partial(request)
    template = "creators/_import_progress.html" if partial else "creators/import_progress.html"
    response = render(request, template, context)
    if partial and job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        response["HX-Refresh"] = "true"  # the full page shows the outcome
    return response


@role_required(*MANAGERS)
def import_job(request: WorkspaceRequest, token: str, job_pk: int) -> HttpResponse:
    """Progress of a background check or commit; the finished commit leads to the creator list."""
    job = get_scoped_or_404(
        ImportJob, request.workspace, pk=job_pk, token=token, kind=ImportJob.Kind.CREATORS
    )
    if job.commit and job.status == ImportJob.Status.DONE:
        # The staged file is gone by now; a poll reloads the page, which reports the result.
        if is_htmx_partial(request):
            return HttpResponse(headers={"HX-Refresh": "true"})
        return _import_finished(request, job)
    stored = _load(request, token)
    if is_htmx_partial(request) or job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        return _progress(request, stored, job)
    if not job.commit:
        return redirect("creators:import_preview", token=stored.token)
    if job.status == ImportJob.Status.FAILED and job.result:
        return _preview(request, stored, job.result, refused=True)
    return _progress(request, stored, job)


def _import_finished(request: WorkspaceRequest, job: ImportJob) -> HttpResponse:
    counts = job.result.get("counts", {})
    messages.success(request, _finished_message(counts, skipped=counts.get("skipped", 0)))
    return redirect("creators:creator_list")


def _finished_message(counts: dict[str, int], *, skipped: int) -> str:
    return _(
        "Import finished. New creators: %(new)d. Updated creators: %(updated)d. "
        "Unchanged creators: %(unchanged)d. Rows skipped: %(skipped)d."
    ) % {
        "new": counts.get("new", 0),
        "updated": counts.get("updated", 0),
        "unchanged": counts.get("unchanged", 0),
        "skipped": skipped,
    }


@require_POST
@role_required(*MANAGERS)
def import_commit(request: WorkspaceRequest, token: str) -> HttpResponse:
    stored = _load(request, token)
    skip_errors = request.POST.get("skip_errors") == "on"
    running = import_jobs.job_running_commit(
        workspace=request.workspace, kind=ImportJob.Kind.CREATORS, token=stored.token
    )
    if running is not None:  # pressed twice: one import is enough
        return redirect("creators:import_job", token=stored.token, job_pk=running.pk)
    try:
        plan = imports.import_commit(
            workspace=request.workspace,
            stored=stored,
            actor=request.user,
            skip_errors=skip_errors,
            max_rows=settings.IMPORT_INLINE_ROWS,
        )
    except imports.ImportTooLargeForRequest:
        checked = _check_job(request, stored)
        if (
            checked
            and checked.status == ImportJob.Status.DONE
            and checked.result["error_rows"]
            and not skip_errors
        ):
            return _preview(request, stored, checked.result, refused=True)
        job = _start_job(request, stored, commit=True, skip_errors=skip_errors)
        return redirect("creators:import_job", token=stored.token, job_pk=job.pk)
    except imports.ImportHasErrors as failed:
        return _preview(request, stored, failed.plan, refused=True)
    except imports.ImportRejected as rejected:
        messages.error(request, str(rejected))
        return redirect("creators:import_mapping", token=stored.token)
    except IntegrityError:
        # Someone added one of the handles while the import ran; a fresh preview counts it as an update.
        messages.error(
            request, _("Nothing was imported: the creators changed meanwhile. Check the preview again.")
        )
        return redirect("creators:import_preview", token=stored.token)
    messages.success(request, _finished_message(plan.written, skipped=plan.error_rows))
    return redirect("creators:creator_list")


@require_POST
@role_required(*MANAGERS)
def import_discard(request: WorkspaceRequest, token: str) -> HttpResponse:
    imports.import_discard(stored=_load(request, token))
    messages.success(request, _("The import was cancelled and the file deleted."))
    return redirect("creators:creator_list")
