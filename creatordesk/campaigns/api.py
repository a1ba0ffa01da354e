"""Campaigns, collaborations, products and briefs in the JSON API."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from creatordesk.accounts.api import Page
from creatordesk.accounts.permissions import MANAGERS, require_role
from creatordesk.accounts.scoping import WorkspaceRequest, api_user, get_scoped_or_404
from creatordesk.campaigns import briefs, products, selectors, services
from creatordesk.campaigns.models import (
    Brief,
    Campaign,
    Collaboration,
    CollaborationStatus,
    Product,
    SampleShipment,
)

router = Router(tags=["campaigns"])


class CampaignIn(Schema):
    name: str
    description: str = ""
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    budget_eur: Decimal | None = None
    commission_rate: Decimal | None = None
    target_categories: str = ""
    target_countries: str = ""
    target_languages: str = ""


class CampaignOut(Schema):
    id: int
    name: str
    description: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    budget_eur: Decimal | None
    commission_rate: Decimal | None
    target_categories: str
    target_countries: str
    target_languages: str


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
@paginate(Page)
def list_campaigns(request: WorkspaceRequest) -> QuerySet[Campaign]:
    return selectors.campaign_list(workspace=request.workspace)


@router.post("/campaigns", response={201: CampaignOut})
def create_campaign(request: WorkspaceRequest, payload: CampaignIn) -> Status[Campaign]:
    require_role(request, *MANAGERS)
    return Status(201, services.campaign_create(workspace=request.workspace, **payload.dict()))


@router.get("/campaigns/{campaign_id}", response=CampaignOut)
def get_campaign(request: WorkspaceRequest, campaign_id: int) -> Campaign:
    return get_scoped_or_404(Campaign, request.workspace, pk=campaign_id)


@router.get("/campaigns/{campaign_id}/collaborations", response=list[CollaborationOut])
@paginate(Page)
def list_collaborations(request: WorkspaceRequest, campaign_id: int) -> QuerySet[Collaboration]:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_id)
    return selectors.campaign_collaborations(campaign=campaign)


class MoveIn(Schema):
    status: CollaborationStatus
    # Passing stages by needs this; going back needs a reason, which lands in the creator's timeline.
    confirm_skip: bool = False
    reason: str = ""


@router.post("/collaborations/{collaboration_id}/move", response=CollaborationOut)
def move_collaboration(request: WorkspaceRequest, collaboration_id: int, payload: MoveIn) -> Collaboration:
    """Move a collaboration on the board by hand, with the board's rules for skipping and going back."""
    require_role(request, *MANAGERS)
    collaboration = get_scoped_or_404(Collaboration, request.workspace, pk=collaboration_id)
    try:
        return services.collaboration_move_by_hand(
            collaboration=collaboration,
            status=payload.status.value,
            actor=api_user(request),
            confirm_skip=payload.confirm_skip,
            reason=payload.reason,
        )
    except ValidationError as exc:
        # Name the field the client has to add, so it can ask its user and send the move again.
        # The schema admits known statuses only, so any other refusal is about the reason's length.
        field = "confirm_skip" if getattr(exc, "code", None) == services.SKIP_NEEDS_CONFIRMATION else "reason"
        raise ValidationError({field: exc.messages}) from None


class ShipmentIn(Schema):
    carrier: str = ""
    tracking_number: str = ""
    status: SampleShipment.Status = SampleShipment.Status.SHIPPED
    # The day it happened when that was not today.
    on: datetime.date | None = None
    product_id: int | None = None
    units: int = 1
    shipping_cost_eur: Decimal | None = None


class ShipmentStatusIn(Schema):
    status: SampleShipment.Status
    on: datetime.date | None = None


class ShipmentOut(Schema):
    id: int
    collaboration_id: int
    carrier: str
    tracking_number: str
    status: str
    shipped_on: datetime.date | None
    delivered_on: datetime.date | None
    product_id: int | None
    units: int
    unit_cost_eur: Decimal | None
    shipping_cost_eur: Decimal | None


@router.get("/collaborations/{collaboration_id}/shipments", response=list[ShipmentOut])
@paginate(Page)
def list_shipments(request: WorkspaceRequest, collaboration_id: int) -> QuerySet[SampleShipment]:
    collaboration = get_scoped_or_404(Collaboration, request.workspace, pk=collaboration_id)
    return collaboration.shipments.all()


@router.post("/collaborations/{collaboration_id}/shipments", response={201: ShipmentOut})
def create_shipment(
    request: WorkspaceRequest, collaboration_id: int, payload: ShipmentIn
) -> Status[SampleShipment]:
    """Record a sample shipment; shipped and delivered move the collaboration along, never back."""
    require_role(request, *MANAGERS)
    collaboration = get_scoped_or_404(Collaboration, request.workspace, pk=collaboration_id)
    product = None
    if payload.product_id is not None:
        product = collaboration.campaign.products.filter(pk=payload.product_id).first()
        if product is None:
            raise ValidationError({"product_id": [_("The campaign has no such product.")]})
    shipment = services.shipment_create(
        collaboration=collaboration,
        carrier=payload.carrier,
        tracking_number=payload.tracking_number,
        status=payload.status.value,
        actor=api_user(request),
        on=payload.on,
        product=product,
        units=payload.units,
        shipping_cost_eur=payload.shipping_cost_eur,
    )
    return Status(201, shipment)


@router.post("/shipments/{shipment_id}/status", response=ShipmentOut)
def set_shipment_status(
    request: WorkspaceRequest, shipment_id: int, payload: ShipmentStatusIn
) -> SampleShipment:
    require_role(request, *MANAGERS)
    shipment = get_scoped_or_404(SampleShipment, request.workspace, pk=shipment_id)
    return services.shipment_set_status(
        shipment=shipment, status=payload.status.value, actor=api_user(request), on=payload.on
    )


# Products


class ProductIn(Schema):
    name: str
    sku: str = ""
    shop_url: str = ""
    description: str = ""
    shop_product_id: str = ""
    unit_cost_eur: Decimal | None = None


class ProductOut(Schema):
    id: int
    name: str
    sku: str
    shop_url: str
    description: str
    shop_product_id: str
    unit_cost_eur: Decimal | None
    image_ids: list[int]

    @staticmethod
    def resolve_image_ids(obj: Product) -> list[int]:
        return [image.pk for image in obj.images.all()]


@router.get("/products", response=list[ProductOut])
@paginate(Page)
def list_products(request: WorkspaceRequest) -> QuerySet[Product]:
    return Product.objects.for_workspace(request.workspace).prefetch_related("images")


@router.post("/products", response={201: ProductOut})
def create_product(request: WorkspaceRequest, payload: ProductIn) -> Status[Product]:
    require_role(request, *MANAGERS)
    return Status(201, products.product_create(workspace=request.workspace, **payload.dict()))


@router.get("/products/{product_id}", response=ProductOut)
def get_product(request: WorkspaceRequest, product_id: int) -> Product:
    return get_scoped_or_404(Product, request.workspace, pk=product_id)


# Brief


class BriefSchema(Schema):
    language: Literal["de", "en"] = "de"
    goal: str = ""
    must_mentions: list[str] = []
    dos: list[str] = []
    donts: list[str] = []
    banned_terms: list[str] = []
    competitors: list[str] = []
    disclosure_required: bool = True
    video_format: str = ""
    min_duration_s: int | None = None
    max_duration_s: int | None = None
    hook_ideas: list[str] = []
    example_videos: list[str] = []
    caption: str = ""
    draft_due_on: datetime.date | None = None
    post_due_on: datetime.date | None = None

    @staticmethod
    def of(brief: Brief) -> BriefSchema:
        values = {field: getattr(brief, field) for field in BriefSchema.model_fields}
        values.update({field: briefs.split_lines(getattr(brief, field)) for field in briefs.LINE_FIELDS})
        return BriefSchema(**values)


@router.get("/campaigns/{campaign_id}/brief", response=BriefSchema)
def get_brief(request: WorkspaceRequest, campaign_id: int) -> BriefSchema:
    """The campaign's brief; a campaign without one answers with the defaults a new brief starts from."""
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_id)
    return BriefSchema.of(briefs.brief_of(campaign) or Brief())


@router.put("/campaigns/{campaign_id}/brief", response=BriefSchema)
def put_brief(request: WorkspaceRequest, campaign_id: int, payload: BriefSchema) -> BriefSchema:
    require_role(request, *MANAGERS)
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_id)
    return BriefSchema.of(briefs.brief_save(campaign=campaign, **payload.dict()))


@router.get(
    "/campaigns/{campaign_id}/brief.yaml",
    openapi_extra={
        "responses": {
            200: {
                "description": "The brief as the file `creatordesk review --brief` reads",
                "content": {"application/yaml": {"schema": {"type": "string"}}},
            }
        }
    },
)
def get_brief_yaml(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_id)
    return HttpResponse(briefs.brief_yaml(campaign), content_type="application/yaml; charset=utf-8")
