"""Ads Manager exports written by the tests from rows, with the headers and number formats Meta uses.

English exports: `,` between fields, `1234.56`, ISO dates. German exports: a BOM, `;`, `1.234,56`
and `01.09.2026`, the way Ads Manager writes them for a German account (research notes on placements,
section 1.9).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from creatordesk.placements.exports import PlacementRow

HEADERS = {
    "en": [
        "Reporting starts", "Reporting ends", "Day", "Campaign ID", "Campaign name", "Ad set ID", "Ad set name",
        "Ad ID", "Ad name", "Platform", "Placement", "Attribution setting", "Amount spent (EUR)", "Reach",
        "Impressions", "Link clicks", "Result indicator", "Results", "Cost per results",
        "Purchases conversion value",
    ],
    "de": [
        "Berichtsbeginn", "Berichtsende", "Tag", "Kampagnen-ID", "Kampagnenname", "Anzeigengruppen-ID",
        "Name der Anzeigengruppe", "Anzeigen-ID", "Anzeigenname", "Plattform", "Platzierung",
        "Attributionseinstellung", "Ausgegebener Betrag (EUR)", "Reichweite", "Impressionen", "Link-Klicks",
        "Ergebnisindikator", "Ergebnisse", "Kosten pro Ergebnis", "Conversion-Wert der Käufe",
    ],
}  # fmt: skip


def _number(value: Decimal | int | None, german: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, int) or value == value.to_integral_value():
        text = f"{int(value):,}" if german else str(int(value))
    else:
        text = f"{value:,.2f}" if german else f"{value:.2f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".") if german else text


def _day(value: object, german: bool) -> str:
    return value.strftime("%d.%m.%Y") if german else value.isoformat()  # type: ignore[attr-defined]


def _cells(row: PlacementRow, german: bool) -> list[str]:
    return [
        _day(row.starts, german), _day(row.ends, german), _day(row.day, german) if row.day else "",
        row.campaign_id, row.campaign_name, row.adset_id, row.adset_name, row.ad_id, row.ad_name,
        row.platform_label, row.placement_label,
        row.attribution_label, _number(row.spend, german), _number(row.reach, german),
        _number(row.impressions, german), _number(row.link_clicks, german), row.result_indicator,
        _number(row.results, german) if row.results else "", _number(row.cost_per_result, german),
        _number(row.revenue, german) if row.results else "",
    ]  # fmt: skip


def write_export(rows: Sequence[PlacementRow], path: Path, *, language: str = "en") -> Path:
    """Write `rows` as Ads Manager would export them in `language` ("en" or "de")."""
    german = language == "de"
    with open(path, "w", encoding="utf-8-sig" if german else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";" if german else ",")
        writer.writerow(HEADERS[language])
        for row in rows:
            writer.writerow(_cells(row, german))
    return path
