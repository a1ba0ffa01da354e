"""Start-up check of the outbound allow-list, so a typo stops the process instead of every send."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

from creatordesk.lib.outbound import AllowList


def check_outbound_allow_list(**kwargs: Any) -> list[CheckMessage]:
    try:
        AllowList.parse(settings.OUTBOUND_ALLOWED_HOSTS)
    except ValueError as exc:
        return [Error(f"OUTBOUND_ALLOWED_HOSTS: {exc}", id="notifications.E001")]
    return []
