"""Every state change of campaigns and collaborations."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Campaign, Collaboration, CollaborationStatus, Product, SampleShipment
from creatordesk.campaigns.products import campaign_update
from creatordesk.creators.activity import activity_record
from creatordesk.creators.models import Creator


def campaign_create(
    *,
    workspace: Workspace,
    name: str,
    description: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    products: Iterable[Product] = (),
    budget_eur: Decimal | None = None,
    commission_rate: Decimal | None = None,
    target_categories: str = "",
    target_countries: str = "",
    target_languages: str = "",
) -> Campaign:
    """A new campaign, checked exactly as an edit of its settings is (dates, budget, commission, text)."""
    return campaign_update(
        campaign=Campaign(workspace=workspace),
        name=name,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        products=products,
        budget_eur=budget_eur,
        commission_rate=commission_rate,
        target_categories=target_categories,
        target_countries=target_countries,
        target_languages=target_languages,
    )


def collaboration_create(
    *, campaign: Campaign, creator: Creator, status: str = CollaborationStatus.PROSPECT, actor: object = None
) -> Collaboration:
    if campaign.workspace_id != creator.workspace_id:
        raise ValidationError(_("The creator belongs to another workspace."))
    collaboration, created = Collaboration.objects.get_or_create(
        workspace_id=campaign.workspace_id, campaign=campaign, creator=creator, defaults={"status": status}
    )
    if created:
        activity_record(
            creator=creator,
            collaboration=collaboration,
            verb="collaboration_created",
            text=_("Added to %(campaign)s as %(status)s")
            % {"campaign": campaign.name, "status": collaboration.get_status_display()},
            actor=actor,
        )
    return collaboration


# A draft that needs changes goes back and forth between these two; that loop is the normal way
# of working, so neither direction counts as a step back or a skipped step.
_REVIEW_LOOP = {CollaborationStatus.DRAFT_SUBMITTED, CollaborationStatus.CHANGES_REQUESTED}
# Only reached when a reviewer asks for changes, so passing it by is not skipping anything.
_OPTIONAL_STEPS = {CollaborationStatus.CHANGES_REQUESTED}
# Moves a person makes that need more than a click, told apart by the error's code.
SKIP_NEEDS_CONFIRMATION = "skip_needs_confirmation"
BACKWARD_NEEDS_REASON = "backward_needs_reason"
REASON_MAX_LENGTH = 200


@dataclass(frozen=True)
class MoveCheck:
    """What a move from one stage to another passes by or undoes."""

    skipped: tuple[str, ...] = ()
    backward: bool = False


def move_check(*, current: str, target: str) -> MoveCheck:
    """The stages a move skips (forward) or whether it goes back; Declined is an exit from any stage."""
    order = list(CollaborationStatus.values)
    if current == target or target == CollaborationStatus.DECLINED:
        return MoveCheck()
    if {current, target} <= _REVIEW_LOOP:
        return MoveCheck()
    start, end = order.index(current), order.index(target)
    if end < start:
        return MoveCheck(backward=True)
    between = order[start + 1 : end]
    return MoveCheck(skipped=tuple(step for step in between if step not in _OPTIONAL_STEPS))


def _label(status: str) -> str:
    return str(CollaborationStatus(status).label)


def collaboration_move_by_hand(
    *,
    collaboration: Collaboration,
    status: str,
    actor: object = None,
    confirm_skip: bool = False,
    reason: str = "",
) -> Collaboration:
    """A move a person makes on the board or through the API.

    Skipping stages needs `confirm_skip`, going back needs a reason that lands in the creator's
    timeline; otherwise a ValidationError (code SKIP_NEEDS_CONFIRMATION or BACKWARD_NEEDS_REASON)
    says why and nothing is written.
    """
    if status not in CollaborationStatus.values:
        raise ValidationError(_("Unknown collaboration status."), code="invalid")
    reason = " ".join(reason.split())
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("Keep the reason to %(max)s characters or fewer.") % {"max": REASON_MAX_LENGTH}, code="invalid"
        )
    check = move_check(current=collaboration.status, target=status)
    if check.skipped and not confirm_skip:
        raise ValidationError(
            _("Moving to %(after)s skips %(steps)s.")
            % {"after": _label(status), "steps": ", ".join(_label(step) for step in check.skipped)},
            code=SKIP_NEEDS_CONFIRMATION,
        )
    if check.backward and not reason:
        raise ValidationError(
            _("Moving back from %(before)s to %(after)s needs a reason.")
            % {"before": _label(collaboration.status), "after": _label(status)},
            code=BACKWARD_NEEDS_REASON,
        )
    return _collaboration_record_move(
        collaboration=collaboration,
        status=status,
        actor=actor,
        skipped=check.skipped,
        reason=reason if check.backward else "",
    )


def collaboration_move(*, collaboration: Collaboration, status: str, actor: object = None) -> Collaboration:
    """Move a collaboration because something happened (an upload, a decision, a shipment).

    The event is the proof that the stage is reached, so the order rules of
    collaboration_move_by_hand do not apply. No-op when it is already there.
    """
    if status not in CollaborationStatus.values:
        raise ValidationError(_("Unknown collaboration status."))
    return _collaboration_record_move(collaboration=collaboration, status=status, actor=actor)


def _collaboration_record_move(
    *,
    collaboration: Collaboration,
    status: str,
    actor: object,
    skipped: tuple[str, ...] = (),
    reason: str = "",
) -> Collaboration:
    if collaboration.status == status:
        return collaboration
    before = collaboration.get_status_display()
    collaboration.status = status
    collaboration.save(update_fields=["status", "updated_at"])
    text = _("%(campaign)s: %(before)s → %(after)s") % {
        "campaign": collaboration.campaign.name,
        "before": before,
        "after": collaboration.get_status_display(),
    }
    if skipped:
        text += " " + _("(skipped: %(steps)s)") % {"steps": ", ".join(_label(step) for step in skipped)}
    if reason:
        text += " " + _("(reason: %(reason)s)") % {"reason": reason}
    activity_record(
        creator=collaboration.creator,
        collaboration=collaboration,
        verb="collaboration_moved",
        text=text,
        actor=actor,
    )
    return collaboration


@dataclass
class BulkMoveResult:
    """What a bulk move did: the rows it changed and the ones it left alone, with why."""

    changed: list[Collaboration] = field(default_factory=list)
    # Already in the target status and at the due date asked for: nothing to write.
    unchanged: list[Collaboration] = field(default_factory=list)
    need_confirmation: list[Collaboration] = field(default_factory=list)
    need_reason: list[Collaboration] = field(default_factory=list)


def collaboration_bulk_move(
    *,
    collaborations: Iterable[Collaboration],
    status: str,
    due_on: datetime.date | None,
    actor: object = None,
    confirm_skip: bool = False,
    reason: str = "",
) -> BulkMoveResult:
    """Move and date many collaborations; a row the move rules refuse is left as it is and reported.

    Only rows whose status or due date really changes count as changed.
    """
    result = BulkMoveResult()
    with transaction.atomic():
        for collaboration in collaborations:
            moves = bool(status) and status != collaboration.status
            dates = due_on is not None and due_on != collaboration.due_on
            if not (moves or dates):
                result.unchanged.append(collaboration)
                continue
            if moves:
                try:
                    collaboration_move_by_hand(
                        collaboration=collaboration,
                        status=status,
                        actor=actor,
                        confirm_skip=confirm_skip,
                        reason=reason,
                    )
                except ValidationError as exc:
                    code = getattr(exc, "code", None)
                    if code == SKIP_NEEDS_CONFIRMATION:
                        result.need_confirmation.append(collaboration)
                        continue
                    if code == BACKWARD_NEEDS_REASON:
                        result.need_reason.append(collaboration)
                        continue
                    raise
            if dates:
                collaboration_set_due(collaboration=collaboration, due_on=due_on, actor=actor)
            result.changed.append(collaboration)
    return result


def collaboration_set_due(
    *, collaboration: Collaboration, due_on: datetime.date | None, actor: object = None
) -> Collaboration:
    collaboration.due_on = due_on
    collaboration.save(update_fields=["due_on", "updated_at"])
    return collaboration


def collaboration_set_fee(
    *, collaboration: Collaboration, fee_eur: Decimal | None, actor: object = None
) -> Collaboration:
    """The flat fee agreed with the creator on top of commission; it counts against the collaboration's profit."""
    if fee_eur is not None and not (Decimal(0) <= fee_eur < Decimal("100000000")):
        raise ValidationError(_("Enter a fee between 0 and 99,999,999.99 €."))
    collaboration.flat_fee_eur = fee_eur
    collaboration.save(update_fields=["flat_fee_eur", "updated_at"])
    activity_record(
        creator=collaboration.creator,
        collaboration=collaboration,
        verb="fee_set",
        text=_("Flat fee set to %(fee)s €") % {"fee": fee_eur}
        if fee_eur is not None
        else _("Flat fee removed"),
        actor=actor,
    )
    return collaboration


def shipment_create(
    *,
    collaboration: Collaboration,
    carrier: str,
    tracking_number: str,
    status: str,
    actor: object = None,
    on: datetime.date | None = None,
    product: Product | None = None,
    units: int = 1,
    shipping_cost_eur: Decimal | None = None,
) -> SampleShipment:
    """Record a sample for the collaboration; its cost is the product's cost per unit at this moment."""
    if product is not None and product.workspace_id != collaboration.workspace_id:
        raise ValidationError(_("The product belongs to another workspace."))
    if not 1 <= units <= 999:
        raise ValidationError(_("Send between 1 and 999 units."))
    if shipping_cost_eur is not None and not Decimal(0) <= shipping_cost_eur < Decimal("100000"):
        raise ValidationError(_("Enter a shipping cost between 0 and 99,999.99 €."))
    if on is not None and on > timezone.localdate():
        raise ValidationError(_("The day lies in the future."))
    shipment = SampleShipment(
        workspace_id=collaboration.workspace_id,
        collaboration=collaboration,
        carrier=carrier.strip(),
        tracking_number=tracking_number.strip(),
        status=status,
        product=product,
        units=units,
        unit_cost_eur=product.unit_cost_eur if product is not None else None,
        shipping_cost_eur=shipping_cost_eur,
    )
    shipment.full_clean()
    shipment.save()
    shipment_set_status(shipment=shipment, status=status, actor=actor, on=on)
    return shipment


# A shipment's progress moves the collaboration along, but never backwards.
_SHIPMENT_MOVES = {
    SampleShipment.Status.SHIPPED: CollaborationStatus.SAMPLE_SENT,
    SampleShipment.Status.DELIVERED: CollaborationStatus.SAMPLE_DELIVERED,
}
PIPELINE = list(CollaborationStatus.values)
# The day each step of a sample's path was reached.
_STEP_DAYS = {
    SampleShipment.Status.REQUESTED: "requested_on",
    SampleShipment.Status.PREPARING: "approved_on",
    SampleShipment.Status.SHIPPED: "shipped_on",
    SampleShipment.Status.DELIVERED: "delivered_on",
}


def _shipment_text(shipment: SampleShipment) -> str:
    """ "Sample Shipped (DHL 0034…)" for the timeline; without carrier and tracking number, no brackets."""
    sent_with = f"{shipment.carrier} {shipment.tracking_number}".strip()
    if not sent_with:
        return _("Sample %(status)s") % {"status": shipment.get_status_display()}
    return _("Sample %(status)s (%(carrier)s %(tracking)s)") % {
        "status": shipment.get_status_display(),
        "carrier": shipment.carrier,
        "tracking": shipment.tracking_number,
    }


def shipment_set_status(
    *, shipment: SampleShipment, status: str, actor: object = None, on: datetime.date | None = None
) -> SampleShipment:
    """Record a shipment's progress; `on` is the day it happened when that was not today."""
    if status not in SampleShipment.Status.values:
        raise ValidationError(_("Unknown shipment status."))
    # The workspace's calendar day, not the server's: near midnight the two differ.
    today = on or timezone.localdate()
    shipment.status = status
    day_field = _STEP_DAYS.get(SampleShipment.Status(status))
    if day_field and not getattr(shipment, day_field):
        setattr(shipment, day_field, today)
    shipment.save()
    collaboration = shipment.collaboration
    activity_record(
        creator=collaboration.creator,
        collaboration=collaboration,
        verb="sample_" + status,
        text=_shipment_text(shipment),
        actor=actor,
    )
    target = _SHIPMENT_MOVES.get(SampleShipment.Status(status))
    if target and PIPELINE.index(target) > PIPELINE.index(collaboration.status):
        collaboration_move(collaboration=collaboration, status=target, actor=actor)
    return shipment
