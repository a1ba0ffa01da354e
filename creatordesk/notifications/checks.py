"""Start-up checks: the outbound allow-list (a typo stops the process instead of every send), and
SITE_URL in production (`check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.checks import Warning as CheckWarning

from creatordesk.djangolib.links import LAST_RESORT_BASE
from creatordesk.lib.outbound import AllowList


def check_outbound_allow_list(**kwargs: Any) -> list[CheckMessage]:
    try:
        AllowList.parse(settings.OUTBOUND_ALLOWED_HOSTS)
    except ValueError as exc:
        return [Error(f"OUTBOUND_ALLOWED_HOSTS: {exc}", id="notifications.E001")]
    return []


def check_site_url(**kwargs: Any) -> list[CheckMessage]:
    # Without SITE_URL, links are built from the request that caused a message, and messages caused
    # by no request (periodic tasks, the command line) fall back to a local address.
    if settings.SITE_URL or settings.DEBUG:
        return []
    return [
        CheckWarning(
            "SITE_URL is not set: links in emails and webhooks are built from the requests that "
            f"cause them, and from {LAST_RESORT_BASE} where no request does.",
            hint="Set SITE_URL to the address people open CreatorDesk at, e.g. https://desk.example.com.",
            id="notifications.W001",
        )
    ]
