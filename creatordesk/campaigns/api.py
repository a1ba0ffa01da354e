"""Campaigns and collaborations in the JSON API."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.campaigns import selectors, services
from creatordesk.campaigns.models import Campaign, Collaboration
from creatordesk.creators.api import require_manager

router = Router(tags=["campaigns"])


class CampaignIn(Schema):
    name: str
    description: str = ""
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


class CampaignOut(Schema):
    id: int
    name: str
    description: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None


class CollaborationOut(Schema):
    id: int
    creator_id: int
    creator_name: str
    status: str
    due_on: datetime.date | None

    @staticmethod
    def resolve_creator_name(obj: Collaboration) -> str:
        return obj.creator.display_name


@router.get("/campaigns", response=list[CampaignOut])
def list_campaigns(request: WorkspaceRequest) -> list[Campaign]:
    return list(selectors.campaign_list(workspace=request.workspace)[:500])


@router.post("/campaigns", response={201: CampaignOut})
def create_campaign(request: WorkspaceRequest, payload: CampaignIn) -> Status[Campaign]:
    require_manager(request)
    try:
        campaign = services.campaign_create(workspace=request.workspace, **payload.dict())
    except ValidationError as exc:
        raise HttpError(422, "; ".join(exc.messages)) from None
    return Status(201, campaign)


@router.get("/campaigns/{campaign_id}", response=CampaignOut)
def get_campaign(request: WorkspaceRequest, campaign_id: int) -> Campaign:
    return get_scoped_or_404(Campaign, request.workspace, pk=campaign_id)


@router.get("/campaigns/{campaign_id}/collaborations", response=list[CollaborationOut])
def list_collaborations(request: WorkspaceRequest, campaign_id: int) -> list[Collaboration]:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_id)
    return list(selectors.campaign_collaborations(campaign=campaign))
