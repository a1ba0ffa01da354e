"""Campaigns and the collaborations (creator × campaign) inside them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.scoping import WorkspaceScopedModel


class Campaign(WorkspaceScopedModel):
    """A brand campaign that creators are briefed for."""

    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign", "creator__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "creator"], name="collaboration_unique_creator")
        ]

    def __str__(self) -> str:
        return f"{self.creator} × {self.campaign}"
