from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from creatordesk.accounts.permissions import workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest


@workspace_required
def index(request: WorkspaceRequest) -> HttpResponse:
    return render(request, "performance/index.html")
