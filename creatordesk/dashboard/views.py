"""The workspace home page (what needs the member now, a few figures) and a health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from creatordesk.accounts.permissions import workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest
from creatordesk.dashboard.selectors import needs_me_now, workspace_overview
from creatordesk.reviews.selectors import approval_sla


@workspace_required
def home(request: WorkspaceRequest) -> HttpResponse:
    overview = workspace_overview(workspace=request.workspace)
    sla = approval_sla(workspace=request.workspace)
    needs = needs_me_now(workspace=request.workspace, user_id=request.user.pk, role=request.membership.role)
    return render(request, "dashboard/home.html", {"overview": overview, "sla": sla, "needs": needs})


def health(request: WorkspaceRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
