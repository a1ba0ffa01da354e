"""Reading Ads Manager placement exports: English and German, CSV and XLSX, row and file errors."""

from __future__ import annotations

import csv
import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from creatordesk.placements.exports import PlacementRow, attribution_of, placement_of, read_export

FIXTURES = Path(__file__).parent / "fixtures"
ENGLISH = FIXTURES / "ads_manager_placements_en.csv"
GERMAN = FIXTURES / "ads_manager_placements_de.csv"


def _without_labels(row: PlacementRow) -> PlacementRow:
    """The row without the file's own words, which differ by language."""
    return dataclasses.replace(row, platform_label="", placement_label="", attribution_label="")


def test_english_and_german_exports_read_to_the_same_rows() -> None:
    english, german = read_export(ENGLISH), read_export(GERMAN)
    assert english.ok and german.ok
    assert len(english.rows) == 38
    assert [_without_labels(r) for r in english.rows] == [_without_labels(r) for r in german.rows]
    assert german.decimal_comma and not english.decimal_comma
    assert english.currency == german.currency == "EUR"
    assert english.daily and german.daily


def test_the_german_export_with_bom_semicolons_and_thousands_is_read_as_written() -> None:
    assert GERMAN.read_bytes().startswith(b"\xef\xbb\xbf")
    reading = read_export(GERMAN)
    assert reading.columns[0] == "Berichtsbeginn"
    big = next(r for r in reading.rows if r.spend == Decimal("1234.56"))
    assert (big.day, big.publisher_platform, big.platform_position) == (
        date(2026, 9, 2),
        "instagram",
        "instagram_reels",
    )
    assert big.impressions == 124_690  # written “124.690”
    assert big.attribution_setting == "7d_click,1d_view"
    assert big.attribution_label == "7 Tage nach Klick oder 1 Tag nach Ansehen"


def test_threads_rows_carry_the_api_values_and_keep_the_export_labels() -> None:
    threads = [r for r in read_export(GERMAN).rows if r.is_threads]
    assert len(threads) == 10
    assert {(r.publisher_platform, r.platform_position) for r in threads} == {("threads", "threads_feed")}
    assert {(r.platform_label, r.placement_label) for r in threads} == {("Threads", "Threads-Feed")}


@pytest.mark.parametrize(
    ("platform", "placement", "expected"),
    [
        ("Threads", "Threads feed", ("threads", "threads_feed")),
        ("", "Threads", ("threads", "threads_feed")),
        ("", "Threads-Feed", ("threads", "threads_feed")),
        ("threads", "threads_feed", ("threads", "threads_feed")),
        ("Instagram", "Instagram Reels", ("instagram", "instagram_reels")),
        ("Instagram", "Feed", ("instagram", "feed")),
        ("", "Instagram-Feed", ("instagram", "feed")),
        ("", "Facebook Feed", ("facebook", "feed")),
        ("Facebook", "Facebook Reels", ("facebook", "facebook_reels")),
        ("Facebook", "Rechte Spalte", ("facebook", "right_hand_column")),
        ("Instagram", "Instagram Explore", ("instagram", "instagram_explore")),
        ("Audience Network", "", ("audience_network", "")),
        ("Facebook", "Instagram Reels", ("facebook", "instagram_reels")),
        ("Facebook", "Somewhere New", ("facebook", "somewhere_new")),
    ],
)
def test_platform_and_placement_labels_become_the_insights_api_values(
    platform: str, placement: str, expected: tuple[str, str]
) -> None:
    assert placement_of(platform, placement) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("7-day click or 1-day view", "7d_click,1d_view"),
        ("7 Tage nach Klick oder 1 Tag nach Ansehen", "7d_click,1d_view"),
        ("1-day click", "1d_click"),
        ("1-day engaged view", "1d_ev"),
        ("Standard", "Standard"),
    ],
)
def test_attribution_labels_in_both_languages_become_the_same_windows(label: str, expected: str) -> None:
    assert attribution_of(label) == expected


def test_an_xlsx_export_reads_to_the_same_rows_as_the_csv(tmp_path: Path) -> None:
    with ENGLISH.open(encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Ads Manager export"])  # a title row above the header, as some exports have
    sheet.append(table[0])
    for line in table[1:]:
        typed: list[object] = [date.fromisoformat(c) for c in line[:3]]
        typed += line[3:12]
        typed += [float(c) if c else None for c in line[12:16]]
        typed += [line[16]] + [float(c) if c else None for c in line[17:]]
        sheet.append(typed)
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    reading = read_export(path)
    assert reading.ok, (reading.file_errors, reading.errors[:3])
    assert [dataclasses.replace(_without_labels(r), row=0) for r in reading.rows] == [
        dataclasses.replace(_without_labels(r), row=0) for r in read_export(ENGLISH).rows
    ]


def test_a_broken_row_is_an_error_with_its_row_and_column(tmp_path: Path) -> None:
    lines = GERMAN.read_bytes().decode("utf-8-sig").split("\r\n")
    cells = lines[4].split(";")
    cells[12] = "12,3x"
    lines[4] = ";".join(cells)
    path = tmp_path / "kaputt.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode())
    reading = read_export(path)
    assert not reading.ok
    assert [(e.row, e.column) for e in reading.errors] == [(5, "Ausgegebener Betrag (EUR)")]
    assert "12,3x" in reading.errors[0].message
    assert len(reading.rows) == 37


def test_a_row_without_a_placement_is_an_error_in_the_platform_column(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Day,Platform,Placement,Amount spent (EUR),Impressions\n"
        "2026-09-01,Threads,Threads feed,1.50,100\n"
        "2026-09-01,,,2.50,200\n",
        encoding="utf-8",
    )
    reading = read_export(path)
    assert [(e.row, e.column) for e in reading.errors] == [(3, "Platform")]


def test_a_file_without_a_spend_column_names_an_english_and_a_german_example(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Day,Platform,Placement,Impressions\n2026-09-01,Threads,Threads feed,100\n")
    reading = read_export(path)
    assert reading.rows == []
    assert len(reading.file_errors) == 1
    assert "Amount spent (EUR)" in reading.file_errors[0]
    assert "Ausgegebener Betrag (EUR)" in reading.file_errors[0]


def test_the_currency_comes_from_the_spend_header_and_cost_columns_are_not_spend(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Reporting starts,Reporting ends,Platform,Placement,CPC (all) (USD),Cost per results,"
        "Amount Spent (USD),Impressions,Results,Result indicator\n"
        "2026-09-01,2026-09-30,Instagram,Instagram Stories,0.40,12.00,240.00,30000,20,actions:lead\n"
        "2026-09-01,2026-09-30,Threads,Threads feed,0.90,,9.00,1200,,\n",
        encoding="utf-8",
    )
    reading = read_export(path)
    assert reading.ok and reading.currency == "USD" and not reading.daily
    stories, threads = reading.rows
    assert (stories.spend, stories.cost_per_result, stories.currency) == (
        Decimal("240.00"),
        Decimal("12.00"),
        "USD",
    )
    assert (stories.day, stories.starts, stories.ends) == (None, date(2026, 9, 1), date(2026, 9, 30))
    # A blank result indicator is a period with no results, not an unreadable row.
    assert (threads.results, threads.result_indicator, threads.cost_per_result) == (Decimal(0), "", None)


def test_reach_stays_on_each_row() -> None:
    rows = read_export(ENGLISH).rows
    with ENGLISH.open(encoding="utf-8") as handle:
        reaches = [int(line["Reach"]) for line in csv.DictReader(handle)]
    assert [r.reach for r in rows] == reaches
