"""The collaboration board of a campaign: moves, bulk actions, sample shipments, fit ranking."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts.permissions import MANAGERS, role_required, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.campaigns import services
from creatordesk.campaigns.fit import rank_creators
from creatordesk.campaigns.models import Campaign, Collaboration, CollaborationStatus, SampleShipment
from creatordesk.campaigns.selectors import board_columns
from creatordesk.lib.htmx import is_htmx_partial, render_page
from creatordesk.lib.ids import parse_id


def _board_response(request: WorkspaceRequest, campaign: Campaign) -> HttpResponse:
    context = {
        "campaign": campaign,
        "columns": board_columns(campaign=campaign),
        "statuses": CollaborationStatus.choices,
        "shipment_statuses": SampleShipment.Status.choices,
        "can_manage": request.membership.role in MANAGERS,
        "today": datetime.date.today(),
    }
    return render_page(request, "campaigns/board.html", "campaigns/_board.html", context)


@workspace_required
def board(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    return _board_response(request, get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk))


def _after_change(request: WorkspaceRequest, campaign: Campaign) -> HttpResponse:
    if is_htmx_partial(request):
        return _board_response(request, campaign)
    return redirect("campaigns:board", campaign_pk=campaign.pk)


@require_POST
@role_required(*MANAGERS)
def move(request: WorkspaceRequest, collaboration_pk: int) -> HttpResponse:
    collaboration = get_scoped_or_404(Collaboration, request.workspace, pk=collaboration_pk)
    try:
        if request.POST.get("status"):
            services.collaboration_move(
                collaboration=collaboration, status=request.POST["status"], actor=request.user
            )
        if "due_on" in request.POST:
            due = datetime.date.fromisoformat(request.POST["due_on"]) if request.POST["due_on"] else None
            services.collaboration_set_due(collaboration=collaboration, due_on=due, actor=request.user)
    except (ValidationError, ValueError) as exc:
        messages.error(request, _("Not moved: %(reason)s") % {"reason": exc})
    return _after_change(request, collaboration.campaign)


@require_POST
@role_required(*MANAGERS)
def bulk_move(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    ids = [i for i in map(parse_id, request.POST.getlist("collaboration")) if i is not None]
    chosen = Collaboration.objects.for_workspace(request.workspace).filter(campaign=campaign, pk__in=ids)
    status, due = request.POST.get("status", ""), request.POST.get("due_on", "")
    try:
        due_on = datetime.date.fromisoformat(due) if due else None
        with transaction.atomic():
            for collaboration in chosen.select_related("creator", "campaign"):
                if status:
                    services.collaboration_move(
                        collaboration=collaboration, status=status, actor=request.user
                    )
                if due_on:
                    services.collaboration_set_due(
                        collaboration=collaboration, due_on=due_on, actor=request.user
                    )
    except (ValidationError, ValueError) as exc:
        messages.error(request, _("Nothing changed: %(reason)s") % {"reason": exc})
    else:
        messages.success(request, _("%(n)s collaborations updated.") % {"n": len(ids)})
    return _after_change(request, campaign)


@require_POST
@role_required(*MANAGERS)
def shipment_add(request: WorkspaceRequest, collaboration_pk: int) -> HttpResponse:
    collaboration = get_scoped_or_404(Collaboration, request.workspace, pk=collaboration_pk)
    try:
        services.shipment_create(
            collaboration=collaboration,
            carrier=request.POST.get("carrier", ""),
            tracking_number=request.POST.get("tracking_number", ""),
            status=request.POST.get("status", SampleShipment.Status.SHIPPED),
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _after_change(request, collaboration.campaign)


@workspace_required
def fit_ranking(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    from django.shortcuts import render

    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    return render(
        request,
        "campaigns/fit.html",
        {"campaign": campaign, "ranking": rank_creators(campaign=campaign)[:100]},
    )
