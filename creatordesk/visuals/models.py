"""The workspace's campaign images and their lineage: prompt templates (versioned), prompts made from
them, the images made with those prompts, every check of an image, and the reviewers' decisions.

Lineage runs template → prompt → asset → checks → label decisions (inside each check's report).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.scoping import WorkspaceScopedModel


def asset_path(instance: VisualAsset, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"visuals/{instance.workspace_id}/{uuid.uuid4().hex}.{suffix[:5]}"


def reference_path(instance: BrandReference, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"visuals/{instance.workspace_id}/references/{uuid.uuid4().hex}.{suffix[:5]}"


class PromptTemplate(WorkspaceScopedModel):
    """A prompt brief with variables, shared in the workspace; saving a change makes a new version."""

    name = models.CharField(_("name"), max_length=160)
    version = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    brief = models.JSONField(default=dict)  # the PromptBrief's fields
    template = models.TextField(_("template"), blank=True)  # variant syntax, e.g. "{red|blue} serum"
    shared = models.BooleanField(_("shared with the workspace"), default=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class GeneratedPrompt(WorkspaceScopedModel):
    """One prompt rendered for one generator from a template version; variants share a template and differ by id."""

    template = models.ForeignKey(PromptTemplate, on_delete=models.SET_NULL, null=True, related_name="prompts")
    generator = models.CharField(max_length=20)
    text = models.TextField()
    negative = models.TextField(blank=True)
    parameters = models.JSONField(default=dict)
    variant_id = models.CharField(max_length=32, blank=True)
    lint = models.JSONField(default=list)  # the linter's issues when it was made
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.generator} {self.variant_id}"


class Declared(models.TextChoices):
    UNSAID = "", _("not said")
    GENERATED = "generated", _("made with AI")
    EDITED = "edited", _("edited with AI")
    NONE = "none", _("no AI used")


class AssetStatus(models.TextChoices):
    NEW = "new", _("new")
    CHECKING = "checking", _("being checked")
    IN_REVIEW = "in_review", _("in review")
    CHANGES_REQUESTED = "changes_requested", _("changes requested")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class VisualAsset(WorkspaceScopedModel):
    """A campaign image: made by the team or sent by a creator, with what its makers declared about AI."""

    title = models.CharField(_("title"), max_length=200)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="visual_assets"
    )
    creator = models.ForeignKey(
        "creators.Creator", on_delete=models.SET_NULL, null=True, blank=True, related_name="visual_assets"
    )
    file = models.FileField(upload_to=asset_path, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    declared = models.CharField(_("AI use"), max_length=10, choices=Declared.choices, blank=True)
    is_ad = models.BooleanField(_("used in an ad"), default=True)
    realistic_person = models.BooleanField(_("shows a realistic person"), null=True, blank=True)
    realistic_product = models.BooleanField(_("shows the product realistically"), default=False)
    health_product = models.BooleanField(_("health or cosmetics product"), default=False)
    uses = models.JSONField(default=list, blank=True)  # brief.USES keys
    expected_text = models.TextField(_("text the image must show"), blank=True)  # one phrase per line
    packshot_required = models.BooleanField(_("the product's packshot must be visible"), default=False)
    prompt = models.ForeignKey(
        GeneratedPrompt, on_delete=models.SET_NULL, null=True, blank=True, related_name="assets"
    )
    variant_id = models.CharField(max_length=32, blank=True)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=AssetStatus.choices, default=AssetStatus.NEW)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class CheckStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class VisualCheck(WorkspaceScopedModel):
    """One run of the visual checker over an asset, with its `creatordesk.visual/1` report."""

    asset = models.ForeignKey(VisualAsset, on_delete=models.CASCADE, related_name="checks")
    status = models.CharField(max_length=10, choices=CheckStatus.choices, default=CheckStatus.QUEUED)
    stage = models.CharField(max_length=40, blank=True)
    progress = models.FloatField(default=0)
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.asset} {self.status}"


class FindingDecision(WorkspaceScopedModel):
    """A reviewer's confirm or dismiss of one finding of a check, as for video findings."""

    check_run = models.ForeignKey(VisualCheck, on_delete=models.CASCADE, related_name="decisions")
    index = models.PositiveIntegerField()  # the finding's place in the report
    rule = models.CharField(max_length=80)
    confirmed = models.BooleanField()
    note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["check_run", "index"], name="visual_finding_decision_once")
        ]

    def __str__(self) -> str:
        return f"{self.rule} {'confirmed' if self.confirmed else 'dismissed'}"


class AssetDecision(WorkspaceScopedModel):
    """One reviewer's verdict on an image within one review stage of its campaign, as for videos."""

    asset = models.ForeignKey(VisualAsset, on_delete=models.CASCADE, related_name="decisions")
    stage_name = models.CharField(max_length=80)
    reviewer = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    outcome = models.CharField(max_length=24)  # reviews.models.Outcome
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "stage_name", "reviewer"], name="asset_decision_once_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage_name}: {self.outcome}"


class ReferenceKind(models.TextChoices):
    REJECTED = "rejected", _("rejected image")
    COMPETITOR = "competitor", _("competitor image")
    STOCK = "stock", _("stock image")
    PACKSHOT = "packshot", _("approved packshot")


class BrandReference(WorkspaceScopedModel):
    """An image every check compares with: rejected, competitors', stock, or the approved packshot."""

    kind = models.CharField(_("kind"), max_length=12, choices=ReferenceKind.choices)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    image = models.FileField(upload_to=reference_path, max_length=200)
    name = models.CharField(_("name"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.name}"


class BrandPalette(WorkspaceScopedModel):
    """The workspace's brand colours and how close an image's colours must come to them."""

    colours = models.JSONField(default=list)  # [{"name": "Rot", "hex": "#e0245e"}]
    tolerance = models.FloatField(_("colour tolerance (CIEDE2000)"), default=12.0)
    min_share = models.FloatField(_("least share of brand colours"), default=0.15)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace"], name="brand_palette_one_per_workspace")]

    def __str__(self) -> str:
        return ", ".join(c.get("hex", "") for c in self.colours)
