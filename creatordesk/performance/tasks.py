"""Background work of the performance app: periodic polling of platform metrics, creator emails."""

from __future__ import annotations

from datetime import timedelta
from itertools import batched

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from creatordesk.djangolib.task_schedule import enqueue_once
from creatordesk.performance.models import AmplifyTask, Post
from creatordesk.performance.services import amplify_request_notify, post_metrics_poll, viral_check_posts

# Posts older than this rarely change enough to be worth an API call.
POLL_WINDOW_DAYS = 30


@task()
def poll_metrics(*, reschedule: bool = True) -> dict[str, int]:
    """Queue the next run, then poll recent posts of every workspace.

    The next run is queued first, so a worker that dies during a poll does not end the loop.
    Running twice in the same hour writes the same snapshots again (one per post and hour), so an
    extra run is harmless.
    """
    if reschedule:
        minutes = settings.METRICS_POLL_MINUTES
        enqueue_once(poll_metrics, run_after=timezone.now() + timedelta(minutes=minutes), reschedule=True)
    since = timezone.now() - timedelta(days=POLL_WINDOW_DAYS)
    counts = {"ok": 0, "skipped": 0, "error": 0}
    posts = (
        Post.objects.filter(posted_at__gte=since)
        .exclude(external_id="")
        .select_related("workspace", "collaboration__creator")
    )
    for batch in batched(posts.iterator(chunk_size=200), 200):
        stored = []
        for post in batch:
            result = post_metrics_poll(post=post, check_viral=False)
            counts[result.status] += 1
            if result.snapshots:
                stored.append(post.pk)
        viral_check_posts(post_ids=stored)  # one read of the curves for the whole batch
    return counts


def polling_ensure_scheduled() -> bool:
    """Queue the polling loop unless a run is already waiting; True when one was queued."""
    return enqueue_once(poll_metrics, reschedule=True)


@task()
def amplify_request_email(*, amplify_task_id: int) -> str:
    """Tell the creator that a Spark Ads code is wanted for their post."""
    amplify_task = AmplifyTask.objects.select_related(
        "workspace", "post__collaboration__creator", "post__collaboration__campaign"
    ).get(pk=amplify_task_id)
    return amplify_request_notify(task=amplify_task)
