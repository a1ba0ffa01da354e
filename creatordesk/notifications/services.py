"""Send workspace events by email and webhook, with retries that never drop a message silently."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from creatordesk.accounts.models import Membership, Role, Workspace
from creatordesk.creators.models import Creator
from creatordesk.notifications.models import Delivery, Webhook

# Who is emailed for which event (the creator gets decisions through `creator=`).
EMAIL_ROLES = {
    "version_uploaded": (Role.OWNER, Role.MANAGER, Role.REVIEWER),
    "decision": (Role.OWNER, Role.MANAGER),
    "changes_requested": (Role.OWNER, Role.MANAGER),
    "viral": (Role.OWNER, Role.PERFORMANCE),
}
MAX_ATTEMPTS = 5


def notify(
    *, workspace: Workspace, event: str, text: str, url: str = "", creator: Creator | None = None
) -> list[Delivery]:
    """Record one delivery per receiver and queue them after the surrounding transaction commits."""
    subject = f"[{workspace.name}] {text}"[:200]
    targets: list[tuple[str, Webhook | None, str]] = []
    emails = Membership.objects.filter(workspace=workspace, role__in=EMAIL_ROLES.get(event, ())).values_list(
        "user__email", flat=True
    )
    targets += [(Delivery.Channel.EMAIL, None, e) for e in emails]
    if creator is not None and creator.email:
        targets.append((Delivery.Channel.EMAIL, None, creator.email))
    targets += [
        (Delivery.Channel.WEBHOOK, w, w.url)
        for w in Webhook.objects.for_workspace(workspace).filter(active=True)
    ]
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            workspace=workspace,
            channel=c,
            webhook=w,
            target=t,
            event=event,
            subject=subject,
            text=text,
            url=url,
        )
        for c, w, t in targets
    )
    ids = [d.pk for d in deliveries]  # bulk_create returns primary keys on SQLite and PostgreSQL
    transaction.on_commit(lambda: _enqueue_all(ids))
    return deliveries


def _enqueue_all(ids: list[int]) -> None:
    from creatordesk.notifications.tasks import deliver

    for pk in ids:
        deliver.enqueue(delivery_id=pk)


def webhook_payload(delivery: Delivery) -> dict[str, object]:
    link = settings.SITE_URL + delivery.url if delivery.url else ""
    message = f"{delivery.text} {link}".strip()
    flavour = delivery.webhook.flavour if delivery.webhook else Webhook.Flavour.JSON
    if flavour == Webhook.Flavour.SLACK:
        return {"text": message}
    if flavour == Webhook.Flavour.DISCORD:
        return {"content": message[:2000]}
    return {"event": delivery.event, "text": delivery.text, "url": link, "workspace": delivery.workspace.name}


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.Channel.EMAIL:
        link = settings.SITE_URL + delivery.url if delivery.url else ""
        send_mail(delivery.subject, f"{delivery.text}\n\n{link}\n", None, [delivery.target])
        return
    request = urllib.request.Request(
        delivery.target,
        data=json.dumps(webhook_payload(delivery)).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "CreatorDesk"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        if response.status >= 300:
            raise urllib.error.HTTPError(
                delivery.target, response.status, "unexpected status", response.headers, None
            )


def delivery_attempt(*, delivery: Delivery) -> timedelta | None:
    """Try once; returns the wait before the next try, or None when done (sent or given up)."""
    if delivery.status == Delivery.Status.SENT:
        return None
    delivery.attempts += 1
    try:
        _send(delivery)
    except Exception as exc:  # any failure of a receiver is recorded, never raised into the worker
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        give_up = delivery.attempts >= MAX_ATTEMPTS
        delivery.status = Delivery.Status.FAILED if give_up else Delivery.Status.PENDING
        delivery.save(update_fields=["attempts", "last_error", "status"])
        return None if give_up else timedelta(seconds=30 * 2 ** (delivery.attempts - 1))
    delivery.status, delivery.sent_at, delivery.last_error = Delivery.Status.SENT, timezone.now(), ""
    delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return None


def delivery_retry(*, delivery: Delivery) -> Delivery:
    """Send a failed delivery again on request (resets its attempts)."""
    from creatordesk.notifications.tasks import deliver

    delivery.status, delivery.attempts = Delivery.Status.PENDING, 0
    delivery.save(update_fields=["status", "attempts"])
    transaction.on_commit(lambda: deliver.enqueue(delivery_id=delivery.pk))
    return delivery


def webhook_create(*, workspace: Workspace, name: str, url: str, flavour: str) -> Webhook:
    webhook = Webhook(workspace=workspace, name=name.strip(), url=url.strip(), flavour=flavour)
    webhook.full_clean()
    webhook.save()
    return webhook


def webhook_delete(*, webhook: Webhook) -> None:
    webhook.delete()
