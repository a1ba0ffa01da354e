"""What reviewers and creators say about a version: finding states and time-coded comments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from creatordesk.accounts.models import User
from creatordesk.creators.models import Creator
from creatordesk.reviews.models import Comment, Finding, FindingState, Version
from creatordesk.reviews.services.audit import Actor, audit


def finding_set_state(*, finding: Finding, state: str, reason: str, user: User) -> Finding:
    if state not in FindingState.values:
        raise ValidationError(_("Unknown finding state."))
    if state == FindingState.DISMISSED and not reason.strip():
        raise ValidationError(_("Say why the finding is dismissed."))
    finding.state, finding.state_reason, finding.state_by = state, reason.strip(), user
    finding.save(update_fields=["state", "state_reason", "state_by"])
    audit(
        submission=finding.version.submission,
        actor=user,
        verb=f"finding_{state}",
        rule=finding.rule,
        reason=reason,
    )
    return finding


def comment_add(
    *,
    version: Version,
    body: str,
    start_s: float | None = None,
    duration_s: float | None = None,
    internal: bool = False,
    parent: Comment | None = None,
    author: User | None = None,
    author_creator: Creator | None = None,
) -> Comment:
    if not body.strip():
        raise ValidationError(_("A comment needs some text."))
    if start_s is not None and not (0 <= start_s <= version.duration_s + 0.5):
        raise ValidationError(_("The time code lies outside the video."))
    if duration_s is not None and duration_s < 0:
        raise ValidationError(_("The duration cannot be negative."))
    if parent is not None and parent.version_id != version.pk:
        raise ValidationError(_("A reply must belong to the same version."))
    comment = Comment.objects.create(
        workspace_id=version.workspace_id,
        version=version,
        parent=parent,
        author=author,
        author_creator=author_creator,
        body=body.strip(),
        start_s=start_s,
        duration_s=duration_s,
        internal=internal and author_creator is None,
    )
    audit(
        submission=version.submission,
        actor=author or author_creator or "system",
        verb="comment_added",
        number=version.number,
        at=start_s,
        internal=comment.internal,
    )
    return comment


def comment_set_resolved(*, comment: Comment, resolved: bool, actor: Actor) -> Comment:
    comment.resolved = resolved
    comment.save(update_fields=["resolved"])
    audit(
        submission=comment.version.submission,
        actor=actor,
        verb="comment_resolved" if resolved else "comment_reopened",
    )
    return comment
