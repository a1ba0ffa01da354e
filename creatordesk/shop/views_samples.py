"""The samples page: how often free samples turn into posts, per creator and per campaign."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from creatordesk.accounts.permissions import workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest
from creatordesk.shop import samples
from creatordesk.shop.reminders import ESCALATE_AFTER_DAYS


@workspace_required
def samples_index(request: WorkspaceRequest) -> HttpResponse:
    context = {
        "figures": samples.posting_figures(workspace=request.workspace),
        "content_days": samples.CONTENT_DAYS,
        "escalate_days": ESCALATE_AFTER_DAYS,
    }
    return render(request, "shop/samples_index.html", context)
