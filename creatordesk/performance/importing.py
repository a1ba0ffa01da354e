"""Import metrics from CSV/XLSX exports (TikTok Studio, TikTok Shop, Instagram, or any table).

Columns are recognised by name (see docs/performance.md). Rows are read as a stream, checked one by
one and written all-or-nothing: a single bad row means nothing is stored.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Collaboration
from creatordesk.creators.models import Platform
from creatordesk.performance.connectors import Snapshot
from creatordesk.performance.models import Post, PostFormat
from creatordesk.performance.services import snapshots_record

# Recognised column names (compared lower-case with everything but letters and digits removed).
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
PREVIEW_ROWS = 20
MAX_ERRORS_SHOWN = 200
_FORMAT_WORDS = [("carousel", "carousel"), ("album", "carousel"), ("reel", "reel"), ("short", "short"),
                 ("live", "live"), ("image", "image"), ("photo", "image"), ("video", "video")]  # fmt: skip
_PLATFORM_HOSTS = {"tiktok.com": "tiktok", "instagram.com": "instagram", "youtube.com": "youtube",
                   "youtu.be": "youtube", "facebook.com": "facebook", "threads.net": "threads"}  # fmt: skip


def normalise(name: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name or "").lower())


_LOOKUP = {normalise(alias): target for target, names in ALIASES.items() for alias in names}


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (unreadable, or no usable columns)."""


def read_rows(upload: IO[bytes], filename: str) -> Iterator[list[Any]]:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            book = load_workbook(upload, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several unrelated types for a broken file
            raise ImportFileError(_("This is not a readable Excel file.")) from exc
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield list(row)
        return
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", errors="replace", newline="")
    first = text.readline()
    dialect = max((",", ";", "\t"), key=first.count)
    yield from csv.reader(io.StringIO(first), delimiter=dialect)
    yield from csv.reader(text, delimiter=dialect)


def parse_count(value: Any) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    raw = str(value).strip().replace("\u00a0", "").replace(" ", "").upper()
    factor = {"K": 1_000, "M": 1_000_000}.get(raw[-1:], 1) if raw else 1
    if factor > 1:
        return int(parse_money(raw[:-1]) * factor)
    if re.fullmatch(r"\d{1,3}([.,']\d{3})+", raw):
        raw = re.sub(r"[.,']", "", raw)
    if not raw.isdigit():
        raise ValueError
    return int(raw)


def parse_money(value: Any) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    raw = re.sub(r"[^\d.,\-]", "", str(value))
    if "," in raw and "." in raw:
        decimal_sep = "," if raw.rfind(",") > raw.rfind(".") else "."
        raw = raw.replace("." if decimal_sep == "," else ",", "").replace(",", ".")
    elif "," in raw:
        raw = raw.replace(",", "") if re.fullmatch(r"-?\d{1,3}(,\d{3})+", raw) else raw.replace(",", ".")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise ValueError from None
    if amount < 0 or not amount.is_finite():
        raise ValueError
    return amount.quantize(Decimal("0.01"))


_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%Y/%m/%d %H:%M",
                 "%Y/%m/%d", "%d.%m.%Y %H:%M", "%d.%m.%Y")  # fmt: skip


def parse_moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        raw = str(value).strip()
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            for fmt in _DATE_FORMATS:
                try:
                    moment = datetime.strptime(raw, fmt)
                    break
                except ValueError:
                    continue
            else:
                raise ValueError from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def clean_url(url: str) -> str:
    return url.strip().split("?", 1)[0].split("#", 1)[0].rstrip("/")


def platform_of(url: str) -> str:
    host = re.sub(r"^https?://", "", url.lower()).split("/", 1)[0]
    return next((p for suffix, p in _PLATFORM_HOSTS.items() if host.endswith(suffix)), "")


def tiktok_id_of(url: str) -> str:
    match = re.search(r"/(?:video|photo)/(\d+)", url)
    return match.group(1) if match else ""


@dataclass
class RowResult:
    number: int
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    post: Post | None = None
    action: str = ""  # "update" an existing post, or "create" one


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
    snapshots: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_count


def _header(rows: Iterator[list[Any]], extra: dict[str, str]) -> tuple[int, list[str], dict[int, str]]:
    """Find the header row (some exports put a title above it) and map columns to fields."""
    lookup = {**_LOOKUP, **{normalise(k): v for k, v in extra.items()}}
    for number, row in enumerate(rows, start=1):
        names = ["" if cell is None else str(cell).strip() for cell in row]
        mapped = {i: lookup[normalise(n)] for i, n in enumerate(names) if normalise(n) in lookup}
        if len(set(mapped.values())) >= 2:
            return number, names, mapped
        if number >= 10:
            break
    raise ImportFileError(_("No recognised column names found in the first 10 rows."))


def _parse_row(number: int, cells: dict[str, Any], platform: str) -> RowResult:
    result = RowResult(number=number, values={})
    values = result.values
    for name, cell in cells.items():
        if cell is None or str(cell).strip() == "":
            continue
        try:
            if name in ("views", "likes", "comments", "shares", "saves", "orders"):
                values[name] = parse_count(cell)
            elif name == "gmv_eur":
                values[name] = parse_money(cell)
            elif name in ("posted_at", "taken_at"):
                values[name] = parse_moment(cell)
            else:
                values[name] = str(cell).strip()
        except (ValueError, OverflowError):
            result.errors.append(
                _("%(column)s: “%(value)s” is not understood.") % {"column": name, "value": cell}
            )
    url = clean_url(values.get("url", ""))
    values["url"] = url
    if url and (not re.match(r"https?://", url, re.IGNORECASE) or len(url) > 500):
        result.errors.append(_("“%(url)s” is not a link to a post.") % {"url": url[:80]})
    if len(values.get("external_id", "")) > 80:
        result.errors.append(_("The post ID is longer than 80 characters."))
    values["platform"] = (values.get("platform", "") or platform_of(url) or platform).lower()
    if values["platform"] not in Platform.values:
        result.errors.append(_("Unknown platform “%(platform)s”.") % {"platform": values["platform"]})
    if not values.get("external_id") and values["platform"] == "tiktok":
        values["external_id"] = tiktok_id_of(url)
    if not values.get("external_id") and not url:
        result.errors.append(_("The row has neither a post ID nor a link."))
    fmt = values.get("format", "").lower()
    values["format"] = next((f for word, f in _FORMAT_WORDS if word in fmt), PostFormat.VIDEO)
    return result


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
) -> ImportReport:
    """Check every row; with `commit`, store all of them in one transaction or none at all.

    Unknown posts are created for `collaboration` when one is given, otherwise each is a row error.
    With an "order id" column each row is one order: orders and GMV are summed per post.
    """
    report = ImportReport()
    as_of = (taken_at or timezone.now()).replace(second=0, microsecond=0)
    rows = read_rows(upload, filename)
    try:
        header_row, report.columns, mapping = _header(rows, extra_columns or {})
    except ImportFileError as exc:
        report.file_errors.append(str(exc))
        return report
    report.mapping = {report.columns[i]: f for i, f in mapping.items()}
    if not set(mapping.values()) & set(METRICS):
        report.file_errors.append(_("No metric column (views, likes, orders, GMV …) was recognised."))
        return report
    per_order = "order_id" in mapping.values()
    existing: dict[tuple[str, str], Post] = {}
    for known in Post.objects.for_workspace(workspace).select_related("workspace", "collaboration"):
        if known.external_id:
            existing[(known.platform, "id:" + known.external_id)] = known
        if known.url:
            existing[(known.platform, "url:" + clean_url(known.url))] = known
    new_posts: dict[tuple[str, str], Post] = {}
    # One snapshot per post and moment; with order rows, totals per post.
    pending: dict[tuple[int, datetime], tuple[Post, dict[str, Any], int]] = {}
    seen_orders: set[tuple[int, str]] = set()
    for number, row in enumerate(rows, start=header_row + 1):
        if not any(cell not in (None, "") for cell in row):
            continue
        report.total += 1
        cells = {name: row[i] if i < len(row) else None for i, name in mapping.items()}
        result = _parse_row(number, cells, platform)
        values = result.values
        keys = [(values["platform"], "id:" + values["external_id"])] if values.get("external_id") else []
        keys += [(values["platform"], "url:" + values["url"])] if values["url"] else []
        post: Post | None = next((existing[k] for k in keys if k in existing), None)
        post = post or next((new_posts[k] for k in keys if k in new_posts), None)
        result.action = "update"
        if post is None and not result.errors:
            if collaboration is None:
                result.errors.append(_("No post with this ID or link; choose a collaboration to create it."))
            else:
                post = Post(
                    workspace=workspace,
                    collaboration=collaboration,
                    platform=values["platform"],
                    url=values["url"],
                    external_id=values.get("external_id", ""),
                    format=values["format"],
                    caption=values.get("caption", ""),
                    posted_at=values.get("posted_at"),
                )
                for key in keys:
                    new_posts[key] = post
        if post is not None and post.pk is None:
            result.action = "create"
        result.post = post
        if post is not None and not result.errors:
            moment = values.get("taken_at", as_of)
            slot = (id(post), moment)
            metrics = {k: v for k, v in values.items() if k in METRICS}
            if per_order:
                order_id = str(values.get("order_id", number))
                if (id(post), order_id) in seen_orders:
                    result.errors.append(_("Order %(order)s appears twice.") % {"order": order_id})
                else:
                    seen_orders.add((id(post), order_id))
                    totals = pending.get(slot, (post, {"orders": 0, "gmv_eur": Decimal(0)}, number))[1]
                    totals["orders"] += 1
                    totals["gmv_eur"] += metrics.get("gmv_eur", Decimal(0))
                    pending[slot] = (post, totals, number)
            elif slot in pending:
                result.errors.append(
                    _("Row %(other)s has figures for the same post and time.") % {"other": pending[slot][2]}
                )
            else:
                pending[slot] = (post, metrics, number)
        if result.errors:
            report.error_count += 1
            if len(report.error_rows) < MAX_ERRORS_SHOWN:
                report.error_rows.append(result)
        if len(report.preview) < PREVIEW_ROWS:
            report.preview.append(result)
    report.posts_created = len({id(p) for p in new_posts.values()})
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
