"""Editing a creator's profile through the JSON API, with the checks and the timeline of the edit page."""

from __future__ import annotations

import json
from typing import Any

import pytest

from creatordesk.accounts.services import api_token_create
from creatordesk.creators.models import ActivityEvent, Creator
from creatordesk.creators.privacy import creator_erase

pytestmark = pytest.mark.django_db


def _patch(client, creator_id: int, token: str, body: dict[str, Any]):
    return client.patch(
        f"/api/creators/{creator_id}",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _profile(creator: Creator) -> tuple[str, ...]:
    creator.refresh_from_db()
    return (creator.display_name, creator.email, creator.country, creator.notes, creator.tags)


def test_a_manager_changes_only_the_fields_sent_and_the_timeline_says_so(side_a, client) -> None:
    creator = side_a.creator
    response = _patch(client, creator.pk, side_a.token, {"email": " Neu@Example.COM ", "country": "at"})
    assert response.status_code == 200, response.content
    assert response.json()["email"] == "neu@example.com" and response.json()["country"] == "AT"
    assert _profile(creator) == ("Creator alpha", "neu@example.com", "AT", "", "")
    edit = ActivityEvent.objects.get(creator=creator, verb="updated")
    assert edit.actor == str(side_a.manager)
    assert "AT" in edit.text and "neu@example.com" not in edit.text  # the timeline never quotes the address


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not an address"}, "email"),
        ({"display_name": "  "}, "display_name"),
        ({"country": "DEU"}, "country"),
        ({"tags": "t" * 201}, "tags"),
        ({"notes": 5}, "notes"),
    ],
)
def test_a_refused_edit_names_the_field_and_changes_nothing(
    body: dict[str, Any], field: str, side_a, client
) -> None:
    before = _profile(side_a.creator)
    response = _patch(client, side_a.creator.pk, side_a.token, {"notes": "kept?", **body})
    assert response.status_code == 422
    assert field in [error["loc"][-1] for error in response.json()["detail"]]
    assert _profile(side_a.creator) == before
    assert not ActivityEvent.objects.filter(creator=side_a.creator, verb="updated").exists()


def test_a_viewer_and_another_workspace_cannot_edit(side_a, side_b, client) -> None:
    _token, viewer = api_token_create(workspace=side_a.workspace, user=side_a.viewer, name="ro")
    before_a, before_b = _profile(side_a.creator), _profile(side_b.creator)
    assert _patch(client, side_a.creator.pk, viewer, {"notes": "viewer"}).status_code == 403
    assert _patch(client, side_b.creator.pk, side_a.token, {"notes": "other"}).status_code == 404
    assert (_profile(side_a.creator), _profile(side_b.creator)) == (before_a, before_b)


def test_an_erased_profile_cannot_be_filled_again(side_a, client) -> None:
    creator_erase(creator=side_a.creator, actor=side_a.owner)
    response = _patch(client, side_a.creator.pk, side_a.token, {"email": "back@example.com"})
    assert response.status_code == 422
    side_a.creator.refresh_from_db()
    assert side_a.creator.email == ""
