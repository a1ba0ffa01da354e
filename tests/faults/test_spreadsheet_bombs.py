"""Spreadsheet bombs are refused within seconds and with bounded memory, by both importers.

Each bomb is built here, then parsed in a fresh Python process exactly as the app parses uploads: the
creator import's upload step (the web request) followed by the full read its worker does, or the
metrics import's reader. That process reports the message, the time taken and its peak memory above
what it used before parsing (`resource.getrusage`), so a parser that inflates a bomb cannot hide its
cost in the test runner. Defences follow the OWASP File Upload Cheat Sheet (size limits, including the
uncompressed size of archives).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

MAX_SECONDS = 5.0
MAX_EXTRA_MEMORY_MB = 200

_PARSE = r"""
import json, resource, sys, time
from pathlib import Path
from types import SimpleNamespace

import django
django.setup()
from django.conf import settings
from django.core.files import File
from creatordesk.creators import imports
from creatordesk.creators.import_values import read_rows
from creatordesk.performance import importing

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

reader, cases = sys.argv[1], json.loads(sys.argv[2])
baseline, outcomes = peak_mb(), []
for name, overrides in cases:
    path = Path(name)
    saved = {setting: getattr(settings, setting) for setting in overrides}
    for setting, value in overrides.items():
        setattr(settings, setting, value)
    started, message = time.monotonic(), None
    try:
        if reader == "creators":
            with path.open("rb") as handle:
                stored = imports.import_upload(workspace=SimpleNamespace(pk=1), upload=File(handle, name=path.name))
            for _row in read_rows(stored.source, stored.kind, stored.encoding, stored.delimiter):
                pass
        else:
            with path.open("rb") as handle:
                for _row in importing.read_rows(handle, path.name):
                    pass
    except (imports.ImportRejected, importing.ImportFileError, ValueError) as refused:
        message = str(refused)
    # The peak only grows, so each figure bounds this file and every file before it.
    outcomes.append({"message": message, "seconds": time.monotonic() - started, "extra_mb": peak_mb() - baseline})
    for setting, value in saved.items():
        setattr(settings, setting, value)
print(json.dumps(outcomes))
"""

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
    f'Type="{_OFFICE_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
).encode()


def _package_parts(sheets: tuple[str, ...], strings: str) -> dict[str, bytes]:
    """Content types, workbook and relationships naming `sheets` (in order) and the `strings` part."""
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{_CONTENT_TYPE}.{kind}"/>'
        for name, kind in [
            ("xl/workbook.xml", "sheet.main+xml"),
            *((f"xl/worksheets/{sheet}", "worksheet+xml") for sheet in sheets),
            (strings, "sharedStrings+xml"),
        ]
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        f'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    )
    listed = "".join(
        f'<sheet name="Sheet {n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, len(sheets) + 1)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE_RELS}">'
        f"<sheets>{listed}</sheets></workbook>"
    )
    targets = [(f"worksheets/{sheet}", "worksheet") for sheet in sheets]
    targets.append((strings.removeprefix("xl/"), "sharedStrings"))
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_OFFICE_RELS}/{kind}" Target="{target}"/>'
        for n, (target, kind) in enumerate(targets, start=1)
    )
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE_RELS}">{rels}</Relationships>'
    )
    return {
        "[Content_Types].xml": content_types.encode(),
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": workbook.encode(),
        "xl/_rels/workbook.xml.rels": workbook_rels.encode(),
    }


_SHEET_START = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
_HEADER_ROW = b'<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>'
_STRINGS = b"<si><t>Name</t></si><si><t>Handle</t></si>"


def _workbook(
    path: Path,
    *,
    dimension: str = "",
    rows: bytes = b"",
    extra_text: int = 0,
    members: dict[str, int] | None = None,
    sheets: tuple[str, ...] = ("sheet1.xml",),
    strings_part: str = "xl/sharedStrings.xml",
) -> Path:
    """A minimal .xlsx written by hand, so that its parts can be bigger than any real one.

    The first of `sheets` in the workbook's order holds the rows; the others only a header.
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in _package_parts(sheets, strings_part).items():
            archive.writestr(name, data)
        size = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
        for index, sheet in enumerate(sheets):
            archive.writestr(
                f"xl/worksheets/{sheet}",
                _SHEET_START
                + (size if index == 0 else b"")
                + b"<sheetData>"
                + _HEADER_ROW
                + (rows if index == 0 else b"")
                + b"</sheetData></worksheet>",
            )
        with archive.open(strings_part, "w") as strings:
            strings.write(
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + _STRINGS
            )
            if extra_text:
                strings.write(b"<si><t>")
                block = b"a" * (1 << 20)
                for _ in range(extra_text // len(block)):
                    strings.write(block)
                strings.write(b"</t></si>")
            strings.write(b"</sst>")
        for name, size_bytes in (members or {}).items():
            with archive.open(name, "w") as member:
                block = bytes(1 << 20)
                for _ in range(size_bytes // len(block)):
                    member.write(block)
    return path


_DATA_ROW = b'<row><c t="inlineStr"><is><t>Jana</t></is></c><c t="inlineStr"><is><t>jana</t></is></c></row>'


def million_rows(tmp: Path) -> Path:
    # No dimension and no row numbers: nothing but reading tells how many rows there are.
    return _workbook(tmp / "million.xlsx", rows=_DATA_ROW * 1_000_000)


def million_rows_declared(tmp: Path) -> Path:
    return _workbook(tmp / "declared.xlsx", dimension="A1:B1000000", rows=_DATA_ROW * 3)


def one_huge_shared_string(tmp: Path) -> Path:
    return _workbook(tmp / "string.xlsx", rows=_DATA_ROW, extra_text=300 * 1024**2)


def shared_strings_over_the_text_limit(tmp: Path) -> Path:
    return _workbook(tmp / "text.xlsx", rows=_DATA_ROW, extra_text=40 * 1024**2)


def text_in_a_renamed_strings_part(tmp: Path) -> Path:
    # openpyxl finds the shared strings through [Content_Types].xml, whatever the part is called.
    return _workbook(
        tmp / "renamed.xlsx", rows=_DATA_ROW, extra_text=40 * 1024**2, strings_part="xl/strs.xml"
    )


def million_rows_declared_on_a_first_sheet_named_sheet2(tmp: Path) -> Path:
    # The workbook lists sheet2.xml first; sheet10.xml sorts before it by name and is small.
    return _workbook(
        tmp / "order.xlsx", dimension="A1:B1000000", rows=_DATA_ROW * 3, sheets=("sheet2.xml", "sheet10.xml")
    )


def zip_bomb_member(tmp: Path) -> Path:
    return _workbook(tmp / "bomb.xlsx", rows=_DATA_ROW, members={"xl/media/image1.png": 400 * 1024**2})


def too_many_columns(tmp: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Handle", *(f"Extra {n}" for n in range(300))])
    sheet.append(["Jana", "jana", *range(300)])
    workbook.save(tmp / "wide.xlsx")
    return tmp / "wide.xlsx"


def long_csv_cell(tmp: Path) -> Path:
    path = tmp / "long.csv"
    with path.open("w") as out:
        out.write("Name,Handle,Notes\nJana,jana,short\nTom,tom,")
        out.write("x" * 20 * 1024**2)
        out.write("\n")
    return path


def long_quoted_csv_cell(tmp: Path) -> Path:
    path = tmp / "quoted.csv"
    path.write_text('Name,Handle,Notes\nJana,jana,"' + "line\n" * 4000 + '"\n')
    return path


def too_many_csv_rows(tmp: Path) -> Path:
    path = tmp / "rows.csv"
    path.write_text("Name,Handle\n" + "".join(f"C{n},c{n}\n" for n in range(100_001)))
    return path


BOMBS: list[tuple[Callable[[Path], Path], str, dict[str, int]]] = [
    (million_rows, "compressed suspiciously well", {}),
    # With the ratio check out of the way, the rows are still counted before openpyxl reads them.
    (million_rows, "more than 100,000 rows", {"IMPORT_MAX_COMPRESSION_RATIO": 100_000}),
    (million_rows_declared, "more than 100,000 rows", {}),
    (one_huge_shared_string, "unpacks to more than 200 MB", {}),
    (shared_strings_over_the_text_limit, "holds more than 30 MB of text", {}),
    # Text that compresses like real text gets past the ratio check; its size alone is refused.
    (
        text_in_a_renamed_strings_part,
        "holds more than 30 MB of text",
        {"IMPORT_MAX_COMPRESSION_RATIO": 100_000},
    ),
    (million_rows_declared_on_a_first_sheet_named_sheet2, "more than 100,000 rows", {}),
    (zip_bomb_member, "unpacks to more than 200 MB", {}),
    (too_many_columns, "more than 200 columns", {}),
    (long_csv_cell, "has a cell longer than 10,000 characters", {}),
    (long_quoted_csv_cell, "Row 2 has a cell longer than 10,000 characters", {}),
    (too_many_csv_rows, "more than 100,000 rows", {}),
]
FINE = "fine"


def within_limits(tmp: Path) -> Path:
    path = tmp / "fine.csv"
    path.write_text("Name,Handle,Notes\n" + "".join(f"C{n},c{n},{'y' * 500}\n" for n in range(5_000)))
    return path


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("bombs")
    built: dict[str, Path] = {}
    for build, _message, _overrides in BOMBS:
        if build.__name__ not in built:
            built[build.__name__] = build(folder)
    return [built[build.__name__] for build, _message, _overrides in BOMBS] + [within_limits(folder)]


@pytest.mark.parametrize("reader", ["creators", "metrics"])
def test_spreadsheet_bombs_are_refused_quickly_with_bounded_memory(
    tmp_path: Path, bombs: list[Path], reader: str
) -> None:
    cases = [(str(path), overrides) for path, (_b, _m, overrides) in zip(bombs, BOMBS, strict=False)]
    cases.append((str(bombs[-1]), {}))
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "creatordesk.settings",
        "CREATORDESK_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)  # parsing needs no database
    done = subprocess.run(
        [sys.executable, "-c", _PARSE, reader, json.dumps(cases)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    *outcomes, fine = json.loads(done.stdout.strip().splitlines()[-1])
    for (build, message, _overrides), outcome in zip(BOMBS, outcomes, strict=True):
        assert outcome["message"] is not None and message in outcome["message"], (build.__name__, outcome)
        assert outcome["seconds"] < MAX_SECONDS, (build.__name__, outcome)
        assert outcome["extra_mb"] < MAX_EXTRA_MEMORY_MB, (build.__name__, outcome)
    assert fine["message"] is None, fine  # the limits leave an ordinary file alone
