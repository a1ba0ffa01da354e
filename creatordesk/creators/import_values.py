"""Creator import files: which column names mean what, and the creator fields' cell values.

Reading the file, numbers and links come from creatordesk.lib.tabular, which the metrics import uses too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creatordesk.creators.categories import category_key, normalise_label
from creatordesk.creators.import_limits import Limits
from creatordesk.lib import tabular

type Cell = str | int | float | Decimal | None

TARGETS = {
    "display_name": gettext_lazy("Name"),
    "handle": gettext_lazy("Handle"),
    "platform": gettext_lazy("Platform"),
    "followers": gettext_lazy("Followers"),
    "avg_views": gettext_lazy("Average views"),
    "engagement_rate": gettext_lazy("Engagement rate (%)"),
    "gmv_eur": gettext_lazy("GMV (EUR)"),
    "email": gettext_lazy("Email"),
    "country": gettext_lazy("Country"),
    "languages": gettext_lazy("Languages"),
    "categories": gettext_lazy("Categories"),
    "tags": gettext_lazy("Tags"),
    "phone": gettext_lazy("Phone"),
    "url": gettext_lazy("Profile URL"),
    "notes": gettext_lazy("Notes"),
}
CREATOR_FIELDS = ("display_name", "email", "country", "languages", "categories", "tags", "phone", "notes")
ACCOUNT_FIELDS = ("followers", "avg_views", "engagement_rate", "gmv_eur", "url")
NUMBER_FIELDS = ("followers", "avg_views", "engagement_rate", "gmv_eur")
WHOLE_NUMBER_FIELDS = ("followers", "avg_views")

# Header names as normalise_header() leaves them: lower case, punctuation and symbols gone.
ALIASES = {
    "display_name": ("name", "display name", "creator name", "nickname", "creator", "full name",
                     "influencer", "influencer name", "creator nickname", "anzeigename"),
    "handle": ("handle", "username", "user name", "creator username", "creator handle", "account",
               "tiktok handle", "tiktok username", "tiktok account", "instagram handle",
               "instagram username", "instagram account", "youtube handle", "nutzername", "benutzername"),
    "platform": ("platform", "plattform", "network", "netzwerk", "social network", "channel", "kanal"),
    "followers": ("followers", "follower", "follower count", "followers count", "fans", "abonnenten",
                  "anzahl follower"),
    "avg_views": ("avg views", "average views", "avg video views", "average video views",
                  "video views avg", "views avg", "durchschnittliche aufrufe", "ø aufrufe",
                  "durchschnittliche views"),
    "engagement_rate": ("engagement rate", "er", "engagement", "engagementrate", "interaktionsrate"),
    "gmv_eur": ("gmv", "gmv eur", "sales", "revenue", "umsatz"),
    "email": ("email", "e mail", "email address", "e mail address", "contact", "contact email", "mail",
              "e mail adresse", "kontakt"),
    "country": ("country", "region", "country region", "market", "land", "markt"),
    "languages": ("language", "languages", "sprache", "sprachen"),
    "categories": ("category", "categories", "niche", "product category", "product categories",
                   "kategorie", "kategorien", "nische"),
    "tags": ("tags", "tag", "labels", "label", "schlagwörter"),
    "phone": ("phone", "phone number", "telephone", "mobile", "whatsapp", "telefon", "telefonnummer"),
    "url": ("url", "profile url", "profile link", "link", "profil url", "profil link"),
    "notes": ("notes", "note", "comments", "notizen", "notiz", "bemerkungen"),
}  # fmt: skip
TARGET_OF_HEADER = tabular.synonym_lookup(ALIASES)
# Headers only a German export uses; they make "1.234" read as a thousand by default.
GERMAN_HEADERS = {
    "anzeigename", "nutzername", "benutzername", "plattform", "netzwerk", "kanal", "abonnenten",
    "anzahl follower", "durchschnittliche aufrufe", "ø aufrufe", "durchschnittliche views",
    "interaktionsrate", "umsatz", "e mail adresse", "kontakt", "land", "markt", "sprache", "sprachen",
    "kategorie", "kategorien", "nische", "schlagwörter", "telefon", "telefonnummer", "notizen",
}  # fmt: skip

PLATFORMS: dict[str, str] = {
    "tiktok": "tiktok", "tik tok": "tiktok", "tt": "tiktok",
    "tiktok shop": "tiktok", "instagram": "instagram", "ig": "instagram",
    "insta": "instagram", "youtube": "youtube", "yt": "youtube",
    "youtube shorts": "youtube", "facebook": "facebook", "fb": "facebook",
    "threads": "threads",
}  # fmt: skip
# Country names as exports spell them, for the markets TikTok Shop runs in and their neighbours.
_COUNTRIES = {
    "germany": "DE", "deutschland": "DE", "austria": "AT", "österreich": "AT", "switzerland": "CH",
    "schweiz": "CH", "united kingdom": "GB", "uk": "GB", "great britain": "GB", "grossbritannien": "GB",
    "united states": "US", "united states of america": "US", "usa": "US", "vereinigte staaten": "US",
    "france": "FR", "frankreich": "FR", "italy": "IT", "italien": "IT", "spain": "ES", "spanien": "ES",
    "ireland": "IE", "irland": "IE", "netherlands": "NL", "niederlande": "NL", "belgium": "BE",
    "belgien": "BE", "luxembourg": "LU", "luxemburg": "LU", "poland": "PL", "polen": "PL",
    "denmark": "DK", "dänemark": "DK", "sweden": "SE", "schweden": "SE", "norway": "NO",
    "norwegen": "NO", "portugal": "PT", "czechia": "CZ", "czech republic": "CZ", "tschechien": "CZ",
    "turkey": "TR", "türkei": "TR", "mexico": "MX", "mexiko": "MX", "brazil": "BR", "brasilien": "BR",
    "japan": "JP", "indonesia": "ID", "indonesien": "ID", "thailand": "TH", "vietnam": "VN",
    "malaysia": "MY", "philippines": "PH", "philippinen": "PH", "singapore": "SG", "singapur": "SG",
}  # fmt: skip
_LANGUAGES = {
    "english": "en", "englisch": "en", "german": "de", "deutsch": "de", "french": "fr",
    "französisch": "fr", "spanish": "es", "spanisch": "es", "italian": "it", "italienisch": "it",
    "turkish": "tr", "türkisch": "tr", "polish": "pl", "polnisch": "pl", "dutch": "nl",
    "niederländisch": "nl", "portuguese": "pt", "portugiesisch": "pt", "arabic": "ar",
    "arabisch": "ar", "russian": "ru", "russisch": "ru",
}  # fmt: skip
_VIDEO_HOSTS = {"youtu.be", "fb.watch"}
# First path segments of links that point at something other than a profile.
_NOT_PROFILE_PATHS = {"channel", "c", "user", "p", "reel", "reels", "video", "watch", "share", "profile.php"}
_HANDLE = re.compile(r"[\w.\-]{1,100}")
_validate_url = URLValidator()


class CellError(ValueError):
    """A cell whose value cannot be imported; the message is shown next to the row number."""


def parse_number(raw: Cell, *, decimal_comma: bool) -> tuple[Decimal, bool]:
    """The number in a cell and whether it had a k/M/Tsd. suffix ("12,3k", "1.234", "4,5 %", "€1.2M")."""
    try:
        return tabular.parse_number(raw, decimal_comma=decimal_comma)
    except tabular.NumberError:
        raise CellError(_("“%(value)s” is not a number.") % {"value": raw}) from None


def parse_count(raw: Cell, *, decimal_comma: bool) -> int:
    value, scaled = parse_number(raw, decimal_comma=decimal_comma)
    if value < 0:
        raise CellError(_("“%(value)s” is negative.") % {"value": raw})
    if not scaled and value != value.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw})
    if value >= 2**63:
        raise CellError(_("“%(value)s” is too large.") % {"value": raw})
    return int(value.to_integral_value(ROUND_HALF_UP))


def parse_percent(raw: Cell, *, decimal_comma: bool) -> float:
    value, _scaled = parse_number(raw, decimal_comma=decimal_comma)
    if not 0 <= value <= 100:
        raise CellError(_("“%(value)s” is not a percentage between 0 and 100.") % {"value": raw})
    return float(value)


def parse_money(raw: Cell, *, decimal_comma: bool) -> Decimal:
    value, _scaled = parse_number(raw, decimal_comma=decimal_comma)
    if not 0 <= value < 10**12:
        raise CellError(_("“%(value)s” is not an amount between 0 and 999,999,999,999.") % {"value": raw})
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _text(raw: Cell, max_length: int) -> str:
    text = " ".join(str(raw).split())
    if len(text) > max_length:
        raise CellError(_("Longer than %(max)d characters.") % {"max": max_length})
    return text


def _item_list(raw: Cell, max_length: int, names: dict[str, str] | None = None) -> str:
    items = [" ".join(item.split()) for item in re.split(r"[,;|]", str(raw))]
    if names is not None:
        items = [names.get(item.casefold(), item.casefold()) for item in items]
    return _text(", ".join(dict.fromkeys(item for item in items if item)), max_length)


def category_pairs(raw: Cell) -> list[tuple[str, str | None]]:
    """Each category of a cell as the file writes it, with its CreatorDesk key (None: not in the table)."""
    items = [" ".join(item.split()) for item in re.split(r"[,;|]", str(raw))]
    return [(item, category_key(item)) for item in items if item]


def category_mapping_shown(label: str, key: str | None) -> bool:
    """Whether the preview names this label: it was renamed, or kept although no key matched."""
    return key is None or normalise_label(label) != key


def parse_categories(raw: Cell) -> str:
    """Categories stored under CreatorDesk's keys so they match campaign targets; unknown ones as written."""
    stored = [key or label for label, key in category_pairs(raw)]
    return _text(", ".join(dict.fromkeys(stored)), 200)


# Comma-separated list fields of a creator, with their column lengths; an update adds to them or
# replaces them, as the user chose on the mapping step.
LIST_FIELDS = {"languages": 60, "categories": 200, "tags": 200}
LIST_ADD, LIST_REPLACE = "add", "replace"


def merge_items(before: str, after: str, max_length: int) -> str:
    """`before` with the items of `after` it lacks (case-insensitive), in order, cut at an item that no
    longer fits the column: a list is never stored with half an item."""
    merged: dict[str, str] = {}
    for item in [*before.split(","), *after.split(",")]:
        item = " ".join(item.split())
        if item:
            merged.setdefault(item.casefold(), item)
    text = ""
    for item in merged.values():
        longer = f"{text}, {item}" if text else item
        if len(longer) > max_length:
            break
        text = longer
    return text


def parse_email(raw: Cell) -> str:
    email = str(raw).strip().lower().removeprefix("mailto:")
    try:
        validate_email(email)
    except ValidationError:
        raise CellError(_("“%(value)s” is not an email address.") % {"value": raw}) from None
    return email


def parse_country(raw: Cell) -> str:
    text = normalise_header(raw)
    if len(text) == 2 and text.isalpha() and text.isascii():
        return "GB" if text == "uk" else text.upper()
    if text in _COUNTRIES:
        return _COUNTRIES[text]
    raise CellError(_("“%(value)s” is not a country; use a two-letter code such as DE.") % {"value": raw})


def parse_platform(raw: Cell) -> str:
    platform = PLATFORMS.get(normalise_header(raw))
    if platform is None:
        raise CellError(_("Unknown platform “%(value)s”.") % {"value": raw})
    return platform


def parse_url(raw: Cell) -> str:
    url = str(raw).strip()
    if "://" not in url:
        url = "https://" + url
    try:
        _validate_url(url)
    except ValidationError:
        raise CellError(_("“%(value)s” is not a web address.") % {"value": raw}) from None
    if len(url) > 200:
        raise CellError(_("Longer than %(max)d characters.") % {"max": 200})
    return url


def parse_handle(raw: Cell) -> tuple[str, str | None]:
    """The handle as stored (lower case, no "@") and the platform when the cell is a profile link."""
    text = str(raw).strip()
    platform = None
    link = re.fullmatch(r"(?:https?://)?([\w.-]+\.[a-z]+)/+([^/?#\s]+)[^\s]*", text, re.IGNORECASE)
    if link:
        domain = link.group(1).lower().removeprefix("www.").removeprefix("m.")
        # Short links (vm.tiktok.com, youtu.be) point at videos, never at a profile.
        platform = tabular.platform_of_host(domain) if domain.count(".") == 1 else None
        if domain in _VIDEO_HOSTS:
            platform = None
        text = link.group(2)
        if platform is None or text.lower() in _NOT_PROFILE_PATHS:
            raise CellError(_("“%(value)s” is not a link to a profile.") % {"value": raw})
    handle = text.lstrip("@").lower()
    if not _HANDLE.fullmatch(handle):
        raise CellError(_("“%(value)s” is not a handle.") % {"value": raw})
    return handle, platform


PARSERS: dict[str, Callable[[Cell, bool], Any]] = {
    "display_name": lambda raw, dc: _text(raw, 120),
    "email": lambda raw, dc: parse_email(raw),
    "country": lambda raw, dc: parse_country(raw),
    "languages": lambda raw, dc: _item_list(raw, 60, _LANGUAGES),
    "categories": lambda raw, dc: parse_categories(raw),
    "tags": lambda raw, dc: _item_list(raw, 200),
    "phone": lambda raw, dc: _text(raw, 40),
    "notes": lambda raw, dc: str(raw).strip(),
    "followers": lambda raw, dc: parse_count(raw, decimal_comma=dc),
    "avg_views": lambda raw, dc: parse_count(raw, decimal_comma=dc),
    "engagement_rate": lambda raw, dc: parse_percent(raw, decimal_comma=dc),
    "gmv_eur": lambda raw, dc: parse_money(raw, decimal_comma=dc),
    "url": lambda raw, dc: parse_url(raw),
}


def guess_columns(headers: list[str]) -> list[str]:
    """A target per column from its header; each target goes to the first column that names it."""
    return tabular.map_columns(headers, TARGET_OF_HEADER)


# --- Files ------------------------------------------------------------------------------------------


def read_rows(
    source: Path, kind: str, encoding: str, delimiter: str, limits: Limits | None = None
) -> Iterator[Sequence[Cell]]:
    """Every row of the file, header included, streamed; SpreadsheetRefused past any of the limits."""
    guard = limits or Limits.from_settings()
    return tabular.read_rows(source, kind=kind, encoding=encoding, delimiter=delimiter, guard=guard)


detect_encoding = tabular.detect_encoding
sniff_delimiter = tabular.sniff_delimiter
is_blank = tabular.is_blank
is_blank_row = tabular.is_blank_row
normalise_header = tabular.normalise_header


def find_header(rows: list[Sequence[Cell]]) -> int:
    """Index of the header row: the one naming most known columns, skipping title rows above it."""
    return tabular.find_header(rows, TARGET_OF_HEADER)[0]


def looks_like_value(text: str) -> bool:
    return text.startswith("@") or bool(re.fullmatch(r"[\d.,\s%kKmM€$+-]+", text))
