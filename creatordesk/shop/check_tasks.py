"""Background work of the posted-as-approved checks: one check, and the loop that finds posts to check."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from creatordesk.djangolib.task_schedule import enqueue_once
from creatordesk.engine.context import ReviewContext
from creatordesk.engine.priority import lower_priority
from creatordesk.shop.models import PostCheck
from creatordesk.shop.post_checks import post_check_run, post_checks_create_missing

# New posts arrive with the hourly metrics poll and with imports; half an hour later they are checked.
QUEUE_INTERVAL = timedelta(minutes=30)


@task()
def post_check_task(*, check_id: int) -> str:
    """Run one check unless it is gone or already finished."""
    check = PostCheck.objects.filter(pk=check_id).first()
    if check is None or check.status in (PostCheck.Status.DONE, PostCheck.Status.FAILED):
        return "skipped"
    # Fingerprinting decodes whole videos; the web server's requests go first.
    lower_priority(ReviewContext.from_env().analysis_nice)
    return post_check_run(check=check).status


@task()
def post_checks_queue(*, reschedule: bool = True) -> dict[str, int]:
    """Queue the next run, then create and queue a check for each approved collaboration's unchecked post.

    The next run is queued first, so a worker that dies during this one does not end the loop.
    """
    if reschedule:
        enqueue_once(post_checks_queue, run_after=timezone.now() + QUEUE_INTERVAL, reschedule=True)
    return {"queued": len(post_checks_create_missing())}
