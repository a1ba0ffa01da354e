"""Whether a post runs ahead of comparable posts at the same age: the workspace's trained model when
there is one, else the creator's median and the workspace's top decile."""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from creatordesk.performance.models import MetricSnapshot, Post
from creatordesk.performance.viral.model import EarlyViewsModel
from creatordesk.performance.viral_live import model_breakout, series_of, workspace_model
from creatordesk.performance.wording import (
    creator_median_explanation,
    in_every_language,
    top_decile_explanation,
)

# Breakout thresholds. A post needs this many comparable posts before a baseline means anything.
CREATOR_RATIO = 3.0
MIN_CREATOR_PEERS = 3
MIN_WORKSPACE_PEERS = 10


@dataclass(frozen=True)
class Breakout:
    threshold: str
    score: float
    explanations: dict[str, str]  # language code: text


def _views_at_age(points: list[tuple[float, int]], age_h: float, ages: list[float]) -> float | None:
    """Views of a post `age_h` hours after posting, read off its snapshots (linear in between).

    `ages` are the points' ages in order, kept by `Peers` because the same curve is read many times.
    """
    if not points or points[-1][0] < age_h:
        return None  # never observed that old; its growth up to that age is unknown
    index = bisect.bisect_left(ages, age_h)
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


def breakout_assessment(*, post: Post, latest: MetricSnapshot, peers: Peers) -> list[Breakout]:
    """How far a post runs ahead of comparable posts at the same age.

    The workspace's trained early-views model decides when there is one. Without it the post's
    views at its current age are compared with the median of the same creator's other posts at that
    age and with the workspace's top decile on the platform.
    """
    if post.posted_at is None or latest.taken_at <= post.posted_at:
        return []
    age_h = (latest.taken_at - post.posted_at).total_seconds() / 3600
    model = workspace_model(post.workspace_id)
    if model is not None:
        return _model_breakouts(model, post=post, peers=peers)
    same_creator, everyone = _peer_views_at_age(post, peers, age_h)
    views, hours = latest.views, round(age_h)
    found = []
    if len(same_creator) >= MIN_CREATOR_PEERS:
        median = statistics.median(same_creator)
        ratio = views / max(median, 1.0)
        if ratio >= CREATOR_RATIO:
            texts = in_every_language(
                lambda: creator_median_explanation(
                    views=views, hours=hours, ratio=ratio, median=median, count=len(same_creator)
                )
            )
            found.append(Breakout("creator_median_x3", round(ratio, 2), texts))
    if len(everyone) >= MIN_WORKSPACE_PEERS:
        p90 = statistics.quantiles(everyone, n=10)[-1]
        if views > p90:
            texts = in_every_language(
                lambda: top_decile_explanation(views=views, hours=hours, count=len(everyone), p90=p90)
            )
            found.append(Breakout("top_decile", round(views / max(p90, 1.0), 2), texts))
    return found


def _peer_views_at_age(post: Post, peers: Peers, age_h: float) -> tuple[list[float], list[float]]:
    """Views of the creator's other posts, and of every other post, when they were as old as `post`."""
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
    return same_creator, everyone


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
