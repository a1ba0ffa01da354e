"""Webhooks and the record of every notification sent (or still being retried)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.scoping import WorkspaceScopedModel

EVENTS = ("version_uploaded", "decision", "changes_requested")


class Webhook(WorkspaceScopedModel):
    """An incoming-webhook URL (Slack, Discord or any JSON receiver) that gets workspace events."""

    class Flavour(models.TextChoices):
        SLACK = "slack", "Slack"
        DISCORD = "discord", "Discord"
        JSON = "json", _("Generic JSON")

    name = models.CharField(_("name"), max_length=80)
    url = models.URLField(_("URL"), max_length=500)
    flavour = models.CharField(_("format"), max_length=10, choices=Flavour.choices, default=Flavour.SLACK)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Delivery(WorkspaceScopedModel):
    """One notification to one receiver; failures are retried with back-off and stay visible."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    webhook = models.ForeignKey(Webhook, on_delete=models.SET_NULL, null=True, blank=True)
    target = models.CharField(max_length=500)
    event = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} → {self.target} ({self.status})"
