"""Every state change of creators."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from creatordesk.accounts.models import Workspace
from creatordesk.creators.models import Creator, new_portal_key
from creatordesk.creators.portal import portal_token_for


def creator_create(
    *,
    workspace: Workspace,
    display_name: str,
    email: str = "",
    tiktok_handle: str = "",
    country: str = "",
    languages: str = "",
    notes: str = "",
) -> Creator:
    creator = Creator(
        workspace=workspace,
        display_name=display_name.strip(),
        email=email.strip().lower(),
        tiktok_handle=tiktok_handle.strip().lstrip("@"),
        country=country.strip().upper(),
        languages=languages.strip(),
        notes=notes,
    )
    creator.full_clean()
    creator.save()
    return creator


def creator_update(*, creator: Creator, **fields: str) -> Creator:
    for name, value in fields.items():
        setattr(creator, name, value)
    creator.full_clean()
    creator.save()
    return creator


def creator_portal_url(*, creator: Creator) -> str:
    return settings.SITE_URL + reverse("creators:portal", args=[portal_token_for(creator)])


def creator_revoke_portal_links(*, creator: Creator) -> Creator:
    creator.portal_key = new_portal_key()
    creator.save(update_fields=["portal_key"])
    return creator
