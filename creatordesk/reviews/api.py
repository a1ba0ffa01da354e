"""Submissions, versions, findings, comments and decisions in the JSON API."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from creatordesk.accounts.api import Page
from creatordesk.accounts.permissions import MANAGERS, REVIEWERS, require_role
from creatordesk.accounts.scoping import WorkspaceRequest, api_user, get_scoped_or_404
from creatordesk.reviews import services
from creatordesk.reviews.models import Comment, Decision, Finding, FindingState, Outcome, Submission, Version
from creatordesk.reviews.uploads import StorageFull

router = Router(tags=["reviews"])


class SubmissionOut(Schema):
    id: int
    title: str
    collaboration_id: int
    creator: str
    campaign: str
    due_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_creator(obj: Submission) -> str:
        return obj.collaboration.creator.display_name

    @staticmethod
    def resolve_campaign(obj: Submission) -> str:
        return obj.collaboration.campaign.name


class VersionOut(Schema):
    id: int
    submission_id: int
    number: int
    original_name: str
    size_bytes: int
    duration_s: float
    width: int
    height: int
    caption: str
    uploaded_at: datetime.datetime
    analysis_status: str
    analysis_step: str
    analysis_progress: int
    analysis_error: str
    verdict: str
    fit_score: int | None
    outcome: str


class FindingOut(Schema):
    id: int
    rule: str
    category: str
    severity: str
    source: str
    start_s: float
    end_s: float
    evidence: str
    explanation: str
    citation: str
    confidence: str
    state: str
    state_reason: str


class FindingStateIn(Schema):
    # The enum puts the allowed values into the OpenAPI document for clients and the schema fuzzer.
    state: FindingState
    reason: str = ""


class CommentIn(Schema):
    body: str
    start_s: float | None = None
    duration_s: float | None = None
    internal: bool = False
    parent_id: int | None = None


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author: str
    body: str
    start_s: float | None
    duration_s: float | None
    internal: bool
    resolved: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_author(obj: Comment) -> str:
        return obj.author_name


class DecisionIn(Schema):
    stage: str = "Review"
    outcome: Outcome
    note: str = ""
    # Approving while blocking findings are open is refused unless this says they were checked.
    confirm_open_blocks: bool = False


class DecisionOut(Schema):
    id: int
    stage_name: str
    reviewer: str
    outcome: str
    note: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_reviewer(obj: Decision) -> str:
        return str(obj.reviewer) if obj.reviewer else ""


@router.get("/submissions", response=list[SubmissionOut])
@paginate(Page)
def list_submissions(request: WorkspaceRequest, campaign_id: int | None = None) -> QuerySet[Submission]:
    submissions = Submission.objects.for_workspace(request.workspace).select_related(
        "collaboration__creator", "collaboration__campaign"
    )
    if campaign_id:
        submissions = submissions.filter(collaboration__campaign_id=campaign_id)
    return submissions


@router.get("/submissions/{submission_id}", response=SubmissionOut)
def get_submission(request: WorkspaceRequest, submission_id: int) -> Submission:
    return get_scoped_or_404(Submission, request.workspace, pk=submission_id)


@router.get("/submissions/{submission_id}/versions", response=list[VersionOut])
@paginate(Page)
def list_versions(request: WorkspaceRequest, submission_id: int) -> QuerySet[Version]:
    submission = get_scoped_or_404(Submission, request.workspace, pk=submission_id)
    return submission.versions.order_by("number")


@router.post("/submissions/{submission_id}/versions", response={201: VersionOut})
def upload_version(
    request: WorkspaceRequest, submission_id: int, file: File[UploadedFile], caption: Form[str] = ""
) -> Status[Version]:
    require_role(request, *MANAGERS)
    submission = get_scoped_or_404(Submission, request.workspace, pk=submission_id)
    path = getattr(file, "temporary_file_path", None)
    if path is None:
        raise ValidationError({"file": _("Upload the video as a file.")})
    try:
        version = services.submission_submit(
            collaboration=submission.collaboration,
            submission=submission,
            source=Path(path()),
            original_name=file.name or "video",
            caption=caption,
            by_user=api_user(request),
        )
    except StorageFull as exc:
        raise HttpError(507, " ".join(exc.messages)) from None  # RFC 4918, section 11.5
    return Status(201, version)


@router.get("/versions/{version_id}", response=VersionOut)
def get_version(request: WorkspaceRequest, version_id: int) -> Version:
    return get_scoped_or_404(Version, request.workspace, pk=version_id)


@router.get("/versions/{version_id}/findings", response=list[FindingOut])
@paginate(Page)
def list_findings(request: WorkspaceRequest, version_id: int) -> QuerySet[Finding]:
    return get_scoped_or_404(Version, request.workspace, pk=version_id).findings.all()


@router.post("/findings/{finding_id}/state", response=FindingOut)
def set_finding_state(request: WorkspaceRequest, finding_id: int, payload: FindingStateIn) -> Finding:
    require_role(request, *REVIEWERS)
    finding = get_scoped_or_404(Finding, request.workspace, pk=finding_id)
    return services.finding_set_state(
        finding=finding, state=payload.state.value, reason=payload.reason, user=api_user(request)
    )


@router.get("/versions/{version_id}/comments", response=list[CommentOut])
@paginate(Page)
def list_comments(request: WorkspaceRequest, version_id: int) -> QuerySet[Comment]:
    version = get_scoped_or_404(Version, request.workspace, pk=version_id)
    return version.comments.select_related("author", "author_creator")


@router.post("/versions/{version_id}/comments", response={201: CommentOut})
def add_comment(request: WorkspaceRequest, version_id: int, payload: CommentIn) -> Status[Comment]:
    require_role(request, *REVIEWERS)
    version = get_scoped_or_404(Version, request.workspace, pk=version_id)
    parent = (
        get_scoped_or_404(Comment, request.workspace, pk=payload.parent_id) if payload.parent_id else None
    )
    comment = services.comment_add(
        version=version,
        body=payload.body,
        start_s=payload.start_s,
        duration_s=payload.duration_s,
        internal=payload.internal,
        parent=parent,
        author=api_user(request),
    )
    return Status(201, comment)


@router.get("/versions/{version_id}/decisions", response=list[DecisionOut])
@paginate(Page)
def list_decisions(request: WorkspaceRequest, version_id: int) -> QuerySet[Decision]:
    return get_scoped_or_404(Version, request.workspace, pk=version_id).decisions.select_related("reviewer")


@router.post("/versions/{version_id}/decisions", response={201: DecisionOut})
def add_decision(request: WorkspaceRequest, version_id: int, payload: DecisionIn) -> Status[Decision]:
    """Decide one review stage, with the stage-owner rules of the review page.

    When the stages add up to an outcome the version locks and the collaboration moves on.
    """
    require_role(request, *REVIEWERS)
    version = get_scoped_or_404(Version, request.workspace, pk=version_id)
    try:
        decision = services.decision_record(
            version=version,
            stage_name=payload.stage,
            reviewer=api_user(request),
            outcome=payload.outcome.value,
            note=payload.note,
            confirm_open_blocks=payload.confirm_open_blocks,
        )
    except ValidationError as exc:
        # An approval over open blocking findings names the flag that overrides them.
        if getattr(exc, "code", None) == "open_blocks":
            raise ValidationError({"confirm_open_blocks": exc.messages}) from None
        raise
    return Status(201, decision)
