"""Profit per creator and campaign, the chart of the best and worst, and the repeat-affiliate tiers."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creatordesk.accounts.permissions import workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest
from creatordesk.shop.profit import Period, profit_chart, profit_report, sorted_rows
from creatordesk.shop.tiers import creator_tiers


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False)
    end = forms.DateField(label=gettext_lazy("Until"), required=False)
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=[
            ("net", gettext_lazy("Net profit, highest first")),
            ("net_asc", gettext_lazy("Net profit, lowest first")),
            ("gmv", gettext_lazy("GMV")),
            ("orders", gettext_lazy("Orders")),
        ],
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


@workspace_required
def profit_index(request: WorkspaceRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    period, sort = Period(), "net"
    if form.is_bound and form.is_valid():
        period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
        sort = form.cleaned_data["sort"] or "net"
    report = profit_report(workspace=request.workspace, period=period)
    context = {
        "form": form,
        "report": report,
        "creators": sorted_rows(report.by_creator, sort),
        "campaigns": sorted_rows(report.by_campaign, sort),
        "chart": profit_chart(report.by_creator),
        "tiers": creator_tiers(workspace=request.workspace, report=report),
    }
    return render(request, "shop/profit_index.html", context)
