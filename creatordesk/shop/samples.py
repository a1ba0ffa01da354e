"""Reads about free samples: which are overdue for content, and how often samples turn into posts."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import CollaborationStatus, SampleShipment
from creatordesk.campaigns.selectors import CONTENT_DAYS, shipments_with_deadline
from creatordesk.performance.models import Post
from creatordesk.reviews.models import Submission

__all__ = [
    "CONTENT_DAYS",
    "OverdueSample",
    "PostingRow",
    "SampleFigures",
    "posting_figures",
    "samples_overdue",
]

# Once a collaboration reached one of these, no video is owed for its sample any more.
CONTENT_CLOSED = (CollaborationStatus.POSTED, CollaborationStatus.PAID, CollaborationStatus.DECLINED)


def content_deadline(shipment: SampleShipment) -> datetime.date | None:
    """The day the video is due: the shipment's own date, else delivery plus CONTENT_DAYS."""
    if shipment.content_due_on:
        return shipment.content_due_on
    if shipment.delivered_on:
        return shipment.delivered_on + datetime.timedelta(days=CONTENT_DAYS)
    return None


@dataclass(frozen=True)
class OverdueSample:
    """A delivered sample whose content deadline passed without a draft or a post."""

    shipment: SampleShipment
    deadline: datetime.date
    days_late: int

    @property
    def creator_has_email(self) -> bool:
        creator = self.shipment.collaboration.creator
        return bool(creator.email) and creator.erased_at is None


def overdue_shipments(
    *, today: datetime.date, workspace: Workspace | None = None
) -> QuerySet[SampleShipment]:
    """Delivered samples past their content deadline whose collaboration has no submission and no post."""
    has_submission = Submission.objects.filter(collaboration=OuterRef("collaboration"))
    has_post = Post.objects.filter(collaboration=OuterRef("collaboration"))
    shipments = shipments_with_deadline()
    if workspace is not None:
        shipments = shipments.filter(workspace=workspace)
    return (
        shipments.filter(status=SampleShipment.Status.DELIVERED)
        .filter(
            Q(content_due_on__lt=today)
            | Q(content_due_on__isnull=True, delivered_on__lt=today - datetime.timedelta(days=CONTENT_DAYS))
        )
        .exclude(collaboration__status__in=CONTENT_CLOSED)
        .exclude(Exists(has_submission))
        .exclude(Exists(has_post))
        .select_related("workspace", "collaboration__creator", "collaboration__campaign")
        .order_by(F("content_deadline"), "pk")
    )


def samples_overdue(*, today: datetime.date, workspace: Workspace | None = None) -> list[OverdueSample]:
    """One entry per collaboration (its earliest deadline counts), most overdue first, in one query."""
    rows: dict[int, OverdueSample] = {}
    for shipment in overdue_shipments(today=today, workspace=workspace):
        deadline = content_deadline(shipment)
        if shipment.collaboration_id in rows or deadline is None:
            continue
        rows[shipment.collaboration_id] = OverdueSample(shipment, deadline, (today - deadline).days)
    return list(rows.values())


# Posting rates


@dataclass
class PostingRow:
    """Samples one creator or campaign received and what became of them."""

    label: str
    # The creator's or campaign's id; None for the total.
    key: int | None = None
    delivered: int = 0
    posted: int = 0
    # Delivered, not posted, and the content deadline has not passed yet.
    in_time: int = 0
    days_to_post: list[int] = field(default_factory=list)
    unposted_cost_eur: Decimal = Decimal(0)
    # Unposted samples whose cost nobody entered: named, since the sum leaves them out.
    unknown_cost: list[str] = field(default_factory=list)

    @property
    def rate_percent(self) -> Decimal | None:
        return Decimal(self.posted * 100) / self.delivered if self.delivered else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days_to_post) if self.days_to_post else None


@dataclass(frozen=True)
class SampleFigures:
    by_creator: list[PostingRow]
    by_campaign: list[PostingRow]
    total: PostingRow


def _first_post_days(
    workspace: Workspace, collaboration_ids: Iterable[int]
) -> dict[int, list[datetime.date]]:
    """Per collaboration the days of its posts, oldest first; a post without a date counts from when it
    was recorded."""
    days: dict[int, list[datetime.date]] = defaultdict(list)
    posts = Post.objects.for_workspace(workspace).filter(collaboration_id__in=list(collaboration_ids))
    for collaboration_id, posted_at, created_at in posts.values_list(
        "collaboration_id", "posted_at", "created_at"
    ):
        days[collaboration_id].append(timezone.localdate(posted_at or created_at))
    return {key: sorted(value) for key, value in days.items()}


def _count(
    row: PostingRow, shipment: SampleShipment, post_day: datetime.date | None, today: datetime.date
) -> None:
    row.delivered += 1
    delivered_on = shipment.delivered_on or today
    if post_day is not None:
        row.posted += 1
        row.days_to_post.append((post_day - delivered_on).days)
        return
    deadline = content_deadline(shipment)
    if deadline is not None and deadline >= today:
        row.in_time += 1
    cost = shipment.cost_eur
    if cost is None:
        row.unknown_cost.append(
            f"{shipment.collaboration.creator.display_name} · {shipment.collaboration.campaign.name}"
        )
    else:
        row.unposted_cost_eur += cost


def posting_figures(*, workspace: Workspace, today: datetime.date | None = None) -> SampleFigures:
    """Per creator and campaign: samples delivered, posted after delivery, rate, median days, unposted cost.

    A sample counts as posted when its collaboration has a post dated on or after the delivery.
    """
    today = today or timezone.localdate()
    shipments = list(
        SampleShipment.objects.for_workspace(workspace)
        .filter(status=SampleShipment.Status.DELIVERED, delivered_on__isnull=False)
        .select_related("collaboration__creator", "collaboration__campaign")
        .order_by("delivered_on", "pk")
    )
    post_days = _first_post_days(workspace, {s.collaboration_id for s in shipments})
    creators: dict[int, PostingRow] = {}
    campaigns: dict[int, PostingRow] = {}
    total = PostingRow(label="")
    for shipment in shipments:
        collaboration = shipment.collaboration
        delivered_on = shipment.delivered_on or today
        post_day = next((d for d in post_days.get(collaboration.pk, []) if d >= delivered_on), None)
        creator_row = creators.setdefault(
            collaboration.creator_id, PostingRow(collaboration.creator.display_name, collaboration.creator_id)
        )
        campaign_row = campaigns.setdefault(
            collaboration.campaign_id, PostingRow(collaboration.campaign.name, collaboration.campaign_id)
        )
        for row in (creator_row, campaign_row, total):
            _count(row, shipment, post_day, today)

    def ranked(rows: Iterable[PostingRow]) -> list[PostingRow]:
        return sorted(rows, key=lambda r: (-r.unposted_cost_eur, -r.delivered, r.label))

    return SampleFigures(ranked(creators.values()), ranked(campaigns.values()), total)
