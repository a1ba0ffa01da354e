"""Reads for the review queue, the review page, version comparison and the approval SLA."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.models import Workspace
from creatordesk.creators.portal import portal_language
from creatordesk.engine.wording import evidence_in, explanation_in
from creatordesk.reviews.models import (
    AnalysisStatus,
    Comment,
    Decision,
    Finding,
    FindingState,
    Outcome,
    ReviewStage,
    Submission,
    Version,
)
from creatordesk.reviews.services import DEFAULT_STAGE
from creatordesk.reviews.stages import stage_states

RISK = {"block": 0, "needs_review": 1, "clean": 2, "": 3}


def latest_versions(submissions: QuerySet[Submission]) -> dict[int, Version]:
    versions = Version.objects.filter(submission__in=submissions).order_by("submission_id", "-number")
    latest: dict[int, Version] = {}
    for version in versions:
        latest.setdefault(version.submission_id, version)
    return latest


@dataclass(frozen=True)
class QueueRow:
    submission: Submission
    version: Version | None


class QueueStatus:
    """The status filter of the review queue; each belongs to one tab (open or done)."""

    WAITING = "waiting"
    IN_REVIEW = "in_review"
    CHANGES = "changes"
    APPROVED = "approved"
    REJECTED = "rejected"


QUEUE_STATUSES = (
    (QueueStatus.WAITING, _("Waiting for pre-review")),
    (QueueStatus.IN_REVIEW, _("In review")),
    (QueueStatus.CHANGES, _("Changes requested")),
    (QueueStatus.APPROVED, _("Approved")),
    (QueueStatus.REJECTED, _("Rejected")),
)
DONE_STATUSES = {QueueStatus.CHANGES, QueueStatus.APPROVED, QueueStatus.REJECTED}
_PRE_REVIEW_RUNNING = (AnalysisStatus.QUEUED, AnalysisStatus.RUNNING)
_STATUS_FILTERS = {
    QueueStatus.WAITING: Q(latest_outcome="", latest_analysis__in=_PRE_REVIEW_RUNNING),
    QueueStatus.IN_REVIEW: Q(latest_outcome="") & ~Q(latest_analysis__in=_PRE_REVIEW_RUNNING),
    QueueStatus.CHANGES: Q(latest_outcome=Outcome.CHANGES_REQUIRED),
    QueueStatus.APPROVED: Q(latest_outcome__in=(Outcome.APPROVED, Outcome.APPROVED_WITH_CHANGES)),
    QueueStatus.REJECTED: Q(latest_outcome=Outcome.REJECTED),
}


def review_queue(
    *,
    workspace: Workspace,
    campaign_id: int | None = None,
    creator_id: int | None = None,
    stage: str = "",
    done: bool = False,
    status: str = "",
) -> list[QueueRow]:
    """Submissions waiting for a decision, the most urgent (due first, riskiest first) on top.

    `done` lists those whose latest version is decided (and so locked) instead, newest decision first;
    a known `status` narrows either list.
    """
    latest = Version.objects.filter(submission=OuterRef("pk")).order_by("-number")
    submissions = (
        Submission.objects.for_workspace(workspace)
        .annotate(
            latest_outcome=Subquery(latest.values("outcome")[:1]),
            latest_analysis=Subquery(latest.values("analysis_status")[:1]),
        )
        .select_related("collaboration__creator", "collaboration__campaign")
    )
    # A submission without any version yet (NULL outcome) has nothing to review, so neither tab lists it.
    if done:
        submissions = submissions.exclude(latest_outcome="").filter(latest_outcome__isnull=False)
    else:
        submissions = submissions.filter(latest_outcome="")
    if status in _STATUS_FILTERS:
        submissions = submissions.filter(_STATUS_FILTERS[status])
    if campaign_id:
        submissions = submissions.filter(collaboration__campaign_id=campaign_id)
    if creator_id:
        submissions = submissions.filter(collaboration__creator_id=creator_id)
    latest_by_submission = latest_versions(submissions)
    rows = [QueueRow(s, latest_by_submission.get(s.pk)) for s in submissions]
    if stage:
        rows = _at_stage(rows, stage, done=done)
    if done:
        rows.sort(key=_decided_at, reverse=True)
    else:
        rows.sort(key=_urgency)
    return rows


def _at_stage(rows: list[QueueRow], stage: str, *, done: bool) -> list[QueueRow]:
    """The rows waiting at `stage` (open work) or decided at it (done work).

    Stages and decisions of all rows are read in two queries, so the filter costs the same for one
    row as for a full queue.
    """
    versions = [r.version for r in rows if r.version]
    campaign_ids = {r.submission.collaboration.campaign_id for r in rows}
    stages: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for campaign_id, name, position in ReviewStage.objects.filter(campaign_id__in=campaign_ids).values_list(
        "campaign_id", "name", "position"
    ):
        stages[campaign_id].append((name, position))
    decisions: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for version_id, name, outcome in Decision.objects.filter(version__in=versions).values_list(
        "version_id", "stage_name", "outcome"
    ):
        decisions[version_id].append((name, outcome))
    kept = []
    for row in rows:
        if row.version is None:
            continue
        campaign_stages = stages.get(row.submission.collaboration.campaign_id) or [DEFAULT_STAGE]
        states = stage_states(campaign_stages, decisions.get(row.version.pk, []))
        # Open work waits at a stage; done work was decided at one.
        if any(s.name == stage and (s.result is not None if done else s.open) for s in states):
            kept.append(row)
    return kept


def _decided_at(row: QueueRow) -> float:
    decided = row.version.decided_at if row.version else None
    return decided.timestamp() if decided else 0.0


def _urgency(row: QueueRow) -> tuple[bool, float, int]:
    due = row.submission.due_at
    verdict = row.version.verdict if row.version else ""
    return (due is None, due.timestamp() if due else 0.0, RISK.get(verdict, 3))


@dataclass
class ReviewPage:
    submission: Submission
    version: Version
    versions: list[Version]
    findings: list[Finding]
    comments: list[Comment]


def findings_for_reader(findings: Iterable[Finding], language: str) -> list[Finding]:
    """The findings with explanation and engine-worded evidence in the reader's language.

    The pipeline stored them in the video's language; a German creator must not read an English
    explanation because she spoke English in her video. Only the loaded objects change, never the rows.
    """
    result = []
    for finding in findings:
        explanation = explanation_in(
            finding.rule, language, citation=finding.citation, confidence=finding.confidence
        )
        if explanation is not None:
            finding.explanation = explanation
        finding.evidence = evidence_in(finding.rule, finding.evidence, language)
        result.append(finding)
    return result


def review_page(
    *, submission: Submission, number: int | None, creator_view: bool = False, language: str | None = None
) -> ReviewPage | None:
    """The review page of one version; findings read in `language`, by default the reader's.

    Staff read the language they chose (active through the user's setting); a creator reads the
    first of their own languages the app speaks.
    """
    if language is None:
        language = (
            portal_language(submission.collaboration.creator)
            if creator_view
            else translation.get_language() or settings.LANGUAGE_CODE
        )
    versions = list(submission.versions.order_by("-number"))
    if not versions:
        return None
    version = next((v for v in versions if v.number == number), versions[0]) if number else versions[0]
    comments = version.comments.select_related("author", "author_creator").order_by("start_s", "created_at")
    if creator_view:
        comments = comments.filter(internal=False)
    findings = findings_for_reader(
        version.findings.exclude(state=FindingState.DISMISSED) if creator_view else version.findings.all(),
        language,
    )
    return ReviewPage(submission, version, versions, findings, list(comments))


@dataclass
class Comparison:
    fixed: list[Finding] = field(default_factory=list)
    new: list[Finding] = field(default_factory=list)
    persisting: list[Finding] = field(default_factory=list)
    # Findings of the newer version a reviewer dismissed: neither still there nor fixed by the creator.
    dismissed: list[Finding] = field(default_factory=list)


def _key(finding: Finding) -> tuple[str, str, str]:
    return (finding.rule, finding.category, finding.source)


def version_compare(*, old: Version, new: Version, language: str | None = None) -> Comparison:
    """Which findings of `old` are gone in `new` (fixed), which appeared, which remain; by rule and source.

    A finding of `new` that was dismissed is listed under `dismissed`, whether it carries one of `old`
    on or is new; an old finding counts as fixed only when `new` has no counterpart at all.
    """
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    old_findings = findings_for_reader(old.findings.all(), language)
    new_findings = findings_for_reader(new.findings.all(), language)
    # Counterparts still in force are matched first, so a dismissed duplicate does not hide one.
    pool: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for finding in sorted(new_findings, key=lambda f: f.state == FindingState.DISMISSED):
        pool[_key(finding)].append(finding)
    result = Comparison()
    for finding in old_findings:
        counterparts = pool[_key(finding)]
        if not counterparts:
            result.fixed.append(finding)
        elif counterparts[0].state == FindingState.DISMISSED:
            result.dismissed.append(counterparts.pop(0))
        else:
            counterparts.pop(0)
            result.persisting.append(finding)
    for finding in new_findings:
        if finding in pool[_key(finding)]:
            target = result.dismissed if finding.state == FindingState.DISMISSED else result.new
            target.append(finding)
    return result


def approval_sla(*, workspace: Workspace) -> list[tuple[str, float, int]]:
    """Per campaign: median hours from upload to first decision, and how many versions that covers."""
    rows = (
        Version.objects.for_workspace(workspace)
        .annotate(first_decision=Min("decisions__created_at"))
        .filter(first_decision__isnull=False)
        .values_list("submission__collaboration__campaign__name", "uploaded_at", "first_decision")
    )
    per_campaign: dict[str, list[timedelta]] = {}
    for name, uploaded, decided in rows:
        per_campaign.setdefault(name, []).append(decided - uploaded)
    return sorted(
        (name, statistics.median(d.total_seconds() for d in waits) / 3600, len(waits))
        for name, waits in per_campaign.items()
    )


@dataclass(frozen=True)
class RuleTrust:
    rule: str
    category: str
    confirmed: int
    dismissed: int

    @property
    def dismissal_rate(self) -> float:
        decided = self.confirmed + self.dismissed
        return self.dismissed / decided if decided else 0.0


def rule_trust(*, workspace: Workspace) -> list[RuleTrust]:
    """How often reviewers confirmed or dismissed each rule's findings: which rules the workspace trusts."""
    rows = (
        Finding.objects.for_workspace(workspace)
        .exclude(state=FindingState.OPEN)
        .values("rule", "category")
        .annotate(
            confirmed=Count("id", filter=Q(state=FindingState.CONFIRMED)),
            dismissed=Count("id", filter=Q(state=FindingState.DISMISSED)),
        )
    )
    trust = [RuleTrust(r["rule"], r["category"], r["confirmed"], r["dismissed"]) for r in rows]
    return sorted(trust, key=lambda t: (-t.dismissal_rate, -t.dismissed, t.rule))
