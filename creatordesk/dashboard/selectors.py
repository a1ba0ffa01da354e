"""Figures and the "needs you now" list of the workspace home page."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creatordesk.accounts.models import Role, Workspace
from creatordesk.accounts.permissions import MANAGERS
from creatordesk.campaigns.models import Campaign, Collaboration, CollaborationStatus
from creatordesk.creators.models import Creator
from creatordesk.performance.models import ViralAlert
from creatordesk.performance.services import DETECTION_WINDOW
from creatordesk.reviews import stages as stage_rules
from creatordesk.reviews.models import (
    AnalysisStatus,
    Decision,
    ReviewSettings,
    ReviewStage,
    Version,
)
from creatordesk.reviews.services import DEFAULT_STAGE
from creatordesk.shop.post_checks import post_check_problems
from creatordesk.shop.samples import CONTENT_DAYS, OverdueSample, samples_overdue

# Each group shows the most urgent rows; the page it links to lists them all.
GROUP_ROWS = 8
VIEWER_ROWS = 5

# Statuses in which the creator owes a (first or revised) draft, and the one in which a post is owed.
DRAFT_OWED = (
    CollaborationStatus.ACCEPTED,
    CollaborationStatus.SAMPLE_SENT,
    CollaborationStatus.SAMPLE_DELIVERED,
    CollaborationStatus.BRIEFED,
    CollaborationStatus.CHANGES_REQUESTED,
)
POST_OWED = (CollaborationStatus.APPROVED,)
# No content is expected any more once a collaboration reached one of these.
CONTENT_CLOSED = (CollaborationStatus.POSTED, CollaborationStatus.PAID, CollaborationStatus.DECLINED)
PERFORMANCE_ROLES = (Role.OWNER, Role.MANAGER, Role.PERFORMANCE)
APPROVED = ("approved", "approved_with_changes")


@dataclass(frozen=True)
class WorkspaceOverview:
    creators: int
    campaigns: int
    collaborations: int


def workspace_overview(*, workspace: Workspace) -> WorkspaceOverview:
    return WorkspaceOverview(
        creators=Creator.objects.for_workspace(workspace).count(),
        campaigns=Campaign.objects.for_workspace(workspace).count(),
        collaborations=Collaboration.objects.for_workspace(workspace).count(),
    )


@dataclass(frozen=True)
class NeedRow:
    """One thing to act on: what, for which creator and campaign, how late, and where to act."""

    what: str
    detail: str
    creator: str
    campaign: str
    # Days since the reference date of the row's group (due date, delivery, alert, approval);
    # positive means late, negative means that many days are left.
    days: int
    url: str

    @property
    def days_left(self) -> int:
        return -self.days


@dataclass(frozen=True)
class NeedGroup:
    """A kind of work on the list; `timing` says how `days` of its rows reads ("due", "since")."""

    key: str
    title: str | Promise
    empty: str | Promise
    action: str | Promise
    timing: str
    rows: tuple[NeedRow, ...]
    total: int
    more_url: str


@dataclass(frozen=True)
class NeedsMeNow:
    groups: tuple[NeedGroup, ...]
    read_only: bool

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)


def needs_me_now(*, workspace: Workspace, user_id: int, role: str) -> NeedsMeNow:
    """What a member with `role` should act on now; every group reads a fixed number of queries."""
    today = timezone.localdate()
    groups = []
    if role in stage_rules.DECIDING_ROLES:
        groups.append(_reviews_group(workspace=workspace, user_id=user_id, role=role, today=today))
    if role in MANAGERS:
        groups.append(_overdue_group(workspace=workspace, today=today))
        groups.append(_samples_group(workspace=workspace, today=today))
    if role in stage_rules.DECIDING_ROLES:
        groups.append(_posted_checks_group(workspace=workspace, today=today))
    if role in PERFORMANCE_ROLES:
        groups.append(_alerts_group(workspace=workspace, today=today))
    if not groups:
        groups.append(_approved_group(workspace=workspace, today=today))
    return NeedsMeNow(groups=tuple(groups), read_only=not any(g.key != "approved" for g in groups))


def _group(
    *,
    key: str,
    title: str | Promise,
    empty: str | Promise,
    action: str | Promise,
    timing: str,
    rows: Iterable[NeedRow],
    more_url: str,
    limit: int = GROUP_ROWS,
    urgent_first: bool = True,
) -> NeedGroup:
    ordered = sorted(rows, key=lambda r: (-r.days if urgent_first else r.days, r.creator, r.what))
    return NeedGroup(key, title, empty, action, timing, tuple(ordered[:limit]), len(ordered), more_url)


def _reviews_group(*, workspace: Workspace, user_id: int, role: str, today: datetime.date) -> NeedGroup:
    """Latest versions still undecided whose pre-review finished, with the stages open on them.

    Owners and managers see every one; a reviewer only those with an open stage they may decide,
    following the same owner and separation-of-duties rules as the decision form.
    """
    newer = Version.objects.filter(submission=OuterRef("submission"), number__gt=OuterRef("number"))
    waiting = (
        Version.objects.for_workspace(workspace)
        .filter(outcome="")
        .exclude(analysis_status__in=(AnalysisStatus.QUEUED, AnalysisStatus.RUNNING))
        .exclude(Exists(newer))
    )
    versions = list(
        waiting.select_related(
            "submission__collaboration__creator", "submission__collaboration__campaign"
        ).order_by("pk")
    )
    decisions: dict[int, list[tuple[str, str, int | None]]] = defaultdict(list)
    for version_id, stage_name, outcome, reviewer_id in Decision.objects.filter(
        version__in=waiting.values("pk")
    ).values_list("version_id", "stage_name", "outcome", "reviewer_id"):
        decisions[version_id].append((stage_name, outcome, reviewer_id))
    stages: dict[int, list[tuple[str, int]]] = defaultdict(list)
    roles: dict[tuple[int, str], tuple[str, ...]] = {}
    stage_keys: dict[int, tuple[int, str]] = {}
    for pk, campaign_id, name, position, stage_roles in ReviewStage.objects.for_workspace(
        workspace
    ).values_list("pk", "campaign_id", "name", "position", "roles"):
        stages[campaign_id].append((name, position))
        roles[(campaign_id, name)] = tuple(stage_roles)
        stage_keys[pk] = (campaign_id, name)
    members: dict[tuple[int, str], list[int]] = defaultdict(list)
    for stage_id, member_id in ReviewStage.members.through.objects.filter(
        reviewstage__workspace=workspace
    ).values_list("reviewstage_id", "user_id"):
        members[stage_keys[stage_id]].append(member_id)
    many_allowed = ReviewSettings.objects.filter(workspace=workspace, one_person_many_stages=True).exists()

    def may_decide(campaign_id: int, stage: str, mine: set[str]) -> bool:
        if role in MANAGERS:
            return True
        owners = stage_rules.StageOwners(
            roles=roles.get((campaign_id, stage), ()),
            members=tuple((pk, "") for pk in members.get((campaign_id, stage), [])),
        )
        if not owners.allows(user_id=user_id, role=role) or stage in mine:
            return False
        return many_allowed or not (mine - {stage})

    rows = []
    for version in versions:
        submission = version.submission
        collaboration = submission.collaboration
        made = decisions.get(version.pk, [])
        states = stage_rules.stage_states(
            stages.get(collaboration.campaign_id) or [DEFAULT_STAGE], [(s, o) for s, o, _r in made]
        )
        mine = {s for s, _o, reviewer in made if reviewer == user_id}
        open_stages = [
            s.name for s in states if s.open and may_decide(collaboration.campaign_id, s.name, mine)
        ]
        if not open_stages:
            continue
        due = (
            timezone.localdate(submission.due_at)
            if submission.due_at
            else timezone.localdate(version.uploaded_at)
        )
        rows.append(
            NeedRow(
                what=_("%(title)s (v%(number)s)") % {"title": submission.title, "number": version.number},
                detail=_("Stage: %(stages)s") % {"stages": ", ".join(open_stages)},
                creator=collaboration.creator.display_name,
                campaign=collaboration.campaign.name,
                days=(today - due).days,
                url=reverse("reviews:review", args=[submission.pk]),
            )
        )
    return _group(
        key="reviews",
        title=gettext_lazy("Reviews waiting for you"),
        empty=gettext_lazy(
            "Videos whose pre-review is done and that wait for a stage you may decide show up here."
        ),
        action=gettext_lazy("Review"),
        timing="due",
        rows=rows,
        more_url=reverse("reviews:index"),
    )


def _overdue_group(*, workspace: Workspace, today: datetime.date) -> NeedGroup:
    """Drafts and posts whose deadline passed while the collaboration has not got past that step.

    A collaboration's own due date is the deadline of its next step (the board marks it the same
    way); without one, the brief's draft or post deadline of the campaign applies.
    """
    draft_late = Q(status__in=DRAFT_OWED) & (
        Q(due_on__lt=today) | Q(due_on__isnull=True, campaign__brief__draft_due_on__lt=today)
    )
    post_late = Q(status__in=POST_OWED) & (
        Q(due_on__lt=today) | Q(due_on__isnull=True, campaign__brief__post_due_on__lt=today)
    )
    late = (
        Collaboration.objects.for_workspace(workspace)
        .filter(draft_late | post_late)
        .select_related("creator", "campaign__brief")
    )
    rows = []
    for collaboration in late:
        brief = getattr(collaboration.campaign, "brief", None)
        is_post = collaboration.status in POST_OWED
        fallback = (brief.post_due_on if is_post else brief.draft_due_on) if brief else None
        due = collaboration.due_on or fallback
        if due is None:
            continue
        rows.append(
            NeedRow(
                what=_("Post") if is_post else _("Draft"),
                detail=collaboration.get_status_display(),
                creator=collaboration.creator.display_name,
                campaign=collaboration.campaign.name,
                days=(today - due).days,
                url=reverse("campaigns:board", args=[collaboration.campaign_id]),
            )
        )
    return _group(
        key="overdue",
        title=gettext_lazy("Overdue drafts and posts"),
        empty=gettext_lazy(
            "Collaborations whose draft or post deadline has passed without the draft or post show up here."
        ),
        action=gettext_lazy("Open board"),
        timing="due",
        rows=rows,
        more_url=reverse("campaigns:campaign_list"),
    )


def _sample_detail(overdue: OverdueSample) -> str:
    shipment = overdue.shipment
    if shipment.escalated_at is not None:
        return _("Reminded on %(reminded)s, managers told on %(escalated)s") % {
            "reminded": date_format(timezone.localdate(shipment.reminded_at), "SHORT_DATE_FORMAT")
            if shipment.reminded_at
            else "—",
            "escalated": date_format(timezone.localdate(shipment.escalated_at), "SHORT_DATE_FORMAT"),
        }
    if shipment.reminded_at is not None:
        return _("Reminder sent on %(date)s") % {
            "date": date_format(timezone.localdate(shipment.reminded_at), "SHORT_DATE_FORMAT")
        }
    if not overdue.creator_has_email:
        return _("No reminder: no email address")
    return _("Reminder not sent yet")


def _samples_group(*, workspace: Workspace, today: datetime.date) -> NeedGroup:
    """Delivered samples past their content deadline with neither a draft nor a post, and what was sent."""
    rows = [
        NeedRow(
            what=_("Content overdue"),
            detail=_sample_detail(overdue),
            creator=overdue.shipment.collaboration.creator.display_name,
            campaign=overdue.shipment.collaboration.campaign.name,
            days=overdue.days_late,
            url=reverse("campaigns:board", args=[overdue.shipment.collaboration.campaign_id]),
        )
        for overdue in samples_overdue(today=today, workspace=workspace)
    ]
    return _group(
        key="samples",
        title=gettext_lazy("Content overdue after a sample"),
        empty=gettext_lazy(
            "Creators whose sample arrived and whose video deadline (%(days)s days after delivery unless "
            "the shipment names a date) passed without a draft or post show up here."
        )
        % {"days": CONTENT_DAYS},
        action=gettext_lazy("Open board"),
        timing="due",
        rows=rows,
        more_url=reverse("shop:samples_index"),
    )


def _alerts_group(*, workspace: Workspace, today: datetime.date) -> NeedGroup:
    """Breakout alerts raised within the detection window that nobody snoozed (or whose snooze ran out)."""
    now = timezone.now()
    alerts = (
        ViralAlert.objects.for_workspace(workspace)
        .filter(created_at__gte=now - DETECTION_WINDOW)
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))
        .select_related("post__collaboration__creator", "post__collaboration__campaign")
    )
    url = reverse("performance:index") + "#alerts-title"
    rows = [
        NeedRow(
            what=_("Breakout on %(platform)s") % {"platform": alert.post.get_platform_display()},
            detail=alert.localized_explanation,
            creator=alert.post.collaboration.creator.display_name,
            campaign=alert.post.collaboration.campaign.name,
            days=(today - timezone.localdate(alert.created_at)).days,
            url=url,
        )
        for alert in alerts
    ]
    return _group(
        key="alerts",
        title=gettext_lazy("New breakout alerts"),
        empty=gettext_lazy(
            "Posts that run far ahead of their creator's usual views show up here until someone snoozes the alert."
        ),
        action=gettext_lazy("Open alerts"),
        timing="since",
        rows=rows,
        more_url=reverse("performance:index"),
        urgent_first=False,
    )


def _posted_checks_group(*, workspace: Workspace, today: datetime.date) -> NeedGroup:
    """Posted videos that are not the approved cut, lost their disclosure or link another product."""
    rows = [
        NeedRow(
            what=problem.what,
            detail=_("Posted video differs from the approval")
            if problem.severity == "block"
            else _("Posted video: please have a look"),
            creator=problem.creator,
            campaign=problem.campaign,
            days=(today - timezone.localdate(problem.found_at)).days,
            url=problem.url,
        )
        for problem in post_check_problems(workspace=workspace)
    ]
    return _group(
        key="posted",
        title=gettext_lazy("Posted videos to check"),
        empty=gettext_lazy(
            "Posts that are not the approved cut, lost their ad disclosure or link another product show up here."
        ),
        action=gettext_lazy("Open check"),
        timing="since",
        rows=rows,
        more_url=reverse("shop:checks_index"),
        urgent_first=False,
    )


def _approved_group(*, workspace: Workspace, today: datetime.date) -> NeedGroup:
    """For members who decide nothing: the newest approved videos, to read."""
    versions = (
        Version.objects.for_workspace(workspace)
        .filter(outcome__in=APPROVED, decided_at__isnull=False)
        .select_related("submission__collaboration__creator", "submission__collaboration__campaign")
        .order_by("-decided_at", "-pk")[:VIEWER_ROWS]
    )
    rows = [
        NeedRow(
            what=_("%(title)s (v%(number)s)") % {"title": version.submission.title, "number": version.number},
            detail=version.get_outcome_display(),
            creator=version.submission.collaboration.creator.display_name,
            campaign=version.submission.collaboration.campaign.name,
            days=(today - timezone.localdate(version.decided_at)).days if version.decided_at else 0,
            url=reverse("reviews:review", args=[version.submission_id]),
        )
        for version in versions
    ]
    return _group(
        key="approved",
        title=gettext_lazy("Recently approved videos"),
        empty=gettext_lazy("The newest approved videos of this workspace show up here for you to watch."),
        action=gettext_lazy("View"),
        timing="since",
        rows=rows,
        more_url=reverse("reviews:index") + "?tab=done",
        limit=VIEWER_ROWS,
        urgent_first=False,
    )
