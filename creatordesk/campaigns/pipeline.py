"""The collaboration board of a campaign: moves, bulk actions, sample shipments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from creatordesk.accounts.permissions import MANAGERS, role_required, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.campaigns import services
from creatordesk.campaigns.forms import ShipmentForm, ShipmentStepForm
from creatordesk.campaigns.models import Campaign, Collaboration, CollaborationStatus, SampleShipment
from creatordesk.campaigns.selectors import board_columns
from creatordesk.djangolib.htmx import is_htmx_partial, render_page
from creatordesk.lib.ids import parse_id


@dataclass(frozen=True)
class MovePrompt:
    """A move the board asks about before doing it: a confirmation for skipped steps, or a reason."""

    collaboration: Collaboration
    status: str
    message: str
    needs_reason: bool


def _board_response(
    request: WorkspaceRequest,
    campaign: Campaign,
    *,
    announcement: str = "",
    prompt: MovePrompt | None = None,
) -> HttpResponse:
    context = {
        "campaign": campaign,
        "columns": board_columns(campaign=campaign),
        "statuses": CollaborationStatus.choices,
        "shipment_statuses": SampleShipment.Status.choices,
        "products": list(campaign.products.all()),
        "can_manage": request.membership.role in MANAGERS,
        "today": timezone.localdate(),
        "partial": is_htmx_partial(request),
        "announcement": announcement,
        "prompt": prompt,
        "reason_max_length": services.REASON_MAX_LENGTH,
    }
    return render_page(request, "campaigns/board.html", "campaigns/_board.html", context)


@workspace_required
def board(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    return _board_response(request, get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk))


def _after_change(request: WorkspaceRequest, campaign: Campaign, *notes: tuple[int, str]) -> HttpResponse:
    """The board again: over HTMX with the notes read out, otherwise a redirect that shows them."""
    if is_htmx_partial(request):
        return _board_response(request, campaign, announcement=" ".join(text for _level, text in notes))
    for level, text in notes:
        messages.add_message(request, level, text)
    return redirect("campaigns:board", campaign_pk=campaign.pk)


@require_POST
@role_required(*MANAGERS)
def move(request: WorkspaceRequest, collaboration_pk: int) -> HttpResponse:
    collaboration = get_scoped_or_404(Collaboration, request.workspace, pk=collaboration_pk)
    status, name = request.POST.get("status", ""), collaboration.creator.display_name
    notes: list[tuple[int, str]] = []
    try:
        if status and status != collaboration.status:
            services.collaboration_move_by_hand(
                collaboration=collaboration,
                status=status,
                actor=request.user,
                confirm_skip=request.POST.get("confirm_skip") == "1",
                reason=request.POST.get("reason", ""),
            )
            notes.append(
                (
                    messages.SUCCESS,
                    _("%(name)s moved to %(status)s.")
                    % {"name": name, "status": collaboration.get_status_display()},
                )
            )
        if "due_on" in request.POST:
            due = datetime.date.fromisoformat(request.POST["due_on"]) if request.POST["due_on"] else None
            services.collaboration_set_due(collaboration=collaboration, due_on=due, actor=request.user)
    except ValidationError as exc:
        code = getattr(exc, "code", None)
        if code in (services.SKIP_NEEDS_CONFIRMATION, services.BACKWARD_NEEDS_REASON):
            prompt = MovePrompt(
                collaboration=collaboration,
                status=status,
                message=" ".join(exc.messages),
                needs_reason=code == services.BACKWARD_NEEDS_REASON,
            )
            return _board_response(
                request, collaboration.campaign, announcement=prompt.message, prompt=prompt
            )
        notes.append((messages.ERROR, _("Not moved: %(reason)s") % {"reason": " ".join(exc.messages)}))
    except ValueError as exc:
        notes.append((messages.ERROR, _("Not moved: %(reason)s") % {"reason": exc}))
    return _after_change(request, collaboration.campaign, *notes)


@require_POST
@role_required(*MANAGERS)
def bulk_move(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    ids = [i for i in map(parse_id, request.POST.getlist("collaboration")) if i is not None]
    chosen = Collaboration.objects.for_workspace(request.workspace).filter(campaign=campaign, pk__in=ids)
    due = request.POST.get("due_on", "")
    try:
        result = services.collaboration_bulk_move(
            collaborations=chosen.select_related("creator", "campaign"),
            status=request.POST.get("status", ""),
            due_on=datetime.date.fromisoformat(due) if due else None,
            actor=request.user,
            confirm_skip=request.POST.get("confirm_skip") == "1",
            reason=request.POST.get("reason", ""),
        )
    except (ValidationError, ValueError) as exc:
        reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return _after_change(
            request, campaign, (messages.ERROR, _("Nothing changed: %(reason)s") % {"reason": reason})
        )
    return _after_change(request, campaign, *_bulk_notes(result))


def _bulk_notes(result: services.BulkMoveResult) -> list[tuple[int, str]]:
    def names(rows: list[Collaboration]) -> str:
        return ", ".join(row.creator.display_name for row in rows)

    notes = [(messages.SUCCESS, _("%(n)s collaborations updated.") % {"n": len(result.changed)})]
    if result.unchanged:
        count = len(result.unchanged)
        notes.append(
            (
                messages.INFO,
                ngettext(
                    "%(count)d collaboration already had this status and due date and was left as it was.",
                    "%(count)d collaborations already had this status and due date and were left as they were.",
                    count,
                )
                % {"count": count},
            )
        )
    if result.need_confirmation:
        notes.append(
            (
                messages.WARNING,
                _(
                    "Not moved because the move skips steps: %(names)s. Tick “Allow skipping steps” to move them anyway."
                )
                % {"names": names(result.need_confirmation)},
            )
        )
    if result.need_reason:
        notes.append(
            (
                messages.WARNING,
                _("Not moved because moving back needs a reason: %(names)s.")
                % {"names": names(result.need_reason)},
            )
        )
    return notes


@require_POST
@role_required(*MANAGERS)
def shipment_add(request: WorkspaceRequest, collaboration_pk: int) -> HttpResponse:
    collaboration = get_scoped_or_404(Collaboration, request.workspace, pk=collaboration_pk)
    form = ShipmentForm(request.POST, campaign=collaboration.campaign)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return _after_change(request, collaboration.campaign)
    try:
        services.shipment_create(collaboration=collaboration, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _after_change(request, collaboration.campaign)


@require_POST
@role_required(*MANAGERS)
def shipment_status(request: WorkspaceRequest, shipment_pk: int) -> HttpResponse:
    """The next step of a sample already recorded (shipped, delivered, returned), on the day it happened."""
    shipment = get_scoped_or_404(SampleShipment, request.workspace, pk=shipment_pk)
    campaign = shipment.collaboration.campaign
    form = ShipmentStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return _after_change(request, campaign)
    try:
        services.shipment_set_status(shipment=shipment, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _after_change(request, campaign)


@require_POST
@role_required(*MANAGERS)
def collaboration_fee(request: WorkspaceRequest, collaboration_pk: int) -> HttpResponse:
    collaboration = get_scoped_or_404(Collaboration, request.workspace, pk=collaboration_pk)
    raw = request.POST.get("flat_fee_eur", "").strip().replace(",", ".")
    try:
        fee = Decimal(raw) if raw else None
        services.collaboration_set_fee(collaboration=collaboration, fee_eur=fee, actor=request.user)
    except (InvalidOperation, ValidationError) as exc:
        text = (
            " ".join(exc.messages)
            if isinstance(exc, ValidationError)
            else _("Enter a number, e.g. 250 or 99.50.")
        )
        messages.error(request, text)
    else:
        messages.success(request, _("Flat fee saved."))
    return redirect("campaigns:campaign_detail", campaign_pk=collaboration.campaign_id)
