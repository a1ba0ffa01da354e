from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from creatordesk.accounts.models import Workspace
from creatordesk.accounts.services import user_create, workspace_create
from creatordesk.creators.models import Creator, Platform, PlatformAccount

pytestmark = pytest.mark.django_db

URL = "/creators/"


def add_creators(workspace: Workspace, count: int, prefix: str = "bulk") -> list[Creator]:
    creators = Creator.objects.bulk_create(
        Creator(
            workspace=workspace,
            display_name=f"{prefix} {i:03}",
            country="AT",
            languages="de",
            followers=i * 100,
            engagement_rate=i / 10,
        )
        for i in range(count)
    )
    PlatformAccount.objects.bulk_create(
        PlatformAccount(workspace=workspace, creator=c, platform=Platform.TIKTOK, handle=f"{prefix}_{c.pk}")
        for c in creators
    )
    return creators


@pytest.fixture
def jana(side_a) -> Creator:
    """A creator with two accounts, the Instagram one the bigger, and list-valued fields."""
    creator = Creator.objects.create(
        workspace=side_a.workspace,
        display_name="Jana Glow",
        email="jana@glow.example",
        country="DE",
        languages="de, en",
        categories="skincare, beauty",
        tags="vip, autumn launch",
        followers=150_000,
        engagement_rate=4.2,
    )
    PlatformAccount.objects.create(
        workspace=side_a.workspace,
        creator=creator,
        platform=Platform.TIKTOK,
        handle="jana.tok",
        followers=50_000,
    )
    PlatformAccount.objects.create(
        workspace=side_a.workspace,
        creator=creator,
        platform=Platform.INSTAGRAM,
        handle="jana.gram",
        followers=100_000,
    )
    return creator


def names(response) -> list[str]:
    return [row.creator.display_name for row in response.context["listing"].rows]


def test_list_shows_figures_country_languages_categories_and_the_biggest_accounts_handle(
    side_a, jana, login_as
) -> None:
    page = login_as(side_a.viewer).get(URL).content.decode()
    assert "Jana Glow" in page
    assert "150,000" in page
    assert "4.2%" in page
    assert "skincare, beauty" in page
    assert "@jana.gram" in page and "@jana.tok" not in page


def test_an_empty_workspace_says_it_has_no_creators_yet(login_as) -> None:
    owner = user_create(email="solo@example.com", password=None)
    workspace_create(name="Empty brand", owner=owner)
    response = login_as(owner).get(URL)
    assert "No creators yet" in response.content.decode()


def test_a_search_without_matches_says_so(side_a, login_as) -> None:
    response = login_as(side_a.viewer).get(URL, {"q": "nobody-has-this-name"})
    assert "No creator matches your search." in response.content.decode()


@pytest.mark.parametrize("query", ["Jana", "@JANA.GRAM", "jana.tok", "glow.example"])
def test_search_finds_creators_by_name_any_account_handle_or_email(side_a, jana, login_as, query) -> None:
    response = login_as(side_a.viewer).get(URL, {"q": query})
    assert names(response) == ["Jana Glow"]


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"country": "de"}, True),
        ({"country": "AT"}, False),
        ({"language": "EN"}, True),
        ({"language": "e"}, False),
        ({"category": "beauty"}, True),
        ({"category": "care"}, False),
        ({"tag": "autumn launch"}, True),
        ({"platform": "instagram"}, True),
        ({"platform": "youtube"}, False),
        ({"min_followers": "150000"}, True),
        ({"min_followers": "150001"}, False),
    ],
)
def test_filters_narrow_the_list_to_whole_matches(side_a, jana, login_as, params, found) -> None:
    response = login_as(side_a.viewer).get(URL, params)
    assert ("Jana Glow" in names(response)) is found
    assert all(name == "Jana Glow" for name in names(response))


def test_malformed_filter_values_are_ignored(side_a, jana, login_as) -> None:
    response = login_as(side_a.viewer).get(
        URL, {"min_followers": "lots", "sort": "password", "platform": "x"}
    )
    assert response.status_code == 200
    assert "Jana Glow" in names(response)


@pytest.mark.parametrize(
    ("sort", "first"),
    [("name", "bulk 000"), ("followers", "bulk 004"), ("engagement", "bulk 004"), ("newest", "bulk 004")],
)
def test_the_list_sorts_by_name_followers_engagement_or_newest(side_a, login_as, sort, first) -> None:
    Creator.objects.filter(workspace=side_a.workspace).delete()
    add_creators(side_a.workspace, 5)
    assert names(login_as(side_a.viewer).get(URL, {"sort": sort}))[0] == first


def test_the_list_pages_by_fifty_and_keeps_the_filters_in_page_links(side_a, login_as) -> None:
    add_creators(side_a.workspace, 60)
    client = login_as(side_a.viewer)
    first = client.get(URL, {"country": "AT"})
    assert len(names(first)) == 50
    assert "?country=AT&amp;page=2" in first.content.decode()
    second = client.get(URL, {"country": "AT", "page": 2})
    assert len(names(second)) == 10
    assert not set(names(first)) & set(names(second))


def test_an_htmx_request_gets_only_the_table(side_a, jana, login_as) -> None:
    response = login_as(side_a.viewer).get(URL, {"q": "jana"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "Jana Glow" in page
    assert "<html" not in page and 'name="country"' not in page


def test_managers_see_the_import_link_and_viewers_do_not(side_a, login_as) -> None:
    assert 'data-testid="import-link"' in login_as(side_a.manager).get(URL).content.decode()
    assert 'data-testid="import-link"' not in login_as(side_a.viewer).get(URL).content.decode()


def test_the_list_never_shows_creators_of_another_workspace(side_a, side_b, login_as) -> None:
    add_creators(side_b.workspace, 3, prefix="Hidden beta")
    client = login_as(side_a.viewer)
    for params in ({}, {"q": "Hidden"}, {"sort": "followers"}, {"platform": "tiktok"}):
        response = client.get(URL, params)
        assert "Hidden beta 000" not in response.content.decode()
        assert not [name for name in names(response) if name.startswith("Hidden")]


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, {"sort": "followers"}).status_code == 200
    return len(captured.captured_queries)


def test_the_list_page_costs_the_same_queries_for_5_and_60_creators(
    side_a, login_as, django_assert_num_queries
):
    client = login_as(side_a.viewer)
    add_creators(side_a.workspace, 5)
    few = count_queries(client)
    add_creators(side_a.workspace, 55, prefix="more")
    with django_assert_num_queries(few):
        client.get(URL, {"sort": "followers"})
    # session, user, membership, memberships for the switcher, countries, count, page, accounts
    assert few == 8
