"""Limits on uploaded spreadsheets, checked before and while a file is parsed.

An .xlsx file is a zip archive of XML: a few hundred kilobytes can expand to gigabytes, declare a
million rows or hold one 300 MB string, and a CSV file can be one endless line. Following the OWASP
File Upload Cheat Sheet ("set a file size limit", "uncompressed size" of archives), the zip directory
is checked before openpyxl touches the workbook, and every row read afterwards is counted and measured,
so a file is refused within seconds and with bounded memory instead of exhausting the worker.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Self

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.packaging.workbook import WorkbookPackage

# The same lookup of the workbook part as openpyxl's loader, so that both agree on which part it is.
from openpyxl.reader.excel import _find_workbook_part
from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS
from openpyxl.xml.functions import fromstring

# Real workbooks have a few dozen parts; thousands of members only make the directory itself expensive.
MAX_ZIP_MEMBERS = 1000
# Small parts compress well for innocent reasons (an empty sheet, styles); only big ones can be bombs.
_RATIO_CHECKED_FROM_BYTES = 1024 * 1024
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')


class SpreadsheetRefused(ValueError):
    """The file exceeds a limit; the message says which, in the user's language."""


@dataclass(frozen=True)
class Limits:
    """How big an import file may be, read from the IMPORT_* settings."""

    max_bytes: int
    max_uncompressed_bytes: int
    max_shared_strings_bytes: int
    max_compression_ratio: int
    max_rows: int
    max_columns: int
    max_cell_chars: int

    @classmethod
    def from_settings(cls) -> Self:
        return cls(
            max_bytes=settings.IMPORT_MAX_BYTES,
            max_uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            max_shared_strings_bytes=settings.IMPORT_MAX_SHARED_STRINGS_BYTES,
            max_compression_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
            max_rows=settings.IMPORT_MAX_ROWS,
            max_columns=settings.IMPORT_MAX_COLUMNS,
            max_cell_chars=settings.IMPORT_MAX_CELL_CHARS,
        )

    @property
    def max_line_chars(self) -> int:
        # A CSV line holds at most every column at full length plus quotes and delimiters.
        return self.max_columns * (self.max_cell_chars + 3)

    # The guard creatordesk.lib.tabular reads files through, so both importers keep these limits.
    def check_workbook(self, source: Path | IO[bytes]) -> None:
        check_xlsx(source, self)

    def lines(self, handle: IO[str]) -> Iterator[str]:
        return bounded_lines(handle, self)

    def rows(self, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
        return bounded_rows(rows, self)


def _megabytes(size: int) -> str:
    return f"{size / 1024**2:.0f}"


def refuse_too_many_rows(limits: Limits) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("The file has more than %(rows)s rows. Split it into smaller files.")
        % {"rows": f"{limits.max_rows:,}"}
    )


def refuse_too_many_columns(limits: Limits) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("The file has more than %(columns)d columns. Remove the columns you do not need.")
        % {"columns": limits.max_columns}
    )


def refuse_long_cell(limits: Limits, row: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("Row %(row)d has a cell longer than %(chars)s characters.")
        % {"row": row, "chars": f"{limits.max_cell_chars:,}"}
    )


def _refuse_text(limits: Limits) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("The workbook holds more than %(size)s MB of text. Split it into smaller files.")
        % {"size": _megabytes(limits.max_shared_strings_bytes)}
    )


@dataclass(frozen=True)
class _Parts:
    """Where openpyxl will look for the shared strings and the worksheets of a workbook."""

    shared_strings: str | None
    worksheets: tuple[str, ...]  # in the workbook's order: the import reads the first


def _read_index_part(archive: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    # These parts are parsed whole, here and by openpyxl, so they get the same cap as the text.
    if archive.getinfo(name).file_size > limits.max_shared_strings_bytes:
        raise _refuse_text(limits)
    return archive.read(name)


def _locate_parts(archive: zipfile.ZipFile, limits: Limits) -> _Parts | None:
    """Find the parts the way openpyxl does, through `[Content_Types].xml` and the workbook's
    relationships, since part names are the writer's choice: a shared-strings part can be called
    `xl/strs.xml` and the first sheet `sheet10.xml`. None when openpyxl would not open the file."""
    try:
        manifest = Manifest.from_tree(fromstring(_read_index_part(archive, ARC_CONTENT_TYPES, limits)))
        strings = manifest.find(SHARED_STRINGS)
        workbook_part = _find_workbook_part(manifest).PartName[1:]
        workbook = WorkbookPackage.from_tree(fromstring(_read_index_part(archive, workbook_part, limits)))
        rels_path = get_rels_path(workbook_part)
        _read_index_part(archive, rels_path, limits)  # refused before get_dependents reads it whole
        rels = get_dependents(archive, rels_path).to_dict()
        names = set(archive.namelist())
        worksheets = []
        # As openpyxl's ExcelReader.read_worksheets: sheets without an id or a stored part are skipped,
        # every relationship that is not a chartsheet is read as a worksheet.
        for sheet in workbook.sheets:
            if not sheet.id:
                continue
            rel = rels[sheet.id]
            if rel.target in names and "chartsheet" not in rel.Type:
                worksheets.append(rel.target)
    except SpreadsheetRefused:
        raise
    except Exception:  # openpyxl raises several unrelated types for a broken package
        return None
    return _Parts(shared_strings=strings.PartName[1:] if strings else None, worksheets=tuple(worksheets))


def check_xlsx(source: Path | IO[bytes], limits: Limits) -> None:
    """Refuse a workbook whose zip directory promises too much, before openpyxl reads any of it.

    The sizes in the directory are what the archive claims; zipfile stops reading a member at its
    declared size, so a member cannot expand past what is checked here. Only the small index parts
    that say where the strings and sheets are get parsed, each within the text cap.
    """
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise SpreadsheetRefused(_("The workbook has too many parts to be a spreadsheet."))
            total = sum(member.file_size for member in members)
            if total > limits.max_uncompressed_bytes:
                raise SpreadsheetRefused(
                    _("The workbook unpacks to more than %(size)s MB. Split it into smaller files.")
                    % {"size": _megabytes(limits.max_uncompressed_bytes)}
                )
            parts = _locate_parts(archive, limits)
            # openpyxl streams worksheets in read-only mode but holds every other part it reads in memory
            # (shared strings, styles, external links), so only worksheets may pass the text cap. A file
            # openpyxl cannot open has none; a part that is both gets the cap as shared strings.
            streamed = set(parts.worksheets) - {parts.shared_strings} if parts else set()
            for member in members:
                if member.filename not in streamed and member.file_size > limits.max_shared_strings_bytes:
                    raise _refuse_text(limits)
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > _RATIO_CHECKED_FROM_BYTES and ratio > limits.max_compression_ratio:
                    raise SpreadsheetRefused(
                        _("The workbook is compressed suspiciously well (%(ratio)d to 1); it is refused.")
                        % {"ratio": ratio}
                    )
            if parts and parts.worksheets:
                _check_dimension(archive, parts.worksheets[0], limits)
                _count_rows(archive, parts.worksheets[0], limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile):
        return  # not a zip at all: openpyxl's own error tells the user the file cannot be read


def _declared_size(archive: zipfile.ZipFile, sheet: str) -> tuple[int, int] | None:
    """The (rows, columns) a sheet's dimension claims, None if it claims none."""
    with archive.open(sheet) as part:
        match = _DIMENSION.search(part.read(4096))
    if match is None:
        return None
    letters, rows = match.groups()
    columns = 0
    for letter in letters.decode():
        columns = columns * 26 + ord(letter) - ord("A") + 1
    return int(rows), columns


def _check_dimension(archive: zipfile.ZipFile, sheet: str, limits: Limits) -> None:
    """Refuse a sheet whose declared size is over the limits; a smaller claim proves nothing."""
    declared = _declared_size(archive, sheet)
    if declared is None:
        return
    rows, columns = declared
    if rows > limits.max_rows + 1:  # the header row comes on top of the data rows
        raise refuse_too_many_rows(limits)
    if columns > limits.max_columns:
        raise refuse_too_many_columns(limits)


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _count_rows(archive: zipfile.ZipFile, sheet: str, limits: Limits) -> None:
    """Count the sheet's rows in its raw XML, which zlib and a regex do in a fraction of a second
    where openpyxl would take minutes to reach the row limit of a sheet that hides its size."""
    rows, tail = 0, b""
    with archive.open(sheet) as part:
        for chunk in iter(lambda: part.read(1 << 20), b""):
            data = tail + chunk
            # A tag starting in the last bytes is counted with the next chunk, never twice.
            cut = max(len(data) - 64, 0)
            rows += sum(1 for match in _ROW_TAG.finditer(data) if match.start() < cut)
            tail = data[cut:]
            if rows > limits.max_rows + 1:  # the header row comes on top of the data rows
                raise refuse_too_many_rows(limits)
    rows += len(_ROW_TAG.findall(tail))
    if rows > limits.max_rows + 1:
        raise refuse_too_many_rows(limits)


def declared_rows(source: Path) -> int:
    """The row count the first sheet's dimension claims (an estimate for progress only), 0 if none."""
    try:
        with zipfile.ZipFile(source) as archive:
            parts = _locate_parts(archive, Limits.from_settings())
            if not parts or not parts.worksheets:
                return 0
            declared = _declared_size(archive, parts.worksheets[0])
    except (OSError, zipfile.BadZipFile, SpreadsheetRefused):
        return 0
    return declared[0] if declared else 0


def bounded_lines(handle: IO[str], limits: Limits) -> Iterator[str]:
    """The lines of a text file, refusing one longer than any row within the limits could be."""
    cap = limits.max_line_chars
    number = 0
    while line := handle.readline(cap + 1):
        number += 1
        if len(line) > cap:
            raise refuse_long_cell(limits, number)
        yield line


def bounded_rows(rows: Iterable[Sequence[Any]], limits: Limits) -> Iterator[Sequence[Any]]:
    """`rows` as they are, refused as soon as one passes the row, column or cell-length limit."""
    iterator = iter(rows)
    number = 0
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise refuse_long_cell(limits, number + 1) from None
            raise
        number += 1
        if number > limits.max_rows + 1:  # the header row comes on top of the data rows
            raise refuse_too_many_rows(limits)
        yield _bounded_row(row, number, limits)


def _bounded_row(row: Sequence[Any], number: int, limits: Limits) -> Sequence[Any]:
    """The row without trailing empty cells past the column limit; refused when it is still too wide."""
    if len(row) > limits.max_columns:
        width = len(row)
        while width and row[width - 1] in (None, ""):
            width -= 1
        if width > limits.max_columns:
            raise refuse_too_many_columns(limits)
        row = row[:width]
    for cell in row:
        if isinstance(cell, str) and len(cell) > limits.max_cell_chars:
            raise refuse_long_cell(limits, number)
    return row
