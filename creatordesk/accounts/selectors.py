"""Reads about users, workspaces and memberships."""

from __future__ import annotations

from django.db.models import QuerySet

from creatordesk.accounts.models import ApiToken, Invitation, Membership, User, Workspace


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("workspace").order_by("workspace__name")


def membership_of(user: User, workspace_id: int | None) -> Membership | None:
    memberships = memberships_of(user)
    if workspace_id is not None:
        chosen = memberships.filter(workspace_id=workspace_id).first()
        if chosen is not None:
            return chosen
    return memberships.first()


def workspace_members(workspace: Workspace) -> QuerySet[Membership]:
    return Membership.objects.filter(workspace=workspace).select_related("user").order_by("user__email")


def open_invitations(workspace: Workspace) -> QuerySet[Invitation]:
    return Invitation.objects.filter(workspace=workspace, accepted_at__isnull=True)


def api_tokens_of(user: User, workspace: Workspace) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, workspace=workspace)
