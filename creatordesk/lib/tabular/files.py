"""Opening CSV, TSV and XLSX files: encoding, delimiter, and every row as a stream.

Size limits are the caller's (`Guard`): the creator and metrics importers pass the IMPORT_* limits,
which refuse a zip bomb before openpyxl opens it and a row past the limits while it is read.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Protocol

import openpyxl

type Source = Path | IO[bytes]


class Guard(Protocol):
    """Limits applied while a file is read; each method raises to refuse the file."""

    def check_workbook(self, source: Source) -> None: ...

    def lines(self, handle: IO[str]) -> Iterator[str]: ...

    def rows(self, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]: ...


def _chunks(source: Source) -> Iterator[bytes]:
    if isinstance(source, Path):
        with open(source, "rb") as handle:
            yield from iter(lambda: handle.read(1 << 20), b"")
        return
    source.seek(0)
    yield from iter(lambda: source.read(1 << 20), b"")
    source.seek(0)


def detect_encoding(source: Source) -> str | None:
    """The encoding of a text file, None for a binary one.

    UTF-16 needs its byte order mark (Excel's "Unicode text" writes one); UTF-8 is read with or
    without one; anything else is Excel on Windows, cp1252, or latin-1 for the five bytes cp1252 leaves
    undefined.
    """
    first = next(_chunks(source), b"")
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in _chunks(source):
            if b"\x00" in chunk:
                return None  # text files have no NUL bytes
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    fallback = codecs.getincrementaldecoder("cp1252")()
    try:
        for chunk in _chunks(source):
            fallback.decode(chunk)
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def sniff_delimiter(sample: str) -> str:
    """ "," ";" tab or "|": the one the header line uses, or the csv sniffer's choice when it uses several."""
    first_line = sample.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t", "|")}
    used = [delimiter for delimiter, count in counts.items() if count]
    if len(used) == 1:
        return used[0]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return max(counts, key=lambda delimiter: counts[delimiter]) if used else ","


def text_sample(source: Source, encoding: str, chars: int = 64 * 1024) -> str:
    with _open_text(source, encoding) as handle:
        return handle.read(chars)


@contextmanager
def _open_text(source: Source, encoding: str) -> Iterator[IO[str]]:
    if isinstance(source, Path):
        with open(source, encoding=encoding, newline="") as handle:
            yield handle
        return
    source.seek(0)
    wrapper = io.TextIOWrapper(source, encoding=encoding, newline="")
    try:
        yield wrapper
    finally:
        wrapper.detach()  # the caller's file stays open


def read_rows(
    source: Source, *, kind: str, encoding: str, delimiter: str, guard: Guard
) -> Iterator[list[Any]]:
    """Every row of the file, header included, streamed; the guard refuses what is over the limits.

    Workbook cells keep their types (numbers, dates); a cell formatted as percent holds 0.042 for
    "4.2 %" and is given as 4.2, as the sheet shows it.
    """
    if kind == "xlsx":
        guard.check_workbook(source)
        if not isinstance(source, Path):
            source.seek(0)
        # Read-only mode streams the sheet XML instead of building every cell in memory.
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
        try:
            cells = ([_xlsx_value(cell) for cell in row] for row in workbook.worksheets[0].iter_rows())
            for row in guard.rows(cells):
                yield list(row)
        finally:
            workbook.close()
        return
    with _open_text(source, encoding) as handle:
        for row in guard.rows(csv.reader(guard.lines(handle), delimiter=delimiter)):
            yield list(row)


def _xlsx_value(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    if isinstance(value, bool | datetime.time | datetime.timedelta):
        return str(value)
    if isinstance(value, int | float) and "%" in (getattr(cell, "number_format", "") or ""):
        return round(value * 100, 6)
    return value
