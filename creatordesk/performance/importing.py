"""Import metrics from CSV/XLSX exports (TikTok Studio, TikTok Shop, Instagram, or any table).

Columns are recognised by name (see docs/performance.md). Rows are read as a stream, checked one by
one and written all-or-nothing: a single bad row means nothing is stored. The file must stay within the
IMPORT_* limits (creators/import_limits.py); files with more rows than a request may parse are stored
and run as an ImportJob by the task worker.
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from itertools import chain
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.accounts.models import User, Workspace
from creatordesk.campaigns.models import Collaboration
from creatordesk.creators import import_jobs
from creatordesk.creators.import_limits import (
    Limits,
    SpreadsheetRefused,
    bounded_lines,
    bounded_rows,
    check_xlsx,
)
from creatordesk.creators.models import ImportJob, Platform
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


class TooLargeForRequest(Exception):
    """The file has more rows than a web request may parse; the task worker has to take it."""


def read_rows(upload: IO[bytes], filename: str, limits: Limits | None = None) -> Iterator[list[Any]]:
    """Every row, header included, streamed; SpreadsheetRefused past any of the IMPORT_* limits."""
    limits = limits or Limits.from_settings()
    if filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        check_xlsx(upload, limits)
        upload.seek(0)
        try:
            book = load_workbook(upload, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several unrelated types for a broken file
            raise ImportFileError(_("This is not a readable Excel file.")) from exc
        try:
            for row in bounded_rows(book.worksheets[0].iter_rows(values_only=True), limits):
                yield list(row)
        finally:
            book.close()
        return
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", errors="replace", newline="")
    lines = bounded_lines(text, limits)
    first = next(lines, "")
    dialect = max((",", ";", "\t"), key=first.count)
    rows = csv.reader(lines, delimiter=dialect)
    for row in bounded_rows(chain(csv.reader([first], delimiter=dialect), rows), limits):
        yield list(row)


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
            snapshots=summary["snapshots"],
            committed=summary["committed"],
        )


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
    max_rows: int | None = None,
    on_row: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check every row; with `commit`, store all of them in one transaction or none at all.

    Unknown posts are created for `collaboration` when one is given, otherwise each is a row error.
    With an "order id" column each row is one order: orders and GMV are summed per post.
    Past `max_rows` data rows TooLargeForRequest is raised before anything is written.
    """
    report = ImportReport()
    try:
        return _check_and_store(
            report, workspace, upload, filename, platform, collaboration, taken_at, extra_columns or {},
            commit=commit, max_rows=max_rows, on_row=on_row,
        )  # fmt: skip
    except (ImportFileError, SpreadsheetRefused) as exc:
        report.file_errors.append(str(exc))
        return report


def _check_and_store(
    report: ImportReport,
    workspace: Workspace,
    upload: IO[bytes],
    filename: str,
    platform: str,
    collaboration: Collaboration | None,
    taken_at: datetime | None,
    extra_columns: dict[str, str],
    *,
    commit: bool,
    max_rows: int | None,
    on_row: Callable[[int], None] | None,
) -> ImportReport:
    as_of = (taken_at or timezone.now()).replace(second=0, microsecond=0)
    rows = read_rows(upload, filename)
    header_row, report.columns, mapping = _header(rows, extra_columns)
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
        if max_rows is not None and report.total > max_rows:
            raise TooLargeForRequest
        if on_row is not None:
            on_row(report.total)
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


# --- Large files: run by the task worker as an ImportJob ----------------------------------------------


def _folder(token: str) -> Path:
    # Beside the staged creator imports, so abandoned files are pruned the same way.
    return Path(settings.VAR_DIR) / "imports" / token


def metrics_job_start(
    *,
    workspace: Workspace,
    upload: IO[bytes],
    filename: str,
    platform: str,
    collaboration: Collaboration | None,
    taken_at: datetime | None,
    extra_columns: dict[str, str],
    commit: bool,
    actor: User | None,
) -> ImportJob:
    """Store the file on disk and queue its check (and, with `commit`, its import) for the worker."""
    token = secrets.token_urlsafe(18)
    folder = _folder(token)
    folder.mkdir(parents=True)
    source = folder / ("source.xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) else "source.csv")
    partial = folder / "upload.part"
    lines = 0
    try:
        upload.seek(0)
        with open(partial, "wb") as out:
            for chunk in iter(lambda: upload.read(1 << 20), b""):
                lines += chunk.count(b"\n")
                out.write(chunk)
        # Renamed only when complete: a full disk leaves no half file for the worker.
        os.replace(partial, source)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    options = {
        "filename": filename[:200],
        "platform": platform,
        "collaboration_id": collaboration.pk if collaboration else None,
        "taken_at": taken_at.isoformat() if taken_at else None,
        "extra_columns": extra_columns,
    }
    return import_jobs.job_start(
        workspace=workspace,
        kind=ImportJob.Kind.METRICS,
        token=token,
        commit=commit,
        options=options,
        actor=actor,
        rows_total=lines,
    )


def metrics_job_run(*, job: ImportJob) -> None:
    """Check, and for a commit store, the file of `job`; the report is kept on the job for the page."""
    folder = _folder(job.token)
    source = next(folder.glob("source.*"), None)
    if source is None:
        import_jobs.job_finish(
            job=job, status=ImportJob.Status.FAILED, error=_("The file is gone. Upload it again.")
        )
        return
    options = job.options
    collaboration = None
    if options.get("collaboration_id"):
        collaboration = (
            Collaboration.objects.for_workspace(job.workspace).filter(pk=options["collaboration_id"]).first()
        )

    def on_row(number: int) -> None:
        if number % 1000 == 0:
            import_jobs.job_progress(job=job, rows_done=number)

    with open(source, "rb") as upload:
        report = metrics_import(
            workspace=job.workspace,
            upload=upload,
            filename=source.name,
            platform=options["platform"],
            collaboration=collaboration,
            taken_at=datetime.fromisoformat(options["taken_at"]) if options.get("taken_at") else None,
            extra_columns=options.get("extra_columns") or {},
            commit=job.commit,
            on_row=on_row,
        )
    status = ImportJob.Status.DONE if report.ok else ImportJob.Status.FAILED
    import_jobs.job_finish(job=job, status=status, result=report_summary(report))
    shutil.rmtree(folder, ignore_errors=True)


def report_summary(report: ImportReport) -> dict[str, Any]:
    """The report as the import page shows it, in a form a job row can keep (JSON)."""

    def row(result: RowResult) -> dict[str, Any]:
        values = {k: v if isinstance(v, str | int) else str(v) for k, v in result.values.items()}
        return {"number": result.number, "values": values, "errors": result.errors, "action": result.action}

    return {
        "columns": report.columns,
        "mapping": report.mapping,
        "file_errors": report.file_errors,
        "preview": [row(r) for r in report.preview],
        "error_rows": [row(r) for r in report.error_rows],
        "total": report.total,
        "error_count": report.error_count,
        "posts_created": report.posts_created,
        "snapshots": report.snapshots,
        "committed": report.committed,
        "ok": report.ok,
    }
