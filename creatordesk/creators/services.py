"""Every state change of creators."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from creatordesk.accounts.models import Workspace
from creatordesk.creators.activity import activity_record
from creatordesk.creators.models import Creator, Platform, PlatformAccount, new_portal_key
from creatordesk.creators.portal import portal_language, portal_token_for
from creatordesk.djangolib.links import absolute_url
from creatordesk.notifications.services import CreatorEmail, notify


def creator_create(
    *,
    workspace: Workspace,
    display_name: str,
    email: str = "",
    tiktok_handle: str = "",
    country: str = "",
    **fields: Any,
) -> Creator:
    creator = Creator(
        workspace=workspace,
        display_name=display_name.strip(),
        email=email.strip().lower(),
        tiktok_handle=normalise_handle(tiktok_handle),
        country=country.strip().upper(),
        **fields,
    )
    creator.full_clean()
    creator.save()
    if creator.tiktok_handle:
        account_upsert(creator=creator, platform=Platform.TIKTOK, handle=creator.tiktok_handle)
    activity_record(creator=creator, verb="created", text=_("Added to the creator database"))
    return creator


def normalise_handle(handle: str) -> str:
    """Handles are case-insensitive on every supported platform; store them lower-case without "@"."""
    return handle.strip().lstrip("@").strip().lower()


def account_upsert(*, creator: Creator, platform: str, handle: str, **figures: Any) -> PlatformAccount:
    handle = normalise_handle(handle)
    if not handle:
        raise ValidationError(_("A handle is needed."))
    taken = PlatformAccount.objects.filter(
        workspace_id=creator.workspace_id, platform=platform, handle=handle
    )
    if taken.exclude(creator=creator).exists():
        raise ValidationError(_("@%(handle)s already belongs to another creator.") % {"handle": handle})
    account, _created = PlatformAccount.objects.update_or_create(
        workspace_id=creator.workspace_id,
        platform=platform,
        handle=handle,
        defaults={"creator": creator, **{k: v for k, v in figures.items() if v is not None}},
    )
    creator_refresh_figures(creator=creator)
    return account


def creator_refresh_figures(*, creator: Creator) -> Creator:
    """Recompute the list's denormalised figures from the creator's platform accounts."""
    accounts = list(creator.accounts.all())
    creator.followers = sum(a.followers or 0 for a in accounts)
    biggest = max(accounts, key=lambda a: a.followers or 0, default=None)
    creator.engagement_rate = biggest.engagement_rate if biggest else None
    creator.save(update_fields=["followers", "engagement_rate"])
    return creator


# Erasure redacts only the creator's current identifiers; an earlier name, address, phone number or note
# copied into the timeline would outlive it, so for these fields the timeline says only that they changed.
UNQUOTED_FIELDS = frozenset({"display_name", "email", "phone", "notes"})


def creator_update(*, creator: Creator, actor: object = None, **fields: Any) -> Creator:
    """Change profile fields; every change lands in the creator's timeline, what it was and what it is."""
    if "display_name" in fields:
        fields["display_name"] = fields["display_name"].strip()
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
    if "country" in fields:
        fields["country"] = fields["country"].strip().upper()
    before = {name: getattr(creator, name) for name in fields}
    for name, value in fields.items():
        setattr(creator, name, value)
    creator.full_clean()
    creator.save()
    changes = [_change_text(creator, name, before[name]) for name in fields if before[name] != fields[name]]
    if changes:
        activity_record(
            creator=creator,
            verb="updated",
            text=_("Profile edited: %(changes)s") % {"changes": "; ".join(changes)},
            actor=actor,
        )
    return creator


def _change_text(creator: Creator, name: str, old: object) -> str:
    label = str(getattr(Creator._meta.get_field(name), "verbose_name", name))
    if name in UNQUOTED_FIELDS:
        return _("%(field)s changed") % {"field": label}
    return _("%(field)s: %(old)s → %(new)s") % {
        "field": label,
        "old": old or "—",
        "new": getattr(creator, name) or "—",
    }


def creator_portal_url(*, creator: Creator) -> str:
    return absolute_url(reverse("creators:portal", args=[portal_token_for(creator)]))


def creator_revoke_portal_links(*, creator: Creator) -> Creator:
    creator.portal_key = new_portal_key()
    creator.save(update_fields=["portal_key"])
    return creator


def creator_portal_link_send(*, creator: Creator, actor: object = None) -> str:
    """Email the creator a fresh portal link in their language; returns the address it goes to.

    Sent through the notification deliveries, so a failed mail is retried and stays visible.
    """
    if creator.erased_at is not None or not creator.email:
        raise ValidationError(
            _("%(name)s has no email address. Add one to the profile first.")
            % {"name": creator.display_name},
            code="no_email",
        )
    workspace = creator.workspace
    with translation.override(portal_language(creator)):
        subject = _("Your link to the creator portal of %(brand)s") % {"brand": workspace.name}
        facts = {"brand": workspace.name, "days": settings.CREATOR_LINK_MAX_AGE_DAYS}
        text = "\n".join(
            [
                _("Hello %(name)s,") % {"name": creator.display_name},
                "",
                _(
                    "here is your personal link to the creator portal of %(brand)s. There you find your "
                    "collaborations and briefs and upload your videos. The link works for %(days)d days; "
                    "please do not forward it:"
                )
                % facts,
            ]
        )
    with transaction.atomic():
        notify(
            workspace=workspace,
            event="portal_link_sent",
            text=_("Portal link emailed to %(name)s") % {"name": creator.display_name},
            url=reverse("creators:creator_detail", args=[creator.pk]),
            to_creator=CreatorEmail(
                to=creator.email,
                subject=subject,
                text=text,
                url=reverse("creators:portal", args=[portal_token_for(creator)]),
            ),
        )
        activity_record(
            creator=creator,
            verb="portal_link_sent",
            # Not the address itself: an erasure redacts the current one, not one copied in here.
            text=_("Portal link sent by email"),
            actor=actor,
        )
    return creator.email
