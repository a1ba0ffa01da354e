"""The Seller Center export of sample requests (Affiliate Center → Samples), as a kind of import.

Statuses are accepted as the Seller Center shows them in English or German, as TikTok's API codes, or
as CreatorDesk's own names; see docs/tiktok-shop.md for the column names.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creatordesk.campaigns.models import SampleShipment
from creatordesk.shop import importing_common as common
from creatordesk.shop.importing_common import COUNT, DATE, IDENTIFIER, TEXT, Field, Kind, RowError
from creatordesk.shop.records import (
    TIKTOK_SAMPLE_STATUS,
    SampleRecord,
    sample_status_from_tiktok,
    samples_plan,
    samples_write,
)

Status = SampleShipment.Status

# The words of the Seller Center's sample list, English and German; the API codes follow.
_STATUS_LABELS: dict[str, tuple[str, ...]] = {
    Status.REQUESTED: ("Pending", "To review", "Pending review", "Requested", "Awaiting approval",
                       "Ausstehend", "Zu prüfen", "Prüfung ausstehend", "Angefragt",
                       "Wartet auf Genehmigung"),
    Status.PREPARING: ("Awaiting shipment", "To ship", "Ready to ship", "Approved", "Approved, preparing",
                       "Versand ausstehend", "Wartet auf Versand", "Versandbereit", "Genehmigt"),
    Status.SHIPPED: ("Shipped", "In transit", "Shipping", "Versandt", "Versendet", "Unterwegs"),
    Status.DELIVERED: ("Delivered", "Content pending", "Awaiting content", "Completed", "Fulfilled",
                       "Zugestellt", "Geliefert", "Inhalt ausstehend", "Abgeschlossen", "Erfüllt"),
    Status.RETURNED: ("Returned", "Zurückgesendet", "Retourniert"),
    Status.REJECTED: ("Rejected", "Declined", "Abgelehnt"),
    Status.CANCELLED: ("Cancelled", "Canceled", "Expired", "Closed", "Storniert", "Abgebrochen",
                       "Abgelaufen", "Geschlossen"),
}  # fmt: skip


def _status_lookup() -> dict[str, str]:
    lookup = common.label_lookup(_STATUS_LABELS)
    for code, status in TIKTOK_SAMPLE_STATUS.items():
        lookup.setdefault(common.tabular.header_key(code), status)
    return lookup


STATUS_LOOKUP = _status_lookup()

CREATOR_USERNAME = Field(
    "creator_username", gettext_lazy("Creator username"), TEXT,
    ("Creator username", "Creator user name", "Creator handle", "Creator", "Username", "Affiliate username",
     "creator_username"),
    ("Creator-Benutzername", "Creator-Nutzername", "Creator-Handle", "Benutzername", "Nutzername"),
    max_length=100,
)  # fmt: skip
CREATOR_OPEN_ID = Field(
    "creator_open_id", gettext_lazy("Creator Open ID"), IDENTIFIER,
    ("Creator Open ID", "Open ID", "creator_open_id"), ("Creator-Open-ID",), max_length=100,
)  # fmt: skip
PRODUCT_ID = Field(
    "product_id", gettext_lazy("Product ID"), IDENTIFIER,
    ("Product ID", "product_id", "Item ID"), ("Produkt-ID", "Artikel-ID"), max_length=64,
)  # fmt: skip

FIELDS = (
    Field("external_id", gettext_lazy("Sample request ID"), IDENTIFIER,
          ("Sample request ID", "Sample application ID", "Sample ID", "Application ID", "Request ID",
           "sample_application_id"),
          ("Musteranfrage-ID", "Muster-ID", "Probenanfrage-ID", "Anfrage-ID"), max_length=64),
    Field("status", gettext_lazy("Status"), TEXT,
          ("Status", "Sample status", "Request status", "Application status"),
          ("Musterstatus", "Anfragestatus")),
    CREATOR_USERNAME,
    CREATOR_OPEN_ID,
    PRODUCT_ID,
    Field("units", gettext_lazy("Quantity"), COUNT,
          ("Quantity", "Sample quantity", "Units", "Qty"), ("Menge", "Anzahl", "Mustermenge", "Stückzahl")),
    Field("requested_on", gettext_lazy("Requested on"), DATE,
          ("Request time", "Requested time", "Requested at", "Requested on", "Application time", "Apply time",
           "Request date"),
          ("Anfragedatum", "Anfragezeit", "Angefragt am")),
    Field("approved_on", gettext_lazy("Approved on"), DATE,
          ("Approval time", "Approved time", "Approved at", "Approved on", "Approval date"),
          ("Genehmigt am", "Genehmigungsdatum", "Genehmigungszeit")),
    Field("shipped_on", gettext_lazy("Shipped on"), DATE,
          ("Ship time", "Shipped time", "Shipped at", "Shipped on", "Shipping date", "Shipping time"),
          ("Versanddatum", "Versandt am", "Versandzeit")),
    Field("delivered_on", gettext_lazy("Delivered on"), DATE,
          ("Delivery time", "Delivered time", "Delivered at", "Delivered on", "Delivery date"),
          ("Zustelldatum", "Zugestellt am", "Lieferdatum", "Zustellzeit")),
    Field("content_due_on", gettext_lazy("Content due on"), DATE,
          ("Content deadline", "Content due", "Content due date", "Fulfillment deadline", "Posting deadline",
           "Fulfilment deadline"),
          ("Inhaltsfrist", "Frist für Inhalte", "Inhalt fällig am", "Veröffentlichungsfrist")),
    Field("carrier", gettext_lazy("Carrier"), TEXT,
          ("Carrier", "Shipping provider", "Shipping provider name", "Logistics provider",
           "Shipping carrier"),
          ("Versanddienstleister", "Paketdienst", "Spediteur", "Logistikdienstleister"), max_length=60),
    Field("tracking_number", gettext_lazy("Tracking number"), IDENTIFIER,
          ("Tracking number", "Tracking ID", "Tracking no", "Tracking code"),
          ("Sendungsnummer", "Trackingnummer", "Sendungsverfolgungsnummer", "Tracking-Nummer"),
          max_length=80),
)  # fmt: skip


def _status(raw: str) -> str:
    # TikTok's cancel and operations states are many; the write path reads each as a cancellation.
    if re.fullmatch(r"[A-Z]+(?:_[A-Z]+)+", raw.strip()):
        return sample_status_from_tiktok(raw)
    return common.status_of(raw, STATUS_LOOKUP, "status")


def to_record(values: dict[str, Any], raw: dict[str, Any] | None = None) -> SampleRecord:
    """The sample request of one row; RowError for what the write path could not take."""
    external_id = common.text(values, "external_id")
    if not external_id:
        raise RowError(_("The row has no sample request ID."), "external_id")
    if not values.get("status"):
        raise RowError(_("The row has no status."), "status")
    status = _status(values["status"])
    if not values.get("creator_username") and not values.get("creator_open_id"):
        raise RowError(_("The row names no creator."), "creator_username")
    units = values.get("units", 1)
    if not 1 <= units <= 32_767:
        raise RowError(_("The quantity must be between 1 and 32767."), "units")
    return SampleRecord(
        external_id=external_id,
        status=status,
        creator_username=common.text(values, "creator_username"),
        creator_open_id=values.get("creator_open_id") or None,
        product_id=common.text(values, "product_id"),
        units=units,
        requested_on=common.day(values, "requested_on"),
        approved_on=common.day(values, "approved_on"),
        shipped_on=common.day(values, "shipped_on"),
        delivered_on=common.day(values, "delivered_on"),
        content_due_on=common.day(values, "content_due_on"),
        carrier=common.text(values, "carrier"),
        tracking_number=common.text(values, "tracking_number"),
    )


def _write(*, workspace: Any, records: list[SampleRecord], source: str, actor: object = None) -> Any:
    return samples_write(workspace=workspace, records=records, source=source, actor=actor)


SAMPLES = Kind(
    name="samples",
    label=gettext_lazy("Sample requests"),
    key="external_id",
    required=(("external_id",), ("status",), ("product_id",), ("creator_username", "creator_open_id")),
    fields=FIELDS,
    to_record=to_record,
    record_key=lambda record: record.external_id,
    plan=samples_plan,
    write=_write,
)
