"""Adding the creators picked on "Find creators" to a campaign."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from creatordesk.campaigns.models import Campaign, Collaboration
from creatordesk.campaigns.services import collaboration_create
from creatordesk.creators.models import Creator


@dataclass(frozen=True)
class CollaborationsAdded:
    added: int
    already_in: int


def collaborations_add(
    *, campaign: Campaign, creators: Iterable[Creator], actor: object
) -> CollaborationsAdded:
    """Add each creator as a prospect of `campaign`; creators already in it stay as they are."""
    chosen = {creator.pk: creator for creator in creators}
    if any(creator.workspace_id != campaign.workspace_id for creator in chosen.values()):
        raise ValidationError(_("The creator belongs to another workspace."))
    if any(creator.erased_at is not None for creator in chosen.values()):
        raise ValidationError(_("A creator whose data was erased cannot join a campaign."))
    with transaction.atomic():
        # Two managers adding to the same campaign at once wait for each other here, so each one's
        # "already in" count sees the other's additions; the unique constraint rules out duplicates.
        Campaign.objects.select_for_update().filter(
            workspace_id=campaign.workspace_id, pk=campaign.pk
        ).first()
        members = set(
            Collaboration.objects.filter(
                workspace_id=campaign.workspace_id, campaign=campaign, creator_id__in=chosen
            ).values_list("creator_id", flat=True)
        )
        for pk, creator in chosen.items():
            if pk not in members:
                collaboration_create(campaign=campaign, creator=creator, actor=actor)
    return CollaborationsAdded(added=len(chosen) - len(members), already_in=len(members))
