"""Sending a creator their portal link from the app: in their language, to the portal, by managers only."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _

from creatordesk.creators.models import ActivityEvent
from creatordesk.notifications.models import Delivery
from creatordesk.notifications.services import delivery_attempt

pytestmark = pytest.mark.django_db


def _send_all() -> None:
    for delivery in Delivery.objects.filter(status=Delivery.Status.PENDING):
        delivery_attempt(delivery=delivery)


def _url(creator) -> str:
    return f"/creators/{creator.pk}/portal-link/"


def test_a_german_creator_gets_a_german_mail_whose_link_opens_their_portal(side_a, login_as) -> None:
    creator = side_a.creator
    creator.email, creator.languages = "jana@creator.de", "de, en"
    creator.save()
    page = login_as(side_a.manager).post(_url(creator), {"send": "1"}, follow=True).content.decode()
    assert "The portal link is on its way to jana@creator.de." in page
    assert "Portal link sent by email" in page.split('data-testid="timeline"', 1)[1]
    _send_all()

    (own,) = [m for m in mail.outbox if m.to == ["jana@creator.de"]]
    with translation.override("de"):
        subject = _("Your link to the creator portal of %(brand)s") % {"brand": side_a.workspace.name}
        invitation = _(
            "here is your personal link to the creator portal of %(brand)s. There you find your "
            "collaborations and briefs and upload your videos. The link works for %(days)d days; "
            "please do not forward it:"
        ) % {"brand": side_a.workspace.name, "days": settings.CREATOR_LINK_MAX_AGE_DAYS}
    assert own.subject == f"[{side_a.workspace.name}] {subject}"
    assert own.body.startswith(f"Hallo {creator.display_name},\n\n{invitation}\n")
    link = next(line for line in own.body.splitlines() if line.startswith("http"))
    assert link.startswith("http://testserver/creators/portal/")
    portal = Client().get(link.removeprefix("http://testserver"))
    assert portal.status_code == 200
    assert side_a.campaign.name in portal.content.decode()  # the creator's own collaboration
    assert ActivityEvent.objects.filter(creator=creator, verb="portal_link_sent").count() == 1


def test_a_creator_without_a_language_the_app_speaks_gets_the_mail_in_the_site_language(
    side_a, login_as
) -> None:
    side_a.creator.email, side_a.creator.languages = "alpha@creator.example", "tr"
    side_a.creator.save()
    login_as(side_a.manager).post(_url(side_a.creator), {"send": "1"})
    _send_all()
    (own,) = mail.outbox
    assert own.subject.endswith(f"Your link to the creator portal of {side_a.workspace.name}")
    assert own.body.startswith(f"Hello {side_a.creator.display_name},")


def test_a_creator_without_an_email_address_is_refused_with_a_reason(side_a, login_as) -> None:
    page = login_as(side_a.owner).post(_url(side_a.creator), {"send": "1"}, follow=True).content.decode()
    assert f"{side_a.creator.display_name} has no email address. Add one to the profile first." in page
    assert not Delivery.objects.exists()
    assert not ActivityEvent.objects.filter(verb="portal_link_sent").exists()


def test_only_managers_can_send_the_portal_link(side_a, side_b, login_as) -> None:
    side_a.creator.email = "alpha@creator.example"
    side_a.creator.save()
    for user in (side_a.reviewer, side_a.viewer):
        assert login_as(user).post(_url(side_a.creator), {"send": "1"}).status_code == 403
    assert login_as(side_b.manager).post(_url(side_a.creator), {"send": "1"}).status_code == 404
    assert not Delivery.objects.exists()
    assert (
        "Send by email" not in login_as(side_a.viewer).get(f"/creators/{side_a.creator.pk}/").content.decode()
    )
