from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_api_docs_are_served_without_a_cdn(client) -> None:
    page = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn." not in page and "unpkg" not in page


def test_openapi_schema_lists_the_workspace_endpoints(client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert {"/api/me", "/api/creators", "/api/creators/{creator_id}", "/api/campaigns"} <= set(
        schema["paths"]
    )


def test_manager_creates_a_creator_through_the_api_in_their_workspace(side_a, client) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {side_a.token}"}
    response = client.post(
        "/api/creators",
        {"display_name": "Neu", "tiktok_handle": "@neu"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201
    created = response.json()
    assert created["tiktok_handle"] == "neu"
    listed = client.get("/api/creators", **auth).json()
    assert "Neu" in [c["display_name"] for c in listed["items"]]


def test_viewer_token_cannot_create_creators(side_a, client) -> None:
    from creatordesk.accounts.services import api_token_create

    _token, raw = api_token_create(workspace=side_a.workspace, user=side_a.viewer, name="ro")
    response = client.post(
        "/api/creators",
        {"display_name": "X"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403


def test_invalid_campaign_dates_give_a_clear_error(side_a, client) -> None:
    response = client.post(
        "/api/campaigns",
        {"name": "Backwards", "starts_on": "2026-12-01", "ends_on": "2026-11-01"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {side_a.token}",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "ends_on"], "msg": "The campaign cannot end before it starts."}
    ]


def test_text_the_database_cannot_store_is_a_client_error(side_a, client) -> None:
    response = client.post(
        "/api/campaigns",
        {"name": "Nul\x00campaign"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {side_a.token}",
    )
    # SQLite stores the character; PostgreSQL refuses it, which must be a 422, never a 500.
    assert response.status_code in (200, 201, 422)
