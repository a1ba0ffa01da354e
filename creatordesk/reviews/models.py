"""Submissions of creator videos, their versions, automatic findings, comments and staged decisions."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.scoping import WorkspaceScopedModel


def version_upload_path(instance: Version, filename: str) -> str:
    # Random names: a media URL never reveals or lets anyone guess another file.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"submissions/{instance.workspace_id}/{uuid.uuid4().hex}.{suffix[:8]}"


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CHANGES = "approved_with_changes", _("Approved with changes")
    CHANGES_REQUIRED = "changes_required", _("Changes required")
    REJECTED = "rejected", _("Rejected")


class ReviewStage(WorkspaceScopedModel):
    """One approval stage of a campaign; stages with the same position run in parallel."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="review_stages")
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    # Who may decide this stage: members with one of these workspace roles, or these named people.
    # Both empty means every reviewer, manager and owner may decide, as before stages had owners.
    roles = models.JSONField(_("roles who may decide"), default=list, blank=True)
    members = models.ManyToManyField(
        "accounts.User", verbose_name=_("people who may decide"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_owners(self) -> bool:
        return bool(self.roles) or bool(self.members.all())


class ReviewSettings(models.Model):
    """How a workspace runs its reviews: whether one person may decide several stages of a version."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="review_settings"
    )
    # Off by default: a second stage ("Legal") is only worth something when a second person decides it
    # (separation of duties, NIST SP 800-53 AC-5).
    one_person_many_stages = models.BooleanField(
        _("one person may decide several stages of a version"), default=False
    )

    def __str__(self) -> str:
        return f"review settings of {self.workspace_id}"


class Submission(WorkspaceScopedModel):
    """A piece of content a creator delivers for a collaboration; each upload is a new version."""

    collaboration = models.ForeignKey(
        "campaigns.Collaboration", on_delete=models.CASCADE, related_name="submissions"
    )
    title = models.CharField(_("title"), max_length=160)
    due_at = models.DateTimeField(_("decision due"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class AnalysisStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Analysing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Version(WorkspaceScopedModel):
    """One uploaded file of a submission, with its automatic pre-review and its outcome."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=version_upload_path, max_length=200)
    original_name = models.CharField(max_length=200)
    size_bytes = models.BigIntegerField()
    duration_s = models.FloatField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.TextField(_("caption"), blank=True)
    uploaded_by_creator = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    analysis_status = models.CharField(
        max_length=10, choices=AnalysisStatus.choices, default=AnalysisStatus.QUEUED
    )
    analysis_step = models.CharField(max_length=40, blank=True)
    analysis_progress = models.PositiveSmallIntegerField(default=0)
    analysis_attempts = models.PositiveSmallIntegerField(default=0)
    analysis_heartbeat = models.DateTimeField(null=True, blank=True)
    analysis_error = models.TextField(blank=True)
    verdict = models.CharField(max_length=16, blank=True)
    fit_score = models.PositiveSmallIntegerField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)

    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "-number"]
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="version_unique_number")]
        indexes = [
            models.Index(fields=["analysis_status", "analysis_heartbeat"], name="version_analysis_idx")
        ]

    def __str__(self) -> str:
        return f"{self.submission} v{self.number}"

    @property
    def locked(self) -> bool:
        return bool(self.outcome)


class FindingState(models.TextChoices):
    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class MatchConfidence(models.TextChoices):
    FULL = "full", _("Full match")
    GRAMMAR = "grammar", _("Grammar match")
    POSSIBLE = "possible", _("Possible match")


class Finding(WorkspaceScopedModel):
    """A rule the pre-review found broken at a moment of a version; reviewers confirm or dismiss it."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="findings")
    rule = models.CharField(max_length=80)
    category = models.CharField(max_length=40)
    severity = models.CharField(max_length=8)
    source = models.CharField(max_length=10)
    start_s = models.FloatField()
    end_s = models.FloatField()
    evidence = models.TextField()
    explanation = models.TextField()
    citation = models.TextField()
    # How surely the words matched the rule: reviewers look at possible matches with their ears.
    confidence = models.CharField(
        max_length=10, choices=MatchConfidence.choices, default=MatchConfidence.FULL
    )
    state = models.CharField(max_length=10, choices=FindingState.choices, default=FindingState.OPEN)
    state_reason = models.TextField(blank=True)
    state_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["start_s", "id"]

    def __str__(self) -> str:
        return f"{self.category} @ {self.start_s:.1f}s"


class Comment(WorkspaceScopedModel):
    """A time-coded remark on a version, by a staff member or the creator; replies hang under a parent."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True)
    author_creator = models.ForeignKey("creators.Creator", on_delete=models.SET_NULL, null=True, blank=True)
    body = models.TextField(_("comment"))
    start_s = models.FloatField(_("at second"), null=True, blank=True)
    duration_s = models.FloatField(_("duration"), null=True, blank=True)
    internal = models.BooleanField(_("internal (hidden from the creator)"), default=False)
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_s", "created_at"]

    def __str__(self) -> str:
        return self.body[:40]

    @property
    def author_name(self) -> str:
        if self.author is not None:
            return str(self.author)
        return str(self.author_creator) if self.author_creator else "—"


class Decision(WorkspaceScopedModel):
    """One reviewer's verdict on a version within one stage."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="decisions")
    # A stage removed later must not take the decisions made in it along; the name stays in stage_name.
    stage = models.ForeignKey(ReviewStage, on_delete=models.SET_NULL, null=True, blank=True)
    stage_name = models.CharField(max_length=80)
    reviewer = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True)
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "stage_name", "reviewer"], name="decision_once_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage_name}: {self.outcome}"


class AuditEvent(WorkspaceScopedModel):
    """Append-only record of a state change: who did what, when."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, null=True, related_name="events")
    actor = models.CharField(max_length=160)
    verb = models.CharField(max_length=40)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.verb}"


class UploadState(models.TextChoices):
    RECEIVING = "receiving", _("Receiving")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class UploadSession(WorkspaceScopedModel):
    """A video arriving in chunks, resumable from its last received byte, for one submission or collaboration."""

    # A random id in the chunk URLs: knowing one upload's address never leads to another's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    collaboration = models.ForeignKey("campaigns.Collaboration", on_delete=models.CASCADE, related_name="+")
    # Empty while a first version is arriving: its submission is created when the file is complete.
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=160, blank=True)
    caption = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    uploaded_by_creator = models.ForeignKey(
        "creators.Creator", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.BigIntegerField()
    state = models.CharField(max_length=10, choices=UploadState.choices, default=UploadState.RECEIVING)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.original_name} ({self.state})"
