"""The TikTok Shop sync in the JSON API: runs, target collaborations and the blocklist."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from creatordesk.accounts.api import Page
from creatordesk.accounts.permissions import MANAGERS, require_role
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.campaigns.models import Campaign, Collaboration
from creatordesk.creators.models import Creator
from creatordesk.performance.connectors import ConnectorError
from creatordesk.shop import services
from creatordesk.shop.connection import ShopNotConnected
from creatordesk.shop.models import CreatorBlock, ShopCollaboration, SyncRun
from creatordesk.shop.tasks import shop_sync_run

router = Router(tags=["shop"])


class SyncRunOut(Schema):
    id: int
    status: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    counts: dict[str, Any] = Field(
        description='While running `{"stage": ...}`; when done, rows written per kind '
        "(`collaborations`, `samples`, `orders`, `removed_creators`)."
    )
    error: str


class ShopCollaborationOut(Schema):
    id: int
    campaign_id: int
    external_id: str
    name: str
    status: str
    commission_rate_bp: int = Field(description="Commission in 0.01 % (1500 = 15 %).")
    shop_ads_commission_rate_bp: int | None
    has_free_sample: bool
    sample_approval_exempt: bool
    ends_at: datetime.datetime | None
    acceptance_link: str


class ShopCollaborationIn(Schema):
    collaboration_ids: list[int] = Field(min_length=1, max_length=50)
    commission_percent: Decimal = Field(ge=1, le=80, decimal_places=2)
    shop_ads_commission_percent: Decimal | None = Field(None, ge=1, le=80, decimal_places=2)
    free_sample: bool = False
    sample_approval_exempt: bool = False
    message: str = Field("", max_length=500)
    ends_at: datetime.datetime
    seller_email: str = Field(max_length=254)


class CreatedOut(Schema):
    collaboration: ShopCollaborationOut
    conflicts: list[str] = Field(description="Creator: product pairs TikTok kept in another collaboration.")


class BlockIn(Schema):
    creator_id: int
    reason: str = Field(max_length=300)


class BlockOut(Schema):
    creator_id: int
    creator: str = Field(alias="creator.display_name")
    reason: str
    created_at: datetime.datetime


@router.post("/shop/sync", response={202: SyncRunOut})
def start_sync(request: WorkspaceRequest) -> Status[SyncRun]:
    """Start a sync with TikTok Shop (or answer the one already running); poll GET /shop/sync/{id}."""
    require_role(request, *MANAGERS)
    run, started = services.sync_run_start(workspace=request.workspace)
    if started:
        workspace_id, run_id = request.workspace.pk, run.pk
        transaction.on_commit(lambda: shop_sync_run.enqueue(workspace_id=workspace_id, run_id=run_id))
    return Status(202, run)


@router.get("/shop/sync/{run_id}", response=SyncRunOut)
def get_sync(request: WorkspaceRequest, run_id: int) -> SyncRun:
    return get_scoped_or_404(SyncRun, request.workspace, pk=run_id)


@router.get("/shop/collaborations", response=list[ShopCollaborationOut])
@paginate(Page)
def list_collaborations(request: WorkspaceRequest) -> QuerySet[ShopCollaboration]:
    return ShopCollaboration.objects.for_workspace(request.workspace)


@router.post("/shop/campaigns/{campaign_id}/collaborations", response={201: CreatedOut})
def create_collaboration(
    request: WorkspaceRequest, campaign_id: int, payload: ShopCollaborationIn
) -> Status[CreatedOut]:
    """Create a target collaboration in TikTok Shop for the campaign's products and chosen creators."""
    require_role(request, *MANAGERS)
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_id)
    collaborations = list(
        Collaboration.objects.for_workspace(request.workspace)
        .filter(campaign=campaign, pk__in=payload.collaboration_ids)
        .select_related("creator")
    )
    if len(collaborations) != len(set(payload.collaboration_ids)):
        raise ValidationError({"collaboration_ids": _("Every creator must belong to this campaign.")})
    values = payload.dict(exclude={"collaboration_ids"})
    try:
        created = services.shop_collaboration_create(
            campaign=campaign, collaborations=collaborations, actor=request.user, **values
        )
    except ShopNotConnected as exc:
        raise ValidationError(str(exc)) from None
    except ConnectorError as exc:
        raise HttpError(502, str(exc)) from None
    out = CreatedOut(
        collaboration=ShopCollaborationOut.from_orm(created.collaboration), conflicts=created.conflicts
    )
    return Status(201, out)


@router.get("/shop/blocklist", response=list[BlockOut])
@paginate(Page)
def list_blocklist(request: WorkspaceRequest) -> QuerySet[CreatorBlock]:
    return CreatorBlock.objects.for_workspace(request.workspace).select_related("creator")


@router.post("/shop/blocklist", response={201: BlockOut})
def add_block(request: WorkspaceRequest, payload: BlockIn) -> Status[CreatorBlock]:
    require_role(request, *MANAGERS)
    creator = get_scoped_or_404(Creator, request.workspace, pk=payload.creator_id)
    return Status(201, services.creator_block(creator=creator, reason=payload.reason, actor=request.user))


@router.delete("/shop/blocklist/{creator_id}", response={204: None})
def remove_block(request: WorkspaceRequest, creator_id: int) -> Status[None]:
    require_role(request, *MANAGERS)
    creator = get_scoped_or_404(Creator, request.workspace, pk=creator_id)
    if not services.creator_unblock(creator=creator, actor=request.user):
        raise HttpError(404, "Not found")
    return Status(204, None)
