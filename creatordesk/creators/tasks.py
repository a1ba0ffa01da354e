"""Background work of the creators app."""

from __future__ import annotations

from django.tasks import task

from creatordesk.creators.community import broadcast_deliver
from creatordesk.creators.import_jobs import job_run
from creatordesk.creators.models import Broadcast


@task()
def send_broadcast(*, broadcast_id: int) -> dict[str, int]:
    return broadcast_deliver(broadcast=Broadcast.objects.get(pk=broadcast_id))


@task()
def run_import_job(*, job_id: int) -> None:
    job_run(job_id=job_id)
