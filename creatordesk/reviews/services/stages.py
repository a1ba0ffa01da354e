"""Review stages of a campaign, who may decide each, and the workspace's review settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from creatordesk.accounts.models import Membership, User
from creatordesk.reviews import stages as stage_rules
from creatordesk.reviews.models import ReviewSettings, ReviewStage, Version
from creatordesk.reviews.services.audit import Actor, audit_workspace

DEFAULT_STAGE = ("Review", 1)


def campaign_stages(campaign_id: int) -> list[tuple[str, int]]:
    stages = list(ReviewStage.objects.filter(campaign_id=campaign_id).values_list("name", "position"))
    return stages or [DEFAULT_STAGE]


def stage_owners(stage: ReviewStage) -> stage_rules.StageOwners:
    members = sorted(((u.pk, str(u)) for u in stage.members.all()), key=lambda m: m[1])
    return stage_rules.StageOwners(roles=tuple(stage.roles), members=tuple(members))


def campaign_stage_owners(campaign_id: int) -> dict[str, stage_rules.StageOwners]:
    """Who may decide each configured stage of a campaign; a missing name means anyone who reviews."""
    stages = ReviewStage.objects.filter(campaign_id=campaign_id).prefetch_related("members")
    return {stage.name: stage_owners(stage) for stage in stages}


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


def member_role(workspace_id: int, user: User) -> str:
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
    role = member_role(version.workspace_id, user)
    many = review_settings(version.workspace_id).one_person_many_stages
    mine = set(version.decisions.filter(reviewer=user).values_list("stage_name", flat=True))
    rows = []
    for state in version_stage_states(version):
        owners_here = owners.get(state.name, stage_rules.StageOwners())
        why = stage_rules.refusal(
            stage=state.name,
            owners=owners_here,
            user_id=user.pk,
            role=role,
            decided_other_stage=bool(mine - {state.name}),
            many_allowed=many,
        )
        may = state.open and why is None and state.name not in mine and not version.locked
        rows.append(StageRow(state, owners_here.describe(), may, why))
    return rows


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
            before = stage_owners(stage) if stage is not None else stage_rules.StageOwners()
            if stage is None:
                stage = ReviewStage(workspace_id=workspace_id, campaign_id=campaign_id, name=config.name)
            stage.position, stage.roles = config.position, sorted(set(config.roles))
            stage.save()
            stage.members.set(config.members)
            after = stage_owners(ReviewStage.objects.prefetch_related("members").get(pk=stage.pk))
            if after != before:
                _audit_stage_owners(stage, before=before, after=after, actor=actor)
            saved.append(stage)
        for gone in existing.values():
            if not stage_owners(gone).anyone:
                _audit_stage_owners(gone, before=stage_owners(gone), after=None, actor=actor)
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


def stages_and_settings_save(
    *,
    campaign_id: int,
    workspace_id: int,
    stages: Sequence[StageConfig | tuple[str, int]],
    one_person_many_stages: bool | None,
    actor: Actor,
) -> list[ReviewStage]:
    """Save a campaign's stages and, when given, the workspace's review settings, all or nothing.

    `one_person_many_stages` is None when the person may not change the workspace's settings.
    """
    with transaction.atomic():
        saved = stages_configure(
            campaign_id=campaign_id, workspace_id=workspace_id, stages=stages, actor=actor
        )
        if one_person_many_stages is not None:
            review_settings_update(
                workspace_id=workspace_id, one_person_many_stages=one_person_many_stages, actor=actor
            )
    return saved
