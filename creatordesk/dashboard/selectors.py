"""Figures for the workspace home page."""

from __future__ import annotations

from dataclasses import dataclass

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Campaign, Collaboration
from creatordesk.creators.models import Creator


@dataclass(frozen=True)
class WorkspaceOverview:
    creators: int
    campaigns: int
    collaborations: int


def workspace_overview(*, workspace: Workspace) -> WorkspaceOverview:
    return WorkspaceOverview(
        creators=Creator.objects.for_workspace(workspace).count(),
        campaigns=Campaign.objects.for_workspace(workspace).count(),
        collaborations=Collaboration.objects.for_workspace(workspace).count(),
    )
