"""Every state change of campaigns and collaborations."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Campaign, Collaboration, CollaborationStatus
from creatordesk.creators.models import Creator


def campaign_create(
    *,
    workspace: Workspace,
    name: str,
    description: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Campaign:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("The campaign cannot end before it starts."))
    campaign = Campaign(
        workspace=workspace, name=name.strip(), description=description, starts_on=starts_on, ends_on=ends_on
    )
    campaign.full_clean()
    campaign.save()
    return campaign


def collaboration_create(
    *, campaign: Campaign, creator: Creator, status: str = CollaborationStatus.PROSPECT
) -> Collaboration:
    if campaign.workspace_id != creator.workspace_id:
        raise ValidationError(_("The creator belongs to another workspace."))
    collaboration, _created = Collaboration.objects.get_or_create(
        workspace_id=campaign.workspace_id, campaign=campaign, creator=creator, defaults={"status": status}
    )
    return collaboration
