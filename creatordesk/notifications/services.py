"""Send workspace events by email and webhook, with retries that never drop a message silently."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from creatordesk.accounts.models import Membership, Role, Workspace
from creatordesk.djangolib.links import absolute_url, request_base
from creatordesk.notifications.models import Delivery, Resend, Webhook
from creatordesk.notifications.receivers import EMAIL_FAILED, RECEIVER_FAILED, webhook_post

logger = logging.getLogger(__name__)

# Who is emailed for which event (the creator gets decisions through `to_creator=`).
EMAIL_ROLES = {
    "version_uploaded": (Role.OWNER, Role.MANAGER, Role.REVIEWER),
    "decision": (Role.OWNER, Role.MANAGER),
    "changes_requested": (Role.OWNER, Role.MANAGER),
    "viral": (Role.OWNER, Role.PERFORMANCE),
}
MAX_ATTEMPTS = 5
# "Send again" makes a request to a URL of the workspace's choosing, so it is rationed.
RESEND_INTERVAL = timedelta(minutes=1)
RESENDS_PER_HOUR = 20


@dataclass(frozen=True)
class CreatorEmail:
    """The creator's own message about an event: in their language, linking to their portal."""

    to: str
    subject: str
    text: str
    url: str


def notify(
    *,
    workspace: Workspace,
    event: str,
    text: str,
    url: str = "",
    to_creator: CreatorEmail | None = None,
) -> list[Delivery]:
    """Record one delivery per receiver and queue them after the surrounding transaction commits.

    Staff and webhooks get `text` with a link to `url` (a staff page); the creator gets `to_creator`,
    since staff pages need a sign-in the creator does not have.
    """
    prefix = f"[{workspace.name}] "
    staff = (f"{prefix}{text}"[:200], text, url)
    outgoing: list[tuple[str, Webhook | None, str, tuple[str, str, str]]] = []
    emails = Membership.objects.filter(workspace=workspace, role__in=EMAIL_ROLES.get(event, ())).values_list(
        "user__email", flat=True
    )
    outgoing += [(Delivery.Channel.EMAIL, None, e, staff) for e in emails]
    if to_creator is not None and to_creator.to:
        own = (f"{prefix}{to_creator.subject}"[:200], to_creator.text, to_creator.url)
        outgoing.append((Delivery.Channel.EMAIL, None, to_creator.to, own))
    outgoing += [
        (Delivery.Channel.WEBHOOK, w, w.url, staff)
        for w in Webhook.objects.for_workspace(workspace).filter(active=True)
    ]
    site_url = request_base()
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            workspace=workspace,
            channel=channel,
            webhook=webhook,
            target=target,
            event=event,
            subject=subject,
            text=body,
            url=link,
            site_url=site_url,
        )
        for channel, webhook, target, (subject, body, link) in outgoing
    )
    ids = [d.pk for d in deliveries]  # bulk_create returns primary keys on SQLite and PostgreSQL
    transaction.on_commit(lambda: _enqueue_all(ids))
    return deliveries


def _enqueue_all(ids: list[int]) -> None:
    from creatordesk.notifications.tasks import deliver

    for pk in ids:
        deliver.enqueue(delivery_id=pk)


def delivery_link(delivery: Delivery) -> str:
    return absolute_url(delivery.url, recorded=delivery.site_url) if delivery.url else ""


def webhook_payload(delivery: Delivery) -> dict[str, object]:
    link = delivery_link(delivery)
    message = f"{delivery.text} {link}".strip()
    flavour = delivery.webhook.flavour if delivery.webhook else Webhook.Flavour.JSON
    if flavour == Webhook.Flavour.SLACK:
        return {"text": message}
    if flavour == Webhook.Flavour.DISCORD:
        return {"content": message[:2000]}
    return {"event": delivery.event, "text": delivery.text, "url": link, "workspace": delivery.workspace.name}


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.Channel.EMAIL:
        send_mail(
            delivery.subject, f"{delivery.text}\n\n{delivery_link(delivery)}\n", None, [delivery.target]
        )
        return
    # The URL is checked again here, and on every redirect: DNS may have changed since it was saved.
    webhook_post(url=delivery.target, payload=webhook_payload(delivery))


def delivery_attempt(*, delivery: Delivery) -> timedelta | None:
    """Try once; returns the wait before the next try, or None when done (sent or given up)."""
    if delivery.status == Delivery.Status.SENT:
        return None
    delivery.attempts += 1
    try:
        _send(delivery)
    except Exception as exc:  # any failure of a receiver is recorded, never raised into the worker
        # One fixed text for the user whatever failed (see receivers.py); the detail is for the log.
        # Receiver URLs often hold a secret token, so the log names the delivery, not the URL.
        logger.info("delivery %s (%s) failed: %s: %s", delivery.pk, delivery.channel, type(exc).__name__, exc)
        delivery.last_error = EMAIL_FAILED if delivery.channel == Delivery.Channel.EMAIL else RECEIVER_FAILED
        give_up = delivery.attempts >= MAX_ATTEMPTS
        delivery.status = Delivery.Status.FAILED if give_up else Delivery.Status.PENDING
        delivery.save(update_fields=["attempts", "last_error", "status"])
        return None if give_up else timedelta(seconds=30 * 2 ** (delivery.attempts - 1))
    delivery.status, delivery.sent_at, delivery.last_error = Delivery.Status.SENT, timezone.now(), ""
    delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return None


def delivery_retry(*, delivery: Delivery) -> Delivery:
    """Send a failed delivery again on request (resets its attempts), within the resend limits."""
    from creatordesk.notifications.tasks import deliver

    now = timezone.now()
    with transaction.atomic():
        # Locking the workspace row makes concurrent requests count each other's resends.
        Workspace.objects.select_for_update().filter(pk=delivery.workspace_id).first()
        current = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if current.status != Delivery.Status.FAILED:
            raise ValidationError(_("Only failed deliveries can be sent again."), code="not_failed")
        resends = Resend.objects.filter(workspace_id=delivery.workspace_id)
        if resends.filter(delivery=current, created_at__gt=now - RESEND_INTERVAL).exists():
            raise ValidationError(
                _("This delivery was just sent again. Please wait a minute before trying once more."),
                code="too_soon",
            )
        if resends.filter(created_at__gt=now - timedelta(hours=1)).count() >= RESENDS_PER_HOUR:
            raise ValidationError(
                ngettext(
                    "This workspace has sent %(count)d delivery again in the last hour, the most allowed. "
                    "Please try later.",
                    "This workspace has sent %(count)d deliveries again in the last hour, the most allowed. "
                    "Please try later.",
                    RESENDS_PER_HOUR,
                )
                % {"count": RESENDS_PER_HOUR},
                code="too_many",
            )
        Resend.objects.create(workspace_id=delivery.workspace_id, delivery=current)
        delivery.status, delivery.attempts = Delivery.Status.PENDING, 0
        delivery.save(update_fields=["status", "attempts"])
        transaction.on_commit(lambda: deliver.enqueue(delivery_id=delivery.pk))
    return delivery


def webhook_create(*, workspace: Workspace, name: str, url: str, flavour: str) -> Webhook:
    """Add a receiver; full_clean refuses internal, unresolvable and non-http(s) URLs."""
    webhook = Webhook(workspace=workspace, name=name.strip(), url=url.strip(), flavour=flavour)
    webhook.full_clean()
    webhook.save()
    return webhook


def webhook_delete(*, webhook: Webhook) -> None:
    webhook.delete()
