"""The Seller Center export of affiliate orders (Affiliate Center → Affiliate orders), as a kind of import.

Each row is one SKU line of an order. Without a SKU column the product stands in for the SKU, so an
order holding two products is still two lines. Money is kept in the row's currency: a currency column,
else the sign or code in the amount cells, else EUR.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creatordesk.shop import importing_common as common
from creatordesk.shop.importing_common import (
    COUNT,
    IDENTIFIER,
    MOMENT,
    MONEY,
    PERCENT,
    SIGNED_MONEY,
    TEXT,
    Field,
    Kind,
    RowError,
)
from creatordesk.shop.importing_samples import CREATOR_OPEN_ID, CREATOR_USERNAME, PRODUCT_ID
from creatordesk.shop.records import OrderRecord, orders_plan, orders_write

# The Seller Center's affiliate order statuses in English and German, onto the API's order statuses.
_STATUS_LABELS: dict[str, tuple[str, ...]] = {
    "PROCESSING": ("Pending", "Processing", "In progress", "Customer unpaid", "Unpaid",
                   "Ausstehend", "In Bearbeitung", "Nicht bezahlt", "Unbezahlt"),
    "COMPLETED": ("Settled", "Completed", "Complete", "Delivered",
                  "Abgerechnet", "Abgeschlossen", "Zugestellt"),
    "CANCELLED": ("Ineligible", "Cancelled", "Canceled", "Refunded", "Nicht berechtigt", "Nicht förderfähig",
                  "Storniert", "Erstattet"),
    "FROZEN": ("Frozen", "Eingefroren"),
    "DEDUCTED": ("Deducted", "Abgezogen"),
}  # fmt: skip
STATUS_LOOKUP = common.label_lookup(_STATUS_LABELS)
_CONTENT_TYPES = common.label_lookup(
    {
        "VIDEO": ("Video", "Short video", "Kurzvideo"),
        "LIVE": ("LIVE", "Livestream", "Live stream"),
        "SHOWCASE": ("Showcase", "Schaufenster", "Produktvitrine"),
        "LINKSHARE": ("Link", "Link share", "Shared link", "Geteilter Link"),
    }
)
# Amounts that name their currency by sign or code; the first one that does decides the row's currency.
_AMOUNTS = ("gmv", "commission_estimated", "commission_paid", "shop_ads_commission", "refund_amount")

FIELDS = (
    Field("order_id", gettext_lazy("Order ID"), IDENTIFIER,
          ("Order ID", "Order number", "order_id"), ("Bestell-ID", "Bestellnummer", "Auftrags-ID"),
          max_length=64),
    Field("sku_id", gettext_lazy("SKU ID"), IDENTIFIER, ("SKU ID", "sku_id"), ("SKU-Nummer",), max_length=64),
    PRODUCT_ID,
    CREATOR_USERNAME,
    CREATOR_OPEN_ID,
    Field("content_id", gettext_lazy("Content ID"), IDENTIFIER,
          ("Content ID", "Video ID", "LIVE ID", "content_id"), ("Inhalts-ID", "Video-ID"), max_length=64),
    Field("content_type", gettext_lazy("Content type"), TEXT,
          ("Content type", "Content format", "content_type"), ("Inhaltstyp", "Inhaltsformat")),
    Field("status", gettext_lazy("Status"), TEXT,
          ("Order status", "Status", "Commission status"), ("Bestellstatus", "Provisionsstatus")),
    Field("ordered_at", gettext_lazy("Ordered at"), MOMENT,
          ("Order created time", "Created time", "Order time", "Order date", "Create time", "Time created"),
          ("Bestelldatum", "Bestellzeit", "Erstellungszeit", "Erstellt am")),
    Field("currency", gettext_lazy("Currency"), TEXT, ("Currency",), ("Währung",)),
    Field("units", gettext_lazy("Quantity"), COUNT,
          ("Quantity", "Items sold", "Units", "Qty", "SKU quantity"),
          ("Menge", "Anzahl", "Verkaufte Artikel", "Stückzahl")),
    Field("gmv", gettext_lazy("GMV"), MONEY,
          ("GMV", "Payment amount", "Order amount", "Price", "Sales", "Revenue",
           "SKU subtotal after discount"),
          ("Zahlungsbetrag", "Bestellwert", "Umsatz", "Betrag", "Preis")),
    Field("commission_rate", gettext_lazy("Commission rate (%)"), PERCENT,
          ("Commission rate", "Standard commission rate", "Commission rate %"),
          ("Provisionssatz", "Provisionsrate", "Provision in %")),
    Field("commission_estimated", gettext_lazy("Estimated commission"), MONEY,
          ("Estimated commission", "Est commission", "Estimated commission payment",
           "Estimated paid commission"),
          ("Geschätzte Provision", "Voraussichtliche Provision", "Geschätzte Provisionszahlung")),
    Field("commission_paid", gettext_lazy("Actual commission"), MONEY,
          ("Actual commission", "Actual commission payment", "Commission paid", "Actual paid commission"),
          ("Tatsächliche Provision", "Ausgezahlte Provision", "Gezahlte Provision")),
    Field("shop_ads_commission", gettext_lazy("Shop Ads commission"), MONEY,
          ("Shop Ads commission", "Estimated Shop Ads commission", "Actual Shop Ads commission"),
          ("Shop-Ads-Provision", "Geschätzte Shop-Ads-Provision")),
    Field("refunded_units", gettext_lazy("Refunded quantity"), COUNT,
          ("Refunded quantity", "Refund quantity", "Refunded units"), ("Erstattete Menge",)),
    Field("returned_units", gettext_lazy("Returned quantity"), COUNT,
          ("Returned quantity", "Return quantity", "Returned units"),
          ("Zurückgegebene Menge", "Retournierte Menge")),
    Field("refund_amount", gettext_lazy("Refund amount"), SIGNED_MONEY,
          ("Refund amount", "Order refund amount", "Refunds"),
          ("Erstattungsbetrag", "Rückerstattungsbetrag")),
)  # fmt: skip


def _currency(values: dict[str, Any], raw: dict[str, Any]) -> str:
    named = common.text(values, "currency").upper()
    if named:
        if len(named) != 3 or not named.isalpha():
            raise RowError(_("“%(currency)s” is not a currency code.") % {"currency": named[:20]}, "currency")
        return named
    signs = (common.currency_of(raw[name]) for name in _AMOUNTS if name in raw)
    return next((sign for sign in signs if sign), "EUR")


def _content_type(raw: str) -> str:
    if not raw:
        return ""
    return _CONTENT_TYPES.get(common.tabular.header_key(raw), raw.strip().upper()[:20])


def to_record(values: dict[str, Any], raw: dict[str, Any] | None = None) -> OrderRecord:
    """The order line of one row; RowError for what the write path could not take."""
    order_id = common.text(values, "order_id")
    if not order_id:
        raise RowError(_("The row has no order ID."), "order_id")
    product_id = common.text(values, "product_id")
    if not product_id:
        raise RowError(_("The row has no product ID."), "product_id")
    status = values.get("status", "")
    gmv = values.get("gmv", Decimal(0))
    estimated = values.get("commission_estimated")
    if estimated is None:
        estimated = common.commission_from_rate(gmv, values.get("commission_rate"))
    units = values.get("units", 1)
    if units > 2**31 - 1:
        raise RowError(_("The quantity is too large."), "units")
    return OrderRecord(
        order_id=order_id,
        sku_id=common.text(values, "sku_id") or product_id,
        product_id=product_id,
        creator_username=common.text(values, "creator_username"),
        creator_open_id=values.get("creator_open_id") or None,
        content_id=common.text(values, "content_id"),
        content_type=_content_type(common.text(values, "content_type")),
        status=common.status_of(status, STATUS_LOOKUP, "status") if status else "",
        ordered_at=values.get("ordered_at"),
        currency=_currency(values, raw or {}),
        units=units,
        gmv=gmv,
        commission_estimated=estimated,
        commission_paid=values.get("commission_paid"),
        shop_ads_commission=values.get("shop_ads_commission", Decimal(0)),
        refunded_units=values.get("refunded_units", 0),
        returned_units=values.get("returned_units", 0),
        refund_amount=values.get("refund_amount", Decimal(0)),
    )


def _write(*, workspace: Any, records: list[OrderRecord], source: str, actor: object = None) -> Any:
    return orders_write(workspace=workspace, records=records, source=source)


ORDERS = Kind(
    name="orders",
    label=gettext_lazy("Affiliate orders"),
    key="order_id",
    required=(("order_id",), ("product_id",), ("creator_username", "creator_open_id")),
    fields=FIELDS,
    to_record=to_record,
    record_key=lambda record: f"{record.order_id}/{record.sku_id}",
    plan=orders_plan,
    write=_write,
)
