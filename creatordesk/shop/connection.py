"""The affiliate client of a workspace: its own TikTok Shop connection, else the installation's.

The affiliate API is the same Partner API app as the TikTok Shop metrics connector, so it reads the
same "tiktok_shop" connection (performance/connections.py) with the same retries and allow list.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from creatordesk.lib.outbound import AllowList
from creatordesk.performance.connections import UnreadableCredentialsError, credentials_for
from creatordesk.performance.connectors import RetryPolicy
from creatordesk.performance.models import ConnectorKind
from creatordesk.shop.affiliate_api import AffiliateClient


class ShopNotConnected(Exception):
    """No usable TikTok Shop credentials: the page asks to connect the shop first."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _(
                "Connect TikTok Shop first: its app key, app secret, access token and shop cipher "
                "go under Platform connections."
            )
        )


def affiliate_client_for(*, workspace_id: int) -> AffiliateClient:
    """The workspace's affiliate client; ShopNotConnected when any credential is missing."""
    try:
        values = credentials_for(workspace_id=workspace_id, kind=ConnectorKind.TIKTOK_SHOP)
    except UnreadableCredentialsError:
        raise ShopNotConnected(
            _("The stored TikTok Shop credentials can no longer be read; enter them again.")
        ) from None
    client = AffiliateClient(
        app_key=values.get("app_key", ""),
        app_secret=values.get("app_secret", ""),
        access_token=values.get("access_token", ""),
        shop_cipher=values.get("shop_cipher", ""),
        base_url=values.get("base_url") or AffiliateClient.base_url,
        retry=RetryPolicy(
            attempts=settings.CONNECTOR_RETRY_ATTEMPTS,
            base_delay_s=settings.CONNECTOR_RETRY_DELAY_S,
            max_delay_s=settings.CONNECTOR_RETRY_MAX_DELAY_S,
        ),
        allow=AllowList.parse(settings.OUTBOUND_ALLOWED_HOSTS),
    )
    if not client.configured():
        raise ShopNotConnected
    return client


def shop_connected(*, workspace_id: int) -> str:
    """Empty when the workspace can reach the Affiliate Center, else the reason it cannot."""
    try:
        affiliate_client_for(workspace_id=workspace_id)
    except ShopNotConnected as exc:
        return str(exc)
    return ""
