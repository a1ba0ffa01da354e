"""The notifications part of a creator's export and erasure (see creatordesk/creators/privacy.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from creatordesk.accounts.models import User
from creatordesk.creators.privacy import redact_rows
from creatordesk.lib.redaction import Identity
from creatordesk.notifications.models import Delivery

if TYPE_CHECKING:
    from creatordesk.creators.models import Creator


def _to_creator(creator: Creator) -> Q:
    return Q(channel=Delivery.Channel.EMAIL, target__iexact=creator.email) if creator.email else Q(pk__in=[])


def export_creator(creator: Creator) -> dict[str, object]:
    return {
        "emails_received": list(
            Delivery.objects.for_workspace(creator.workspace)
            .filter(_to_creator(creator))
            .values("subject", "text", "status", "created_at", "sent_at")
        ),
    }


def erase_creator(creator: Creator, *, actor: User | str, identity: Identity) -> dict[str, object]:
    """Emails to the creator go (pending ones are never sent); other deliveries lose the name.

    Deliveries have no link to the creator: the email address finds theirs, and the name and
    handles are redacted from what was sent to staff and webhooks. The address and link of those
    other deliveries stay as they are: they belong to staff and webhooks, and a resend needs them
    intact.
    """
    deliveries = Delivery.objects.for_workspace(creator.workspace)
    removed = deliveries.filter(_to_creator(creator)).delete()[0]
    redacted = redact_rows(deliveries, identity=identity, text_fields=["subject", "text", "last_error"])
    return {"deliveries_removed": removed, "deliveries_redacted": redacted}
