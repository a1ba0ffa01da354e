"""Decisions on a version, stage by stage, and what a final outcome sets off."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from creatordesk.accounts.models import User
from creatordesk.campaigns.models import CollaborationStatus
from creatordesk.campaigns.services import collaboration_move
from creatordesk.notifications.services import notify
from creatordesk.reviews import stages as stage_rules
from creatordesk.reviews.feedback import decision_email
from creatordesk.reviews.models import Decision, FindingState, Outcome, ReviewStage, Version
from creatordesk.reviews.services.audit import audit
from creatordesk.reviews.services.stages import (
    member_role,
    review_settings,
    stage_owners,
    version_stage_states,
)

_COLLABORATION_AFTER = {
    Outcome.APPROVED: CollaborationStatus.APPROVED,
    Outcome.APPROVED_WITH_CHANGES: CollaborationStatus.APPROVED,
    Outcome.CHANGES_REQUIRED: CollaborationStatus.CHANGES_REQUESTED,
    Outcome.REJECTED: CollaborationStatus.CHANGES_REQUESTED,
}


class DecisionRefused(ValidationError):
    """The person may not decide this stage: not one of its owners, or already decided another one."""


APPROVALS = frozenset({Outcome.APPROVED, Outcome.APPROVED_WITH_CHANGES})


def open_block_count(version: Version) -> int:
    """Blocking findings of a version nobody dismissed; a confirmed one still blocks."""
    return version.findings.filter(severity="block").exclude(state=FindingState.DISMISSED).count()


def decision_record(
    *,
    version: Version,
    stage_name: str,
    reviewer: User,
    outcome: str,
    note: str = "",
    confirm_open_blocks: bool = False,
) -> Decision:
    """Record one person's decision in one stage; when the stages add up to an outcome, lock the version.

    Approving while blocking findings are open needs `confirm_open_blocks`; the override is audited.
    A refusal because of who decides is written to the audit log (after the decision's own
    transaction has rolled back, so the record stays).
    """
    try:
        return _decision_record(
            version=version,
            stage_name=stage_name,
            reviewer=reviewer,
            outcome=outcome,
            note=note,
            confirm_open_blocks=confirm_open_blocks,
        )
    except DecisionRefused as exc:
        audit(
            submission=version.submission,
            actor=reviewer,
            verb="decision_refused",
            stage=stage_name,
            number=version.number,
            outcome=outcome,
            reason=" ".join(exc.messages),
        )
        raise


@transaction.atomic
def _decision_record(
    *, version: Version, stage_name: str, reviewer: User, outcome: str, note: str, confirm_open_blocks: bool
) -> Decision:
    version = (
        Version.objects.select_for_update().select_related("submission__collaboration").get(pk=version.pk)
    )
    if version.locked:
        raise ValidationError(_("This version is decided and locked; a new version restarts the review."))
    if outcome not in Outcome.values:
        raise ValidationError(_("Unknown decision."))
    if outcome != Outcome.APPROVED and not note.strip():
        raise ValidationError(_("Tell the creator what to change."))
    blocks = open_block_count(version) if outcome in APPROVALS else 0
    if blocks and not confirm_open_blocks:
        raise ValidationError(
            ngettext(
                "%(count)d blocking finding is open; confirm that you checked it to approve anyway.",
                "%(count)d blocking findings are open; confirm that you checked them to approve anyway.",
                blocks,
            )
            % {"count": blocks},
            code="open_blocks",
        )
    states = version_stage_states(version)
    state = next((s for s in states if s.name == stage_name), None)
    if state is None or not state.open:
        raise ValidationError(_("The stage “%(stage)s” is not open for decisions.") % {"stage": stage_name})
    if version.decisions.filter(stage_name=stage_name, reviewer=reviewer).exists():
        raise ValidationError(_("You already decided in this stage."))
    stage = (
        ReviewStage.objects.filter(campaign_id=version.submission.collaboration.campaign_id, name=stage_name)
        .prefetch_related("members")
        .first()
    )
    why = stage_rules.refusal(
        stage=stage_name,
        owners=stage_owners(stage) if stage is not None else stage_rules.StageOwners(),
        user_id=reviewer.pk,
        role=member_role(version.workspace_id, reviewer),
        decided_other_stage=version.decisions.filter(reviewer=reviewer)
        .exclude(stage_name=stage_name)
        .exists(),
        many_allowed=review_settings(version.workspace_id).one_person_many_stages,
    )
    if why is not None:
        raise DecisionRefused(why, code="not_a_stage_owner")
    decision = Decision.objects.create(
        workspace_id=version.workspace_id,
        version=version,
        stage=stage,
        stage_name=stage_name,
        reviewer=reviewer,
        outcome=outcome,
        note=note.strip(),
    )
    submission = version.submission
    audit(
        submission=submission,
        actor=reviewer,
        verb="decision",
        stage=stage_name,
        outcome=outcome,
        number=version.number,
    )
    if blocks:
        audit(
            submission=submission,
            actor=reviewer,
            verb="approved_despite_blocks",
            stage=stage_name,
            outcome=outcome,
            number=version.number,
            blocks=blocks,
        )
    final = stage_rules.version_outcome(version_stage_states(version))
    if final is not None:
        version.outcome, version.decided_at = final, timezone.now()
        version.save(update_fields=["outcome", "decided_at"])
        audit(
            submission=submission, actor=reviewer, verb="version_locked", outcome=final, number=version.number
        )
        collaboration_move(
            collaboration=submission.collaboration,
            status=_COLLABORATION_AFTER[Outcome(final)],
            actor=reviewer,
        )
        label = Outcome(final).label
        notify(
            workspace=submission.workspace,
            event="changes_requested" if final == Outcome.CHANGES_REQUIRED else "decision",
            text=_("“%(title)s” v%(number)s: %(outcome)s")
            % {"title": submission.title, "number": version.number, "outcome": label},
            url=f"/reviews/{submission.pk}/",
            to_creator=decision_email(version=version),
        )
    return decision
