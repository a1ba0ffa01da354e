"""The shared reading rules of both importers, table by table: encodings, delimiters, numbers, dates, links."""

from __future__ import annotations

import codecs
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import pytest

from creatordesk.lib import tabular


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock moment as a file writes it, without a time zone."""
    return datetime.combine(date(year, month, day), time(hour, minute))


TEXT = "Name;Stadt\nMüller;Köln\n"


class _NoLimits:
    def check_workbook(self, source: object) -> None:
        return None

    def lines(self, handle: IO[str]) -> Iterator[str]:
        return iter(handle)

    def rows(self, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
        return iter(rows)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("cp1252"), "cp1252"),
        (b"Name\n\x81\x8d\n", "latin-1"),  # bytes cp1252 leaves undefined
        (b"PK\x03\x04\x00\x00", None),
    ],
)
def test_encoding_is_detected_and_umlauts_read_back(
    tmp_path: Path, data: bytes, encoding: str | None
) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(data)
    assert tabular.detect_encoding(path) == encoding
    if encoding and "Müller" in TEXT and encoding != "latin-1":
        rows = list(tabular.read_rows(path, kind="csv", encoding=encoding, delimiter=";", guard=_NoLimits()))
        assert rows == [["Name", "Stadt"], ["Müller", "Köln"]]


@pytest.mark.parametrize(
    ("sample", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2;3\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        ("name;note\nAnna;hi, there\n", ";"),
        ("single\nvalue\n", ","),
    ],
)
def test_delimiter_is_sniffed_from_the_header_line(sample: str, delimiter: str) -> None:
    assert tabular.sniff_delimiter(sample) == delimiter


@pytest.mark.parametrize(
    ("raw", "decimal_comma", "value", "scaled"),
    [
        ("1.234,56", True, Decimal("1234.56"), False),
        ("1,234.56", False, Decimal("1234.56"), False),
        ("1.234,56", False, Decimal("1234.56"), False),  # both separators: the last one is decimal
        ("1.234", True, Decimal("1234"), False),
        ("1.234", False, Decimal("1.234"), False),
        ("1,234", False, Decimal("1234"), False),
        ("12,5", False, Decimal("12.5"), False),  # cannot be a thousands group
        ("0,042", False, Decimal("0.042"), False),
        ("1,2 Mio.", True, Decimal("1200000"), True),
        ("3,4 %", True, Decimal("3.4"), False),
        ("12K", False, Decimal("12000"), True),
        ("1.2M", False, Decimal("1200000"), True),
        ("€1.234.567", True, Decimal("1234567"), False),
        ("24,90 €", True, Decimal("24.90"), False),
        (1234, False, Decimal("1234"), False),
    ],
)
def test_locale_numbers(raw: object, decimal_comma: bool, value: Decimal, scaled: bool) -> None:
    assert tabular.parse_number(raw, decimal_comma=decimal_comma) == (value, scaled)


@pytest.mark.parametrize("raw", ["lots", "1.23.4", "1,2,34", "12 apples", "", "--5"])
def test_not_a_number(raw: str) -> None:
    with pytest.raises(tabular.NumberError):
        tabular.parse_number(raw, decimal_comma=False)


@pytest.mark.parametrize(
    ("cells", "hint", "decimal_comma"),
    [
        ([("12,5", False)], False, True),
        ([("12.5", False)], True, False),
        ([("1.234", True)], False, True),  # a count has no fraction: the dot groups thousands
        ([("1,234", True)], True, False),
        ([("1.234", False)], False, False),  # no evidence: the hint decides
        ([("1.234", False)], True, True),
        ([("1.234,5", False), ("2.5", False), ("0,5", False)], False, True),  # the majority wins
        ([(1234.5, False)], True, True),  # workbook numbers are no evidence
        ([], False, False),
    ],
)
def test_decimal_comma_is_decided_per_file_from_the_columns(
    cells: list[tuple[object, bool]], hint: bool, decimal_comma: bool
) -> None:
    assert tabular.decimal_comma_from(cells, hint=hint) is decimal_comma


@pytest.mark.parametrize(
    ("raw", "day_first", "moment"),
    [
        ("2026-12-31", None, _at(2026, 12, 31)),
        ("2026-12-31 18:00", None, _at(2026, 12, 31, 18)),
        ("2026/12/31", None, _at(2026, 12, 31)),
        ("31.12.2026", None, _at(2026, 12, 31)),
        ("31.12.2026 09:30", None, _at(2026, 12, 31, 9, 30)),
        ("12/31/2026", None, _at(2026, 12, 31)),
        ("03/04/2026", None, _at(2026, 3, 4)),  # "/" reads month first without evidence
        ("03/04/2026", True, _at(2026, 4, 3)),
        ("03.04.2026", False, _at(2026, 3, 4)),
        (46387, None, _at(2026, 12, 31)),  # Excel serial
        ("46387", None, _at(2026, 12, 31)),
    ],
)
def test_dates(raw: object, day_first: bool | None, moment: datetime) -> None:
    assert tabular.parse_moment(raw, day_first=day_first) == moment


@pytest.mark.parametrize("raw", ["yesterday", "31.13.2026", 1000, "2026-02-30"])
def test_not_a_date(raw: object) -> None:
    with pytest.raises(tabular.DateError):
        tabular.parse_moment(raw)


@pytest.mark.parametrize(
    ("cells", "day_first"),
    [(["01/02/2026", "13/02/2026"], True), (["01/02/2026", "02/13/2026"], False), (["01/02/2026"], None)],
)
def test_the_order_of_day_and_month_comes_from_the_file(cells: list[str], day_first: bool | None) -> None:
    assert tabular.day_first_from(cells) is day_first


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://www.tiktok.com/@alpha/video/7441234567890123456", "tiktok"),
        ("vm.tiktok.com/ZMabc/", "tiktok"),
        ("https://instagram.com/reel/DAb/", "instagram"),
        ("https://youtu.be/abc", "youtube"),
        ("https://m.youtube.com/shorts/abc", "youtube"),
        ("https://www.facebook.com/watch?v=1", "facebook"),
        ("https://www.threads.net/@brand/post/1", "threads"),
        ("https://www.threads.com/@brand", "threads"),
        ("https://nottiktok.com/@x", ""),
        ("https://example.com/tiktok.com", ""),
    ],
)
def test_links_name_their_platform(url: str, platform: str) -> None:
    assert tabular.platform_of_url(url) == platform


def test_columns_map_through_synonyms_and_the_header_row_is_found_below_a_title() -> None:
    lookup = tabular.synonym_lookup({"views": ("total views", "aufrufe"), "handle": ("user name",)})
    rows = [["Export 2026-11"], ["", ""], ["User-Name", "Total Views", "TotalViews", "Other"]]
    assert tabular.find_header(rows, lookup) == (2, 2)
    assert tabular.map_columns(rows[2], lookup) == ["handle", "views", "", ""]


def test_the_package_imports_without_django() -> None:
    code = "import sys, creatordesk.lib.tabular; sys.exit(any(m.startswith('django') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
