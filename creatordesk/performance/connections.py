"""Each workspace's own platform API credentials, encrypted at rest.

An agency runs several brands, each with its own TikTok Shop and accounts, so credentials belong to
a workspace. They are stored as a Fernet token (AES with an HMAC) under a key derived from
SECRET_KEY: a copy of the database alone does not reveal them. A rotated key stays readable while
the old one is listed in SECRET_KEY_FALLBACKS, and saving a connection encrypts it under the new
key. Credentials stored under a key that is in neither are unreadable; the page then asks for them
again.

A workspace without its own connection for an API uses the installation's credentials
(settings.PLATFORM_CONNECTORS from environment variables, docs/performance.md), which suits a
single-brand installation.
"""

from __future__ import annotations

import base64
import hashlib
import json
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creatordesk.accounts.models import User, Workspace
from creatordesk.lib.outbound import AllowList
from creatordesk.performance.connectors import (
    Connector,
    MetaGraphConnector,
    RetryPolicy,
    TikTokBusinessConnector,
    TikTokShopConnector,
)
from creatordesk.performance.models import ConnectorKind, PlatformConnection

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


@dataclass(frozen=True)
class CredentialField:
    name: str  # the connector's attribute
    label: str | _StrPromise
    secret: bool
    required: bool = True


FIELDS: dict[str, tuple[CredentialField, ...]] = {
    ConnectorKind.TIKTOK_BUSINESS: (
        CredentialField("business_id", gettext_lazy("Business ID"), secret=False),
        CredentialField("access_token", gettext_lazy("Access token"), secret=True),
    ),
    ConnectorKind.TIKTOK_SHOP: (
        CredentialField("app_key", gettext_lazy("App key"), secret=False),
        CredentialField("app_secret", gettext_lazy("App secret"), secret=True),
        CredentialField("access_token", gettext_lazy("Access token"), secret=True),
        CredentialField("shop_cipher", gettext_lazy("Shop cipher"), secret=False, required=False),
    ),
    ConnectorKind.META_GRAPH: (CredentialField("access_token", gettext_lazy("Access token"), secret=True),),
    # Read by the placement audit (creatordesk.placements.connection), not by the metrics polls.
    ConnectorKind.META_ADS: (
        CredentialField("ad_account_id", gettext_lazy("Ad account ID"), secret=False),
        CredentialField("access_token", gettext_lazy("Access token (ads_read)"), secret=True),
        CredentialField("app_secret", gettext_lazy("App secret"), secret=True, required=False),
    ),
}
CONNECTOR_CLASSES = {
    ConnectorKind.TIKTOK_BUSINESS: TikTokBusinessConnector,
    ConnectorKind.TIKTOK_SHOP: TikTokShopConnector,
    ConnectorKind.META_GRAPH: MetaGraphConnector,
}
KINDS_BY_PLATFORM = {
    "tiktok": (ConnectorKind.TIKTOK_BUSINESS, ConnectorKind.TIKTOK_SHOP),
    "instagram": (ConnectorKind.META_GRAPH,),
}


class UnreadableCredentialsError(Exception):
    """Stored with another SECRET_KEY: they must be entered again."""


def _fernet_for(secret_key: str) -> Fernet:
    digest = hashlib.sha256(b"creatordesk.platform-connections:" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _fernet() -> MultiFernet:
    # MultiFernet encrypts with the first key and decrypts with any, like Django's signing does.
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([_fernet_for(key) for key in keys])


def connection_values(connection: PlatformConnection) -> dict[str, str]:
    try:
        data = json.loads(_fernet().decrypt(connection.secret.encode()))
    except (InvalidToken, ValueError):
        raise UnreadableCredentialsError(connection.kind) from None
    return {key: str(value) for key, value in data.items()}


def credentials_for(*, workspace_id: int, kind: str) -> dict[str, str]:
    """The installation's settings for `kind`, replaced field by field by the workspace's own connection.

    UnreadableCredentialsError when the workspace's connection was stored under another SECRET_KEY.
    """
    values = dict(settings.PLATFORM_CONNECTORS.get(kind, {}))
    saved = PlatformConnection.objects.filter(workspace_id=workspace_id, kind=kind).first()
    if saved is not None:
        values |= connection_values(saved)
    return values


def connection_save(
    *, workspace: Workspace, kind: str, values: dict[str, str], user: User
) -> PlatformConnection:
    """Store a workspace's credentials for one API; an empty secret field keeps the stored value."""
    if kind not in FIELDS:
        raise ValidationError(_("Unknown API."))
    existing = PlatformConnection.objects.for_workspace(workspace).filter(kind=kind).first()
    stored: dict[str, str] = {}
    # Unreadable secrets (another SECRET_KEY) must be entered again: none of them are kept.
    if existing is not None:
        with suppress(UnreadableCredentialsError):
            stored = connection_values(existing)
    merged = {}
    for spec in FIELDS[kind]:
        value = (values.get(spec.name) or "").strip()
        if not value and spec.secret:
            value = stored.get(spec.name, "")
        if not value and spec.required:
            raise ValidationError({spec.name: _("This field is required.")})
        merged[spec.name] = value
    secret = _fernet().encrypt(json.dumps(merged).encode()).decode()
    connection, _created = PlatformConnection.objects.update_or_create(
        workspace=workspace, kind=kind, defaults={"secret": secret, "updated_by": user}
    )
    return connection


def connection_delete(*, workspace: Workspace, kind: str) -> bool:
    deleted, _detail = PlatformConnection.objects.for_workspace(workspace).filter(kind=kind).delete()
    return bool(deleted)


def masked(value: str) -> str:
    """A stored secret as the page shows it: only its last four characters."""
    return "••••" + value[-4:] if len(value) > 8 else "••••"


def connectors_for_workspace(*, workspace_id: int, platform: str) -> list[Connector]:
    """The platform's connectors with the workspace's credentials, or the installation's."""
    kinds = KINDS_BY_PLATFORM.get(platform, ())
    saved = {c.kind: c for c in PlatformConnection.objects.filter(workspace_id=workspace_id, kind__in=kinds)}
    retry = RetryPolicy(
        attempts=settings.CONNECTOR_RETRY_ATTEMPTS,
        base_delay_s=settings.CONNECTOR_RETRY_DELAY_S,
        max_delay_s=settings.CONNECTOR_RETRY_MAX_DELAY_S,
    )
    allow = AllowList.parse(settings.OUTBOUND_ALLOWED_HOSTS)
    connectors: list[Connector] = []
    for kind in kinds:
        connector_class = CONNECTOR_CLASSES[ConnectorKind(kind)]
        # Endpoints are the installation's; a workspace's own connection replaces all its credentials.
        values = dict(settings.PLATFORM_CONNECTORS.get(kind, {}))
        if kind in saved:
            try:
                values |= connection_values(saved[kind])
            except UnreadableCredentialsError:
                values |= {spec.name: "" for spec in FIELDS[kind]}  # reported as not configured
        connectors.append(connector_class(**values, retry=retry, allow=allow))
    return connectors
