"""Webhooks and the record of every notification sent (or still being retried)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.scoping import WorkspaceScopedModel
from creatordesk.notifications.receivers import receiver_url_check


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

    def clean(self) -> None:
        # Here rather than only in the form, so every edit path (admin included) checks the receiver.
        if self.url:
            try:
                receiver_url_check(self.url)
            except ValidationError as exc:
                raise ValidationError({"url": exc}) from None


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
    # "scheme://host" of the request that caused the message; its link starts there unless SITE_URL is set.
    site_url = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} → {self.target} ({self.status})"


class Resend(WorkspaceScopedModel):
    """One request to send a delivery again; the recent ones limit how often that may happen."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="resends")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.delivery_id} @ {self.created_at:%Y-%m-%d %H:%M}"
