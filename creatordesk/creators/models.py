"""Creators: the people who make content for a brand; they are not staff users."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.scoping import WorkspaceScopedModel


def new_portal_key() -> str:
    return secrets.token_urlsafe(16)


class Creator(WorkspaceScopedModel):
    """A creator the workspace works with; reaches the portal only through a signed, expiring link."""

    display_name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email address"), blank=True)
    tiktok_handle = models.CharField(_("TikTok handle"), max_length=60, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO code, e.g. DE"))
    languages = models.CharField(_("languages"), max_length=60, blank=True, help_text=_("e.g. de, en"))
    notes = models.TextField(_("notes"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    categories = models.CharField(
        _("categories"), max_length=200, blank=True, help_text=_("e.g. skincare, beauty")
    )
    tags = models.CharField(_("tags"), max_length=200, blank=True, help_text=_("comma-separated"))
    # Denormalised from the platform accounts so the list can sort and filter 50,000 creators fast.
    followers = models.PositiveBigIntegerField(_("followers"), default=0)
    engagement_rate = models.FloatField(_("engagement rate (%)"), null=True, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_method = models.CharField(
        _("how consent was given"),
        max_length=200,
        blank=True,
        help_text=_("e.g. signed contract, email of 3 May"),
    )
    # Set when the creator's personal data was erased; the anonymised row keeps the brand's history.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Rotating this key revokes every portal link sent so far.
    portal_key = models.CharField(max_length=32, default=new_portal_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["display_name"]
        indexes = [
            models.Index(fields=["workspace", "display_name"], name="creator_ws_name_idx"),
            models.Index(fields=["workspace", "followers"], name="creator_ws_followers_idx"),
            models.Index(fields=["workspace", "country"], name="creator_ws_country_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name


class Platform(models.TextChoices):
    TIKTOK = "tiktok", "TikTok"
    INSTAGRAM = "instagram", "Instagram"
    YOUTUBE = "youtube", "YouTube"
    FACEBOOK = "facebook", "Facebook"
    THREADS = "threads", "Threads"


class PlatformAccount(WorkspaceScopedModel):
    """A creator's account on one platform with the figures that matter for selection."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="accounts")
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    # Stored lower-case without "@": handles are case-insensitive on every supported platform.
    handle = models.CharField(_("handle"), max_length=100)
    followers = models.PositiveBigIntegerField(_("followers"), null=True, blank=True)
    avg_views = models.PositiveBigIntegerField(_("average views"), null=True, blank=True)
    engagement_rate = models.FloatField(_("engagement rate (%)"), null=True, blank=True)
    gmv_eur = models.DecimalField(_("GMV (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True)
    url = models.URLField(_("profile URL"), blank=True)
    # TikTok Shop's Creator Open ID: the affiliate APIs name creators by it (handles can change hands).
    open_id = models.CharField(_("Creator Open ID"), max_length=100, blank=True)

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "platform", "handle"], name="account_unique_handle")
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} @{self.handle}"


class ActivityEvent(WorkspaceScopedModel):
    """One entry of a creator's timeline: everything that happened with them, across campaigns."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="activity")
    collaboration = models.ForeignKey(
        "campaigns.Collaboration", on_delete=models.SET_NULL, null=True, blank=True, related_name="activity"
    )
    actor = models.CharField(max_length=160)
    verb = models.CharField(max_length=40)
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["creator", "created_at"], name="activity_creator_time_idx")]

    def __str__(self) -> str:
        return self.text


class Segment(WorkspaceScopedModel):
    """A saved creator filter (country, language, category, tag, platform, minimum followers)."""

    name = models.CharField(_("name"), max_length=120)
    filters = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Broadcast(WorkspaceScopedModel):
    """A briefing or update sent to every creator of a segment by email, and shown in their portal."""

    segment = models.ForeignKey(Segment, on_delete=models.SET_NULL, null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    show_in_portal = models.BooleanField(_("show in the creator portal"), default=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class BroadcastRecipient(WorkspaceScopedModel):
    """Delivery record of one broadcast to one creator."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NO_EMAIL = "no_email", _("No email address")

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="recipients")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="broadcasts_received")
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["creator__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "creator"], name="broadcast_unique_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.broadcast} → {self.creator}"


class ImportJob(WorkspaceScopedModel):
    """One check or commit of an uploaded spreadsheet run by the task worker, with its progress."""

    class Kind(models.TextChoices):
        CREATORS = "creators", _("Creators")
        METRICS = "metrics", _("Metrics")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Phase(models.TextChoices):
        CHECK = "check", _("Checking")
        WRITE = "write", _("Saving")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    token = models.CharField(max_length=32, db_index=True)  # the staged upload in VAR_DIR/imports/
    commit = models.BooleanField(default=False)  # False: a dry run only
    options = models.JSONField(default=dict)  # the mapping or form values the job was started with
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.CHECK)
    rows_total = models.PositiveIntegerField(default=0)  # an estimate until the check has finished
    rows_done = models.PositiveIntegerField(default=0)  # in the write phase: entries committed so far
    counts = models.JSONField(default=dict)  # new, updated, skipped as far as written
    result = models.JSONField(default=dict)  # what the page shows when the job is done
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat"], name="importjob_status_beat_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.token} {self.status}"
