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
    # Rotating this key revokes every portal link sent so far.
    portal_key = models.CharField(max_length=32, default=new_portal_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["display_name"]
        indexes = [models.Index(fields=["workspace", "display_name"], name="creator_ws_name_idx")]

    def __str__(self) -> str:
        return self.display_name
