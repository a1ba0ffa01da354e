"""Nobody grants a role above their own; only owners make, change or unmake owners (ASVS 4.0 V4.1.3).

Reproduces: a manager invited someone with `role=owner`, and the new owner reached the platform
credentials managers may not see.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import PASSWORD, Side
from creatordesk.accounts.models import Invitation, Membership, Role, User
from creatordesk.accounts.services import invitation_accept, invitation_create, membership_set
from creatordesk.api import api

pytestmark = pytest.mark.django_db


def _invite(client: Client, email: str, role: str):
    return client.post("/accounts/members/invite/", {"email": email, "role": role})


def _offered_roles(client: Client) -> set[str]:
    page = client.get("/accounts/members/").content.decode()
    select = page.split('name="role"', 1)[1].split("</select>", 1)[0]
    return set(re.findall(r'<option value="(\w+)"', select))


def test_manager_cannot_invite_an_owner_or_performance_marketer_through_the_web(
    side_a: Side, login_as
) -> None:
    client = login_as(side_a.manager)
    for role in (Role.OWNER, Role.PERFORMANCE):
        response = _invite(client, f"new-{role}@example.com", role)
        assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_the_role_choice_offered_to_a_manager_has_no_owner(side_a: Side, login_as) -> None:
    assert _offered_roles(login_as(side_a.manager)) == {"manager", "reviewer", "viewer"}
    assert _offered_roles(login_as(side_a.owner)) == set(Role.values)


def test_owner_can_invite_an_owner_who_then_becomes_one(side_a: Side, login_as) -> None:
    response = _invite(login_as(side_a.owner), "co-owner@example.com", Role.OWNER)
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="co-owner@example.com")
    assert invitation.role == Role.OWNER

    new = Client()
    response = new.post(
        f"/accounts/invitations/{invitation.token}/",
        {"first_name": "Co", "last_name": "Owner", "password": "another-long-password-7"},
    )

    assert response.status_code == 302
    user = User.objects.get(email="co-owner@example.com")
    assert Membership.objects.get(user=user, workspace=side_a.workspace).role == Role.OWNER
    assert new.get("/performance/connections/").status_code == 200


def test_manager_can_still_invite_a_reviewer(side_a: Side, login_as) -> None:
    assert _invite(login_as(side_a.manager), "new-reviewer@example.com", Role.REVIEWER).status_code == 302
    assert Invitation.objects.get().role == Role.REVIEWER


def test_an_owner_invitation_from_a_manager_made_before_the_fix_cannot_be_accepted(
    side_a: Side, client: Client
) -> None:
    # Such invitations were stored by the old form; the role is checked again on acceptance.
    invitation = Invitation.objects.create(
        workspace=side_a.workspace,
        email="smuggled@example.com",
        role=Role.OWNER,
        invited_by=side_a.manager,
        token=Invitation.new_token(),
    )

    response = client.post(
        f"/accounts/invitations/{invitation.token}/",
        {"first_name": "S", "last_name": "", "password": "another-long-password-7"},
    )

    assert response.status_code == 403
    assert "cannot grant" in response.content.decode()
    assert not User.objects.filter(email="smuggled@example.com").exists()  # no half-made account
    assert client.get("/performance/connections/").status_code == 302  # not signed in


def test_an_invitation_dies_with_the_inviters_role(side_a: Side, login_as) -> None:
    invitation = invitation_create(
        workspace=side_a.workspace, email="late@example.com", role=Role.OWNER, invited_by=side_a.owner
    )
    # The inviter is demoted (by another owner) before the invitation is accepted.
    membership_set(workspace=side_a.workspace, user=side_a.manager, role=Role.OWNER)
    membership_set(
        workspace=side_a.workspace, user=side_a.owner, role=Role.MANAGER, granted_by=side_a.manager
    )
    late = User.objects.create_user(username="late@example.com", email="late@example.com", password=PASSWORD)

    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=late)

    assert not Membership.objects.filter(user=late).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_existing_member_signed_in_cannot_accept_an_owner_invitation_from_a_manager(
    side_a: Side, side_b: Side, login_as
) -> None:
    invitation = Invitation.objects.create(
        workspace=side_a.workspace,
        email=side_b.viewer.email,
        role=Role.OWNER,
        invited_by=side_a.manager,
        token=Invitation.new_token(),
    )
    response = login_as(side_b.viewer).post(f"/accounts/invitations/{invitation.token}/")
    assert response.status_code == 403
    assert not Membership.objects.filter(workspace=side_a.workspace, user=side_b.viewer).exists()


def test_services_refuse_grants_above_the_granters_role(side_a: Side) -> None:
    ws = side_a.workspace
    with pytest.raises(ValidationError):
        invitation_create(workspace=ws, email="x@example.com", role=Role.OWNER, invited_by=side_a.manager)
    with pytest.raises(ValidationError):
        membership_set(workspace=ws, user=side_a.viewer, role=Role.OWNER, granted_by=side_a.manager)
    with pytest.raises(ValidationError):
        membership_set(workspace=ws, user=side_a.viewer, role=Role.MANAGER, granted_by=side_a.reviewer)
    with pytest.raises(ValidationError):  # a manager does not demote an owner
        membership_set(workspace=ws, user=side_a.owner, role=Role.VIEWER, granted_by=side_a.manager)
    assert Membership.objects.get(workspace=ws, user=side_a.owner).role == Role.OWNER
    assert Membership.objects.get(workspace=ws, user=side_a.viewer).role == Role.VIEWER

    membership_set(workspace=ws, user=side_a.viewer, role=Role.REVIEWER, granted_by=side_a.manager)
    membership_set(workspace=ws, user=side_a.reviewer, role=Role.OWNER, granted_by=side_a.owner)
    assert Membership.objects.get(workspace=ws, user=side_a.reviewer).role == Role.OWNER


def test_a_workspace_keeps_its_last_owner(side_a: Side) -> None:
    with pytest.raises(ValidationError):
        membership_set(
            workspace=side_a.workspace, user=side_a.owner, role=Role.MANAGER, granted_by=side_a.owner
        )


def test_a_member_of_another_workspace_grants_nothing_here(side_a: Side, side_b: Side) -> None:
    with pytest.raises(ValidationError):
        invitation_create(
            workspace=side_a.workspace, email="y@example.com", role=Role.VIEWER, invited_by=side_b.owner
        )


def test_the_api_offers_no_way_to_grant_roles(side_a: Side, client: Client) -> None:
    # Roles are granted only through invitations on the web; an API path that grants them must
    # come with the checks above (and a test here).
    paths = api.get_openapi_schema()["paths"]
    writes = {(method, path) for path, ops in paths.items() for method in ops if method != "get"}
    # Path arguments such as an import's `{token}` name a staged file, not an access grant.
    named = {(method, re.sub(r"\{[^}]*\}", "", path)) for method, path in writes}
    assert not {w for w in named if re.search(r"member|invitation|role|token", w[1])}
    for path in ("/api/invitations", "/api/members", "/api/memberships"):
        response = client.post(
            path,
            {"email": "api@example.com", "role": "owner"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {side_a.token}",
        )
        assert response.status_code in (404, 405)
    assert not Invitation.objects.exists()
