"""Pages of the Marketing API read: connection state, a period to read, and the run's progress."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django import forms
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from creatordesk.accounts.permissions import PAID_MEDIA, role_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.placements.connection import ads_connected
from creatordesk.placements.models import InsightsRun
from creatordesk.placements.sync import insights_run_start
from creatordesk.placements.tasks import placements_insights_run

RUNS_SHOWN = 10
# Meta keeps placement breakdowns with daily rows for 37 months; a read of more than a quarter at
# once makes a report that may take an hour, so longer periods are read in parts.
MAX_DAYS = 92


class InsightsPeriodForm(forms.Form):
    since = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = forms.DateField(
        label=gettext_lazy("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until:
            if since > until:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (until - since).days + 1 > MAX_DAYS:
                raise forms.ValidationError(_("Read at most %(days)s days at once.") % {"days": MAX_DAYS})
        return data


def _page(request: WorkspaceRequest, form: InsightsPeriodForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "not_connected": ads_connected(workspace_id=request.workspace.pk),
        "runs": InsightsRun.objects.for_workspace(request.workspace)[:RUNS_SHOWN],
    }
    return render(request, "placements/sync_index.html", context, status=status)


@role_required(*PAID_MEDIA)
def sync_index(request: WorkspaceRequest) -> HttpResponse:
    today = timezone.localdate()
    return _page(
        request,
        InsightsPeriodForm(initial={"since": today - timedelta(days=28), "until": today - timedelta(days=1)}),
    )


@require_POST
@role_required(*PAID_MEDIA)
def sync_start(request: WorkspaceRequest) -> HttpResponse:
    """Start reading the period in the background; the page then follows the run's progress."""
    form = InsightsPeriodForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    run, started = insights_run_start(
        workspace=request.workspace,
        since=form.cleaned_data["since"],
        until=form.cleaned_data["until"],
        actor=request.user,
    )
    if started:
        transaction.on_commit(partial(placements_insights_run.enqueue, run_id=run.pk))
    return redirect("placements:sync_index")


@role_required(*PAID_MEDIA)
def sync_progress(request: WorkspaceRequest, insights_run_id: int) -> HttpResponse:
    run = get_scoped_or_404(InsightsRun, request.workspace, pk=insights_run_id)
    return render(request, "placements/sync_progress.html", {"run": run})
