"""Pages of the Seller Center import: upload and dry run, then commit of the staged file."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from creatordesk.accounts.permissions import PERFORMANCE_STAFF, role_required
from creatordesk.accounts.scoping import WorkspaceRequest
from creatordesk.shop import importing
from creatordesk.shop.importing_orders import ORDERS
from creatordesk.shop.importing_samples import SAMPLES


class ShopImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Seller Center export (CSV or XLSX)"))
    kind = forms.ChoiceField(
        label=gettext_lazy("The file holds"),
        choices=[
            (importing.AUTO, gettext_lazy("Recognise it from the column names")),
            (SAMPLES.name, gettext_lazy("Sample requests")),
            (ORDERS.name, gettext_lazy("Affiliate orders")),
        ],
        initial=importing.AUTO,
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        return upload


def _page(
    request: WorkspaceRequest, form: ShopImportForm, report: importing.ImportReport | None
) -> HttpResponse:
    status = 400 if form.errors or (report and not report.ok) else 200
    context = {"form": form, "report": report, "row_limit": settings.IMPORT_INLINE_ROWS}
    return render(request, "shop/import_index.html", context, status=status)


@role_required(*PERFORMANCE_STAFF)
def imports_index(request: WorkspaceRequest) -> HttpResponse:
    """Upload stages the export and shows its mapping and dry run; nothing is written here."""
    form = ShopImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staged = importing.shop_import_stage(
                workspace=request.workspace,
                upload=upload.open("rb"),
                filename=upload.name,
                kind=form.cleaned_data["kind"],
            )
        except importing.ImportFileError as exc:
            report = importing.ImportReport(file_errors=[str(exc)])
        else:
            report = importing.shop_import_check(workspace=request.workspace, staged=staged)
    return _page(request, form, report)


@require_POST
@role_required(*PERFORMANCE_STAFF)
def imports_commit(request: WorkspaceRequest) -> HttpResponse:
    """Import the checked file from its staged copy: all rows, or none while a row has errors."""
    try:
        staged = importing.shop_import_load(workspace=request.workspace, token=request.POST.get("token", ""))
    except importing.ImportNotFound:
        raise Http404 from None
    report = importing.shop_import_commit(
        workspace=request.workspace,
        staged=staged,
        actor=request.user,
        skip_errors=request.POST.get("skip_errors") == "on",
    )
    if not report.committed:
        return _page(request, ShopImportForm(), report)
    counts = report.counts
    messages.success(
        request,
        _(
            "Imported %(kind)s: %(created)s new, %(updated)s updated, %(unchanged)s unchanged, "
            "%(unmatched)s left out."
        )
        % {
            "kind": report.kind_label,
            "created": counts["create"],
            "updated": counts["update"],
            "unchanged": counts["unchanged"],
            "unmatched": counts["unmatched"],
        },
    )
    return redirect("shop:imports_index")
