"""Campaign list and detail with its collaborations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts.permissions import MANAGERS, role_required, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.campaigns import selectors, services
from creatordesk.campaigns.forms import AddCreatorForm, CampaignForm
from creatordesk.campaigns.models import Campaign


@workspace_required
def campaign_list(request: WorkspaceRequest) -> HttpResponse:
    campaigns = selectors.campaign_list(workspace=request.workspace)
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


@role_required(*MANAGERS)
def campaign_create(request: WorkspaceRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(workspace=request.workspace, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Campaign created."))
            return redirect("campaigns:campaign_detail", campaign_pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form})


@workspace_required
def campaign_detail(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    context = {
        "campaign": campaign,
        "collaborations": selectors.campaign_collaborations(campaign=campaign),
        "add_form": AddCreatorForm(workspace=request.workspace),
        "can_manage": request.membership.role in MANAGERS,
    }
    return render(request, "campaigns/campaign_detail.html", context)


@require_POST
@role_required(*MANAGERS)
def collaboration_add(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    form = AddCreatorForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        services.collaboration_create(campaign=campaign, creator=form.cleaned_data["creator"])
        messages.success(request, _("Creator added to the campaign."))
    else:
        messages.error(request, _("Choose a creator of this workspace."))
    return redirect("campaigns:campaign_detail", campaign_pk=campaign.pk)
