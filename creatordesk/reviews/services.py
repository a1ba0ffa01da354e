"""Every state change of submissions, versions, findings, comments and decisions."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from creatordesk.accounts.models import Membership, User
from creatordesk.campaigns.briefs import local_engine_brief
from creatordesk.campaigns.models import Collaboration, CollaborationStatus
from creatordesk.campaigns.services import collaboration_move
from creatordesk.creators.models import Creator
from creatordesk.engine.context import ReviewContext
from creatordesk.engine.types import InputError
from creatordesk.lib.db_busy import retry_when_locked
from creatordesk.lib.local_copy import local_copy
from creatordesk.notifications.services import notify
from creatordesk.reviews import stages as stage_rules
from creatordesk.reviews.feedback import decision_email
from creatordesk.reviews.models import (
    AnalysisStatus,
    AuditEvent,
    Comment,
    Decision,
    Finding,
    FindingState,
    Outcome,
    ReviewSettings,
    ReviewStage,
    Submission,
    Version,
)
from creatordesk.reviews.uploads import store_file

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


def audit_workspace(*, workspace_id: int, actor: Actor, verb: str, **detail: object) -> AuditEvent:
    """An audit event about the workspace's review set-up rather than one submission."""
    return AuditEvent.objects.create(
        workspace_id=workspace_id, submission=None, actor=_actor_label(actor), verb=verb, detail=detail
    )


def engine_context() -> ReviewContext:
    """The engine's context with the web app's limits and scratch folder."""
    work_dir = Path(settings.VAR_DIR) / "tmp"
    work_dir.mkdir(parents=True, exist_ok=True)
    return replace(
        ReviewContext.from_env().for_background(),
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

    The file is probed (type, size, duration, dimensions) and copied into storage before the
    submission is locked, so concurrent uploads wait for each other only for a few inserts. A
    rejected or failed upload, a full disk included, leaves neither a row nor a file behind.
    """
    _refuse_if_approved(submission.versions.order_by("-number").first())
    version = _version_stored(
        workspace_id=submission.workspace_id,
        source=source,
        original_name=original_name,
        caption=caption,
        by_user=by_user,
        by_creator=by_creator,
    )
    version.submission = submission
    try:
        return _version_insert(version=version, actor=by_creator or by_user or "system")
    except BaseException:
        version.file.storage.delete(version.file.name or "")
        raise


def submission_upload(
    *,
    collaboration: Collaboration,
    title: str,
    source: Path,
    original_name: str,
    caption: str = "",
    by_user: User | None = None,
    by_creator: Creator | None = None,
) -> Submission:
    """Create a submission with its first version; a rejected file leaves neither behind.

    As in `version_upload`, the file is probed and stored before the transaction, which on SQLite
    holds the database's write lock for every other request while it runs.
    """
    version = _version_stored(
        workspace_id=collaboration.workspace_id,
        source=source,
        original_name=original_name,
        caption=caption,
        by_user=by_user,
        by_creator=by_creator,
    )
    actor: Actor = by_creator or by_user or "system"
    try:
        with transaction.atomic():
            version.submission = submission_create(collaboration=collaboration, title=title, actor=actor)
            _version_insert(version=version, actor=actor)
    except BaseException:
        version.file.storage.delete(version.file.name or "")
        raise
    return version.submission


def _version_stored(
    *,
    workspace_id: int,
    source: Path,
    original_name: str,
    caption: str,
    by_user: User | None,
    by_creator: Creator | None,
) -> Version:
    """An unsaved version of a probed file that is already in storage (or a ValidationError)."""
    from creatordesk.engine.steps.probe import probe_file

    try:
        media = probe_file(source, engine_context())
    except InputError as exc:
        # The probe names the file it read, which for a web upload is a temporary file; the uploader
        # only knows the name they chose.
        shown = Path(original_name).name or "video"
        raise ValidationError(str(exc).replace(str(source), shown).replace(source.name, shown)) from None
    version = Version(
        workspace_id=workspace_id,
        number=0,
        original_name=Path(original_name).name[:200] or "video",
        size_bytes=source.stat().st_size,
        duration_s=media.duration_s,
        width=media.width,
        height=media.height,
        caption=caption,
        uploaded_by=by_user,
        uploaded_by_creator=by_creator is not None,
    )
    version.file.name = store_file(
        version.file.storage, version.file.field.generate_filename(version, version.original_name), source
    )
    return version


def _refuse_if_approved(latest: Version | None) -> None:
    if latest is not None and latest.outcome == Outcome.APPROVED:
        raise ValidationError(_("This submission is already approved; no new version is needed."))


VERSION_INSERT_ATTEMPTS = 3


def _version_insert(*, version: Version, actor: Actor) -> Version:
    """Give a stored version the next number of its submission and save it with its side effects.

    The submission row is locked (PostgreSQL `SELECT ... FOR UPDATE`; SQLite transactions here begin
    IMMEDIATE, so writers queue), which makes concurrent uploads take turns; the unique constraint on
    (submission, number) is the last guard, and a clash is simply tried again with a fresh number.
    """
    submission = version.submission
    for attempt in range(1, VERSION_INSERT_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                Submission.objects.select_for_update().only("pk").get(pk=submission.pk)
                latest = Version.objects.filter(submission=submission).order_by("-number").first()
                _refuse_if_approved(latest)
                version.number = (latest.number + 1) if latest else 1
                version.save(force_insert=True)
                _version_uploaded_effects(version=version, actor=actor)
            return version
        except IntegrityError:
            version.pk, version._state.adding = None, True
            if attempt == VERSION_INSERT_ATTEMPTS:
                raise
            log.warning(
                "version number %s of submission %s was taken; retrying", version.number, submission.pk
            )
    raise AssertionError("unreachable")


def _version_uploaded_effects(*, version: Version, actor: Actor) -> None:
    submission = version.submission
    audit(submission=submission, actor=actor, verb="version_uploaded", number=version.number)
    collaboration_move(
        collaboration=submission.collaboration,
        status=CollaborationStatus.DRAFT_SUBMITTED,
        actor=actor,
    )
    pk = version.pk
    transaction.on_commit(lambda: _enqueue_analysis(pk))
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


def _enqueue_analysis(version_id: int) -> None:
    from creatordesk.reviews.tasks import analyse_version

    analyse_version.enqueue(version_id=version_id)


def version_analyse(*, version: Version) -> Version:
    """Run the pre-review on a stored version, keeping its progress row up to date."""
    from creatordesk.engine.pipeline import review_video

    # Every write of a run waits out a busy SQLite database (a large import committing) instead of
    # failing the pre-review; see creatordesk/lib/db_busy.py.
    attempt = version.analysis_attempts + 1
    retry_when_locked(
        lambda: Version.objects.filter(pk=version.pk).update(
            analysis_status=AnalysisStatus.RUNNING,
            analysis_attempts=attempt,
            analysis_heartbeat=timezone.now(),
            analysis_progress=0,
            analysis_error="",
        )
    )
    # A run taken for lost (no heartbeat for too long) and started again no longer owns the row.
    this_run = Version.objects.filter(pk=version.pk, analysis_attempts=attempt)
    last_write = 0.0

    def progress(step: str, fraction: float) -> None:
        nonlocal last_write
        now = time.monotonic()
        if now - last_write < 0.5 and fraction < 1:
            return
        last_write = now
        retry_when_locked(
            lambda: this_run.update(
                analysis_step=step[:40],
                analysis_progress=int(fraction * 100),
                analysis_heartbeat=timezone.now(),
            )
        )

    scratch = Path(settings.VAR_DIR) / "tmp"
    campaign = version.submission.collaboration.campaign
    try:
        with local_engine_brief(campaign, scratch) as brief, local_copy(version.file, scratch) as path:
            caption = version.caption or brief.caption
            result = review_video(path, ctx=engine_context(), brief=brief, caption=caption, progress=progress)
    except InputError as exc:
        error = str(exc)
        retry_when_locked(
            lambda: this_run.update(analysis_status=AnalysisStatus.FAILED, analysis_error=error)
        )
        version.refresh_from_db()
        return version
    report = result.as_dict()

    def store() -> None:
        with transaction.atomic():
            version.refresh_from_db()
            if version.analysis_attempts != attempt:
                return  # the newer run stores its result, so the analysis completes once
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

    retry_when_locked(store)
    return version


def analyses_recover_stalled(*, now: datetime | None = None) -> int:
    """Requeue analyses whose worker stopped (no heartbeat for a while); give up after three tries.

    The periodic recovery task (creatordesk/dashboard/tasks.py) calls this. Each update repeats the
    stall condition, so a worker whose heartbeat arrives in between keeps its run, and of two
    recoveries running at once only one queues the analysis again.
    """
    limit = (now or timezone.now()) - timedelta(seconds=settings.REVIEW_STALL_SECONDS)
    stalled = Version.objects.filter(analysis_status=AnalysisStatus.RUNNING, analysis_heartbeat__lt=limit)
    count = 0
    for version in stalled:
        still_stalled = stalled.filter(pk=version.pk)
        if version.analysis_attempts >= settings.REVIEW_MAX_ATTEMPTS:
            still_stalled.update(
                analysis_status=AnalysisStatus.FAILED,
                analysis_error=_("The analysis stopped %(n)s times; upload the file again or ask an admin.")
                % {"n": version.analysis_attempts},
            )
            continue
        if still_stalled.update(analysis_status=AnalysisStatus.QUEUED, analysis_step=""):
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


def _owners(stage: ReviewStage) -> stage_rules.StageOwners:
    members = sorted(((u.pk, str(u)) for u in stage.members.all()), key=lambda m: m[1])
    return stage_rules.StageOwners(roles=tuple(stage.roles), members=tuple(members))


def campaign_stage_owners(campaign_id: int) -> dict[str, stage_rules.StageOwners]:
    """Who may decide each configured stage of a campaign; a missing name means anyone who reviews."""
    stages = ReviewStage.objects.filter(campaign_id=campaign_id).prefetch_related("members")
    return {stage.name: _owners(stage) for stage in stages}


def review_settings(workspace_id: int) -> ReviewSettings:
    """The workspace's review settings; the defaults (unsaved) until someone changes them."""
    return ReviewSettings.objects.filter(workspace_id=workspace_id).first() or ReviewSettings(
        workspace_id=workspace_id
    )


def review_settings_update(
    *, workspace_id: int, one_person_many_stages: bool, actor: Actor
) -> ReviewSettings:
    current = review_settings(workspace_id)
    if current.one_person_many_stages == one_person_many_stages:
        return current
    current.one_person_many_stages = one_person_many_stages
    current.save()
    audit_workspace(
        workspace_id=workspace_id,
        actor=actor,
        verb="review_settings_changed",
        one_person_many_stages=one_person_many_stages,
    )
    return current


def _member_role(workspace_id: int, user: User) -> str:
    role = (
        Membership.objects.filter(workspace_id=workspace_id, user=user).values_list("role", flat=True).first()
    )
    return role or ""


def version_stage_states(version: Version) -> list[stage_rules.StageState]:
    stages = campaign_stages(version.submission.collaboration.campaign_id)
    decisions = list(version.decisions.values_list("stage_name", "outcome"))
    return stage_rules.stage_states(stages, decisions)


@dataclass(frozen=True)
class StageRow:
    """One stage of a version as one person sees it on the review page."""

    state: stage_rules.StageState
    deciders: str
    may_decide: bool
    refusal: str | None


def version_stage_rows(version: Version, *, user: User) -> list[StageRow]:
    """Every stage of a version with who may decide it and whether `user` may decide it now."""
    owners = campaign_stage_owners(version.submission.collaboration.campaign_id)
    role = _member_role(version.workspace_id, user)
    many = review_settings(version.workspace_id).one_person_many_stages
    mine = set(version.decisions.filter(reviewer=user).values_list("stage_name", flat=True))
    rows = []
    for state in version_stage_states(version):
        stage_owners = owners.get(state.name, stage_rules.StageOwners())
        why = stage_rules.refusal(
            stage=state.name,
            owners=stage_owners,
            user_id=user.pk,
            role=role,
            decided_other_stage=bool(mine - {state.name}),
            many_allowed=many,
        )
        may = state.open and why is None and state.name not in mine and not version.locked
        rows.append(StageRow(state, stage_owners.describe(), may, why))
    return rows


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
        owners=_owners(stage) if stage is not None else stage_rules.StageOwners(),
        user_id=reviewer.pk,
        role=_member_role(version.workspace_id, reviewer),
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


@dataclass(frozen=True)
class StageConfig:
    """One stage as configured: its name, position and who may decide it (empty: every reviewer)."""

    name: str
    position: int
    roles: tuple[str, ...] = ()
    members: tuple[User, ...] = ()


def stages_configure(
    *,
    campaign_id: int,
    workspace_id: int,
    stages: Sequence[StageConfig | tuple[str, int]],
    actor: Actor = "system",
) -> list[ReviewStage]:
    """Set a campaign's review stages and their owners; decisions already made keep their stage name.

    Stages are matched by name, so a stage that stays keeps its row; every change of who may decide
    a stage is written to the audit log.
    """
    configs = [s if isinstance(s, StageConfig) else StageConfig(name=s[0], position=s[1]) for s in stages]
    configs = [replace(c, name=c.name.strip()) for c in configs]
    names = [c.name for c in configs]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise ValidationError(_("Every stage needs a unique name."))
    if any(r not in stage_rules.DECIDING_ROLES for c in configs for r in c.roles):
        raise ValidationError(_("Only owners, creator managers and reviewers can decide a stage."))
    deciders = set(
        Membership.objects.filter(workspace_id=workspace_id, role__in=stage_rules.DECIDING_ROLES).values_list(
            "user_id", flat=True
        )
    )
    if any(u.pk not in deciders for c in configs for u in c.members):
        raise ValidationError(
            _("Only owners, creator managers and reviewers of this workspace can decide a stage.")
        )
    with transaction.atomic():
        existing = {
            s.name: s for s in ReviewStage.objects.filter(campaign_id=campaign_id).prefetch_related("members")
        }
        saved = []
        for config in configs:
            stage = existing.pop(config.name, None)
            before = _owners(stage) if stage is not None else stage_rules.StageOwners()
            if stage is None:
                stage = ReviewStage(workspace_id=workspace_id, campaign_id=campaign_id, name=config.name)
            stage.position, stage.roles = config.position, sorted(set(config.roles))
            stage.save()
            stage.members.set(config.members)
            after = _owners(ReviewStage.objects.prefetch_related("members").get(pk=stage.pk))
            if after != before:
                _audit_stage_owners(stage, before=before, after=after, actor=actor)
            saved.append(stage)
        for gone in existing.values():
            if not _owners(gone).anyone:
                _audit_stage_owners(gone, before=_owners(gone), after=None, actor=actor)
            gone.delete()
    return saved


def _audit_stage_owners(
    stage: ReviewStage,
    *,
    before: stage_rules.StageOwners,
    after: stage_rules.StageOwners | None,
    actor: Actor,
) -> None:
    def listed(owners: stage_rules.StageOwners | None) -> dict[str, list[str]] | None:
        if owners is None:
            return None
        return {"roles": list(owners.roles), "members": [name for _pk, name in owners.members]}

    audit_workspace(
        workspace_id=stage.workspace_id,
        actor=actor,
        verb="stage_owners_changed" if after is not None else "stage_removed",
        campaign=stage.campaign_id,
        stage=stage.name,
        before=listed(before),
        after=listed(after),
    )


ProgressCallback = Callable[[str, float], None]
