"""Segments (saved creator filters) and broadcasts to them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from creatordesk.accounts.permissions import MANAGERS, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.creators import community
from creatordesk.creators.models import Broadcast, Platform, Segment


@workspace_required
def segment_list(request: WorkspaceRequest) -> HttpResponse:
    if request.method == "POST":
        if request.membership.role not in MANAGERS:
            return render(request, "403.html", status=403)
        try:
            segment = community.segment_save(
                workspace=request.workspace, name=request.POST.get("name", ""), filters=request.POST.dict()
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect("creators:segment_detail", segment_pk=segment.pk)
    context = {
        "segments": Segment.objects.for_workspace(request.workspace),
        "broadcasts": Broadcast.objects.for_workspace(request.workspace).select_related("segment")[:50],
        "platforms": Platform.choices,
        "can_manage": request.membership.role in MANAGERS,
    }
    return render(request, "creators/segments.html", context)


@workspace_required
def segment_detail(request: WorkspaceRequest, segment_pk: int) -> HttpResponse:
    segment = get_scoped_or_404(Segment, request.workspace, pk=segment_pk)
    if request.method == "POST":
        if request.membership.role not in MANAGERS:
            return render(request, "403.html", status=403)
        try:
            broadcast = community.broadcast_send(
                segment=segment,
                subject=request.POST.get("subject", ""),
                body=request.POST.get("body", ""),
                show_in_portal=request.POST.get("show_in_portal") == "on",
                user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Broadcast queued."))
            return redirect("creators:broadcast_detail", broadcast_pk=broadcast.pk)
    creators = community.segment_creators(segment=segment)
    context = {
        "segment": segment,
        "creators": creators[:200],
        "count": creators.count(),
        "can_manage": request.membership.role in MANAGERS,
    }
    return render(request, "creators/segment_detail.html", context)


@workspace_required
def broadcast_detail(request: WorkspaceRequest, broadcast_pk: int) -> HttpResponse:
    broadcast = get_scoped_or_404(Broadcast, request.workspace, pk=broadcast_pk)
    recipients = broadcast.recipients.select_related("creator")
    return render(
        request, "creators/broadcast_detail.html", {"broadcast": broadcast, "recipients": recipients}
    )
