from __future__ import annotations

import pytest

from creatordesk.creators.models import Creator

pytestmark = pytest.mark.django_db


def _profile(creator: Creator, **changes: str) -> dict[str, str]:
    fields = ["display_name", "email", "phone", "country", "languages", "categories", "tags", "notes"]
    return {**{name: getattr(creator, name) for name in fields}, **changes}


def test_manager_edits_a_profile_and_the_timeline_shows_before_and_after(side_a, login_as) -> None:
    creator = side_a.creator
    Creator.objects.filter(pk=creator.pk).update(country="DE")
    creator.refresh_from_db()
    response = login_as(side_a.manager).post(
        f"/creators/{creator.pk}/edit/", _profile(creator, country="at", tags="skincare")
    )
    assert response.status_code == 302
    creator.refresh_from_db()
    assert (creator.country, creator.tags) == ("AT", "skincare")
    event = creator.activity.get(verb="updated")
    assert "DE → AT" in event.text and "— → skincare" in event.text
    assert event.actor == str(side_a.manager)


def test_a_changed_email_is_named_in_the_timeline_without_the_old_address(side_a, login_as) -> None:
    creator = side_a.creator
    Creator.objects.filter(pk=creator.pk).update(email="old@alpha.example")
    creator.refresh_from_db()
    login_as(side_a.owner).post(f"/creators/{creator.pk}/edit/", _profile(creator, email="New@Alpha.example"))
    creator.refresh_from_db()
    assert creator.email == "new@alpha.example"
    event = creator.activity.get(verb="updated")
    assert "changed" in event.text and "old@alpha.example" not in event.text


def test_saving_an_unchanged_profile_adds_nothing_to_the_timeline(side_a, login_as) -> None:
    creator = side_a.creator
    login_as(side_a.manager).post(f"/creators/{creator.pk}/edit/", _profile(creator))
    assert not creator.activity.filter(verb="updated").exists()


def test_an_invalid_email_is_refused_and_changes_nothing(side_a, login_as) -> None:
    creator = side_a.creator
    response = login_as(side_a.manager).post(
        f"/creators/{creator.pk}/edit/", _profile(creator, email="not an address", country="FR")
    )
    assert response.status_code == 200
    creator.refresh_from_db()
    assert creator.country == "" and not creator.activity.filter(verb="updated").exists()


def test_reviewer_and_viewer_may_not_edit_a_profile(side_a, login_as) -> None:
    creator = side_a.creator
    for user in (side_a.reviewer, side_a.viewer):
        client = login_as(user)
        assert client.get(f"/creators/{creator.pk}/edit/").status_code == 403
        client.post(f"/creators/{creator.pk}/edit/", _profile(creator, display_name="Renamed"))
    creator.refresh_from_db()
    assert creator.display_name == "Creator alpha"


def test_a_creator_of_another_workspace_is_not_found(side_a, side_b, login_as) -> None:
    response = login_as(side_a.manager).get(f"/creators/{side_b.creator.pk}/edit/")
    assert response.status_code == 404


def test_the_creator_page_links_to_the_edit_form_for_managers_only(side_a, login_as) -> None:
    url = f"/creators/{side_a.creator.pk}/"
    assert b'data-testid="creator-edit"' in login_as(side_a.manager).get(url).content
    assert b'data-testid="creator-edit"' not in login_as(side_a.viewer).get(url).content
