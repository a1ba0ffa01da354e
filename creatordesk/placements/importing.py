"""Import Ads Manager placement exports: preview, dry run, all-or-nothing commit.

The same shape as the creator, metrics and Seller Center imports: the upload is staged once
(djangolib.staged_files, with a placements.json beside it), read by creatordesk.placements.exports
through the shared tabular toolkit, checked in a dry run that says per row what committing would do,
and committed from the staged copy in one transaction, or not at all while a row has errors.
Importing the same file again changes nothing; an export of the same days with later figures
updates them.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.db import IntegrityError
from django.utils.translation import gettext as _

from creatordesk.accounts.models import Workspace
from creatordesk.creators.import_limits import Limits, SpreadsheetRefused
from creatordesk.djangolib import staged_files
from creatordesk.placements import exports, services
from creatordesk.placements.models import Source

META_FILE = "placements.json"
ROWS_SHOWN = 50
MAX_PROBLEMS_SHOWN = 200


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; the message says why, in the user's language."""


class ImportNotFound(Exception):
    """No staged export with this token in this workspace (imported, expired or foreign)."""


# The reader speaks English (it is free of the web framework); its messages are said again here in
# the user's language.
_NO_COLUMN = re.compile(r"No column for (?P<fields>\S+) was found, e\.g\. (?P<examples>.+?)\.(?= No|$)")
_NOT_UNDERSTOOD = re.compile(r"(?P<column>.*): “(?P<value>.*)” is not understood\.")
_NEEDED = re.compile(r"(?P<column>.*): a value is needed\.")
_NO_PLACEMENT = re.compile(r"(?P<column>.*): the row names no placement\.")


def _file_message(message: str) -> str:
    known = {
        "This file is not a CSV file.": _("This file is not a CSV file."),
        "This is not a readable Excel file.": _("This is not a readable Excel file."),
        "No Ads Manager column names were found in the first 10 rows.": _(
            "No Ads Manager column names were found in the first 10 rows."
        ),
    }
    if message in known:
        return known[message]
    missing = [
        _("A column %(examples)s is needed.") % {"examples": match["examples"]}
        for match in _NO_COLUMN.finditer(message)
    ]
    return " ".join(missing) or message


def _row_message(message: str) -> str:
    if match := _NOT_UNDERSTOOD.fullmatch(message):
        return _("“%(value)s” is not understood.") % {"value": match["value"][:80]}
    if _NEEDED.fullmatch(message):
        return _("A value is needed.")
    if _NO_PLACEMENT.fullmatch(message):
        return _("The row names no platform or placement.")
    return message


@dataclass
class StagedExport:
    """An Ads Manager export waiting in VAR_DIR/imports/<token>/ between its dry run and its commit."""

    token: str
    workspace_id: int
    filename: str
    file_kind: str
    created_at: float = field(default_factory=time.time)

    @property
    def source(self) -> Path:
        return staged_files.source(self.token, self.file_kind)

    def save(self) -> None:
        staged_files.write_meta(self.token, META_FILE, asdict(self) | {"kind": "placements"})


def placements_import_stage(*, workspace: Workspace, upload: IO[bytes], filename: str) -> StagedExport:
    """Keep an uploaded export for its dry run and commit."""
    file_kind = "xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) else "csv"
    upload.seek(0)
    token, _lines = staged_files.store(iter(lambda: upload.read(1 << 20), b""), kind=file_kind)
    staged = StagedExport(
        token=token, workspace_id=workspace.pk, filename=Path(filename).name[:200], file_kind=file_kind
    )
    staged.save()
    return staged


def placements_import_load(*, workspace: Workspace, token: str) -> StagedExport:
    """The staged export behind `token` if it belongs to `workspace`; anything else looks missing."""
    try:
        data = staged_files.read_meta(token, META_FILE, workspace_id=workspace.pk)
    except staged_files.StagedFileMissing:
        raise ImportNotFound(token) from None
    data.pop("kind", None)
    return StagedExport(**data)


@dataclass
class RowOutcome:
    """One data row as the preview shows it: what it names, and what committing does with it."""

    number: int
    campaign: str = ""
    ad: str = ""
    placement: str = ""
    day: str = ""
    spend: Decimal | None = None
    results: Decimal | None = None
    action: str = ""  # create, update, unchanged or error
    problems: list[tuple[str, str]] = field(default_factory=list)  # (the file's column, message)


@dataclass
class ImportReport:
    """The dry run or the commit of one export: mapping, per-row outcomes, counts and a summary."""

    filename: str = ""
    token: str = ""
    mapping: list[tuple[str, str]] = field(default_factory=list)
    currency: str = ""
    daily: bool = False
    decimal_comma: bool = False
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    error_rows: list[RowOutcome] = field(default_factory=list)
    total: int = 0
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("create", "update", "unchanged", "error"), 0)
    )
    placements: list[tuple[str, Decimal]] = field(default_factory=list)  # (placement, spend)
    first_day: str = ""
    last_day: str = ""
    committed: bool = False

    @property
    def error_count(self) -> int:
        return self.counts["error"]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_count

    def add(self, outcome: RowOutcome) -> None:
        self.counts[outcome.action] += 1
        if len(self.rows) < ROWS_SHOWN:
            self.rows.append(outcome)
        if outcome.action == "error" and len(self.error_rows) < MAX_PROBLEMS_SHOWN:
            self.error_rows.append(outcome)


def _outcome(row: exports.PlacementRow, action: str) -> RowOutcome:
    return RowOutcome(
        number=row.row,
        campaign=row.campaign_name or row.campaign_id,
        ad=row.ad_name or row.adset_name or row.ad_id,
        placement=f"{row.publisher_platform} · {row.platform_position}",
        day=row.starts.isoformat() if row.day else f"{row.starts.isoformat()}–{row.ends.isoformat()}",
        spend=row.spend,
        results=row.results,
        action=action,
    )


def _errors(reading: exports.ExportReading) -> list[RowOutcome]:
    by_row: dict[int, RowOutcome] = {}
    for error in reading.errors:
        outcome = by_row.setdefault(error.row, RowOutcome(number=error.row, action="error"))
        outcome.problems.append((error.column, _row_message(error.message)))
    return list(by_row.values())


def _summarise(report: ImportReport, reading: exports.ExportReading) -> None:
    spend: dict[str, Decimal] = {}
    for row in reading.rows:
        label = f"{row.publisher_platform} · {row.platform_position}"
        spend[label] = spend.get(label, Decimal(0)) + row.spend
    report.placements = sorted(spend.items(), key=lambda item: -item[1])
    if reading.rows:
        report.first_day = min(row.starts for row in reading.rows).isoformat()
        report.last_day = max(row.ends for row in reading.rows).isoformat()


def _planned(workspace: Workspace, staged: StagedExport, report: ImportReport) -> list[exports.PlacementRow]:
    """Read the staged file and say per row what committing would do."""
    try:
        reading = exports.read_export(staged.source, staged.filename, guard=Limits.from_settings())
    except (SpreadsheetRefused, UnicodeDecodeError) as exc:
        raise ImportFileError(str(exc) if isinstance(exc, SpreadsheetRefused) else "") from None
    report.filename, report.currency = staged.filename, reading.currency
    report.daily, report.decimal_comma = reading.daily, reading.decimal_comma
    report.mapping = [
        (column, name) for column, name in zip(reading.columns, reading.fields, strict=True) if column
    ]
    if reading.file_errors:
        raise ImportFileError(" ".join(_file_message(message) for message in reading.file_errors))
    plan = services.records_plan(workspace=workspace, rows=reading.rows)
    report.total = len(reading.rows) + len({error.row for error in reading.errors})
    outcomes = [_outcome(p.row, p.action) for p in plan.plans] + _errors(reading)
    for outcome in sorted(outcomes, key=lambda o: o.number):
        report.add(outcome)
    _summarise(report, reading)
    return reading.rows


def placements_import_check(*, workspace: Workspace, staged: StagedExport) -> ImportReport:
    """The dry run: what committing the staged export would do, row by row; nothing is written."""
    report = ImportReport(token=staged.token)
    try:
        _planned(workspace, staged, report)
    except ImportFileError as exc:
        return _refused(staged, report, exc)
    return report


def placements_import_commit(*, workspace: Workspace, staged: StagedExport) -> ImportReport:
    """Write every row of the staged export in one transaction, or nothing while a row has errors."""
    report = ImportReport(token=staged.token)
    try:
        rows = _planned(workspace, staged, report)
    except ImportFileError as exc:
        return _refused(staged, report, exc)
    if report.error_count:
        return report
    try:
        written = services.records_write(workspace=workspace, rows=rows, source=Source.EXPORT)
    except IntegrityError:
        report.file_errors.append(_("Another import wrote the same rows at the same time; try again."))
        return report
    report.counts.update(create=written.created, update=written.updated, unchanged=written.unchanged)
    report.committed = True
    staged_files.discard(staged.token)
    report.token = ""
    return report


def _refused(staged: StagedExport, report: ImportReport, exc: Exception) -> ImportReport:
    report.file_errors.append(str(exc) or _("The file's text cannot be read."))
    staged_files.discard(staged.token)
    report.token = ""
    return report
