"""The creator timeline: one place records everything that happens with a creator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatordesk.accounts.models import User
from creatordesk.creators.models import ActivityEvent, Creator

if TYPE_CHECKING:
    from creatordesk.campaigns.models import Collaboration


def actor_label(actor: object) -> str:
    if isinstance(actor, User):
        return str(actor)
    if isinstance(actor, Creator):
        return actor.display_name
    return str(actor or "CreatorDesk")


def activity_record(
    *,
    creator: Creator,
    verb: str,
    text: str,
    actor: object = None,
    collaboration: Collaboration | None = None,
) -> ActivityEvent:
    return ActivityEvent.objects.create(
        workspace_id=creator.workspace_id,
        creator=creator,
        collaboration=collaboration,
        actor=actor_label(actor)[:160],
        verb=verb,
        text=text[:300],
    )
