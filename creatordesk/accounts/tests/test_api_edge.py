"""What every API client meets the same way: unknown paths, refusals, role checks and paged lists."""

from __future__ import annotations

import pytest

from creatordesk.accounts.api import MAX_PAGE_SIZE, PAGE_SIZE
from creatordesk.accounts.services import api_token_create
from creatordesk.api import api
from creatordesk.creators.models import Creator
from creatordesk.creators.services import creator_create

pytestmark = pytest.mark.django_db


def _auth(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/creators/1/nothing", "/api/", "/api/v2/me"])
def test_an_unknown_api_path_answers_json_404(path: str, side_a, client) -> None:
    for response in (client.get(path, **_auth(side_a.token)), client.post(path, {}, **_auth(side_a.token))):
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"detail": "Not found"}


def test_an_unknown_page_outside_the_api_keeps_the_html_404(client) -> None:
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_row_of_another_workspace_answers_the_same_json_404(side_a, side_b, client) -> None:
    response = client.get(f"/api/creators/{side_b.creator.pk}", **_auth(side_a.token))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_a_schema_refusal_names_the_field_in_the_requests_language(side_a, client) -> None:
    response = client.post(
        "/api/campaigns",
        {"description": "no name", "starts_on": "someday"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
        **_auth(side_a.token),
    )
    assert response.status_code == 422
    errors = {tuple(error["loc"])[-1]: error["msg"] for error in response.json()["detail"]}
    assert set(errors) == {"name", "starts_on"}
    assert errors["name"] == "Dieses Feld ist zwingend erforderlich."
    assert all(set(error) == {"loc", "msg"} for error in response.json()["detail"])


def test_a_service_refusal_has_the_same_shape_and_names_the_field(side_a, client) -> None:
    response = client.post(
        "/api/campaigns",
        {"name": "Backwards", "starts_on": "2026-12-01", "ends_on": "2026-11-01"},
        content_type="application/json",
        **_auth(side_a.token),
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"loc": ["body", "ends_on"], "msg": "The campaign cannot end before it starts."}]
    }


def test_a_role_refusal_is_403_with_a_message(side_a, client) -> None:
    _token, viewer = api_token_create(workspace=side_a.workspace, user=side_a.viewer, name="ro")
    response = client.post(
        "/api/creators", {"display_name": "X"}, content_type="application/json", **_auth(viewer)
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role may not do this."}
    assert not Creator.objects.filter(display_name="X").exists()


def test_a_list_answers_one_page_with_the_total(side_a, side_b, client) -> None:
    for number in range(5):
        creator_create(workspace=side_a.workspace, display_name=f"Paged {number}")
    total = Creator.objects.filter(workspace=side_a.workspace).count()
    first = client.get("/api/creators", {"limit": 2}, **_auth(side_a.token)).json()
    rest = client.get("/api/creators", {"limit": 2, "offset": 2}, **_auth(side_a.token)).json()
    assert first["count"] == rest["count"] == total == 7  # the other side's creators are not counted
    assert len(first["items"]) == len(rest["items"]) == 2
    assert not {c["id"] for c in first["items"]} & {c["id"] for c in rest["items"]}
    whole = client.get("/api/creators", **_auth(side_a.token)).json()
    assert len(whole["items"]) == total <= PAGE_SIZE


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": MAX_PAGE_SIZE + 1}, {"offset": -1}])
def test_a_limit_outside_its_bounds_is_refused(query: dict[str, int], side_a, client) -> None:
    response = client.get("/api/creators", query, **_auth(side_a.token))
    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == list(query)


def test_the_largest_page_is_allowed(side_a, client) -> None:
    response = client.get("/api/creators", {"limit": MAX_PAGE_SIZE}, **_auth(side_a.token))
    assert response.status_code == 200 and response.json()["count"] == 2


def test_every_list_endpoint_is_paged_and_documents_its_bounds() -> None:
    schema = api.get_openapi_schema()
    lists = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            ok = (
                (responses.get(200) or responses.get("200") or {})
                .get("content", {})
                .get("application/json", {})
            )
            ref = ok.get("schema", {}).get("$ref", "")
            body = (
                schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
                if ref
                else ok.get("schema", {})
            )
            if body.get("type") == "array" or "items" in body.get("properties", {}):
                lists.append((method, path))
                assert set(body.get("properties", {})) == {"items", "count"}, f"{method} {path} is not paged"
                limit = next(p for p in operation["parameters"] if p["name"] == "limit")
                assert limit["schema"]["maximum"] == MAX_PAGE_SIZE
    assert ("get", "/api/creators") in lists and len(lists) >= 12
