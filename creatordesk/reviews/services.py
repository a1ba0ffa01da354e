"""Every state change of submissions, versions, findings, comments and decisions."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.accounts.models import User
from creatordesk.campaigns.briefs import local_engine_brief
from creatordesk.campaigns.models import Collaboration, CollaborationStatus
from creatordesk.campaigns.services import collaboration_move
from creatordesk.creators.models import Creator
from creatordesk.engine.context import ReviewContext
from creatordesk.engine.types import InputError
from creatordesk.lib.local_copy import local_copy
from creatordesk.notifications.services import notify
from creatordesk.reviews import stages as stage_rules
from creatordesk.reviews.models import (
    AnalysisStatus,
    AuditEvent,
    Comment,
    Decision,
    Finding,
    FindingState,
    Outcome,
    ReviewStage,
    Submission,
    Version,
)

log = logging.getLogger(__name__)
Actor = User | Creator | str
DEFAULT_STAGE = ("Review", 1)


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


def engine_context() -> ReviewContext:
    """The engine's context with the web app's limits and scratch folder."""
    work_dir = Path(settings.VAR_DIR) / "tmp"
    work_dir.mkdir(parents=True, exist_ok=True)
    return replace(
        ReviewContext.from_env(),
        max_bytes=settings.REVIEW_MAX_UPLOAD_BYTES,
        max_duration_s=settings.REVIEW_MAX_DURATION_S,
        work_dir=work_dir,
    )


def submission_create(
    *, collaboration: Collaboration, title: str, actor: Actor, due_at: datetime | None = None
) -> Submission:
    submission = Submission.objects.create(
        workspace_id=collaboration.workspace_id,
        collaboration=collaboration,
        title=title.strip() or _("Video"),
        due_at=due_at or timezone.now() + timedelta(hours=settings.REVIEW_SLA_HOURS),
    )
    audit(submission=submission, actor=actor, verb="submission_created", title=submission.title)
    return submission


def version_upload(
    *,
    submission: Submission,
    source: Path,
    original_name: str,
    caption: str = "",
    by_user: User | None = None,
    by_creator: Creator | None = None,
) -> Version:
    """Check an uploaded file, store it and queue its pre-review.

    The file is probed (type, size, duration, dimensions) before it is stored; a rejected or failed
    upload leaves neither a row nor a file behind.
    """
    from creatordesk.engine.steps.probe import probe_file

    latest = submission.versions.order_by("-number").first()
    if latest is not None and latest.outcome == Outcome.APPROVED:
        raise ValidationError(_("This submission is already approved; no new version is needed."))
    try:
        media = probe_file(source, engine_context())
    except InputError as exc:
        raise ValidationError(str(exc)) from None

    storage_name = ""
    version = Version(
        workspace_id=submission.workspace_id,
        submission=submission,
        number=(latest.number + 1) if latest else 1,
        original_name=Path(original_name).name[:200] or "video",
        size_bytes=source.stat().st_size,
        duration_s=media.duration_s,
        width=media.width,
        height=media.height,
        caption=caption,
        uploaded_by=by_user,
        uploaded_by_creator=by_creator is not None,
    )
    try:
        with transaction.atomic(), source.open("rb") as handle:
            version.file.save(version.original_name, File(handle), save=False)
            storage_name = version.file.name or ""
            version.save()
            actor: Actor = by_creator or by_user or "system"
            audit(submission=submission, actor=actor, verb="version_uploaded", number=version.number)
            collaboration_move(
                collaboration=submission.collaboration,
                status=CollaborationStatus.DRAFT_SUBMITTED,
                actor=actor,
            )
            transaction.on_commit(lambda: _enqueue_analysis(version.pk))
            notify(
                workspace=submission.workspace,
                event="version_uploaded",
                text=_("%(creator)s uploaded version %(number)s of “%(title)s”.")
                % {
                    "creator": submission.collaboration.creator.display_name,
                    "number": version.number,
                    "title": submission.title,
                },
                url=f"/reviews/{submission.pk}/",
            )
    except Exception:
        if storage_name:
            version.file.storage.delete(storage_name)
        raise
    return version


def _enqueue_analysis(version_id: int) -> None:
    from creatordesk.reviews.tasks import analyse_version

    analyse_version.enqueue(version_id=version_id)


def version_analyse(*, version: Version) -> Version:
    """Run the pre-review on a stored version, keeping its progress row up to date."""
    from creatordesk.engine.pipeline import review_video

    Version.objects.filter(pk=version.pk).update(
        analysis_status=AnalysisStatus.RUNNING,
        analysis_attempts=version.analysis_attempts + 1,
        analysis_heartbeat=timezone.now(),
        analysis_progress=0,
        analysis_error="",
    )
    last_write = 0.0

    def progress(step: str, fraction: float) -> None:
        nonlocal last_write
        now = time.monotonic()
        if now - last_write < 0.5 and fraction < 1:
            return
        last_write = now
        Version.objects.filter(pk=version.pk).update(
            analysis_step=step[:40], analysis_progress=int(fraction * 100), analysis_heartbeat=timezone.now()
        )

    scratch = Path(settings.VAR_DIR) / "tmp"
    campaign = version.submission.collaboration.campaign
    try:
        with local_engine_brief(campaign, scratch) as brief, local_copy(version.file, scratch) as path:
            caption = version.caption or brief.caption
            result = review_video(path, ctx=engine_context(), brief=brief, caption=caption, progress=progress)
    except InputError as exc:
        Version.objects.filter(pk=version.pk).update(
            analysis_status=AnalysisStatus.FAILED, analysis_error=str(exc)
        )
        version.refresh_from_db()
        return version
    report = result.as_dict()
    with transaction.atomic():
        version.refresh_from_db()
        version.findings.all().delete()
        Finding.objects.bulk_create(
            Finding(workspace_id=version.workspace_id, version=version, **f.as_dict())
            for f in result.findings
        )
        version.report = report
        version.verdict = str(report["verdict"])
        fit = report.get("fit") or {}
        version.fit_score = int(fit["score"]) if isinstance(fit, dict) and "score" in fit else None
        version.analysis_status = AnalysisStatus.DONE
        version.analysis_progress = 100
        version.analysis_step = ""
        version.save()
        audit(
            submission=version.submission,
            actor="pre-review",
            verb="analysis_done",
            number=version.number,
            verdict=version.verdict,
            findings=len(result.findings),
        )
    return version


def analyses_recover_stalled(*, now: datetime | None = None) -> int:
    """Requeue analyses whose worker stopped (no heartbeat for a while); give up after three tries."""
    limit = (now or timezone.now()) - timedelta(seconds=settings.REVIEW_STALL_SECONDS)
    stalled = Version.objects.filter(analysis_status=AnalysisStatus.RUNNING, analysis_heartbeat__lt=limit)
    count = 0
    for version in stalled:
        if version.analysis_attempts >= settings.REVIEW_MAX_ATTEMPTS:
            Version.objects.filter(pk=version.pk).update(
                analysis_status=AnalysisStatus.FAILED,
                analysis_error=_("The analysis stopped %(n)s times; upload the file again or ask an admin.")
                % {"n": version.analysis_attempts},
            )
            continue
        updated = Version.objects.filter(pk=version.pk, analysis_status=AnalysisStatus.RUNNING).update(
            analysis_status=AnalysisStatus.QUEUED, analysis_step=""
        )
        if updated:
            count += 1
            transaction.on_commit(lambda pk=version.pk: _enqueue_analysis(pk))  # type: ignore[misc]
    return count


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


def campaign_stages(campaign_id: int) -> list[tuple[str, int]]:
    stages = list(ReviewStage.objects.filter(campaign_id=campaign_id).values_list("name", "position"))
    return stages or [DEFAULT_STAGE]


def version_stage_states(version: Version) -> list[stage_rules.StageState]:
    stages = campaign_stages(version.submission.collaboration.campaign_id)
    decisions = list(version.decisions.values_list("stage_name", "outcome"))
    return stage_rules.stage_states(stages, decisions)


_COLLABORATION_AFTER = {
    Outcome.APPROVED: CollaborationStatus.APPROVED,
    Outcome.APPROVED_WITH_CHANGES: CollaborationStatus.APPROVED,
    Outcome.CHANGES_REQUIRED: CollaborationStatus.CHANGES_REQUESTED,
    Outcome.REJECTED: CollaborationStatus.CHANGES_REQUESTED,
}


@transaction.atomic
def decision_record(
    *, version: Version, stage_name: str, reviewer: User, outcome: str, note: str = ""
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
    states = version_stage_states(version)
    state = next((s for s in states if s.name == stage_name), None)
    if state is None or not state.open:
        raise ValidationError(_("The stage “%(stage)s” is not open for decisions.") % {"stage": stage_name})
    if version.decisions.filter(stage_name=stage_name, reviewer=reviewer).exists():
        raise ValidationError(_("You already decided in this stage."))
    stage = ReviewStage.objects.filter(
        campaign_id=version.submission.collaboration.campaign_id, name=stage_name
    ).first()
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
            creator=submission.collaboration.creator,
        )
    return decision


def stages_configure(
    *, campaign_id: int, workspace_id: int, stages: list[tuple[str, int]]
) -> list[ReviewStage]:
    """Replace a campaign's review stages; decisions already made keep their stage name."""
    names = [n.strip() for n, _p in stages]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise ValidationError(_("Every stage needs a unique name."))
    with transaction.atomic():
        ReviewStage.objects.filter(campaign_id=campaign_id).delete()
        return [
            ReviewStage.objects.create(
                workspace_id=workspace_id, campaign_id=campaign_id, name=n.strip(), position=p
            )
            for n, p in stages
        ]


ProgressCallback = Callable[[str, float], None]
