"""Ids beyond the 64-bit range, negative or not numbers at all never make a page or the API fail.

SQLite raises OverflowError for integers above 2**63 - 1 and PostgreSQL refuses them as bigint; a
URL such as `/reviews/?campaign=<23 digits>` must answer like any id that does not exist. Every URL
pattern and API operation is discovered, so a new one is checked without being listed here.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.test import Client

from conftest import Side
from creatordesk.accounts.models import User
from creatordesk.accounts.services import api_token_create
from creatordesk.api import api
from creatordesk.creators.portal import portal_token_for
from tests.test_workspace_isolation import OBJECT_IDS, _walk, review_objects_b  # noqa: F401 (a fixture)

# 2**63 is one past PostgreSQL's bigint, 10**22 a 23-digit id, -1 never an id;
# "²" is a digit to str.isdigit() that int() refuses, and "x" no number at all.
BAD_IDS = (str(2**63), str(10**22), "-1", "²", "x")
# In a path `<int:...>` only ever matches ASCII digits; the rest cannot reach a view there.
PATH_IDS = (str(2**63), str(10**22), "-1")
# Every query parameter a page or the API reads as a number.
QUERY_IDS = ("campaign", "creator", "v", "a", "b", "min_followers", "page", "campaign_id", "was")


def _int_routes() -> list[str]:
    from django.urls import get_resolver

    routes = {route for route, _pattern in _walk(get_resolver().url_patterns) if "<int:" in route}
    return sorted(route for route in routes if not route.startswith(("admin/", "api/")))


def _page_routes() -> list[str]:
    from django.urls import get_resolver

    routes = {route for route, _pattern in _walk(get_resolver().url_patterns)}
    return sorted(route for route in routes if not route.startswith(("admin/", "api/")))


def _api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return sorted((method.upper(), path) for path, ops in schema["paths"].items() for method in ops)


def _fill(route: str, side: Side, bad: str | None) -> str:
    """`route` with its ids: every int argument `bad` (when given), the rest the side's real objects."""

    def sub(match: re.Match[str]) -> str:
        kind, name = match.group(1), match.group(2)
        if kind == "int:" and bad is not None:
            return bad
        if name == "token":
            return portal_token_for(side.creator)
        if name in OBJECT_IDS:
            return str(OBJECT_IDS[name](side))
        return "x"

    return "/" + re.sub(r"<(\w+:)?(\w+)>", sub, route)


def _client(user: User) -> Client:
    # A 500 must come back as a response the test can report, not as the view's exception.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_discovery_finds_the_id_urls_and_the_queue() -> None:
    assert "reviews/<int:submission_pk>/audit.csv" in _int_routes()
    assert "reviews/" in _page_routes()
    assert ("POST", "/api/versions/{version_id}/comments") in _api_operations()


@pytest.mark.usefixtures("review_objects_b")
def test_queue_with_a_23_digit_campaign_ignores_the_filter_and_does_not_fail(side_b: Side) -> None:
    client = _client(side_b.owner)
    assert b"B secret video" in client.get("/reviews/").content
    for bad in BAD_IDS:
        response = client.get("/reviews/", {"campaign": bad, "creator": bad})
        assert response.status_code == 200, bad
        assert b"B secret video" in response.content, f"an unreadable filter {bad!r} is ignored"


@pytest.mark.usefixtures("review_objects_b")
def test_board_bulk_move_with_impossible_ids_moves_nothing_and_does_not_fail(side_b: Side) -> None:
    client = _client(side_b.owner)
    before = side_b.collaboration.status
    response = client.post(
        f"/campaigns/{side_b.campaign.pk}/board/bulk/", {"collaboration": list(BAD_IDS), "status": "briefed"}
    )
    assert response.status_code < 500
    side_b.collaboration.refresh_from_db()
    assert side_b.collaboration.status == before


def test_stage_owner_form_refuses_an_impossible_member_id_instead_of_failing(side_b: Side) -> None:
    # Django's ModelMultipleChoiceField puts the raw ids into `pk IN (...)`, which overflows.
    client = _client(side_b.owner)
    url = f"/reviews/campaigns/{side_b.campaign.pk}/stages/"
    page = client.get(url).content.decode()
    data = dict(re.findall(r'name="([\w-]+_FORMS)" value="(\d+)"', page))
    fields = re.findall(r'name="([\w-]+-(?:name|members))"', page)
    assert data and fields, "the stage form's fields were not found"
    for bad in PATH_IDS:
        data.update({name: "Review" if name.endswith("-name") else bad for name in fields})
        response = client.post(url, data)
        assert response.status_code in (200, 400), f"members={bad} gave {response.status_code}"
        assert not side_b.campaign.review_stages.filter(name="Review").exists()


# One test per kind walks all URLs and lists every failure at once; a test per URL would spend
# most of its time building the same two workspaces again.


@pytest.mark.usefixtures("review_objects_b")
def test_pages_with_an_impossible_id_in_their_path_answer_404(side_b: Side) -> None:
    client = _client(side_b.owner)
    failures = []
    for route in _int_routes():
        for bad in PATH_IDS:
            url = _fill(route, side_b, bad)
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                if status not in (404, 405):
                    failures.append(f"{method.upper()} {url} → {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.usefixtures("review_objects_b")
def test_pages_with_impossible_ids_in_their_query_string_do_not_fail(side_b: Side) -> None:
    client = _client(side_b.owner)
    failures = []
    for route in _page_routes():
        for bad in BAD_IDS:
            url = _fill(route, side_b, None) + "?" + urlencode(dict.fromkeys(QUERY_IDS, bad))
            status = client.get(url).status_code
            if status >= 500:
                failures.append(f"GET {url} → {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.usefixtures("review_objects_b")
def test_api_with_impossible_ids_answers_with_a_client_error(side_b: Side) -> None:
    # An owner's token: every operation is open to the role, so each one reaches its id lookup.
    _token, owner_token = api_token_create(workspace=side_b.workspace, user=side_b.owner, name="ids")
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {owner_token}")
    failures = []
    for method, path in _api_operations():
        for bad in BAD_IDS:
            url = re.sub(r"\{\w+\}", bad, path) + "?" + urlencode(dict.fromkeys(QUERY_IDS, bad))
            status = client.generic(method, url, data="{}", content_type="application/json").status_code
            allowed = (404, 405, 422) if "{" in path else range(200, 500)
            if status not in allowed:
                failures.append(f"{method} {url} → {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.usefixtures("review_objects_b")
def test_api_comment_reply_to_an_impossible_parent_answers_404(side_b: Side) -> None:
    version = side_b.extra["version"]
    client = Client(raise_request_exception=False)
    for parent in (2**63, 10**22, -1):
        response = client.post(
            f"/api/versions/{version.pk}/comments",
            {"body": "reply", "parent_id": parent},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {side_b.token}",
        )
        assert response.status_code in (404, 422), f"parent_id={parent} gave {response.status_code}"
