"""The reviews part of a creator's export and erasure (see creatordesk/creators/privacy.py)."""

from __future__ import annotations

from creatordesk.accounts.models import User
from creatordesk.creators.models import Creator
from creatordesk.creators.privacy import redact_rows
from creatordesk.lib.redaction import Identity
from creatordesk.reviews.models import AuditEvent, Comment, Decision, Submission, Version


def export_creator(creator: Creator) -> dict[str, object]:
    versions = Version.objects.filter(submission__collaboration__creator=creator).select_related("submission")
    return {
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
    }


def erase_creator(creator: Creator, *, actor: User | str, identity: Identity) -> dict[str, object]:
    """Videos go with their transcripts, findings, comments and reports; the audit log stays redacted.

    A version's report holds what the creator said and showed, so it cannot be kept without the
    video; the decisions about it stay in the audit log (verb, outcome, reviewer, time).
    """
    workspace = creator.workspace
    versions = Version.objects.filter(submission__collaboration__creator=creator)
    files = list(versions.values_list("file", flat=True))
    own_comments = Comment.objects.filter(author_creator=creator).delete()[0]
    deleted_versions = versions.count()
    versions.delete()
    submissions = Submission.objects.filter(collaboration__creator=creator)
    # The creator's own entries ("<name> (creator)") read as "Erased creator #id", like the activity.
    # Matched exactly: a prefix match would also take "Leandra (creator)" for the creator "Lea".
    events = AuditEvent.objects.filter(
        submission__in=submissions, actor=f"{creator.display_name} (creator)"
    ).update(actor=identity.placeholder)
    events += redact_rows(
        AuditEvent.objects.filter(submission__in=submissions),
        identity=identity,
        text_fields=["actor"],
        json_fields=["detail"],
    )
    # Elsewhere in the workspace only text can name the creator (a staff comment, a decision note).
    events += redact_rows(
        AuditEvent.objects.for_workspace(workspace).exclude(submission__in=submissions),
        identity=identity,
        text_fields=["actor"],
    )
    return {
        "versions": deleted_versions,
        "own_comments": own_comments,
        "submissions": redact_rows(submissions, identity=identity, text_fields=["title"]),
        "comments": redact_rows(
            Comment.objects.for_workspace(workspace), identity=identity, text_fields=["body"]
        ),
        "decisions": redact_rows(
            Decision.objects.for_workspace(workspace), identity=identity, text_fields=["note"]
        ),
        "audit_events": events,
        "files": [f for f in files if f],
    }
