"""Creator list, profile and the creator-facing portal."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts.permissions import MANAGERS, role_required, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.campaigns.selectors import creator_collaborations
from creatordesk.creators import selectors, services
from creatordesk.creators.forms import CreatorForm
from creatordesk.creators.models import Creator
from creatordesk.creators.portal import creator_from_portal_token
from creatordesk.lib.htmx import render_page


@workspace_required
def creator_list(request: WorkspaceRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    creators = selectors.creator_list(workspace=request.workspace, query=query)
    context = {"creators": creators, "query": query}
    return render_page(request, "creators/creator_list.html", "creators/_creator_rows.html", context)


@role_required(*MANAGERS)
def creator_create(request: WorkspaceRequest) -> HttpResponse:
    form = CreatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        creator = services.creator_create(workspace=request.workspace, **form.cleaned_data)
        messages.success(request, _("Creator added."))
        return redirect("creators:creator_detail", creator_pk=creator.pk)
    return render(request, "creators/creator_form.html", {"form": form})


@workspace_required
def creator_detail(request: WorkspaceRequest, creator_pk: int) -> HttpResponse:
    creator = get_scoped_or_404(Creator, request.workspace, pk=creator_pk)
    context = {
        "creator": creator,
        "collaborations": creator_collaborations(creator=creator),
        "can_manage": request.membership.role in MANAGERS,
    }
    return render(request, "creators/creator_detail.html", context)


@require_POST
@role_required(*MANAGERS)
def creator_portal_link(request: WorkspaceRequest, creator_pk: int) -> HttpResponse:
    creator = get_scoped_or_404(Creator, request.workspace, pk=creator_pk)
    if request.POST.get("revoke"):
        services.creator_revoke_portal_links(creator=creator)
        messages.success(request, _("All earlier portal links of this creator no longer work."))
        return redirect("creators:creator_detail", creator_pk=creator.pk)
    url = services.creator_portal_url(creator=creator)
    return render(request, "creators/_portal_link.html", {"creator": creator, "portal_url": url})


def portal(request: WorkspaceRequest, token: str) -> HttpResponse:
    creator = creator_from_portal_token(token)
    if creator is None:
        raise Http404(_("This link is invalid or has expired. Ask your contact for a new one."))
    context = {"creator": creator, "collaborations": creator_collaborations(creator=creator)}
    return render(request, "creators/portal.html", context)
