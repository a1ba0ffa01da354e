from __future__ import annotations

import pytest
from django.core import signing

from creatordesk.creators.portal import creator_from_portal_token, portal_token_for
from creatordesk.creators.services import creator_revoke_portal_links

pytestmark = pytest.mark.django_db


def test_manager_creates_a_portal_link_that_opens_the_creators_page(side_a, login_as, client) -> None:
    page = login_as(side_a.manager).post(f"/creators/{side_a.creator.pk}/portal-link/").content.decode()
    url = page.split('data-testid="portal-url">', 1)[1].split("<", 1)[0]
    response = client.get(url.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 200
    assert side_a.campaign.name in response.content.decode()


def test_reviewer_cannot_create_portal_links(side_a, login_as) -> None:
    assert login_as(side_a.reviewer).post(f"/creators/{side_a.creator.pk}/portal-link/").status_code == 403


def test_expired_portal_link_is_refused(side_a, settings, monkeypatch) -> None:
    token = portal_token_for(side_a.creator)
    settings.CREATOR_LINK_MAX_AGE_DAYS = 1
    real_unsign = signing.TimestampSigner.unsign_object

    def later(self, value, **kwargs):
        kwargs["max_age"] = -1  # as if two days had passed
        return real_unsign(self, value, **kwargs)

    monkeypatch.setattr(signing.TimestampSigner, "unsign_object", later)
    assert creator_from_portal_token(token) is None


def test_revoking_makes_every_earlier_link_useless(side_a, client) -> None:
    token = portal_token_for(side_a.creator)
    creator_revoke_portal_links(creator=side_a.creator)
    assert client.get(f"/creators/portal/{token}/").status_code == 404


def test_tampered_portal_link_is_refused(side_a, client) -> None:
    token = portal_token_for(side_a.creator)
    forged = token.replace(token[5], "A" if token[5] != "A" else "B", 1)
    assert client.get(f"/creators/portal/{forged}/").status_code == 404
