"""Creators in the JSON API."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from creatordesk.accounts.api import Page
from creatordesk.accounts.permissions import MANAGERS, require_role
from creatordesk.accounts.scoping import WorkspaceRequest, api_user, get_scoped_or_404
from creatordesk.creators import selectors, services
from creatordesk.creators.models import Creator

router = Router(tags=["creators"])


class CreatorIn(Schema):
    display_name: str
    email: str = ""
    tiktok_handle: str = ""
    country: str = ""
    languages: str = ""
    notes: str = ""


class CreatorPatch(Schema):
    """The profile fields staff edit after a creator exists; only the fields sent change."""

    display_name: str | None = None
    email: str | None = None
    phone: str | None = None
    country: str | None = None
    languages: str | None = None
    categories: str | None = None
    tags: str | None = None
    notes: str | None = None


class CreatorOut(Schema):
    id: int
    display_name: str
    email: str
    phone: str
    tiktok_handle: str
    country: str
    languages: str
    categories: str
    tags: str
    notes: str


@router.get("/creators", response=list[CreatorOut])
@paginate(Page)
def list_creators(request: WorkspaceRequest, q: str = "") -> QuerySet[Creator]:
    return selectors.creator_list(workspace=request.workspace, query=q)


@router.post("/creators", response={201: CreatorOut})
def create_creator(request: WorkspaceRequest, payload: CreatorIn) -> Status[Creator]:
    require_role(request, *MANAGERS)
    return Status(201, services.creator_create(workspace=request.workspace, **payload.dict()))


@router.get("/creators/{creator_id}", response=CreatorOut)
def get_creator(request: WorkspaceRequest, creator_id: int) -> Creator:
    return get_scoped_or_404(Creator, request.workspace, pk=creator_id)


@router.patch("/creators/{creator_id}", response=CreatorOut)
def update_creator(request: WorkspaceRequest, creator_id: int, payload: CreatorPatch) -> Creator:
    require_role(request, *MANAGERS)
    creator = get_scoped_or_404(Creator, request.workspace, pk=creator_id)
    if creator.erased_at:
        # Editing would bring personal data back into a profile that was erased on request.
        raise ValidationError(_("This creator's personal data was erased; the profile cannot be edited."))
    fields = {name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None}
    return services.creator_update(creator=creator, actor=api_user(request), **fields)
