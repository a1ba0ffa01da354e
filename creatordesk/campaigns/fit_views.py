"""Find creators: the fit ranking of a campaign, and adding the creators it shows to the campaign."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from creatordesk.accounts.permissions import MANAGERS, role_required, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.campaigns.fit import fit_rows
from creatordesk.campaigns.fit_services import collaborations_add
from creatordesk.campaigns.models import Campaign, Collaboration
from creatordesk.creators.models import Creator
from creatordesk.djangolib.htmx import is_htmx_partial
from creatordesk.lib.ids import parse_id
from creatordesk.reviews.histories import creator_review_histories
from creatordesk.shop.profit import past_profit_by_creator

# Scores are computed for every creator to rank them; only this many rows are rendered at a time.
PAGE_SIZE = 50


@workspace_required
def fit_ranking(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    hide_in = request.GET.get("hide_in") == "1"
    histories = creator_review_histories(workspace_id=campaign.workspace_id)
    rows = fit_rows(
        campaign=campaign,
        review_histories=histories,
        hide_in_campaign=hide_in,
        past_profits=past_profit_by_creator(workspace=request.workspace),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "page": page,
        "hide_in": hide_in,
        "can_manage": request.membership.role in MANAGERS,
    }
    return render(request, "campaigns/fit.html", context)


@require_POST
@role_required(*MANAGERS)
def fit_add(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    ids = [i for i in map(parse_id, request.POST.getlist("creator")) if i is not None]
    creators = list(
        Creator.objects.for_workspace(request.workspace).filter(pk__in=ids, erased_at__isnull=True)
    )
    try:
        added = collaborations_add(campaign=campaign, creators=creators, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        added = None
    if is_htmx_partial(request):
        if added is None or len(creators) != 1:
            return HttpResponse(headers={"HX-Refresh": "true"})  # the full page shows the message
        collaboration = Collaboration.objects.for_workspace(request.workspace).filter(
            campaign=campaign, creator=creators[0]
        )
        context = {"campaign": campaign, "collaboration": collaboration.first(), "just_added": added.added}
        return render(request, "campaigns/_fit_in_campaign.html", context)
    if not creators:
        messages.error(request, _("Choose at least one creator."))
    elif added is not None:
        messages.success(request, _added_message(added.added, added.already_in))
    return redirect(reverse("campaigns:fit_ranking", args=[campaign.pk]) + _back_query(request))


def _back_query(request: WorkspaceRequest) -> str:
    """The page and filter the form was sent from, so the manager lands where they were."""
    query = {"hide_in": "1"} if request.POST.get("hide_in") == "1" else {}
    page = parse_id(request.POST.get("page"))
    if page is not None and page > 1:
        query["page"] = str(page)
    return f"?{urlencode(query)}" if query else ""


def _added_message(added: int, already_in: int) -> str:
    text = ngettext(
        "%(count)d creator added to the campaign.", "%(count)d creators added to the campaign.", added
    ) % {"count": added}
    if already_in:
        text += " " + ngettext(
            "%(count)d was in it already.", "%(count)d were in it already.", already_in
        ) % {"count": already_in}
    return text
