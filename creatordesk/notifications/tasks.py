"""Background delivery of notifications."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from creatordesk.notifications.models import Delivery
from creatordesk.notifications.services import delivery_attempt


@task()
def deliver(*, delivery_id: int) -> str:
    delivery = Delivery.objects.select_related("webhook", "workspace").get(pk=delivery_id)
    wait = delivery_attempt(delivery=delivery)
    if wait is not None:
        deliver.using(run_after=timezone.now() + wait).enqueue(delivery_id=delivery_id)
    return delivery.status
