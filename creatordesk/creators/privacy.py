"""GDPR: everything stored about a creator, as one export, and its complete erasure."""

from __future__ import annotations

import logging

from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.accounts.models import User
from creatordesk.creators.activity import activity_record
from creatordesk.creators.models import ActivityEvent, BroadcastRecipient, Creator, new_portal_key

log = logging.getLogger(__name__)


def creator_export_data(*, creator: Creator) -> dict[str, object]:
    """Art. 15/20 GDPR: the creator's data in a portable, machine-readable form."""
    from creatordesk.reviews.models import Comment, Version

    versions = Version.objects.filter(submission__collaboration__creator=creator).select_related("submission")
    return {
        "creator": {
            "name": creator.display_name,
            "email": creator.email,
            "phone": creator.phone,
            "country": creator.country,
            "languages": creator.languages,
            "categories": creator.categories,
            "tags": creator.tags,
            "notes": creator.notes,
            "consent_given_at": creator.consent_given_at.isoformat() if creator.consent_given_at else None,
            "consent_method": creator.consent_method,
            "created_at": creator.created_at.isoformat(),
        },
        "platform_accounts": list(
            creator.accounts.values(
                "platform", "handle", "followers", "avg_views", "engagement_rate", "gmv_eur", "url"
            )
        ),
        "collaborations": [
            {
                "campaign": c.campaign.name,
                "status": c.status,
                "due_on": c.due_on.isoformat() if c.due_on else None,
            }
            for c in creator.collaborations.select_related("campaign")
        ],
        "submissions": [
            {
                "title": v.submission.title,
                "version": v.number,
                "file": v.original_name,
                "uploaded_at": v.uploaded_at.isoformat(),
                "caption": v.caption,
                "outcome": v.outcome,
            }
            for v in versions
        ],
        "comments_written": list(
            Comment.objects.filter(author_creator=creator).values("body", "start_s", "created_at")
        ),
        "activity": [
            {"at": a.created_at.isoformat(), "by": a.actor, "what": a.text} for a in creator.activity.all()
        ],
        "messages_received": [
            {"subject": r.broadcast.subject, "status": r.status}
            for r in creator.broadcasts_received.select_related("broadcast")
        ],
    }


def _delete_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        if name:
            storage.delete(name)


def creator_erase(*, creator: Creator, actor: User | str) -> Creator:
    """Art. 17 GDPR: remove what identifies the creator and keep the brand's history anonymised.

    Gone: contact data, handles and platform accounts, notes, uploaded videos with their transcripts
    and findings, the creator's own comments, broadcast addresses. Kept, anonymised: the creator row
    (as "Erased creator #id"), collaborations and their status, submissions and the audit log, whose
    entries the brand may need to account for its decisions.
    """
    from creatordesk.reviews.models import AuditEvent, Comment, Submission, Version
    from creatordesk.reviews.services import audit

    versions = Version.objects.filter(submission__collaboration__creator=creator)
    files = list(versions.values_list("file", flat=True))
    storage = Version._meta.get_field("file").storage
    name = creator.display_name
    anonymous = _("Erased creator #%(id)s") % {"id": creator.pk}
    with transaction.atomic():
        Comment.objects.filter(author_creator=creator).delete()
        versions.delete()
        creator.accounts.all().delete()
        BroadcastRecipient.objects.filter(creator=creator).update(email="")
        AuditEvent.objects.filter(submission__collaboration__creator=creator, actor__startswith=name).update(
            actor=anonymous
        )
        ActivityEvent.objects.filter(creator=creator, actor=name).update(actor=anonymous)
        for submission in Submission.objects.filter(collaboration__creator=creator):
            audit(submission=submission, actor=actor, verb="creator_erased")
        for field in (
            "email",
            "phone",
            "tiktok_handle",
            "country",
            "languages",
            "categories",
            "tags",
            "notes",
        ):
            setattr(creator, field, "")
        creator.display_name = anonymous
        creator.followers, creator.engagement_rate = 0, None
        creator.consent_given_at, creator.consent_method = None, ""
        creator.portal_key = new_portal_key()  # every link sent so far stops working
        creator.erased_at = timezone.now()
        creator.save()
        activity_record(creator=creator, verb="erased", text=_("Personal data erased"), actor=actor)
        # Files go only once the rows are gone for good.
        transaction.on_commit(lambda: _delete_files(storage, files))
    log.info("Creator #%s erased by %s (%d files)", creator.pk, actor, len(files))
    return creator
