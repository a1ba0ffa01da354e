from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts.models import Role
from creatordesk.accounts.permissions import role_required, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.creators.models import ImportJob
from creatordesk.djangolib.htmx import is_htmx_partial
from creatordesk.performance import import_staging, importing, selectors, services
from creatordesk.performance.connections import (
    FIELDS,
    UnreadableCredentialsError,
    connection_delete,
    connection_save,
    connection_values,
)
from creatordesk.performance.forms import AmplifyStatusForm, ConnectionForm, MetricsImportForm
from creatordesk.performance.models import AmplifyTask, ConnectorKind, PlatformConnection, ViralAlert

PERFORMANCE_STAFF = (Role.OWNER, Role.MANAGER, Role.PERFORMANCE)
CONNECTION_ROLES = (Role.OWNER, Role.PERFORMANCE)  # API credentials: the owner and the performance team


@workspace_required
def index(request: WorkspaceRequest) -> HttpResponse:
    page = selectors.performance_page(workspace=request.workspace)
    chart_labels = {
        "gmv": _("GMV (EUR)"),
        "orders": _("Orders"),
        "views": _("Views"),
        "funnel": _("Collaborations"),
    }
    funnel = {"labels": [step.label for step in page.funnel], "counts": [step.count for step in page.funnel]}
    # The empty state of the alerts names the detection rules, so it must quote the thresholds in force.
    detection = {
        "days": services.DETECTION_WINDOW.days,
        "ratio": services.CREATOR_RATIO,
        "creator_peers": services.MIN_CREATOR_PEERS,
        "workspace_peers": services.MIN_WORKSPACE_PEERS,
    }
    context = {
        "page": page,
        "chart": {**page.chart, "labels_i18n": chart_labels, "funnel": funnel},
        "detection": detection,
        "can_act": request.membership.role in PERFORMANCE_STAFF,
        "can_connect": request.membership.role in CONNECTION_ROLES,
    }
    return render(request, "performance/index.html", context)


@role_required(*PERFORMANCE_STAFF)
def metrics_import(request: WorkspaceRequest) -> HttpResponse:
    """Upload stages the file and shows its dry run; Import commits the staged file (or a new upload).

    Files too large for a request go to the worker, with ?job=<id> showing progress.
    """
    form = MetricsImportForm(request.POST or None, request.FILES or None, workspace=request.workspace)
    outcome: importing.ImportReport | ImportJob | None = None
    if request.method == "GET" and "job" in request.GET:
        polled = get_scoped_or_404(
            ImportJob, request.workspace, pk=request.GET["job"], kind=ImportJob.Kind.METRICS
        )
        if is_htmx_partial(request):
            response = render(request, "performance/_import_progress.html", {"job": polled})
            if polled.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
                response["HX-Refresh"] = "true"  # the full page shows the report
            return response
        outcome = importing.ImportReport.from_summary(polled.result) if polled.result else polled
    commit = request.POST.get("action") == "commit"
    try:
        if request.method == "POST" and request.POST.get("token") and commit:
            outcome = _import_staged(request, request.POST["token"])
        elif request.method == "POST" and form.is_valid():
            outcome = _import_upload(request, form.cleaned_data, commit=commit)
    except IntegrityError:
        form.add_error(None, _("Another import created the same posts at the same time; try again."))
    if isinstance(outcome, ImportJob) and request.method == "POST":
        return redirect(f"{reverse('performance:import')}?job={outcome.pk}")
    if isinstance(outcome, importing.ImportReport) and outcome.committed:
        messages.success(
            request,
            _("Imported %(count)s snapshots (%(posts)s new posts).")
            % {"count": outcome.snapshots, "posts": outcome.posts_created},
        )
        return redirect("performance:index")
    report = outcome if isinstance(outcome, importing.ImportReport) else None
    job = outcome if isinstance(outcome, ImportJob) else None
    status = 400 if form.errors or (report and not report.ok) else 200
    context = {"form": form, "report": report, "job": job}
    return render(request, "performance/import.html", context, status=status)


def _import_staged(request: WorkspaceRequest, token: str) -> importing.ImportReport | ImportJob:
    try:
        staged = import_staging.metrics_load(workspace=request.workspace, token=token)
    except import_staging.ImportNotFound:
        raise Http404 from None
    return import_staging.metrics_run(
        workspace=request.workspace, staged=staged, commit=True, actor=request.user
    )


def _import_upload(
    request: WorkspaceRequest, data: dict[str, Any], *, commit: bool
) -> importing.ImportReport | ImportJob:
    fields = {k: data[k] for k in ("platform", "collaboration", "taken_at", "extra_columns")}
    try:
        staged = import_staging.metrics_stage(
            workspace=request.workspace, upload=data["file"].open("rb"), filename=data["file"].name, **fields
        )
    except importing.ImportFileError as exc:
        return importing.ImportReport(file_errors=[str(exc)])
    return import_staging.metrics_run(
        workspace=request.workspace, staged=staged, commit=commit, actor=request.user
    )


@require_POST
@role_required(*PERFORMANCE_STAFF)
def alert_snooze(request: WorkspaceRequest, alert_pk: int) -> HttpResponse:
    alert = get_scoped_or_404(ViralAlert, request.workspace, pk=alert_pk)
    services.alert_snooze(alert=alert)
    messages.success(request, _("Alert snoozed for 24 hours."))
    return redirect("performance:index")


@require_POST
@role_required(*PERFORMANCE_STAFF)
def amplify_status(request: WorkspaceRequest, amplify_task_pk: int) -> HttpResponse:
    task = get_scoped_or_404(AmplifyTask, request.workspace, pk=amplify_task_pk)
    form = AmplifyStatusForm(request.POST)
    if form.is_valid():
        try:
            services.amplify_task_set_status(task=task, status=form.cleaned_data["status"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("performance:index")


@role_required(*CONNECTION_ROLES)
def connections(request: WorkspaceRequest) -> HttpResponse:
    """The workspace's own platform API credentials: one form per API, save or remove."""
    bound: dict[str, ConnectionForm] = {}
    if request.method == "POST":
        outcome = _connection_post(request)
        if isinstance(outcome, HttpResponse):
            return outcome
        bound[outcome.kind] = outcome
    saved = {c.kind: c for c in PlatformConnection.objects.for_workspace(request.workspace)}
    cards = []
    for kind, label in ConnectorKind.choices:
        connection = saved.get(kind)
        stored, unreadable = None, False
        if connection is not None:
            try:
                stored = connection_values(connection)
            except UnreadableCredentialsError:
                unreadable = True
        form = bound.get(kind) or ConnectionForm(kind=kind, stored=stored)
        cards.append(
            {"kind": kind, "label": label, "connection": connection, "unreadable": unreadable, "form": form}
        )
    return render(request, "performance/connections.html", {"cards": cards})


def _connection_post(request: WorkspaceRequest) -> HttpResponse | ConnectionForm:
    """Save or remove one connection: the redirect when done, else the form with its errors."""
    kind = request.POST.get("kind", "")
    if kind not in FIELDS:
        messages.error(request, _("Unknown API."))
        return redirect("performance:connections")
    if request.POST.get("action") == "remove":
        if connection_delete(workspace=request.workspace, kind=kind):
            messages.success(request, _("Connection removed."))
        return redirect("performance:connections")
    form = ConnectionForm(request.POST, kind=kind, stored=None)
    if form.is_valid():
        try:
            connection_save(
                workspace=request.workspace, kind=kind, values=form.cleaned_data, user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)  # a dict of field errors lands on those fields
        else:
            messages.success(request, _("Connection saved."))
            return redirect("performance:connections")
    return form
