"""Writes of the performance app: posts, metric snapshots, viral alerts and Spark Ads requests."""

from __future__ import annotations

import bisect
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from creatordesk.campaigns.models import Collaboration
from creatordesk.creators.activity import activity_record
from creatordesk.creators.portal import portal_language, portal_token_for
from creatordesk.notifications.links import absolute_url
from creatordesk.notifications.services import notify
from creatordesk.performance.connections import connectors_for_workspace
from creatordesk.performance.connectors import (
    METRIC_FIELDS,
    Connector,
    ConnectorError,
    Snapshot,
)
from creatordesk.performance.ingest import snapshots_ingest
from creatordesk.performance.models import AmplifyTask, MetricSnapshot, Post, PostFormat, ViralAlert
from creatordesk.performance.viral.model import EarlyViewsModel
from creatordesk.performance.viral_live import model_breakout, series_of, workspace_model
from creatordesk.performance.wording import in_every_language

# Breakout thresholds. A post needs this many comparable posts before a baseline means anything.
CREATOR_RATIO = 3.0
MIN_CREATOR_PEERS = 3
MIN_WORKSPACE_PEERS = 10
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


@dataclass(frozen=True)
class Breakout:
    threshold: str
    score: float
    explanations: dict[str, str]  # language code: text


def _views_at_age(
    points: list[tuple[float, int]], age_h: float, ages: list[float] | None = None
) -> float | None:
    """Views of a post `age_h` hours after posting, read off its snapshots (linear in between).

    `ages` (the points' ages, in order) may be passed in when the same curve is read many times.
    """
    if not points or points[-1][0] < age_h:
        return None  # never observed that old; its growth up to that age is unknown
    index = bisect.bisect_left(ages if ages is not None else [age for age, _views in points], age_h)
    after = points[index]
    before = points[index - 1] if index else (0.0, 0)
    span = after[0] - before[0]
    share = (age_h - before[0]) / span if span else 1.0
    return before[1] + share * (after[1] - before[1])


def _age_curves(posts: Iterable[Post]) -> dict[int, list[tuple[float, int]]]:
    posted = {p.pk: p.posted_at for p in posts if p.posted_at}
    curves: dict[int, list[tuple[float, int]]] = {}
    rows = MetricSnapshot.objects.filter(post_id__in=posted).order_by("taken_at")
    for post_id, taken_at, views in rows.values_list("post_id", "taken_at", "views"):
        age_h = (taken_at - posted[post_id]).total_seconds() / 3600
        if age_h >= 0:
            curves.setdefault(post_id, []).append((age_h, views))
    return curves


@dataclass
class Peers:
    """The posts of one workspace and platform with their view curves, loaded once per batch."""

    posts: list[Post]
    curves: dict[int, list[tuple[float, int]]]
    _ages: dict[int, list[float]] = field(default_factory=dict, repr=False)

    def ages(self, post_id: int) -> list[float]:
        """The ages of a post's curve, kept once the first breakout check of a batch asked for them."""
        if post_id not in self._ages:
            self._ages[post_id] = [age for age, _views in self.curves.get(post_id, [])]
        return self._ages[post_id]


def peers_load(*, workspace_id: int, platform: str) -> Peers:
    posts = list(
        Post.objects.filter(workspace_id=workspace_id, platform=platform, posted_at__isnull=False)
        .select_related("collaboration")
        .only("pk", "posted_at", "collaboration__creator_id")
    )
    return Peers(posts, _age_curves(posts))


def breakout_assessment(*, post: Post, latest: MetricSnapshot, peers: Peers | None = None) -> list[Breakout]:
    """How far a post runs ahead of comparable posts at the same age.

    This is the seam for the viral prediction model; until that model is wired in it compares the
    post's views at its current age with the median of the same creator's other posts at that age
    (and with the workspace's top decile on the platform).
    """
    if post.posted_at is None or latest.taken_at <= post.posted_at:
        return []
    age_h = (latest.taken_at - post.posted_at).total_seconds() / 3600
    peers = peers or peers_load(workspace_id=post.workspace_id, platform=post.platform)
    model = workspace_model(post.workspace_id)
    if model is not None:
        return _model_breakouts(model, post=post, peers=peers)
    creator_id = post.collaboration.creator_id
    same_creator, everyone = [], []
    for peer in peers.posts:
        if peer.pk == post.pk:
            continue
        value = _views_at_age(peers.curves.get(peer.pk, []), age_h, peers.ages(peer.pk))
        if value is None:
            continue
        everyone.append(value)
        if peer.collaboration.creator_id == creator_id:
            same_creator.append(value)
    views, hours = latest.views, round(age_h)
    found = []
    if len(same_creator) >= MIN_CREATOR_PEERS:
        median = statistics.median(same_creator)
        ratio = views / max(median, 1.0)
        if ratio >= CREATOR_RATIO:
            texts = in_every_language(
                lambda: (
                    _(
                        "%(views)s views after %(hours)s h: %(ratio)s× this creator's median of %(median)s "
                        "at the same age (%(count)s earlier posts)."
                    )
                    % {
                        "views": number_format(views, force_grouping=True),
                        "hours": hours,
                        "ratio": number_format(ratio, 1),
                        "median": number_format(round(median), force_grouping=True),
                        "count": len(same_creator),
                    }
                )
            )
            found.append(Breakout("creator_median_x3", round(ratio, 2), texts))
    if len(everyone) >= MIN_WORKSPACE_PEERS:
        p90 = statistics.quantiles(everyone, n=10)[-1]
        if views > p90:
            texts = in_every_language(
                lambda: (
                    _(
                        "%(views)s views after %(hours)s h: above the top 10 %% of %(count)s posts on this "
                        "platform at the same age (%(p90)s)."
                    )
                    % {
                        "views": number_format(views, force_grouping=True),
                        "hours": hours,
                        "count": len(everyone),
                        "p90": number_format(round(p90), force_grouping=True),
                    }
                )
            )
            found.append(Breakout("top_decile", round(views / max(p90, 1.0), 2), texts))
    return found


MODEL_THRESHOLD = "model_breakout"


def _model_breakouts(model: EarlyViewsModel, *, post: Post, peers: Peers) -> list[Breakout]:
    """The workspace's trained early-views model decides (see viral_live)."""
    creator_id = post.collaboration.creator_id
    history = [
        series
        for peer in peers.posts
        if peer.pk != post.pk and peer.collaboration.creator_id == creator_id
        if (series := series_of(peer.pk, peers.curves.get(peer.pk, []), creator_id))
    ]
    flagged = model_breakout(model, post_id=post.pk, curve=peers.curves.get(post.pk, []), history=history)
    return [Breakout(MODEL_THRESHOLD, *flagged)] if flagged else []


def viral_check(*, post: Post, peers: Peers | None = None) -> list[ViralAlert]:
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


def alert_snooze(*, alert: ViralAlert, hours: int = SNOOZE_HOURS) -> ViralAlert:
    alert.snoozed_until = timezone.now() + timedelta(hours=hours)
    alert.save(update_fields=["snoozed_until"])
    return alert


OPEN_STATUSES = (AmplifyTask.Status.REQUESTED, AmplifyTask.Status.RECEIVED, AmplifyTask.Status.IN_USE)


def amplify_task_request(*, post: Post, note: str = "") -> AmplifyTask:
    """Ask the creator for a Spark Ads code, unless a request for this post is still open."""
    from creatordesk.performance.tasks import amplify_request_email

    open_task = post.amplify_tasks.filter(status__in=OPEN_STATUSES).first()
    if open_task is not None:
        return open_task
    task = AmplifyTask.objects.create(workspace_id=post.workspace_id, post=post, note=note)
    transaction.on_commit(lambda: amplify_request_email.enqueue(amplify_task_id=task.pk))
    return task


def amplify_request_notify(*, task: AmplifyTask) -> str:
    """Email the creator a link to the portal page where they hand over the code.

    Written in the creator's first listed language when the app speaks it. Returns "sent",
    "no_email" (nobody to write to) or "closed" (the request was answered or closed meanwhile).
    """
    creator = task.post.collaboration.creator
    if task.status != AmplifyTask.Status.REQUESTED:
        return "closed"
    if not creator.email or creator.erased_at is not None:
        return "no_email"
    language = portal_language(creator)
    link = absolute_url(reverse("amplify_portal_list", kwargs={"token": portal_token_for(creator)}))
    with translation.override(language):
        subject = _("%(brand)s would like to promote your post") % {"brand": task.workspace.name}
        body = _(
            "Hello %(name)s,\n\nyour post for “%(campaign)s” is doing very well, and %(brand)s would like "
            "to run it as an ad. Please create an ad authorisation code for it in the app (on TikTok a "
            "Spark Ads code, on Instagram and Facebook a partnership ad code) and enter it "
            "here:\n\n%(link)s\n\nThe link is personal; please do not forward it."
        ) % {
            "name": creator.display_name,
            "campaign": task.post.collaboration.campaign.name,
            "brand": task.workspace.name,
            "link": link,
        }
    send_mail(subject, body, None, [creator.email])
    activity_record(
        creator=creator,
        verb="spark_ads_requested",
        text=_("Asked for a Spark Ads code"),
        collaboration=task.post.collaboration,
    )
    return "sent"


def amplify_code_submit(*, task: AmplifyTask, spark_code: str, code_expires_on: date) -> AmplifyTask:
    """The creator hands over (or replaces) the authorisation code for their post."""
    if task.status not in (AmplifyTask.Status.REQUESTED, AmplifyTask.Status.RECEIVED):
        raise ValidationError(_("This request is closed."))
    if code_expires_on < timezone.localdate():
        raise ValidationError(_("The code has already expired."))
    task.spark_code, task.code_expires_on = spark_code.strip(), code_expires_on
    task.status, task.received_at = AmplifyTask.Status.RECEIVED, timezone.now()
    task.save(update_fields=["spark_code", "code_expires_on", "status", "received_at"])
    return task


def amplify_task_set_status(*, task: AmplifyTask, status: str) -> AmplifyTask:
    """Staff mark a received code as in use, or any request as expired."""
    if status == AmplifyTask.Status.IN_USE and not task.spark_code:
        raise ValidationError(_("There is no code to use yet."))
    if status not in (AmplifyTask.Status.IN_USE, AmplifyTask.Status.EXPIRED):
        raise ValidationError(_("Unknown status."))
    task.status = status
    task.save(update_fields=["status"])
    return task


def _merged(snapshots: Iterable[Snapshot]) -> list[Snapshot]:
    """One snapshot per moment: figures of several sources at the same time are combined."""
    by_time: dict[datetime, dict[str, object]] = {}
    for snap in snapshots:
        values = by_time.setdefault(snap.taken_at, {})
        for name in METRIC_FIELDS:
            if (value := getattr(snap, name)) is not None:
                values[name] = value
    return [Snapshot(taken_at=t, **v) for t, v in sorted(by_time.items())]  # type: ignore[arg-type]


@dataclass
class PollResult:
    post_id: int
    status: str  # "ok", "skipped" (no connector or credentials), "error"
    detail: str = ""
    snapshots: int = 0


def post_metrics_poll(
    *, post: Post, connectors: Sequence[Connector] | None = None, check_viral: bool = True
) -> PollResult:
    """Ask every configured connector of the post's platform for current figures and store them.

    A caller polling many posts passes check_viral=False and calls `viral_check_posts` once for
    the lot, so the workspace's curves are read once instead of once per post.
    """
    if connectors is None:
        chosen = connectors_for_workspace(workspace_id=post.workspace_id, platform=post.platform)
    else:
        chosen = list(connectors)
    usable = [c for c in chosen if c.configured()]
    if not post.external_id or not usable:
        reason = _("no platform ID") if not post.external_id else _("no connector credentials")
        return PollResult(post.pk, "skipped", str(reason))
    fetched: list[Snapshot] = []
    errors = []
    for connector in usable:
        try:
            fetched += connector.fetch_metrics(post)
        except ConnectorError as exc:
            errors.append(f"{connector.name}: {exc}")
    stored = snapshots_record(rows=[(post, s) for s in _merged(fetched)], check_viral=check_viral)
    return PollResult(post.pk, "error" if errors and not stored else "ok", "; ".join(errors), stored)
