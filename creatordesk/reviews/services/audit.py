"""The audit log of reviews: who did what to a submission or to the workspace's review set-up."""

from __future__ import annotations

from creatordesk.accounts.models import User
from creatordesk.creators.models import Creator
from creatordesk.reviews.models import AuditEvent, Submission

Actor = User | Creator | str


def _actor_label(actor: Actor) -> str:
    if isinstance(actor, User):
        return f"{actor} <{actor.email}>"
    if isinstance(actor, Creator):
        return f"{actor.display_name} (creator)"
    return actor


def audit(*, submission: Submission, actor: Actor, verb: str, **detail: object) -> AuditEvent:
    return AuditEvent.objects.create(
        workspace_id=submission.workspace_id,
        submission=submission,
        actor=_actor_label(actor),
        verb=verb,
        detail=detail,
    )


def audit_workspace(*, workspace_id: int, actor: Actor, verb: str, **detail: object) -> AuditEvent:
    """An audit event about the workspace's review set-up rather than one submission."""
    return AuditEvent.objects.create(
        workspace_id=workspace_id, submission=None, actor=_actor_label(actor), verb=verb, detail=detail
    )
