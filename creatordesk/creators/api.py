"""Creators in the JSON API."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from creatordesk.accounts.permissions import MANAGERS
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
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


class CreatorOut(Schema):
    id: int
    display_name: str
    email: str
    tiktok_handle: str
    country: str
    languages: str
    notes: str


def require_manager(request: WorkspaceRequest) -> None:
    if request.membership.role not in MANAGERS:
        raise HttpError(403, "Your role may not change creators.")


@router.get("/creators", response=list[CreatorOut])
def list_creators(request: WorkspaceRequest, q: str = "") -> list[Creator]:
    return list(selectors.creator_list(workspace=request.workspace, query=q)[:500])


@router.post("/creators", response={201: CreatorOut})
def create_creator(request: WorkspaceRequest, payload: CreatorIn) -> Status[Creator]:
    require_manager(request)
    try:
        creator = services.creator_create(workspace=request.workspace, **payload.dict())
    except ValidationError as exc:
        raise HttpError(422, "; ".join(exc.messages)) from None
    return Status(201, creator)


@router.get("/creators/{creator_id}", response=CreatorOut)
def get_creator(request: WorkspaceRequest, creator_id: int) -> Creator:
    return get_scoped_or_404(Creator, request.workspace, pk=creator_id)
