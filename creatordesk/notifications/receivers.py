"""Which webhook receivers may be used, and posting to them through the guarded outbound client.

A receiver URL is chosen by a workspace manager, so it is checked like any user-supplied URL (OWASP
Server-Side Request Forgery Prevention Cheat Sheet): when it is saved, and again when each message
is sent, since DNS may answer differently by then. What a user sees of a failed send is one fixed
text whatever went wrong; telling a refused port from a timeout or an HTTP error would turn the
delivery log into a port scanner. The detail goes to the server log.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from creatordesk.lib import outbound

logger = logging.getLogger(__name__)

# Stored untranslated in Delivery.last_error and translated when the log is shown.
RECEIVER_FAILED = gettext_noop("The receiver could not be reached or did not accept the message.")
EMAIL_FAILED = gettext_noop("The email could not be sent.")
LIMITS = outbound.Limits(timeout_s=10, total_timeout_s=20, max_bytes=64 * 1024, max_redirects=3)


class ReceiverError(Exception):
    """Posting to a receiver failed; the message is for the server log only."""


def allow_list() -> outbound.AllowList:
    return outbound.AllowList.parse(settings.OUTBOUND_ALLOWED_HOSTS)


def receiver_url_check(url: str) -> None:
    """Raise a ValidationError with a message for the user unless `url` may receive webhooks."""
    try:
        outbound.check_url(url, allow_list())
    except outbound.UnsupportedURL:
        raise ValidationError(
            _("Use an http(s) URL with a host name and without user name or password."), code="unsupported"
        ) from None
    except outbound.BlockedTarget:
        raise ValidationError(
            _(
                "This URL points to a local, private or otherwise internal address. "
                "Webhooks can only be sent to receivers on the public internet."
            ),
            code="internal",
        ) from None
    except outbound.UnresolvableHost:
        raise ValidationError(
            _("The host name of this URL could not be found."), code="unresolvable"
        ) from None


def webhook_post(*, url: str, payload: dict[str, object]) -> None:
    """POST `payload` as JSON; raises ReceiverError unless the receiver answered 2xx."""
    try:
        response = outbound.request(
            "POST",
            url,
            body=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "User-Agent": "CreatorDesk"},
            allow=allow_list(),
            limits=LIMITS,
        )
    except outbound.OutboundError as exc:
        raise ReceiverError(f"{type(exc).__name__}: {exc}") from None
    if not 200 <= response.status < 300:
        raise ReceiverError(f"HTTP {response.status} {response.reason}")
