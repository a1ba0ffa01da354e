"""Workspace scoping: the one way domain rows are read, so no query can cross tenants by accident."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, cast

from django.db import models
from django.http import Http404, HttpRequest

if TYPE_CHECKING:
    from creatordesk.accounts.models import Membership, User, Workspace


class WorkspaceQuerySet(models.QuerySet):
    def for_workspace(self, workspace: Workspace) -> Self:
        return self.filter(workspace=workspace)


class WorkspaceScopedModel(models.Model):
    """Base for every domain model: a row belongs to one workspace."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        abstract = True


def get_scoped_or_404[M: WorkspaceScopedModel](
    model: type[M], workspace: Workspace | None, **lookup: Any
) -> M:
    """Fetch one row of `workspace` or raise 404; rows of other workspaces look exactly like missing ones."""
    if workspace is None:
        raise Http404
    try:
        return cast(M, model.objects.for_workspace(workspace).get(**lookup))
    except (model.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


def api_user(request: HttpRequest) -> User:
    """The user acting in an API request: the bearer token's owner (`request.user` stays anonymous there)."""
    return cast("User", request.auth.user)  # type: ignore[attr-defined]


class WorkspaceRequest(HttpRequest):
    """A request after WorkspaceMiddleware (or API token auth): the user is signed in and a member."""

    user: User
    workspace: Workspace
    membership: Membership
