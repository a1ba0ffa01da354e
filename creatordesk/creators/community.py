"""Segments of the creator community and broadcasts to them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.accounts.models import User, Workspace
from creatordesk.creators.activity import activity_record
from creatordesk.creators.models import Broadcast, BroadcastRecipient, Creator, Segment
from creatordesk.creators.selectors import CreatorFilters, creator_list

FILTER_KEYS = ("q", "country", "language", "category", "tag", "platform", "min_followers")


def clean_filters(raw: dict[str, Any]) -> dict[str, Any]:
    filters: dict[str, Any] = {k: str(raw[k]).strip() for k in FILTER_KEYS if raw.get(k) not in (None, "")}
    if "min_followers" in filters:
        try:
            filters["min_followers"] = int(filters["min_followers"])
        except ValueError:
            raise ValidationError(_("Minimum followers must be a whole number.")) from None
    return filters


def segment_save(*, workspace: Workspace, name: str, filters: dict[str, Any]) -> Segment:
    if not name.strip():
        raise ValidationError(_("Give the segment a name."))
    return Segment.objects.create(workspace=workspace, name=name.strip(), filters=clean_filters(filters))


def segment_creators(*, segment: Segment) -> QuerySet[Creator]:
    # The same filters as the creator list, so a segment holds exactly what the list showed.
    filters = CreatorFilters.from_params({key: str(value) for key, value in segment.filters.items()})
    return creator_list(workspace=segment.workspace, **asdict(filters)).filter(erased_at__isnull=True)


def broadcast_send(
    *, segment: Segment, subject: str, body: str, show_in_portal: bool, user: User
) -> Broadcast:
    """Record one recipient per creator of the segment and queue the emails."""
    from creatordesk.creators.tasks import send_broadcast

    if not subject.strip() or not body.strip():
        raise ValidationError(_("A broadcast needs a subject and a message."))
    with transaction.atomic():
        broadcast = Broadcast.objects.create(
            workspace=segment.workspace,
            segment=segment,
            subject=subject.strip(),
            body=body.strip(),
            show_in_portal=show_in_portal,
            created_by=user,
        )
        BroadcastRecipient.objects.bulk_create(
            BroadcastRecipient(
                workspace=segment.workspace,
                broadcast=broadcast,
                creator=creator,
                email=creator.email,
                status=BroadcastRecipient.Status.PENDING
                if creator.email
                else BroadcastRecipient.Status.NO_EMAIL,
            )
            for creator in segment_creators(segment=segment)
        )
        transaction.on_commit(lambda: send_broadcast.enqueue(broadcast_id=broadcast.pk))
    return broadcast


def broadcast_deliver(*, broadcast: Broadcast) -> dict[str, int]:
    """Send every pending email; each recipient's outcome is recorded, failures never stop the rest."""
    recipients = broadcast.recipients.filter(status=BroadcastRecipient.Status.PENDING).select_related(
        "creator"
    )
    for recipient in recipients:
        try:
            send_mail(broadcast.subject, broadcast.body, None, [recipient.email])
        except Exception as exc:  # one bad address must not stop the broadcast
            recipient.status, recipient.error = BroadcastRecipient.Status.FAILED, str(exc)[:500]
        else:
            recipient.status, recipient.sent_at = BroadcastRecipient.Status.SENT, timezone.now()
            activity_record(
                creator=recipient.creator,
                verb="broadcast",
                text=_("Received “%(s)s”") % {"s": broadcast.subject},
            )
        recipient.save(update_fields=["status", "error", "sent_at"])
    counts: dict[str, int] = {}
    for status in broadcast.recipients.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def announcements_for(*, creator: Creator) -> QuerySet[Broadcast]:
    return Broadcast.objects.filter(recipients__creator=creator, show_in_portal=True).order_by("-created_at")
