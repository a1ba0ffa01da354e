"""TikTok Shop's Affiliate Center as CreatorDesk keeps it: target collaborations, affiliate orders,
the workspace's blocklist, the check of posted videos against the approved version, and sync runs.

Sample requests land in campaigns.SampleShipment (one sample path for every platform); creators'
Open IDs in creators.PlatformAccount.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.scoping import WorkspaceScopedModel


class Source(models.TextChoices):
    TIKTOK_API = "tiktok_api", _("TikTok Shop sync")
    SELLER_CENTER = "seller_center", _("Seller Center export")


class ShopCollaboration(WorkspaceScopedModel):
    """A target collaboration in the Affiliate Center, made from (or matched to) a campaign."""

    # TikTok's statuses, kept as TikTok writes them; the labels are for people.
    STATUS_LABELS = {
        "ONGOING": _("Ongoing"),
        "EXPIRING": _("Ending soon"),
        "VALID": _("Valid"),
        "CANCELING": _("Being cancelled"),
        "COMPLETED": _("Completed"),
    }

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="shop_collaborations"
    )
    external_id = models.CharField(_("TikTok collaboration ID"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=20, blank=True)
    # Rates as TikTok keeps them: whole hundredths of a percent (1500 = 15 %).
    commission_rate_bp = models.PositiveIntegerField(_("commission (0.01 %)"))
    shop_ads_commission_rate_bp = models.PositiveIntegerField(
        _("Shop Ads commission (0.01 %)"), null=True, blank=True
    )
    has_free_sample = models.BooleanField(_("free sample"), default=False)
    sample_approval_exempt = models.BooleanField(_("samples without approval"), default=False)
    message = models.TextField(_("message to creators"), blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    acceptance_link = models.URLField(_("acceptance link"), max_length=500, blank=True)
    creator_open_ids = models.JSONField(default=list, blank=True)
    product_ids = models.JSONField(default=list, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "external_id"], name="shop_collab_unique_external_id"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def status_label(self) -> str:
        return str(self.STATUS_LABELS.get(self.status, self.status or "—"))


class AffiliateOrder(WorkspaceScopedModel):
    """One SKU line of an affiliate order: what a creator's content sold, and what it cost in commission."""

    order_id = models.CharField(_("order ID"), max_length=64)
    sku_id = models.CharField(_("SKU ID"), max_length=64)
    shop_product_id = models.CharField(_("product ID"), max_length=64, blank=True)
    product = models.ForeignKey(
        "campaigns.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    creator = models.ForeignKey(
        "creators.Creator", on_delete=models.SET_NULL, null=True, blank=True, related_name="affiliate_orders"
    )
    collaboration = models.ForeignKey(
        "campaigns.Collaboration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliate_orders",
    )
    creator_username = models.CharField(_("creator"), max_length=100, blank=True)
    creator_open_id = models.CharField(max_length=100, blank=True)
    content_id = models.CharField(_("content ID"), max_length=64, blank=True)
    content_type = models.CharField(_("content type"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=20, blank=True)
    ordered_at = models.DateTimeField(_("ordered at"), null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    units = models.PositiveIntegerField(_("units"), default=1)
    gmv = models.DecimalField(_("GMV"), max_digits=14, decimal_places=2, default=Decimal(0))
    # Paid commission when TikTok settled it, else the estimate; the two are kept apart.
    commission_estimated = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    commission_paid = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    shop_ads_commission = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    refunded_units = models.PositiveIntegerField(default=0)
    returned_units = models.PositiveIntegerField(default=0)
    refund_amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    source = models.CharField(max_length=14, choices=Source.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-ordered_at", "order_id", "sku_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "order_id", "sku_id"], name="affiliate_order_unique_line"
            )
        ]
        indexes = [models.Index(fields=["workspace", "collaboration"], name="affiliate_order_collab")]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.sku_id}"

    @property
    def commission(self) -> Decimal:
        if self.commission_paid is not None:
            return self.commission_paid
        return self.commission_estimated or Decimal(0)


class CreatorBlock(WorkspaceScopedModel):
    """A creator the workspace does not work with again: removed from open collaborations whenever they rejoin."""

    creator = models.ForeignKey("creators.Creator", on_delete=models.CASCADE, related_name="blocks")
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["workspace", "creator"], name="creator_block_unique")]

    def __str__(self) -> str:
        return str(self.creator)


def posted_video_path(instance: PostCheck, filename: str) -> str:
    # Random names, as for review uploads: a media URL never reveals or lets anyone guess another file.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"posted/{instance.workspace_id}/{uuid.uuid4().hex}.{suffix[:8]}"


class PostCheck(WorkspaceScopedModel):
    """Whether a posted video is the approved version, still discloses the ad and links the campaign's product."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Verdict(models.TextChoices):
        SAME = "same", _("The approved version")
        DIFFERENT_CUT = "different_cut", _("A different cut")
        DIFFERENT_VIDEO = "different_video", _("A different video")
        NOT_CHECKED = "not_checked", _("Not compared")

    post = models.ForeignKey("performance.Post", on_delete=models.CASCADE, related_name="checks")
    approved_version = models.ForeignKey(
        "reviews.Version", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The video as it was posted: uploaded by the team (TikTok's APIs offer no download of it) or
    # fetched by link later; without it only the caption and the product link are checked.
    posted_file = models.FileField(_("posted video"), upload_to=posted_video_path, max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    verdict = models.CharField(max_length=16, choices=Verdict.choices, default=Verdict.NOT_CHECKED)
    video_similarity = models.FloatField(null=True, blank=True)
    audio_similarity = models.FloatField(null=True, blank=True)
    # Each finding: {"code", "severity", "start_s", "end_s", "detail"}; an empty list means all is well.
    findings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.post} ({self.get_verdict_display()})"


class SyncRun(WorkspaceScopedModel):
    """One pull from the Affiliate Center: everything it read is stored together, or nothing."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Rows written per kind ("collaborations", "samples", "orders", "removed_creators", …).
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # Orders are read from here on at the next run (the newest order time seen, less a day of overlap).
    orders_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"
