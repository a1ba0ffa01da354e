"""Import Seller Center exports of sample requests and affiliate orders: preview, dry run, commit.

The same shape as the creator and metrics imports: the upload is staged once (djangolib.staged_files,
with a shop.json beside it), read through creatordesk.lib.tabular, checked in a dry run that says per
row what committing would do, and committed from the staged copy: every row through
creatordesk.shop.records in one transaction, or nothing when a row has errors (unless the user chose to
skip those rows). The rows land where the Affiliate Partner API sync puts them, so importing a file the
sync has already read, or the same file twice, changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError
from django.utils.translation import gettext as _

from creatordesk.accounts.models import User, Workspace
from creatordesk.creators.import_limits import Limits, SpreadsheetRefused
from creatordesk.djangolib import staged_files
from creatordesk.lib import tabular
from creatordesk.lib.tabular.files import Source
from creatordesk.shop.importing_common import (
    CellError,
    Conventions,
    Kind,
    RowError,
    cell_value,
    conventions_of,
)
from creatordesk.shop.importing_orders import ORDERS
from creatordesk.shop.importing_samples import SAMPLES
from creatordesk.shop.models import Source as RecordSource

META_FILE = "shop.json"
KINDS: dict[str, Kind] = {SAMPLES.name: SAMPLES, ORDERS.name: ORDERS}
AUTO = "auto"
ROWS_SHOWN = 100
MAX_PROBLEMS_SHOWN = 200
_EVIDENCE_ROWS = 1000
_HEADER_SEARCH_ROWS = 10
# Every column name either kind knows, for finding the header row before the kind is known.
_ANY_COLUMN = {key: key for kind in KINDS.values() for key in kind.lookup}


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; the message says why, in the user's language."""


class ImportNotFound(Exception):
    """No staged Seller Center file with this token in this workspace (imported, expired or foreign)."""


# --- Reading ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """How a staged file is read, decided once when it arrives."""

    file_kind: str  # "csv" or "xlsx"
    encoding: str
    delimiter: str
    header_row: int
    columns: tuple[str, ...]
    fields: tuple[str, ...]  # a field per column, "" for none
    decimal_comma: bool
    day_first: bool | None

    @property
    def conventions(self) -> Conventions:
        return Conventions(decimal_comma=self.decimal_comma, day_first=self.day_first)

    def column_of(self, name: str) -> str:
        return self.columns[self.fields.index(name)] if name in self.fields else ""


def _rows(source: Source, file_kind: str, encoding: str, delimiter: str) -> Iterator[list[Any]]:
    rows = tabular.read_rows(
        source, kind=file_kind, encoding=encoding, delimiter=delimiter, guard=Limits.from_settings()
    )
    try:
        yield from rows
    except (SpreadsheetRefused, UnicodeDecodeError):
        raise
    except Exception as exc:  # openpyxl raises several unrelated types for a broken workbook
        if file_kind != "xlsx":
            raise
        raise ImportFileError(_("This is not a readable Excel file.")) from exc


def _opened(source: Source, filename: str) -> tuple[str, str, str]:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return "xlsx", "", ","
    encoding = tabular.detect_encoding(source)
    if encoding is None:
        raise ImportFileError(_("This file is not a CSV file."))
    return "csv", encoding, tabular.sniff_delimiter(tabular.files.text_sample(source, encoding))


def _detected(columns: Sequence[str], chosen: str) -> Kind:
    if chosen in KINDS:
        return KINDS[chosen]
    for kind in (SAMPLES, ORDERS):
        if kind.key in tabular.map_columns(columns, kind.lookup):
            return kind
    raise ImportFileError(
        _("This file has neither a sample request ID nor an order ID column. Choose what it holds.")
    )


def _check_required(kind: Kind, fields: Sequence[str]) -> None:
    for names in kind.required:
        if not set(names) & set(fields):
            spec = kind.field(names[0])
            raise ImportFileError(
                _("A column “%(label)s” is needed for %(kind)s (e.g. “%(english)s” or “%(german)s”).")
                % {
                    "label": spec.label,
                    "kind": kind.label,
                    "english": spec.english[0],
                    "german": spec.german[0],
                }
            )


def inspect_file(source: Source, filename: str, chosen: str = AUTO) -> tuple[Kind, Reading]:
    """The export's kind, its header row (titles above it are skipped), its number and date conventions."""
    file_kind, encoding, delimiter = _opened(source, filename)
    rows = list(islice(_rows(source, file_kind, encoding, delimiter), _EVIDENCE_ROWS))
    index, score = tabular.find_header(rows[:_HEADER_SEARCH_ROWS], _ANY_COLUMN)
    if score < 2:
        raise ImportFileError(_("No recognised column names found in the first 10 rows."))
    columns = tuple("" if cell is None else str(cell).strip() for cell in rows[index])
    kind = _detected(columns, chosen)
    fields = tuple(tabular.map_columns(columns, kind.lookup))
    _check_required(kind, fields)
    german = delimiter == ";" or any(tabular.header_key(c) in kind.german_keys for c in columns)
    conventions = conventions_of(kind, fields, rows[index + 1 :], german=german)
    reading = Reading(
        file_kind=file_kind,
        encoding=encoding,
        delimiter=delimiter,
        header_row=index + 1,
        columns=columns,
        fields=fields,
        decimal_comma=conventions.decimal_comma,
        day_first=conventions.day_first,
    )
    return kind, reading


# --- The staged upload -------------------------------------------------------------------------------


@dataclass
class StagedShopFile:
    """A Seller Center export waiting in VAR_DIR/imports/<token>/ between its dry run and its commit."""

    token: str
    workspace_id: int
    filename: str
    kind: str
    reading: dict[str, Any]
    created_at: float = field(default_factory=time.time)

    @property
    def source(self) -> Path:
        return staged_files.source(self.token, self.reading["file_kind"])

    def read_as(self) -> Reading:
        data = self.reading
        return Reading(**{**data, "columns": tuple(data["columns"]), "fields": tuple(data["fields"])})

    def save(self) -> None:
        staged_files.write_meta(self.token, META_FILE, asdict(self))


def shop_import_stage(
    *, workspace: Workspace, upload: IO[bytes], filename: str, kind: str = AUTO
) -> StagedShopFile:
    """Keep an uploaded export for its dry run and commit; ImportFileError if it cannot be imported at all."""
    file_kind = "xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) else "csv"
    upload.seek(0)
    token, _lines = staged_files.store(iter(lambda: upload.read(1 << 20), b""), kind=file_kind)
    source = staged_files.source(token, file_kind)
    try:
        found, reading = inspect_file(source, source.name, kind)
    except (ImportFileError, SpreadsheetRefused) as exc:
        staged_files.discard(token)
        raise ImportFileError(str(exc)) from None
    except BaseException:
        staged_files.discard(token)
        raise
    staged = StagedShopFile(
        token=token,
        workspace_id=workspace.pk,
        filename=Path(filename).name[:200],
        kind=found.name,
        reading=asdict(reading),
    )
    staged.save()
    return staged


def shop_import_load(*, workspace: Workspace, token: str) -> StagedShopFile:
    """The staged file behind `token` if it belongs to `workspace`; anything else looks like a missing one."""
    try:
        return StagedShopFile(**staged_files.read_meta(token, META_FILE, workspace_id=workspace.pk))
    except staged_files.StagedFileMissing:
        raise ImportNotFound(token) from None


def shop_import_discard(*, staged: StagedShopFile) -> None:
    staged_files.discard(staged.token)


# --- Rows and the report ------------------------------------------------------------------------------


@dataclass
class RowOutcome:
    """One data row: what it names, and what committing does with it or why it cannot."""

    number: int
    key: str = ""
    creator: str = ""
    product: str = ""
    action: str = ""  # create, update, unchanged, unmatched, or error
    reason: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)  # (the file's column, message)
    record: Any = None


@dataclass
class ImportReport:
    kind: str = ""
    kind_label: str = ""
    filename: str = ""
    mapping: list[tuple[str, str]] = field(default_factory=list)  # (column, field label or "")
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)  # the first ROWS_SHOWN
    error_rows: list[RowOutcome] = field(default_factory=list)
    unmatched_rows: list[RowOutcome] = field(default_factory=list)
    total: int = 0
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("create", "update", "unchanged", "unmatched", "error"), 0)
    )
    committed: bool = False
    skipped_errors: bool = False
    token: str = ""

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
        if outcome.action == "unmatched" and len(self.unmatched_rows) < MAX_PROBLEMS_SHOWN:
            self.unmatched_rows.append(outcome)


def _parse_row(number: int, row: Sequence[Any], kind: Kind, reading: Reading) -> RowOutcome:
    outcome = RowOutcome(number=number)
    values: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    for index, name in enumerate(reading.fields):
        cell = row[index] if index < len(row) else None
        if not name or tabular.is_blank(cell):
            continue
        raw[name] = cell
        try:
            values[name] = cell_value(kind.field(name), cell, reading.conventions)
        except CellError as exc:
            outcome.problems.append((reading.columns[index], str(exc)))
        except (ValueError, OverflowError, ArithmeticError):
            message = _("“%(value)s” is not understood.") % {"value": str(cell)[:80]}
            outcome.problems.append((reading.columns[index], message))
    outcome.creator = str(values.get("creator_username") or values.get("creator_open_id") or "")
    outcome.product = str(values.get("product_id") or "")
    if outcome.problems:
        return outcome
    try:
        outcome.record = kind.to_record(values, raw)
    except RowError as exc:
        outcome.problems.append((reading.column_of(exc.field), str(exc)))
        return outcome
    outcome.key = kind.record_key(outcome.record)
    return outcome


def _read(kind: Kind, reading: Reading, source: Source, report: ImportReport) -> list[RowOutcome]:
    """Every data row parsed; ImportFileError past the rows a request may import."""
    limit = settings.IMPORT_INLINE_ROWS
    outcomes: list[RowOutcome] = []
    first_of: dict[str, int] = {}
    for number, row in enumerate(_rows(source, reading.file_kind, reading.encoding, reading.delimiter), 1):
        if number <= reading.header_row or tabular.is_blank_row(row):
            continue
        report.total += 1
        if report.total > limit:
            raise ImportFileError(
                _("This file has more than %(limit)s rows, more than one import may hold. Split it into "
                  "files of up to %(limit)s rows.") % {"limit": limit}
            )  # fmt: skip
        outcome = _parse_row(number, row, kind, reading)
        if outcome.key and outcome.key in first_of:
            outcome.problems.append(
                (
                    reading.column_of(kind.key),
                    _("Row %(row)s has the same ID.") % {"row": first_of[outcome.key]},
                )
            )
            outcome.record = None
        elif outcome.key:
            first_of[outcome.key] = number
        outcomes.append(outcome)
    return outcomes


def _reason(reason: str) -> str:
    """The write path's reason in the user's language."""
    prefix = "no campaign holds the product "
    if reason.startswith(prefix):
        return _("No campaign holds the product %(product)s.") % {"product": reason.removeprefix(prefix)}
    if reason == "the request names no creator":
        return _("The request names no creator.")
    return reason


def _planned(workspace: Workspace, staged: StagedShopFile, report: ImportReport) -> list[RowOutcome]:
    """Read the staged file and say per row what committing would do."""
    kind, reading = KINDS[staged.kind], staged.read_as()
    report.kind, report.kind_label, report.filename = kind.name, str(kind.label), staged.filename
    labels = {f.name: str(f.label) for f in kind.fields}
    report.mapping = [
        (c, labels.get(f, "")) for c, f in zip(reading.columns, reading.fields, strict=True) if c
    ]
    outcomes = _read(kind, reading, staged.source, report)
    good = [o for o in outcomes if o.record is not None and not o.problems]
    plan = kind.plan(workspace=workspace, records=[o.record for o in good])
    for outcome, planned in zip(good, plan, strict=True):
        outcome.action, outcome.reason = planned.action, _reason(planned.reason)
    for outcome in outcomes:
        outcome.action = outcome.action or "error"
        report.add(outcome)
    return good


def shop_import_check(*, workspace: Workspace, staged: StagedShopFile) -> ImportReport:
    """The dry run: what committing the staged file would do, row by row; nothing is written."""
    report = ImportReport(token=staged.token)
    try:
        _planned(workspace, staged, report)
    except (ImportFileError, SpreadsheetRefused, UnicodeDecodeError) as exc:
        return _refused(staged, report, exc)
    return report


def shop_import_commit(
    *, workspace: Workspace, staged: StagedShopFile, actor: User | None, skip_errors: bool = False
) -> ImportReport:
    """Write every row of the staged file in one transaction, or nothing when a row has errors.

    With `skip_errors` the rows with errors are left out and the others written. The write path plans
    again inside its transaction, so the counts are what was written.
    """
    report = ImportReport(token=staged.token)
    try:
        good = _planned(workspace, staged, report)
    except (ImportFileError, SpreadsheetRefused, UnicodeDecodeError) as exc:
        return _refused(staged, report, exc)
    if report.error_count and not skip_errors:
        return report
    kind = KINDS[staged.kind]
    try:
        written = kind.write(
            workspace=workspace,
            records=[o.record for o in good],
            source=RecordSource.SELLER_CENTER,
            actor=actor,
        )
    except IntegrityError:
        report.file_errors.append(_("Another import wrote the same rows at the same time; try again."))
        return report
    report.counts.update(
        create=written.created,
        update=written.updated,
        unchanged=written.unchanged,
        unmatched=len(written.unmatched),
    )
    report.committed, report.skipped_errors = True, bool(report.error_count)
    shop_import_discard(staged=staged)
    report.token = ""
    return report


def _refused(staged: StagedShopFile, report: ImportReport, exc: Exception) -> ImportReport:
    message = str(exc) if not isinstance(exc, UnicodeDecodeError) else _("The file's text cannot be read.")
    report.file_errors.append(message)
    shop_import_discard(staged=staged)
    report.token = ""
    return report
