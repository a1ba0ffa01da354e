"""Reads about creators."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from creatordesk.accounts.models import Workspace
from creatordesk.creators.models import Creator


def creator_list(*, workspace: Workspace, query: str = "") -> QuerySet[Creator]:
    creators = Creator.objects.for_workspace(workspace)
    if query:
        creators = creators.filter(Q(display_name__icontains=query) | Q(tiktok_handle__icontains=query))
    return creators.order_by("display_name")
