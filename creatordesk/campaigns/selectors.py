"""Reads about campaigns and collaborations."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Campaign, Collaboration, CollaborationStatus, SampleShipment
from creatordesk.creators.models import Creator


def campaign_list(*, workspace: Workspace) -> QuerySet[Campaign]:
    return Campaign.objects.for_workspace(workspace).annotate(collaboration_count=Count("collaborations"))


def campaign_collaborations(*, campaign: Campaign) -> QuerySet[Collaboration]:
    return (
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
    """One column per pipeline stage, cards with their creator and latest shipment, in two queries."""
    collaborations = (
        Collaboration.objects.filter(campaign=campaign)
        .select_related("creator")
        .prefetch_related(Prefetch("shipments", queryset=SampleShipment.objects.order_by("-created_at")))
        .order_by("due_on", "creator__display_name")
    )
    by_status: dict[str, list[Collaboration]] = {}
    for collaboration in collaborations:
        by_status.setdefault(collaboration.status, []).append(collaboration)
    return [
        BoardColumn(value, str(label), by_status.get(value, []))
        for value, label in CollaborationStatus.choices
    ]
