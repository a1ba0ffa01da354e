"""The campaigns part of a creator's export and erasure (see creatordesk/creators/privacy.py)."""

from __future__ import annotations

from creatordesk.accounts.models import User
from creatordesk.campaigns.models import SampleShipment
from creatordesk.creators.models import Creator
from creatordesk.lib.redaction import Identity


def export_creator(creator: Creator) -> dict[str, object]:
    return {
        "collaborations": [
            {
                "campaign": c.campaign.name,
                "status": c.status,
                "due_on": c.due_on.isoformat() if c.due_on else None,
                "samples": [
                    {"carrier": s.carrier, "tracking_number": s.tracking_number, "status": s.status}
                    for s in c.shipments.all()
                ],
            }
            for c in creator.collaborations.select_related("campaign").prefetch_related("shipments")
        ],
    }


def erase_creator(creator: Creator, *, actor: User | str, identity: Identity) -> dict[str, object]:
    """Collaborations stay (the brand's pipeline); a tracking number leads to a home address, so it goes."""
    shipments = SampleShipment.objects.filter(collaboration__creator=creator).update(tracking_number="")
    return {"shipments": shipments}
