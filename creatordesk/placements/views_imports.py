"""Pages of the Ads Manager import: upload and dry run, then commit of the staged file."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts.permissions import PAID_MEDIA, role_required
from creatordesk.accounts.scoping import WorkspaceRequest
from creatordesk.placements import importing
from creatordesk.placements.forms import ExportUploadForm


def _page(
    request: WorkspaceRequest, form: ExportUploadForm, report: importing.ImportReport | None
) -> HttpResponse:
    status = 400 if form.errors or (report and not report.ok) else 200
    return render(request, "placements/import_index.html", {"form": form, "report": report}, status=status)


@role_required(*PAID_MEDIA)
def imports_index(request: WorkspaceRequest) -> HttpResponse:
    """Upload stages the export and shows its mapping, summary and dry run; nothing is written here."""
    form = ExportUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        staged = importing.placements_import_stage(
            workspace=request.workspace, upload=upload.open("rb"), filename=upload.name
        )
        report = importing.placements_import_check(workspace=request.workspace, staged=staged)
    return _page(request, form, report)


@require_POST
@role_required(*PAID_MEDIA)
def imports_commit(request: WorkspaceRequest) -> HttpResponse:
    """Import the checked file from its staged copy: all rows, or none while a row has errors."""
    try:
        staged = importing.placements_import_load(
            workspace=request.workspace, token=request.POST.get("token", "")
        )
    except importing.ImportNotFound:
        raise Http404 from None
    report = importing.placements_import_commit(workspace=request.workspace, staged=staged)
    if not report.committed:
        return _page(request, ExportUploadForm(), report)
    messages.success(
        request,
        _("Imported %(total)s rows: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "total": report.total,
            "created": report.counts["create"],
            "updated": report.counts["update"],
            "unchanged": report.counts["unchanged"],
        },
    )
    return redirect("placements:audit")
