"""Reading an Ads Manager export with a placement breakdown (CSV or XLSX, English or German) into rows.

Meta publishes no header list for these exports; the names below come from public parsers and
fixtures (research notes placements.md §1.9). Columns are matched as
creatordesk.lib.tabular.header_key leaves them, so "Link clicks" and "Link-Klicks" style variants of
case and punctuation are one column. Platform and placement labels are turned into the Insights API
values (`publisher_platform`, `platform_position`); the file's own labels are kept beside them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import IO, Any

from creatordesk.lib import tabular
from creatordesk.lib.tabular.files import Guard, Source

# English names first, then German; the German UI names marked [unverified] in the research notes
# are included because a wrong guess costs nothing while a missing one refuses the file.
ALIASES: dict[str, tuple[str, ...]] = {
    "day": ("day", "tag", "date", "datum"),
    "starts": ("reporting starts", "berichtsbeginn", "beginn der berichterstattung"),
    "ends": ("reporting ends", "berichtsende", "ende der berichterstattung"),
    "account_id": ("account id", "konto id", "werbekonto id"),
    "account_name": ("account name", "kontoname", "name des werbekontos"),
    "campaign_id": ("campaign id", "kampagnen id"),
    "campaign_name": ("campaign name", "kampagnenname", "name der kampagne"),
    "adset_id": ("ad set id", "anzeigengruppen id"),
    "adset_name": ("ad set name", "name der anzeigengruppe", "anzeigengruppenname"),
    "ad_id": ("ad id", "anzeigen id"),
    "ad_name": ("ad name", "anzeigenname", "name der anzeige"),
    "platform": ("platform", "plattform", "publisher platform"),
    "placement": ("placement", "platzierung", "platform position"),
    "impressions": ("impressions", "impressionen"),
    "reach": ("reach", "reichweite"),
    "link_clicks": ("link clicks", "link klicks"),
    "results": ("results", "ergebnisse"),
    "result_indicator": ("result indicator", "ergebnisindikator", "ergebnis indikator"),
    "cost_per_result": ("cost per result", "cost per results", "kosten pro ergebnis"),
    "revenue": (
        "purchases conversion value",
        "results value",
        "website purchases conversion value",
        "conversion wert der käufe",
        "wert der ergebnisse",
    ),
    "attribution_setting": ("attribution setting", "attributionseinstellung"),
    "objective": ("objective", "campaign objective", "ziel", "kampagnenziel"),
    "ad_text": ("body", "primary text", "ad text", "anzeigentext", "primärer text"),
}
_LOOKUP = tabular.synonym_lookup(ALIASES)
# The spend column names its currency: "Amount spent (EUR)", "Ausgegebener Betrag (EUR)".
_SPEND = re.compile(r"(?:amount spent|ausgegebener betrag)(?: ([a-z]{3}))?")
COUNTS = ("impressions", "reach", "link_clicks")
MONEY = ("spend", "cost_per_result", "revenue")
DATES = ("day", "starts", "ends")
TEXTS = tuple(
    f
    for f in ALIASES
    if f not in (*COUNTS, *DATES, "results", "cost_per_result", "revenue", "platform", "placement")
)
_HEADER_SEARCH_ROWS = 10
_EVIDENCE_ROWS = 1000
_GERMAN_WORDS = {"tag", "plattform", "platzierung", "impressionen", "reichweite", "ergebnisse"}

# Required columns, each with an English and a German example for the message.
REQUIRED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("spend",), "“Amount spent (EUR)” / “Ausgegebener Betrag (EUR)”"),
    (("impressions",), "“Impressions” / “Impressionen”"),
    (("platform", "placement"), "“Platform”, “Placement” / “Plattform”, “Platzierung”"),
    (("day", "starts"), "“Day” or “Reporting starts” / “Tag” or “Berichtsbeginn”"),
)

PLATFORMS = {
    "facebook": "facebook",
    "instagram": "instagram",
    "threads": "threads",
    "messenger": "messenger",
    "audience network": "audience_network",
    "whatsapp": "whatsapp",
}
# Words of a placement label left after its platform name, per platform; "*" holds the platform's name.
_POSITIONS: dict[str, str] = {
    "feed": "feed",
    "feeds": "feed",
    "reels": "*_reels",
    "stories": "*_stories",
    "story": "*_stories",
    "explore": "instagram_explore",
    "entdecken": "instagram_explore",
    "explore home": "instagram_explore_grid_home",
    "profile feed": "*_profile_feed",
    "profil feed": "*_profile_feed",
    "marketplace": "marketplace",
    "video feeds": "video_feeds",
    "right column": "right_hand_column",
    "rechte spalte": "right_hand_column",
    "search results": "search",
    "suchergebnisse": "search",
    "in stream videos": "instream_video",
    "in stream video": "instream_video",
    "inbox": "messenger_inbox",
    "posteingang": "messenger_inbox",
    "native banner and interstitial": "an_classic",
    "rewarded videos": "rewarded_video",
}
# The API writes the Facebook feed as "feed" and so does the Instagram feed [verified]; Threads has
# only "threads_feed" [verified, "Get Threads Ads Insights"].
_FIXED = {
    ("threads", "feed"): "threads_feed",
    ("threads", ""): "threads_feed",
    ("facebook", "profile feed"): "profile_feed",
}
_DEFAULT_MAX_ROWS = 200_000


class ExportFileError(ValueError):
    """The file as a whole cannot be read as a placement export."""


@dataclass(frozen=True)
class RowError:
    """A cell that could not be read; `row` is the line in the file, counting the header."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class PlacementRow:
    """One row of the export: an ad (or ad set, campaign) on one placement for one day or period."""

    row: int
    starts: date
    ends: date
    publisher_platform: str
    platform_position: str
    spend: Decimal
    currency: str
    impressions: int
    day: date | None = None  # None when the export is not broken down by day
    platform_label: str = ""
    placement_label: str = ""
    account_id: str = ""
    account_name: str = ""
    campaign_id: str = ""
    campaign_name: str = ""
    adset_id: str = ""
    adset_name: str = ""
    ad_id: str = ""
    ad_name: str = ""
    reach: int | None = None  # never summed: the same person is counted on every row
    link_clicks: int = 0
    results: Decimal = Decimal(0)
    result_indicator: str = ""  # blank: no results in this row's period
    cost_per_result: Decimal | None = None
    revenue: Decimal | None = None
    attribution_setting: str = ""  # the API's windows ("7d_click,1d_view") when the label is understood
    attribution_label: str = ""
    objective: str = ""
    ad_text: str | None = None  # None when the export has no text column

    @property
    def placement(self) -> tuple[str, str]:
        return (self.publisher_platform, self.platform_position)

    @property
    def is_threads(self) -> bool:
        return self.publisher_platform == "threads"


@dataclass
class ExportReading:
    """What a file held: its columns, currency, rows, and every row error; `file_errors` refuse it."""

    filename: str
    columns: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    currency: str = ""
    daily: bool = False
    decimal_comma: bool = False
    rows: list[PlacementRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.errors

    @property
    def mapping(self) -> dict[str, str]:
        return {c: f for c, f in zip(self.columns, self.fields, strict=True) if f}


class RowCap:
    """The default limits when the caller brings none: a row count, nothing else."""

    def __init__(self, max_rows: int = _DEFAULT_MAX_ROWS) -> None:
        self.max_rows = max_rows

    def check_workbook(self, source: Source) -> None:
        return None

    def lines(self, handle: IO[str]) -> Iterator[str]:
        return iter(handle)

    def rows(self, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
        for count, row in enumerate(rows, start=1):
            if count > self.max_rows:
                raise ExportFileError(f"The file has more than {self.max_rows} rows.")
            yield row


# --- Placement labels -------------------------------------------------------------------------------


def _words(label: str) -> str:
    return tabular.normalise_header(label)


def platform_of(label: str) -> str:
    """The API's `publisher_platform` for an export's platform label ("Audience Network" -> "audience_network")."""
    words = _words(label)
    if words.replace(" ", "_") in PLATFORMS.values():
        return words.replace(" ", "_")
    return PLATFORMS.get(words, words.replace(" ", "_"))


def _split_platform(words: str) -> tuple[str, str]:
    """(platform, rest) when a placement label starts with a platform's name, else ("", words)."""
    for name, platform in PLATFORMS.items():
        if words == name or words.startswith(name + " "):
            return platform, words[len(name) :].strip()
    return "", words


def placement_of(platform_label: str, placement_label: str) -> tuple[str, str]:
    """(publisher_platform, platform_position) as the Insights API writes them, from the export's labels.

    "Instagram" + "Feed" -> ("instagram", "feed"); "" + "Threads feed" -> ("threads", "threads_feed").
    A label not in the table becomes its own words joined by "_", so nothing is silently merged.
    """
    platform = platform_of(platform_label) if _words(platform_label) else ""
    raw = placement_label.strip().casefold()
    if "_" in raw:  # already the API's value
        named = next((p for p in PLATFORMS.values() if raw.startswith(p)), "")
        return platform or named, raw
    words = _words(placement_label)
    named, rest = _split_platform(words)
    if named and platform and named != platform:
        return platform, words.replace(" ", "_")  # "Instagram Reels" under "Facebook": keep it apart
    platform = platform or named
    return platform, _position(platform, rest)


def _position(platform: str, rest: str) -> str:
    if (platform, rest) in _FIXED:
        return _FIXED[(platform, rest)]
    if not rest:
        return ""
    pattern = _POSITIONS.get(rest)
    if pattern is None:
        return rest.replace(" ", "_")
    return pattern.replace("*", platform)


_WINDOW_KINDS = (("engaged", "ev"), ("click", "click"), ("klick", "click"), ("view", "view"),
                 ("ansehen", "view"), ("ansicht", "view"), ("impression", "view"))  # fmt: skip


def attribution_of(label: str) -> str:
    """ "7-day click or 1-day view" (or "7 Tage nach Klick oder 1 Tag nach Ansehen") -> "7d_click,1d_view".

    A label with a part that is not a window of days stays as written, so it is never merged with another.
    """
    windows = []
    for part in re.split(r"\bor\b|\boder\b|,|\+|/", label.casefold()):
        days = re.search(r"\d+", part)
        kind = next((api for word, api in _WINDOW_KINDS if word in part), "")
        if not part.strip():
            continue
        if days is None or not kind:
            return label.strip()
        windows.append(f"{days.group()}d_{kind}")
    return ",".join(windows)


# --- Reading the file -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    header_row: int
    columns: tuple[str, ...]
    fields: tuple[str, ...]
    currency: str
    decimal_comma: bool
    day_first: bool | None


def _kind(filename: str) -> str:
    return "xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) else "csv"


def _rows(source: Source, filename: str, guard: Guard) -> Iterator[list[Any]]:
    kind = _kind(filename)
    encoding, delimiter = "", ","
    if kind == "csv":
        detected = tabular.detect_encoding(source)
        if detected is None:
            raise ExportFileError("This file is not a CSV file.")
        encoding = detected
        delimiter = tabular.sniff_delimiter(tabular.files.text_sample(source, encoding))
    rows = tabular.read_rows(source, kind=kind, encoding=encoding, delimiter=delimiter, guard=guard)
    try:
        yield from rows
    except ExportFileError:
        raise
    except Exception as exc:  # openpyxl raises several unrelated types for a broken workbook
        if kind != "xlsx":
            raise
        raise ExportFileError("This is not a readable Excel file.") from exc


def _fields_of(columns: Sequence[str]) -> tuple[tuple[str, ...], str]:
    """A field per column and the currency the spend column names."""
    fields = tabular.map_columns(columns, _LOOKUP)
    currency = ""
    for index, column in enumerate(columns):
        match = _SPEND.fullmatch(tabular.normalise_header(column))
        if match and "spend" not in fields:
            fields[index] = "spend"
            currency = (match.group(1) or "").upper()
    return tuple(fields), currency


def _missing(fields: Sequence[str]) -> list[str]:
    return [
        f"No column for {'/'.join(names)} was found, e.g. {examples}."
        for names, examples in REQUIRED
        if not set(names) & set(fields)
    ]


def _layout(rows: Sequence[Sequence[Any]], delimiter_hint: bool) -> _Layout:
    index, score = tabular.find_header(rows[:_HEADER_SEARCH_ROWS], _LOOKUP)
    if score < 2:
        raise ExportFileError("No Ads Manager column names were found in the first 10 rows.")
    columns = tuple("" if cell is None else str(cell).strip() for cell in rows[index])
    fields, currency = _fields_of(columns)
    missing = _missing(fields)
    if missing:
        raise ExportFileError(" ".join(missing))
    data = rows[index + 1 :]
    german = delimiter_hint or bool({tabular.normalise_header(c) for c in columns} & _GERMAN_WORDS)
    numbers = [(i, f in COUNTS) for i, f in enumerate(fields) if f in (*COUNTS, *MONEY, "results")]
    evidence = ((row[i], whole) for row in data for i, whole in numbers if i < len(row))
    dates = [i for i, f in enumerate(fields) if f in DATES]
    return _Layout(
        header_row=index + 1,
        columns=columns,
        fields=fields,
        currency=currency,
        decimal_comma=tabular.decimal_comma_from(evidence, hint=german),
        day_first=tabular.day_first_from(row[i] for row in data for i in dates if i < len(row)),
    )


def _is_semicolon_file(source: Source, filename: str) -> bool:
    if _kind(filename) == "xlsx":
        return False
    encoding = tabular.detect_encoding(source)
    return (
        bool(encoding) and tabular.sniff_delimiter(tabular.files.text_sample(source, encoding or "")) == ";"
    )


def read_export(path: Source, filename: str = "", *, guard: Guard | None = None) -> ExportReading:
    """Every row of an Ads Manager placement export, typed; errors per row and column, or a file error."""
    name = filename or (path.name if isinstance(path, Path) else "")
    reading = ExportReading(filename=name)
    limits = guard or RowCap()
    try:
        head = list(islice(_rows(path, name, limits), _EVIDENCE_ROWS))
        layout = _layout(head, _is_semicolon_file(path, name))
        reading.columns, reading.fields = layout.columns, layout.fields
        reading.currency, reading.decimal_comma = layout.currency, layout.decimal_comma
        reading.daily = "day" in layout.fields
        for number, row in enumerate(_rows(path, name, limits), start=1):
            if number <= layout.header_row or tabular.is_blank_row(row):
                continue
            _add_row(reading, layout, number, row)
    except ExportFileError as exc:
        reading.file_errors.append(str(exc))
    return reading


# --- Cells ------------------------------------------------------------------------------------------


def _count(raw: Any, layout: _Layout) -> int:
    number, scaled = tabular.parse_number(raw, decimal_comma=layout.decimal_comma)
    if number < 0 or (not scaled and number != number.to_integral_value()):
        raise ValueError(raw)
    return int(number)


def _amount(raw: Any, layout: _Layout) -> Decimal:
    number, _scaled = tabular.parse_number(raw, decimal_comma=layout.decimal_comma)
    if number < 0:
        raise ValueError(raw)
    return number


def _day(raw: Any, layout: _Layout) -> date:
    return tabular.parse_moment(raw, day_first=layout.day_first).date()


def _cell(name: str, raw: Any, layout: _Layout) -> Any:
    if name in COUNTS:
        return _count(raw, layout)
    if name in (*MONEY, "results"):
        return _amount(raw, layout)
    if name in DATES:
        return _day(raw, layout)
    if isinstance(raw, datetime | date):
        return raw.isoformat()
    return str(raw).strip()


def _values(reading: ExportReading, layout: _Layout, number: int, row: Sequence[Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for index, name in enumerate(layout.fields):
        raw = row[index] if index < len(row) else None
        if not name or tabular.is_blank(raw):
            continue
        try:
            values[name] = _cell(name, raw, layout)
        except (ValueError, ArithmeticError):
            column = layout.columns[index]
            reading.errors.append(RowError(number, column, f"{column}: “{raw}” is not understood."))
    return values


def _column(layout: _Layout, name: str) -> str:
    return layout.columns[layout.fields.index(name)] if name in layout.fields else ""


def _check_required(reading: ExportReading, layout: _Layout, number: int, values: dict[str, Any]) -> bool:
    """Whether the row has what every audit figure needs; each gap is an error in its column."""
    needed = [
        ("spend", "spend"),
        ("impressions", "impressions"),
        ("starts", "day" if reading.daily else "starts"),
    ]
    ok = True
    unreadable = {error.column for error in reading.errors if error.row == number}
    for key, name in needed:
        if key not in values and name not in values:
            column = _column(layout, name)
            ok = False
            if column in unreadable:
                continue
            reading.errors.append(RowError(number, column, f"{column}: a value is needed."))
    if not values.get("platform") and not values.get("placement"):
        column = _column(layout, "platform") or _column(layout, "placement")
        reading.errors.append(RowError(number, column, f"{column}: the row names no placement."))
        ok = False
    return ok


def _add_row(reading: ExportReading, layout: _Layout, number: int, row: Sequence[Any]) -> None:
    errors_before = len(reading.errors)
    values = _values(reading, layout, number, row)
    if not _check_required(reading, layout, number, values) or len(reading.errors) > errors_before:
        return
    day = values.get("day")
    starts = day or values["starts"]
    platform, position = placement_of(values.get("platform", ""), values.get("placement", ""))
    texts = {name: values.get(name, "") for name in TEXTS if name not in ("ad_text", "attribution_setting")}
    reading.rows.append(
        PlacementRow(
            row=number,
            day=day,
            starts=starts,
            ends=day or values.get("ends", starts),
            publisher_platform=platform,
            platform_position=position,
            platform_label=values.get("platform", ""),
            placement_label=values.get("placement", ""),
            spend=values["spend"],
            currency=layout.currency,
            impressions=values["impressions"],
            reach=values.get("reach"),
            link_clicks=values.get("link_clicks", 0),
            results=values.get("results", Decimal(0)),
            cost_per_result=values.get("cost_per_result"),
            revenue=values.get("revenue"),
            ad_text=values.get("ad_text", "") if "ad_text" in layout.fields else None,
            attribution_setting=attribution_of(values.get("attribution_setting", "")),
            attribution_label=values.get("attribution_setting", ""),
            **texts,
        )
    )
