"""Reads about campaigns and collaborations."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Campaign, Collaboration
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
