"""The Insights client of a workspace: its own Meta Marketing API connection, else the installation's."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from creatordesk.lib.outbound import AllowList
from creatordesk.performance.connections import UnreadableCredentialsError, credentials_for
from creatordesk.performance.connectors import RetryPolicy
from creatordesk.performance.models import ConnectorKind
from creatordesk.placements.insights_api import InsightsClient


class AdsNotConnected(Exception):
    """No usable Marketing API credentials: the page asks to connect the ad account first."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _(
                "Connect the Meta Marketing API first: the ad account ID and an access token with "
                "ads_read go under Platform connections."
            )
        )


def insights_client_for(*, workspace_id: int) -> InsightsClient:
    """The workspace's Insights client; AdsNotConnected when a credential is missing or unreadable."""
    try:
        values = credentials_for(workspace_id=workspace_id, kind=ConnectorKind.META_ADS)
    except UnreadableCredentialsError:
        raise AdsNotConnected(
            _("The stored Marketing API credentials can no longer be read; enter them again.")
        ) from None
    client = InsightsClient(
        access_token=values.get("access_token", ""),
        ad_account_id=values.get("ad_account_id", ""),
        app_secret=values.get("app_secret", ""),
        base_url=values.get("base_url") or InsightsClient.base_url,
        retry=RetryPolicy(
            attempts=settings.CONNECTOR_RETRY_ATTEMPTS,
            base_delay_s=settings.CONNECTOR_RETRY_DELAY_S,
            max_delay_s=settings.CONNECTOR_RETRY_MAX_DELAY_S,
        ),
        allow=AllowList.parse(settings.OUTBOUND_ALLOWED_HOSTS),
        poll_interval_s=settings.INSIGHTS_POLL_SECONDS,
    )
    if not client.configured():
        raise AdsNotConnected
    return client


def ads_connected(*, workspace_id: int) -> str:
    """Empty when the workspace can read its ad account, else the reason it cannot."""
    try:
        insights_client_for(workspace_id=workspace_id)
    except AdsNotConnected as exc:
        return str(exc)
    return ""
