"""API authentication (per-user, per-workspace bearer tokens), list paging and the `me` endpoint."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer

from creatordesk.accounts.models import ApiToken, Membership
from creatordesk.accounts.scoping import WorkspaceRequest
from creatordesk.accounts.services import api_token_touch


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cd_…`; the token's workspace scopes every query of the request.

    An expired token is unknown (401), like a revoked one.
    """

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = (
            ApiToken.objects.select_related("user", "workspace")
            .filter(digest=ApiToken.digest_of(token), expires_at__gt=timezone.now())
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        # A token stops working the moment its user leaves the workspace.
        membership = Membership.objects.filter(workspace=api_token.workspace, user=api_token.user).first()
        if membership is None:
            return None
        api_token_touch(token=api_token)
        request.workspace = api_token.workspace  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        return api_token


PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Beyond this no workspace has rows; a bound keeps huge offsets out of the database driver.
MAX_OFFSET = 2**31 - 1


class Page(LimitOffsetPagination):
    """Every list endpoint answers `{"items": [...], "count": total}`, at most MAX_PAGE_SIZE items at a time."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="How many items to return.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)


router = Router(tags=["account"])


class MeOut(Schema):
    email: str
    name: str
    language: str
    workspace: str
    role: str


@router.get("/me", response=MeOut)
def me(request: WorkspaceRequest) -> MeOut:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return MeOut(
        email=token.user.email,
        name=str(token.user),
        language=token.user.language,
        workspace=token.workspace.name,
        role=request.membership.role,
    )
