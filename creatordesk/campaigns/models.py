"""Campaigns and the collaborations (creator × campaign) inside them."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.scoping import WorkspaceScopedModel


def product_image_path(instance: ProductImage, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"products/{instance.workspace_id}/{uuid.uuid4().hex}.{suffix[:5]}"


class Product(WorkspaceScopedModel):
    """A product creators show; its reference images let the pre-review see whether it is in the video."""

    name = models.CharField(_("name"), max_length=160)
    sku = models.CharField(_("SKU"), max_length=60, blank=True)
    shop_url = models.URLField(_("shop link"), blank=True)
    # The product's ID in TikTok Shop: affiliate orders and sample requests name products by it.
    shop_product_id = models.CharField(_("TikTok Shop product ID"), max_length=40, blank=True)
    unit_cost_eur = models.DecimalField(
        _("cost per unit (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("What one unit costs you; a free sample costs this much."),
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProductImage(WorkspaceScopedModel):
    """A reference photo of a product (packshot), used for product-visibility matching."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to=product_image_path, max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.image.name or ""


class Campaign(WorkspaceScopedModel):
    """A brand campaign that creators are briefed for."""

    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    products = models.ManyToManyField(
        Product, blank=True, related_name="campaigns", verbose_name=_("products")
    )
    budget_eur = models.DecimalField(
        _("budget (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    commission_rate = models.DecimalField(
        _("commission rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # Who the campaign is looking for; the fit score compares creators against these.
    target_categories = models.CharField(_("target categories"), max_length=200, blank=True)
    target_countries = models.CharField(
        _("target countries"), max_length=100, blank=True, help_text=_("e.g. DE, AT, CH")
    )
    target_languages = models.CharField(
        _("target languages"), max_length=60, blank=True, help_text=_("e.g. de")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class CollaborationStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    SAMPLE_SENT = "sample_sent", _("Sample sent")
    SAMPLE_DELIVERED = "sample_delivered", _("Sample delivered")
    BRIEFED = "briefed", _("Briefed")
    DRAFT_SUBMITTED = "draft_submitted", _("Draft submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    POSTED = "posted", _("Posted")
    PAID = "paid", _("Paid")
    DECLINED = "declined", _("Declined")


class Collaboration(WorkspaceScopedModel):
    """One creator working on one campaign, moving through the pipeline."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="collaborations")
    creator = models.ForeignKey("creators.Creator", on_delete=models.CASCADE, related_name="collaborations")
    status = models.CharField(
        _("status"), max_length=24, choices=CollaborationStatus.choices, default=CollaborationStatus.PROSPECT
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    flat_fee_eur = models.DecimalField(
        _("flat fee (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign", "creator__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "creator"], name="collaboration_unique_creator")
        ]

    def __str__(self) -> str:
        return f"{self.creator} × {self.campaign}"


class Brief(WorkspaceScopedModel):
    """What the creators of a campaign are asked to make; the pre-review checks exactly this."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="brief")
    language = models.CharField(_("language of the videos"), max_length=8, default="de")
    goal = models.TextField(_("goal"), blank=True)
    must_mentions = models.TextField(
        _("key messages / must-mentions"), blank=True, help_text=_("one per line")
    )
    dos = models.TextField(_("do's"), blank=True, help_text=_("one per line"))
    donts = models.TextField(_("don'ts"), blank=True, help_text=_("one per line"))
    banned_terms = models.TextField(_("banned terms"), blank=True, help_text=_("one per line"))
    competitors = models.TextField(_("competitors"), blank=True, help_text=_("one per line"))
    disclosure_required = models.BooleanField(_("ad disclosure required"), default=True)
    video_format = models.CharField(_("format"), max_length=120, blank=True, default="9:16")
    min_duration_s = models.PositiveIntegerField(_("minimum length (s)"), null=True, blank=True)
    max_duration_s = models.PositiveIntegerField(_("maximum length (s)"), null=True, blank=True)
    hook_ideas = models.TextField(_("hook ideas"), blank=True, help_text=_("one per line"))
    example_videos = models.TextField(_("example videos"), blank=True, help_text=_("one link per line"))
    caption = models.TextField(_("caption template"), blank=True)
    draft_due_on = models.DateField(_("draft due on"), null=True, blank=True)
    post_due_on = models.DateField(_("post due on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Brief: {self.campaign}"


class SampleShipment(WorkspaceScopedModel):
    """A product sample for a creator, from the request until the video it was sent for is posted."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PREPARING = "preparing", _("Approved, preparing")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        RETURNED = "returned", _("Returned")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered here")
        TIKTOK_API = "tiktok_api", _("TikTok Shop sync")
        SELLER_CENTER = "seller_center", _("Seller Center export")

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="shipments")
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="shipments"
    )
    units = models.PositiveSmallIntegerField(_("units"), default=1)
    # What the sample cost when it went out; later price changes of the product do not rewrite it.
    unit_cost_eur = models.DecimalField(
        _("cost per unit (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    shipping_cost_eur = models.DecimalField(
        _("shipping cost (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREPARING)
    requested_on = models.DateField(_("requested on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    shipped_on = models.DateField(_("shipped on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    content_due_on = models.DateField(_("content due on"), null=True, blank=True)
    # The sample application in TikTok Shop's Affiliate Center, when the sample came from there.
    external_id = models.CharField(_("TikTok sample request ID"), max_length=64, blank=True)
    source = models.CharField(max_length=14, choices=Source.choices, default=Source.MANUAL)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "external_id"],
                condition=~models.Q(external_id=""),
                name="shipment_unique_external_id",
            )
        ]

    @property
    def cost_eur(self) -> Decimal | None:
        """Units × cost per unit plus shipping; None when neither is known."""
        if self.unit_cost_eur is None and self.shipping_cost_eur is None:
            return None
        return (self.unit_cost_eur or Decimal(0)) * self.units + (self.shipping_cost_eur or Decimal(0))

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}".strip()
