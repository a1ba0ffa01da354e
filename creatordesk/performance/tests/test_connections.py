"""Each workspace's own platform API credentials: encrypted, scoped, and used by the poll."""

from __future__ import annotations

import pytest
from django.test import override_settings

from creatordesk.performance.connections import (
    UnreadableCredentialsError,
    connection_save,
    connection_values,
    connectors_for_workspace,
)
from creatordesk.performance.connectors import TikTokBusinessConnector, TikTokShopConnector
from creatordesk.performance.models import PlatformConnection

TOKEN = "act.SECRET-token-of-brand-a-1234"


def test_credentials_are_stored_encrypted_and_used_for_that_workspace_only(side_a, side_b, settings) -> None:
    settings.PLATFORM_CONNECTORS = {}
    connection_save(
        workspace=side_a.workspace,
        kind="tiktok_business",
        values={"business_id": "biz-a", "access_token": TOKEN},
        user=side_a.owner,
    )
    stored = PlatformConnection.objects.get(workspace=side_a.workspace)
    assert TOKEN not in stored.secret and "biz-a" not in stored.secret
    assert connection_values(stored) == {"business_id": "biz-a", "access_token": TOKEN}

    own = connectors_for_workspace(workspace_id=side_a.workspace.pk, platform="tiktok")
    assert [type(c) for c in own] == [TikTokBusinessConnector, TikTokShopConnector]
    business = own[0]
    assert isinstance(business, TikTokBusinessConnector)
    assert business.configured() and business.access_token == TOKEN and business.business_id == "biz-a"
    other = connectors_for_workspace(workspace_id=side_b.workspace.pk, platform="tiktok")[0]
    assert isinstance(other, TikTokBusinessConnector) and not other.configured()


def test_an_empty_secret_keeps_the_stored_one_and_required_fields_are_checked(side_a) -> None:
    from django.core.exceptions import ValidationError

    values = {"business_id": "biz-a", "access_token": TOKEN}
    connection_save(workspace=side_a.workspace, kind="tiktok_business", values=values, user=side_a.owner)
    connection_save(
        workspace=side_a.workspace,
        kind="tiktok_business",
        values={"business_id": "biz-a2", "access_token": ""},
        user=side_a.owner,
    )
    stored = connection_values(PlatformConnection.objects.get(workspace=side_a.workspace))
    assert stored == {"business_id": "biz-a2", "access_token": TOKEN}
    with pytest.raises(ValidationError):
        connection_save(workspace=side_a.workspace, kind="meta_graph", values={}, user=side_a.owner)


def test_credentials_stored_under_another_secret_key_are_reported_not_crashed_on(side_a, login_as) -> None:
    connection_save(
        workspace=side_a.workspace, kind="meta_graph", values={"access_token": TOKEN}, user=side_a.owner
    )
    with override_settings(SECRET_KEY="another-secret-key-" + "x" * 40):
        with pytest.raises(UnreadableCredentialsError):
            connection_values(PlatformConnection.objects.get(workspace=side_a.workspace))
        (meta,) = connectors_for_workspace(workspace_id=side_a.workspace.pk, platform="instagram")
        assert not meta.configured()
        page = login_as(side_a.owner).get("/performance/connections/")
        assert "cannot be read any more" in page.content.decode()


def test_the_page_saves_masks_and_removes_and_only_owner_and_performance_may_use_it(side_a, login_as) -> None:
    assert login_as(side_a.viewer).get("/performance/connections/").status_code == 403
    assert login_as(side_a.reviewer).get("/performance/connections/").status_code == 403
    client = login_as(side_a.owner)
    response = client.post(
        "/performance/connections/",
        {"kind": "meta_graph", "action": "save", "meta_graph-access_token": TOKEN},
    )
    assert response.status_code == 302
    page = client.get("/performance/connections/").content.decode()
    assert TOKEN not in page and "••••1234" in page and "Connected" in page
    missing = client.post("/performance/connections/", {"kind": "tiktok_business", "action": "save"})
    assert missing.status_code == 200 and "This field is required" in missing.content.decode()
    client.post("/performance/connections/", {"kind": "meta_graph", "action": "remove"})
    assert not PlatformConnection.objects.filter(workspace=side_a.workspace).exists()


def test_rotating_the_secret_key_keeps_stored_credentials_and_the_next_save_uses_the_new_key(
    side_a, settings
) -> None:
    old_key, new_key = settings.SECRET_KEY, "rotated-secret-key-" + "y" * 40
    connection_save(
        workspace=side_a.workspace, kind="meta_graph", values={"access_token": TOKEN}, user=side_a.owner
    )
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = new_key, [old_key]
    stored = PlatformConnection.objects.get(workspace=side_a.workspace)
    assert connection_values(stored) == {"access_token": TOKEN}
    (meta,) = connectors_for_workspace(workspace_id=side_a.workspace.pk, platform="instagram")
    assert meta.configured()

    # Saving with the secret left empty keeps it and encrypts it under the new key alone.
    connection_save(workspace=side_a.workspace, kind="meta_graph", values={}, user=side_a.owner)
    settings.SECRET_KEY_FALLBACKS = []
    resaved = PlatformConnection.objects.get(workspace=side_a.workspace)
    assert resaved.secret != stored.secret
    assert connection_values(resaved) == {"access_token": TOKEN}
    settings.SECRET_KEY = old_key
    with pytest.raises(UnreadableCredentialsError):
        connection_values(resaved)
