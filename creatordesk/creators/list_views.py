"""The creator list: search, filters and sorting over tens of thousands of creators."""

from __future__ import annotations

from django.http import HttpResponse

from creatordesk.accounts.permissions import MANAGERS, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest
from creatordesk.creators import selectors
from creatordesk.creators.models import Platform
from creatordesk.djangolib.htmx import render_page


@workspace_required
def creator_list(request: WorkspaceRequest) -> HttpResponse:
    filters = selectors.CreatorFilters.from_params(request.GET)
    listing = selectors.creator_list_page(
        workspace=request.workspace, filters=filters, page=request.GET.get("page", 1)
    )
    context = {
        "listing": listing,
        "page": listing.page,
        "filters": filters,
        "query": filters.query,
        # Only the full page shows the filter bar; the template evaluates this lazily.
        "countries": selectors.creator_countries(workspace=request.workspace),
        "platforms": Platform.choices,
        "can_import": request.membership.role in MANAGERS,
    }
    return render_page(request, "creators/creator_list.html", "creators/_creator_rows.html", context)
