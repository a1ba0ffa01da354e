"""Reads about campaigns and collaborations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, DateField, F, Min, Prefetch, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Campaign, Collaboration, CollaborationStatus, SampleShipment
from creatordesk.creators.models import Creator


def campaign_list(*, workspace: Workspace) -> QuerySet[Campaign]:
    return Campaign.objects.for_workspace(workspace).annotate(collaboration_count=Count("collaborations"))


# Days a creator has for the video once the sample arrived, unless the shipment names its own date.
# TikTok Shop's Affiliate Center asks for the content within 14 days of delivery for free samples,
# so a creator who follows the platform's rule is never called late here before the platform would.
CONTENT_DAYS = 14


def shipments_with_deadline() -> QuerySet[SampleShipment]:
    """Shipments, newest first, with `content_deadline` (the shipment's own date, else delivery +
    CONTENT_DAYS) and `content_late` (that deadline has passed) read by the database."""
    after_delivery = Cast(F("delivered_on") + datetime.timedelta(days=CONTENT_DAYS), DateField())
    return (
        SampleShipment.objects.annotate(content_deadline=Coalesce("content_due_on", after_delivery))
        .annotate(
            content_late=Case(
                When(content_deadline__lt=timezone.localdate(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-created_at")
    )


def _with_sample_path(collaborations: QuerySet[Collaboration]) -> QuerySet[Collaboration]:
    """Shipments with their content deadline and the moment of the first post, for the sample path.

    The post is reached by its relation name only: campaigns sits below the performance app.
    """
    return collaborations.prefetch_related(
        Prefetch("shipments", queryset=shipments_with_deadline())
    ).annotate(first_post_at=Min(Coalesce("posts__posted_at", "posts__created_at")))


def campaign_collaborations(*, campaign: Campaign) -> QuerySet[Collaboration]:
    return _with_sample_path(
        Collaboration.objects.filter(campaign=campaign)
        .select_related("creator")
        .order_by("creator__display_name")
    )


def creator_collaborations(*, creator: Creator) -> QuerySet[Collaboration]:
    return Collaboration.objects.filter(creator=creator).select_related("campaign").order_by("-created_at")


# Stages in which a due date no longer matters.
CLOSED = {CollaborationStatus.POSTED, CollaborationStatus.PAID, CollaborationStatus.DECLINED}


@dataclass(frozen=True)
class BoardColumn:
    status: str
    label: str
    cards: list[Collaboration]

    @property
    def closed(self) -> bool:
        return self.status in CLOSED


def board_columns(*, campaign: Campaign) -> list[BoardColumn]:
    """One column per stage; cards with their creator, latest shipment and first post, in two queries."""
    collaborations = _with_sample_path(
        Collaboration.objects.filter(campaign=campaign)
        .select_related("creator")
        .order_by("due_on", "creator__display_name")
    )
    by_status: dict[str, list[Collaboration]] = {}
    for collaboration in collaborations:
        by_status.setdefault(collaboration.status, []).append(collaboration)
    return [
        BoardColumn(value, str(label), by_status.get(value, []))
        for value, label in CollaborationStatus.choices
    ]
