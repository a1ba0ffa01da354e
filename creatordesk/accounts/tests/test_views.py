from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from creatordesk.accounts.models import Invitation, Membership, User
from creatordesk.accounts.services import invitation_create

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password_opens_the_workspace(side_a, client) -> None:
    response = client.post(
        "/accounts/login/",
        {"username": side_a.manager.email, "password": "a-long-test-password-9"},
        follow=True,
    )
    assert response.status_code == 200
    assert side_a.workspace.name in response.content.decode()


def test_anonymous_visitor_is_sent_to_login(client) -> None:
    response = client.get("/creators/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_switching_to_a_workspace_one_is_not_member_of_gives_404(side_a, side_b, login_as) -> None:
    client = login_as(side_a.manager)
    response = client.post("/accounts/workspace/switch/", {"workspace": side_b.workspace.pk})
    assert response.status_code == 404
    assert side_a.workspace.name in client.get("/").content.decode()


def test_switching_workspace_changes_what_the_pages_show(side_a, side_b, login_as) -> None:
    Membership.objects.create(workspace=side_b.workspace, user=side_a.manager, role="viewer")
    client = login_as(side_a.manager)
    client.post("/accounts/workspace/switch/", {"workspace": side_b.workspace.pk})
    page = client.get("/creators/").content.decode()
    assert side_b.creator.display_name in page
    assert side_a.creator.display_name not in page


def test_language_choice_is_saved_per_user_and_translates_navigation(side_a, login_as) -> None:
    client = login_as(side_a.manager)
    client.post("/accounts/language/", {"language": "de", "next": "/"})
    side_a.manager.refresh_from_db()
    assert side_a.manager.language == "de"
    page = client.get("/").content.decode()
    assert "Kampagnen" in page and "Freigaben" in page
    other = login_as(side_a.reviewer)
    assert "Campaigns" in other.get("/").content.decode()


def test_viewer_cannot_invite_members(side_a, login_as) -> None:
    response = login_as(side_a.viewer).post(
        "/accounts/members/invite/", {"email": "new@example.com", "role": "viewer"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections like in production
def test_invitation_is_emailed_by_the_worker_and_accepting_creates_the_member(
    side_a, login_as, client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = login_as(side_a.owner).post(
            "/accounts/members/invite/", {"email": "New.Person@Example.com", "role": "reviewer"}
        )
    assert response.status_code == 302
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert len(mail.outbox) == 1
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.com"
    assert f"/accounts/invitations/{invitation.token}/" in mail.outbox[0].body

    response = client.post(
        f"/accounts/invitations/{invitation.token}/",
        {"first_name": "New", "last_name": "Person", "password": "another-long-password-7"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert Membership.objects.get(user=user, workspace=side_a.workspace).role == "reviewer"
    # The link works once.
    assert client.get(f"/accounts/invitations/{invitation.token}/").status_code == 410


def test_expired_invitation_is_refused(side_a, client) -> None:
    invitation = invitation_create(
        workspace=side_a.workspace, email="late@example.com", role="viewer", invited_by=side_a.owner
    )
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=30))
    assert client.get(f"/accounts/invitations/{invitation.token}/").status_code == 410


def test_password_reset_sends_a_working_link(side_a, client) -> None:
    client.post("/accounts/password-reset/", {"email": side_a.viewer.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "fresh-password-42x", "new_password2": "fresh-password-42x"},
    )
    assert response.status_code == 302
    side_a.viewer.refresh_from_db()
    assert side_a.viewer.check_password("fresh-password-42x")


def test_api_token_is_shown_once_and_can_be_revoked(side_a, login_as) -> None:
    client = login_as(side_a.reviewer)
    page = client.post("/accounts/api-tokens/", {"name": "script"}).content.decode()
    raw = page.split('data-testid="raw-token">', 1)[1].split("<", 1)[0]
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["role"] == "reviewer"
    assert raw not in client.get("/accounts/api-tokens/").content.decode()
    token = side_a.reviewer.api_tokens.get()
    client.post(f"/accounts/api-tokens/{token.pk}/revoke/")
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_api_token_stops_working_when_the_user_leaves_the_workspace(side_a, client) -> None:
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {side_a.token}").status_code == 200
    Membership.objects.filter(user=side_a.manager).delete()
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {side_a.token}").status_code == 401
