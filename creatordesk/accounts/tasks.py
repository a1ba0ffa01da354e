"""Background work of the accounts app."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from creatordesk.accounts.models import Invitation
from creatordesk.djangolib.links import absolute_url


@task()
def send_invitation_email(*, invitation_id: int, site_url: str = "") -> str:
    """Email the invitation link; returns the recipient so the stored result shows who was mailed.

    `site_url` is the "scheme://host" of the request that invited, for the link when SITE_URL is unset.
    """
    invitation = Invitation.objects.select_related("workspace", "invited_by").get(pk=invitation_id)
    language = invitation.invited_by.language if invitation.invited_by else settings.LANGUAGE_CODE
    url = absolute_url(reverse("accounts:invitation_accept", args=[invitation.token]), recorded=site_url)
    with translation.override(language):
        subject = _("You are invited to %(workspace)s on CreatorDesk") % {
            "workspace": invitation.workspace.name
        }
        body = _(
            "%(inviter)s invited you to join %(workspace)s on CreatorDesk.\n\n"
            "Accept the invitation here (valid for %(days)s days):\n%(url)s\n"
        ) % {
            "inviter": invitation.invited_by or "CreatorDesk",
            "workspace": invitation.workspace.name,
            "days": settings.INVITATION_MAX_AGE_DAYS,
            "url": url,
        }
    send_mail(subject, body, None, [invitation.email])
    return invitation.email
