"""Links in emails start with SITE_URL when it is set, else with the host the app was reached at."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.checks import run_checks

from creatordesk.accounts.models import Invitation
from creatordesk.accounts.tasks import send_invitation_email
from creatordesk.notifications.models import Delivery
from creatordesk.notifications.services import delivery_attempt, delivery_retry

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(side_a, claim_clip, settings, tmp_path):
    from creatordesk.reviews import services

    settings.MEDIA_ROOT = str(tmp_path / "media")
    side_a.creator.email = "alpha@creator.example"
    side_a.creator.save()
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="Serum video", actor=side_a.creator
    )
    services.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=claim_clip,
        original_name="v.mp4",
    )
    return submission


def _approve(side, login_as, submission, **request: object) -> None:
    version = submission.versions.get()
    response = login_as(side.reviewer).post(
        f"/reviews/versions/{version.pk}/decisions/", {"stage": "Review", "outcome": "approved"}, **request
    )
    assert response.status_code == 302


def _links_by_recipient() -> dict[str, str]:
    for delivery in Delivery.objects.filter(event="decision"):
        delivery_attempt(delivery=delivery)
    return {m.to[0]: next(line for line in m.body.splitlines() if "://" in line) for m in mail.outbox}


def test_without_site_url_links_start_with_the_host_the_decision_was_made_at(
    side_a, submission, login_as, settings
) -> None:
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["desk.lan"]
    # Not behind a proxy (BEHIND_PROXY unset): a client's X-Forwarded-Proto is not believed.
    _approve(side_a, login_as, submission, HTTP_HOST="desk.lan:8080", headers={"X-Forwarded-Proto": "https"})
    links = _links_by_recipient()
    assert links[side_a.manager.email] == f"http://desk.lan:8080/reviews/{submission.pk}/"
    assert links["alpha@creator.example"].startswith("http://desk.lan:8080/creators/portal/")


def test_a_set_site_url_wins_over_the_request_host_also_when_a_failed_email_is_sent_again(
    side_a, submission, login_as, settings
) -> None:
    settings.SITE_URL = "https://desk.example.com"
    settings.ALLOWED_HOSTS = ["desk.lan"]
    _approve(side_a, login_as, submission, HTTP_HOST="desk.lan")
    links = _links_by_recipient()
    assert links[side_a.manager.email] == f"https://desk.example.com/reviews/{submission.pk}/"
    assert links["alpha@creator.example"].startswith("https://desk.example.com/creators/portal/")

    delivery = Delivery.objects.get(event="decision", target=side_a.owner.email)
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED)
    delivery.refresh_from_db()
    settings.SITE_URL = ""  # a resend without SITE_URL uses the host the decision was made at
    mail.outbox.clear()
    delivery_attempt(delivery=delivery_retry(delivery=delivery))
    assert f"http://desk.lan/reviews/{submission.pk}/" in mail.outbox[0].body


def test_an_invitation_link_starts_with_the_inviting_request_host_unless_site_url_is_set(
    side_a, settings
) -> None:
    invitation = Invitation.objects.create(
        workspace=side_a.workspace, email="w@example.com", role="viewer", token=Invitation.new_token()
    )
    settings.SITE_URL = ""
    send_invitation_email.call(invitation_id=invitation.pk, site_url="https://desk.lan")
    settings.SITE_URL = "https://desk.example.com"
    send_invitation_email.call(invitation_id=invitation.pk, site_url="https://desk.lan")
    first, second = mail.outbox
    assert f"https://desk.lan/accounts/invitations/{invitation.token}/" in first.body
    assert f"https://desk.example.com/accounts/invitations/{invitation.token}/" in second.body


def test_check_deploy_warns_when_site_url_is_unset_in_production(settings) -> None:
    settings.DEBUG, settings.SITE_URL = False, ""
    assert "notifications.W001" in {m.id for m in run_checks(include_deployment_checks=True)}
    settings.SITE_URL = "https://desk.example.com"
    assert "notifications.W001" not in {m.id for m in run_checks(include_deployment_checks=True)}
    settings.DEBUG, settings.SITE_URL = True, ""
    assert "notifications.W001" not in {m.id for m in run_checks(include_deployment_checks=True)}
