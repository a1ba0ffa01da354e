"""Posts, their metric snapshots and the viral alerts raised from them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.campaigns.models import Collaboration
from creatordesk.notifications.services import notify
from creatordesk.performance.connectors import METRIC_FIELDS, Snapshot
from creatordesk.performance.ingest import snapshots_ingest
from creatordesk.performance.models import Post, PostFormat, ViralAlert
from creatordesk.performance.services.amplify import amplify_task_request
from creatordesk.performance.services.breakouts import Peers, breakout_assessment, peers_load

SNOOZE_HOURS = 24
# How long after posting a post is still watched for an early breakout.
DETECTION_WINDOW = timedelta(days=7)


def post_create(
    *,
    collaboration: Collaboration,
    platform: str,
    url: str = "",
    external_id: str = "",
    format: str = PostFormat.VIDEO,
    caption: str = "",
    posted_at: datetime | None = None,
) -> Post:
    post = Post(
        workspace_id=collaboration.workspace_id,
        collaboration=collaboration,
        platform=platform,
        url=url.strip(),
        external_id=external_id.strip(),
        format=format,
        caption=caption,
        posted_at=posted_at,
    )
    post.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError:
        raise ValidationError(_("A post with this platform ID already exists.")) from None
    return post


def snapshots_record(*, rows: Sequence[tuple[Post, Snapshot]], check_viral: bool = True) -> int:
    """Store snapshots (see ingest.snapshots_ingest) and look for breakouts among young posts."""
    by_workspace: dict[int, list[tuple[Post, Snapshot]]] = defaultdict(list)
    for post, snap in rows:
        by_workspace[post.workspace_id].append((post, snap))
    stored = 0
    with transaction.atomic():
        for workspace_id, own in by_workspace.items():
            result = snapshots_ingest(
                workspace_id=workspace_id,
                rows=(
                    (post.pk, s.taken_at, *(getattr(s, name) for name in METRIC_FIELDS)) for post, s in own
                ),
            )
            stored += result.stored
            posts = {post.pk: post for post, _snap in own}
            for pk, newest in result.newest.items():
                posts[pk].metrics_at = newest
            if check_viral:
                _viral_check_young(posts.values())
    return stored


def viral_check_posts(*, post_ids: Iterable[int]) -> None:
    """Breakout checks for posts whose snapshots were stored without them."""
    posts = Post.objects.filter(pk__in=list(post_ids)).select_related("workspace", "collaboration__creator")
    _viral_check_young(posts)


def _viral_check_young(posts: Iterable[Post]) -> None:
    """Only posts still in their first days can break out early; older ones are not checked again."""
    loaded: dict[tuple[int, str], Peers] = {}
    for post in posts:
        if post.posted_at is None or post.metrics_at is None:
            continue
        if post.metrics_at - post.posted_at > DETECTION_WINDOW:
            continue
        key = (post.workspace_id, post.platform)
        if key not in loaded:
            loaded[key] = peers_load(workspace_id=key[0], platform=key[1])
        viral_check(post=post, peers=loaded[key])


def viral_check(*, post: Post, peers: Peers) -> list[ViralAlert]:
    """Raise each crossed threshold once per post; a snoozed alert mutes the post until it wakes."""
    latest = post.snapshots.order_by("-taken_at").first()
    if latest is None or post.alerts.filter(snoozed_until__gt=timezone.now()).exists():
        return []
    known = set(post.alerts.values_list("threshold", flat=True))
    created = []
    for breakout in breakout_assessment(post=post, latest=latest, peers=peers):
        if breakout.threshold in known:
            continue
        try:
            with transaction.atomic():
                alert = ViralAlert.objects.create(
                    workspace_id=post.workspace_id,
                    post=post,
                    threshold=breakout.threshold,
                    score=breakout.score,
                    explanation=breakout.explanations[settings.LANGUAGE_CODE],
                    explanations=breakout.explanations,
                )
        except IntegrityError:
            continue  # a concurrent poll raised it first
        created.append(alert)
    if created:
        amplify_task_request(post=post)
        creator = post.collaboration.creator
        notify(
            workspace=post.workspace,
            event="viral",
            text=_("A post by %(creator)s is taking off: %(explanation)s")
            % {"creator": creator.display_name, "explanation": created[0].explanation},
            url=reverse("performance:index"),
        )
    return created


def alert_snooze(*, alert: ViralAlert) -> ViralAlert:
    alert.snoozed_until = timezone.now() + timedelta(hours=SNOOZE_HOURS)
    alert.save(update_fields=["snoozed_until"])
    return alert
