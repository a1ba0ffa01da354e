"""The portal speaks the creator's language, not the browser's, until the visitor picks one themselves."""

from __future__ import annotations

import pytest
from django.test import Client

from creatordesk.creators.portal import portal_token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def german_creator(side_a):
    side_a.creator.languages = "de, tr"
    side_a.creator.save(update_fields=["languages"])
    return side_a


def _pages(side) -> list[str]:
    root = f"/creators/portal/{portal_token_for(side.creator)}/"
    return [root, f"{root}collaborations/{side.collaboration.pk}/"]


def test_a_german_creator_gets_german_pages_in_an_english_browser(german_creator) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    home, collaboration = _pages(german_creator)
    page = client.get(home)
    assert page["Content-Language"] == "de"
    assert '<html lang="de">' in page.content.decode()
    assert "Deine Kooperationen" in page.content.decode()
    page = client.get(collaboration)
    assert "Neues Video einreichen" in page.content.decode()
    assert "Submit a new video" not in page.content.decode()


def test_the_language_picked_with_the_switcher_wins_over_the_creators(german_creator) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    _home, collaboration = _pages(german_creator)
    switched = client.post("/accounts/language/", {"language": "en", "next": collaboration})
    assert switched.status_code == 302
    page = client.get(collaboration)
    assert page["Content-Language"] == "en"
    assert "Submit a new video" in page.content.decode()


def test_a_chunk_answer_comes_in_the_creators_language(german_creator) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    _home, collaboration = _pages(german_creator)
    answer = client.post(f"{collaboration}uploads/", {"name": "clip.mp4", "size": 10})
    assert answer.status_code == 400
    assert "Titel" in answer.json()["error"]
