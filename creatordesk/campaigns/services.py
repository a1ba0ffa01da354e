"""Every state change of campaigns and collaborations."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Campaign, Collaboration, CollaborationStatus, SampleShipment
from creatordesk.creators.activity import activity_record
from creatordesk.creators.models import Creator


def campaign_create(
    *,
    workspace: Workspace,
    name: str,
    description: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Campaign:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("The campaign cannot end before it starts."))
    campaign = Campaign(
        workspace=workspace, name=name.strip(), description=description, starts_on=starts_on, ends_on=ends_on
    )
    campaign.full_clean()
    campaign.save()
    return campaign


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


def collaboration_move(*, collaboration: Collaboration, status: str, actor: object = None) -> Collaboration:
    """Move a collaboration to another pipeline stage (no-op when it is already there)."""
    if status not in CollaborationStatus.values:
        raise ValidationError(_("Unknown collaboration status."))
    if collaboration.status == status:
        return collaboration
    before = collaboration.get_status_display()
    collaboration.status = status
    collaboration.save(update_fields=["status", "updated_at"])
    activity_record(
        creator=collaboration.creator,
        collaboration=collaboration,
        verb="collaboration_moved",
        text=_("%(campaign)s: %(before)s → %(after)s")
        % {
            "campaign": collaboration.campaign.name,
            "before": before,
            "after": collaboration.get_status_display(),
        },
        actor=actor,
    )
    return collaboration


def collaboration_set_due(
    *, collaboration: Collaboration, due_on: datetime.date | None, actor: object = None
) -> Collaboration:
    collaboration.due_on = due_on
    collaboration.save(update_fields=["due_on", "updated_at"])
    return collaboration


def shipment_create(
    *, collaboration: Collaboration, carrier: str, tracking_number: str, status: str, actor: object = None
) -> SampleShipment:
    shipment = SampleShipment(
        workspace_id=collaboration.workspace_id,
        collaboration=collaboration,
        carrier=carrier.strip(),
        tracking_number=tracking_number.strip(),
        status=status,
    )
    shipment.full_clean()
    shipment.save()
    shipment_set_status(shipment=shipment, status=status, actor=actor)
    return shipment


# A shipment's progress moves the collaboration along, but never backwards.
_SHIPMENT_MOVES = {
    SampleShipment.Status.SHIPPED: CollaborationStatus.SAMPLE_SENT,
    SampleShipment.Status.DELIVERED: CollaborationStatus.SAMPLE_DELIVERED,
}
PIPELINE = list(CollaborationStatus.values)


def shipment_set_status(*, shipment: SampleShipment, status: str, actor: object = None) -> SampleShipment:
    if status not in SampleShipment.Status.values:
        raise ValidationError(_("Unknown shipment status."))
    today = datetime.date.today()
    shipment.status = status
    if status == SampleShipment.Status.SHIPPED and not shipment.shipped_on:
        shipment.shipped_on = today
    if status == SampleShipment.Status.DELIVERED and not shipment.delivered_on:
        shipment.delivered_on = today
    shipment.save()
    collaboration = shipment.collaboration
    activity_record(
        creator=collaboration.creator,
        collaboration=collaboration,
        verb="sample_" + status,
        text=_("Sample %(status)s (%(carrier)s %(tracking)s)")
        % {
            "status": shipment.get_status_display(),
            "carrier": shipment.carrier,
            "tracking": shipment.tracking_number,
        },
        actor=actor,
    )
    target = _SHIPMENT_MOVES.get(SampleShipment.Status(status))
    if target and PIPELINE.index(target) > PIPELINE.index(collaboration.status):
        collaboration_move(collaboration=collaboration, status=target, actor=actor)
    return shipment
