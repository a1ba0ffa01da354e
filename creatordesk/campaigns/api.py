"""Campaigns, collaborations, products and briefs in the JSON API."""

from __future__ import annotations

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.campaigns import briefs, products, selectors, services
from creatordesk.campaigns.models import Brief, Campaign, Collaboration, Product
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


def _unprocessable(exc: ValidationError) -> HttpError:
    if hasattr(exc, "error_dict"):
        details = [f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items()]
        return HttpError(422, "; ".join(details))
    return HttpError(422, "; ".join(exc.messages))


# Products


class ProductIn(Schema):
    name: str
    sku: str = ""
    shop_url: str = ""
    description: str = ""


class ProductOut(Schema):
    id: int
    name: str
    sku: str
    shop_url: str
    description: str
    image_ids: list[int]

    @staticmethod
    def resolve_image_ids(obj: Product) -> list[int]:
        return [image.pk for image in obj.images.all()]


@router.get("/products", response=list[ProductOut])
def list_products(request: WorkspaceRequest) -> list[Product]:
    return list(Product.objects.for_workspace(request.workspace).prefetch_related("images")[:500])


@router.post("/products", response={201: ProductOut})
def create_product(request: WorkspaceRequest, payload: ProductIn) -> Status[Product]:
    require_manager(request)
    try:
        product = products.product_create(workspace=request.workspace, **payload.dict())
    except ValidationError as exc:
        raise _unprocessable(exc) from None
    return Status(201, product)


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
    require_manager(request)
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_id)
    try:
        brief = briefs.brief_save(campaign=campaign, **payload.dict())
    except ValidationError as exc:
        raise _unprocessable(exc) from None
    return BriefSchema.of(brief)


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
