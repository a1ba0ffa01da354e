"""Import metrics from CSV/XLSX exports (TikTok Studio, TikTok Shop, Instagram, or any table).

The same shape as the creator import (creators/imports.py): the upload is staged once
(import_staging.py), a dry run shows what committing would do (snapshots per post, new posts, errors
per row and column), and the commit reads the staged file again and writes all of it or nothing.
Files are read through creatordesk.lib.tabular, so encodings, delimiters and numbers such as "1.234"
mean what they mean in the creator import. Columns are recognised by name (see docs/performance.md). The file must stay within the IMPORT_* limits
(creators/import_limits.py); files with more rows than a request may parse run as an ImportJob.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Collaboration
from creatordesk.creators.import_limits import Limits, SpreadsheetRefused
from creatordesk.creators.import_values import GERMAN_HEADERS
from creatordesk.creators.models import Platform
from creatordesk.lib import tabular
from creatordesk.lib.tabular.files import Source
from creatordesk.performance.connectors import Snapshot
from creatordesk.performance.models import Post, PostFormat
from creatordesk.performance.services import snapshots_record

# Recognised column names, compared as creatordesk.lib.tabular.header_key leaves them.
ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": ("external id", "video id", "item id", "content id", "post id", "media id", "id"),
    "url": ("url", "link", "video link", "post link", "permalink", "video url", "content link"),
    "platform": ("platform",),
    "format": ("format", "post type", "content type", "media type", "type"),
    "caption": ("caption", "description", "video title", "title", "video name", "video description"),
    "posted_at": (
        "posted at",
        "post time",
        "publish time",
        "published",
        "post date",
        "video post time",
        "create time",
        "posted",
    ),
    "taken_at": ("taken at", "date", "data as of", "as of", "snapshot time"),
    "views": ("views", "video views", "total views", "vv", "plays", "total plays", "impressions"),
    "likes": ("likes", "total likes", "reactions"),
    "comments": ("comments", "total comments"),
    "shares": ("shares", "total shares"),
    "saves": ("saves", "saved", "total saves", "add to favorites", "favorites", "favourites"),
    "orders": ("orders", "sku orders", "total orders", "attributed orders", "video orders"),
    "gmv_eur": ("gmv", "gmv eur", "revenue", "attributed gmv", "video gmv", "payment amount", "sales"),
    "order_id": ("order id",),
}
METRICS = ("views", "likes", "comments", "shares", "saves", "orders", "gmv_eur")
COUNTS = ("views", "likes", "comments", "shares", "saves", "orders")
DATES = ("posted_at", "taken_at")
PREVIEW_ROWS = 20
MAX_ERRORS_SHOWN = 200
# Rows read at upload to find the header and the file's number and date conventions.
_EVIDENCE_ROWS = 1000
_HEADER_SEARCH_ROWS = 10
_FORMAT_WORDS = [("carousel", "carousel"), ("album", "carousel"), ("reel", "reel"), ("short", "short"),
                 ("live", "live"), ("image", "image"), ("photo", "image"), ("video", "video")]  # fmt: skip
_LOOKUP = tabular.synonym_lookup(ALIASES)


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (unreadable, or no usable columns)."""


class TooLargeForRequest(Exception):
    """The file has more rows than a web request may parse; the task worker has to take it."""


# --- Reading a file ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """How a file is read, decided once when it arrives; every later pass reads it the same way."""

    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ","
    header_row: int = 1
    columns: tuple[str, ...] = ()  # the file's header names
    fields: tuple[str, ...] = ()  # a field per column, "" for none
    decimal_comma: bool = False
    day_first: bool | None = None


def _kind(filename: str) -> str:
    return "xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) else "csv"


def _rows(source: Source, reading: Reading, limits: Limits | None = None) -> Iterator[list[Any]]:
    guard = limits or Limits.from_settings()
    rows = tabular.read_rows(
        source, kind=reading.kind, encoding=reading.encoding, delimiter=reading.delimiter, guard=guard
    )
    try:
        yield from rows
    except SpreadsheetRefused:
        raise
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        if reading.kind != "xlsx":
            raise
        raise ImportFileError(_("This is not a readable Excel file.")) from exc


def _opened(source: Source, filename: str) -> Reading:
    kind = _kind(filename)
    if kind == "xlsx":
        return Reading(kind=kind)
    encoding = tabular.detect_encoding(source)
    if encoding is None:
        raise ImportFileError(_("This file is not a CSV file."))
    delimiter = tabular.sniff_delimiter(tabular.files.text_sample(source, encoding))
    return Reading(kind=kind, encoding=encoding, delimiter=delimiter)


def read_rows(upload: IO[bytes], filename: str, limits: Limits | None = None) -> Iterator[list[Any]]:
    """Every row, header included, streamed; SpreadsheetRefused past any of the IMPORT_* limits."""
    return _rows(upload, _opened(upload, filename), limits)


def inspect_file(source: Source, filename: str, extra_columns: dict[str, str]) -> Reading:
    """Find the header (some exports put a title above it) and the file's number and date conventions."""
    reading = _opened(source, filename)
    lookup = {**_LOOKUP, **{tabular.header_key(k): v for k, v in extra_columns.items()}}
    rows = list(islice(_rows(source, reading), _EVIDENCE_ROWS))
    index, score = tabular.find_header(rows[:_HEADER_SEARCH_ROWS], lookup)
    if score < 2:
        raise ImportFileError(_("No recognised column names found in the first 10 rows."))
    columns = tuple("" if cell is None else str(cell).strip() for cell in rows[index])
    fields = tuple(tabular.map_columns(columns, lookup))
    if not set(fields) & set(METRICS):
        raise ImportFileError(_("No metric column (views, likes, orders, GMV …) was recognised."))
    data = rows[index + 1 :]
    numbers = [(i, f in COUNTS) for i, f in enumerate(fields) if f in METRICS]
    german = reading.delimiter == ";" or bool({tabular.normalise_header(c) for c in columns} & GERMAN_HEADERS)
    evidence = ((row[i], whole) for row in data for i, whole in numbers if i < len(row))
    dates = [i for i, f in enumerate(fields) if f in DATES]
    return Reading(
        kind=reading.kind,
        encoding=reading.encoding,
        delimiter=reading.delimiter,
        header_row=index + 1,
        columns=columns,
        fields=fields,
        decimal_comma=tabular.decimal_comma_from(evidence, hint=german),
        day_first=tabular.day_first_from(row[i] for row in data for i in dates if i < len(row)),
    )


# --- Cell values ------------------------------------------------------------------------------------


def parse_count(value: Any, *, decimal_comma: bool) -> int:
    number, scaled = tabular.parse_number(value, decimal_comma=decimal_comma)
    if number < 0 or number >= 2**63 or (not scaled and number != number.to_integral_value()):
        raise ValueError(value)
    return int(number.to_integral_value(ROUND_HALF_UP))


def parse_money(value: Any, *, decimal_comma: bool) -> Decimal:
    amount, _scaled = tabular.parse_number(value, decimal_comma=decimal_comma)
    if amount < 0 or amount >= 10**12:
        raise ValueError(value)
    return amount.quantize(Decimal("0.01"), ROUND_HALF_UP)


def parse_moment(value: Any, *, day_first: bool | None = None) -> datetime:
    moment = tabular.parse_moment(value, day_first=day_first)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def tiktok_id_of(url: str) -> str:
    match = re.search(r"/(?:video|photo)/(\d+)", url)
    return match.group(1) if match else ""


@dataclass
class RowResult:
    number: int
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    error_columns: list[str] = field(default_factory=list)  # the file's column of each error, "" for the row
    post: Post | None = None
    action: str = ""  # "update" an existing post, or "create" one

    def add_error(self, message: str, column: str = "") -> None:
        self.errors.append(message)
        self.error_columns.append(column)

    @property
    def problems(self) -> list[tuple[str, str]]:
        return list(zip(self.error_columns or [""] * len(self.errors), self.errors, strict=True))


@dataclass
class ImportReport:
    columns: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)  # column → field
    file_errors: list[str] = field(default_factory=list)
    preview: list[RowResult] = field(default_factory=list)
    error_rows: list[RowResult] = field(default_factory=list)
    total: int = 0
    error_count: int = 0
    posts_created: int = 0
    posts_updated: int = 0
    snapshots: int = 0
    committed: bool = False
    token: str = ""  # the staged file a commit reads, while it waits

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_count

    def add(self, result: RowResult) -> None:
        """Count a checked row; the first rows make the preview, the first rows with errors the error list."""
        if result.errors:
            self.error_count += 1
            if len(self.error_rows) < MAX_ERRORS_SHOWN:
                self.error_rows.append(result)
        if len(self.preview) < PREVIEW_ROWS:
            self.preview.append(result)

    @classmethod
    def from_summary(cls, summary: dict[str, Any]) -> ImportReport:
        """The report a background job kept (see report_summary), as the page shows it."""
        return cls(
            columns=summary["columns"],
            mapping=summary["mapping"],
            file_errors=summary["file_errors"],
            preview=[RowResult(**row) for row in summary["preview"]],
            error_rows=[RowResult(**row) for row in summary["error_rows"]],
            total=summary["total"],
            error_count=summary["error_count"],
            posts_created=summary["posts_created"],
            posts_updated=summary.get("posts_updated", 0),
            snapshots=summary["snapshots"],
            committed=summary["committed"],
            token=summary.get("token", ""),
        )


@dataclass(frozen=True)
class Options:
    """What the user chose next to the file."""

    platform: str = "tiktok"
    collaboration_id: int | None = None
    taken_at: str | None = None  # ISO moment, or None for "now"
    extra_columns: dict[str, str] = field(default_factory=dict)


def _parse_row(number: int, cells: dict[int, Any], reading: Reading, platform: str) -> RowResult:
    result = RowResult(number=number, values={})
    for index, cell in cells.items():
        if cell is None or str(cell).strip() == "":
            continue
        try:
            result.values[reading.fields[index]] = _cell_value(reading.fields[index], cell, reading)
        except (ValueError, OverflowError):
            column = reading.columns[index]
            result.add_error(
                _("%(column)s: “%(value)s” is not understood.") % {"column": column, "value": cell}, column
            )
    _check_post_identity(result, reading, platform)
    fmt = result.values.get("format", "").lower()
    result.values["format"] = next((f for word, f in _FORMAT_WORDS if word in fmt), PostFormat.VIDEO)
    return result


def _cell_value(name: str, cell: Any, reading: Reading) -> Any:
    """A cell read as the field it was mapped to; ValueError when it is not one."""
    if name in COUNTS:
        return parse_count(cell, decimal_comma=reading.decimal_comma)
    if name == "gmv_eur":
        return parse_money(cell, decimal_comma=reading.decimal_comma)
    if name in DATES:
        return parse_moment(cell, day_first=reading.day_first)
    return str(cell).strip()


def _check_post_identity(result: RowResult, reading: Reading, platform: str) -> None:
    """Link, platform and post ID of a row: completed from each other, refused when none is usable."""
    values = result.values
    url = tabular.clean_url(values.get("url", ""))
    values["url"] = url
    if url and (not re.match(r"https?://", url, re.IGNORECASE) or len(url) > 500):
        result.add_error(
            _("“%(url)s” is not a link to a post.") % {"url": url[:80]}, _column_of(reading, "url")
        )
    if len(values.get("external_id", "")) > 80:
        result.add_error(_("The post ID is longer than 80 characters."), _column_of(reading, "external_id"))
    values["platform"] = (values.get("platform", "") or tabular.platform_of_url(url) or platform).lower()
    if values["platform"] not in Platform.values:
        result.add_error(
            _("Unknown platform “%(platform)s”.") % {"platform": values["platform"]},
            _column_of(reading, "platform"),
        )
    if not values.get("external_id") and values["platform"] == "tiktok":
        values["external_id"] = tiktok_id_of(url)
    if not values.get("external_id") and not url:
        result.add_error(_("The row has neither a post ID nor a link."))


def _column_of(reading: Reading, name: str) -> str:
    return reading.columns[reading.fields.index(name)] if name in reading.fields else ""


def metrics_import(
    *,
    workspace: Workspace,
    upload: IO[bytes],
    filename: str,
    platform: str = "tiktok",
    collaboration: Collaboration | None = None,
    taken_at: datetime | None = None,
    extra_columns: dict[str, str] | None = None,
    commit: bool = False,
    max_rows: int | None = None,
    on_row: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check every row of a file at hand; with `commit`, store all of them in one transaction or none.

    Unknown posts are created for `collaboration` when one is given, otherwise each is a row error.
    With an "order id" column each row is one order: orders and GMV are summed per post.
    Past `max_rows` data rows TooLargeForRequest is raised before anything is written.
    """
    options = Options(
        platform=platform,
        collaboration_id=collaboration.pk if collaboration else None,
        taken_at=taken_at.isoformat() if taken_at else None,
        extra_columns=extra_columns or {},
    )
    report = ImportReport()
    try:
        reading = inspect_file(upload, filename, options.extra_columns)
        return check_and_store(
            report, workspace, upload, reading, options, commit=commit, max_rows=max_rows, on_row=on_row
        )
    except (ImportFileError, SpreadsheetRefused) as exc:
        report.file_errors.append(str(exc))
        return report


@dataclass
class _Plan:
    """What the rows of one file add up to: the posts they name and one set of figures per post and moment."""

    workspace: Workspace
    collaboration: Collaboration | None
    as_of: datetime
    per_order: bool
    order_column: str
    existing: dict[tuple[str, str], Post] = field(default_factory=dict)
    new_posts: dict[tuple[str, str], Post] = field(default_factory=dict)
    # One snapshot per post and moment; with order rows, totals per post.
    pending: dict[tuple[int, datetime], tuple[Post, dict[str, Any], int]] = field(default_factory=dict)
    seen_orders: set[tuple[int, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        for known in Post.objects.for_workspace(self.workspace).select_related("workspace", "collaboration"):
            if known.external_id:
                self.existing[(known.platform, "id:" + known.external_id)] = known
            if known.url:
                self.existing[(known.platform, "url:" + tabular.clean_url(known.url))] = known

    def find_or_create_post(self, result: RowResult) -> None:
        """The row's post: a known one, one an earlier row creates, or a new one of the collaboration."""
        values = result.values
        keys = [(values["platform"], "id:" + values["external_id"])] if values.get("external_id") else []
        keys += [(values["platform"], "url:" + values["url"])] if values["url"] else []
        post = next((self.existing[k] for k in keys if k in self.existing), None)
        post = post or next((self.new_posts[k] for k in keys if k in self.new_posts), None)
        result.action = "update"
        if post is None and not result.errors:
            if self.collaboration is None:
                result.add_error(_("No post with this ID or link; choose a collaboration to create it."))
            else:
                post = Post(
                    workspace=self.workspace,
                    collaboration=self.collaboration,
                    platform=values["platform"],
                    url=values["url"],
                    external_id=values.get("external_id", ""),
                    format=values["format"],
                    caption=values.get("caption", ""),
                    posted_at=values.get("posted_at"),
                )
                self.new_posts.update(dict.fromkeys(keys, post))
        if post is not None and post.pk is None:
            result.action = "create"
        result.post = post

    def add_figures(self, result: RowResult, number: int) -> None:
        """The row's figures as a snapshot of its post, or added to the post's order totals."""
        post, values = result.post, result.values
        if post is None or result.errors:
            return
        slot = (id(post), values.get("taken_at", self.as_of))
        metrics = {k: v for k, v in values.items() if k in METRICS}
        if not self.per_order:
            if slot in self.pending:
                other = self.pending[slot][2]
                result.add_error(
                    _("Row %(other)s has figures for the same post and time.") % {"other": other}
                )
            else:
                self.pending[slot] = (post, metrics, number)
            return
        order_id = str(values.get("order_id", number))
        if (id(post), order_id) in self.seen_orders:
            result.add_error(_("Order %(order)s appears twice.") % {"order": order_id}, self.order_column)
            return
        self.seen_orders.add((id(post), order_id))
        totals = self.pending.get(slot, (post, {"orders": 0, "gmv_eur": Decimal(0)}, number))[1]
        totals["orders"] += 1
        totals["gmv_eur"] += metrics.get("gmv_eur", Decimal(0))
        self.pending[slot] = (post, totals, number)


def check_and_store(
    report: ImportReport,
    workspace: Workspace,
    source: Source,
    reading: Reading,
    options: Options,
    *,
    commit: bool,
    max_rows: int | None,
    on_row: Callable[[int], None] | None,
) -> ImportReport:
    """The plan of the file and, with `commit` and no errors, its writing: both read the same rows."""
    collaboration = None
    if options.collaboration_id:
        collaboration = (
            Collaboration.objects.for_workspace(workspace).filter(pk=options.collaboration_id).first()
        )
    taken_at = datetime.fromisoformat(options.taken_at) if options.taken_at else None
    plan = _Plan(
        workspace=workspace,
        collaboration=collaboration,
        as_of=(taken_at or timezone.now()).replace(second=0, microsecond=0),
        per_order="order_id" in reading.fields,
        order_column=_column_of(reading, "order_id"),
    )
    report.columns = list(reading.columns)
    report.mapping = {c: f for c, f in zip(reading.columns, reading.fields, strict=True) if f}
    mapped = [i for i, f in enumerate(reading.fields) if f]
    for number, row in enumerate(_rows(source, reading), start=1):
        if number <= reading.header_row or not any(cell not in (None, "") for cell in row):
            continue
        report.total += 1
        if max_rows is not None and report.total > max_rows:
            raise TooLargeForRequest
        if on_row is not None:
            on_row(report.total)
        result = _parse_row(
            number, {i: row[i] if i < len(row) else None for i in mapped}, reading, options.platform
        )
        plan.find_or_create_post(result)
        plan.add_figures(result, number)
        report.add(result)
    new_posts, pending = plan.new_posts, plan.pending
    report.posts_created = len({id(p) for p in new_posts.values()})
    report.posts_updated = len({id(p) for p, _m, _n in pending.values() if p.pk is not None})
    report.snapshots = len(pending)
    if commit and report.ok and pending:
        with transaction.atomic():
            created = list({id(p): p for p in new_posts.values()}.values())
            Post.objects.bulk_create(created)
            snapshots_record(
                rows=[
                    (post, Snapshot(taken_at=moment, **metrics))
                    for (_key, moment), (post, metrics, _n) in pending.items()
                ]
            )
        report.committed = True
    return report


def report_summary(report: ImportReport) -> dict[str, Any]:
    """The report as the import page and the API show it, in a form a job row can keep (JSON)."""

    def row(result: RowResult) -> dict[str, Any]:
        values = {k: v if isinstance(v, str | int) else str(v) for k, v in result.values.items()}
        return {
            "number": result.number,
            "values": values,
            "errors": result.errors,
            "error_columns": result.error_columns,
            "action": result.action,
        }

    return {
        "columns": report.columns,
        "mapping": report.mapping,
        "file_errors": report.file_errors,
        "preview": [row(r) for r in report.preview],
        "error_rows": [row(r) for r in report.error_rows],
        "total": report.total,
        "error_count": report.error_count,
        "posts_created": report.posts_created,
        "posts_updated": report.posts_updated,
        "snapshots": report.snapshots,
        "committed": report.committed,
        "ok": report.ok,
        "token": report.token,
    }
