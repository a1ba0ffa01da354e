"""Ads Manager exports through preview, dry run and commit, in English and German."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import openpyxl
import pytest

from creatordesk.placements import importing
from creatordesk.placements.demo import demo_rows
from creatordesk.placements.models import PlacementRecord
from creatordesk.placements.tests.exports import HEADERS, write_export

START = datetime.date(2026, 9, 1)


@pytest.fixture(scope="module")
def rows():
    return demo_rows(start=START, days=14)


def _stage(workspace, path: Path) -> importing.StagedExport:
    with open(path, "rb") as handle:
        return importing.placements_import_stage(workspace=workspace, upload=handle, filename=path.name)


def _snapshot(workspace) -> list[tuple]:
    return list(
        PlacementRecord.objects.for_workspace(workspace)
        .order_by("key")
        .values_list("key", "spend", "impressions", "link_clicks", "results", "revenue", "updated_at")
    )


@pytest.mark.parametrize("language", ["en", "de"])
def test_an_export_is_previewed_dry_run_and_committed_and_a_reimport_changes_nothing(
    side_a, rows, tmp_path, language
) -> None:
    path = write_export(rows, tmp_path / f"placements_{language}.csv", language=language)
    ws = side_a.workspace
    report = importing.placements_import_check(workspace=ws, staged=_stage(ws, path))
    assert report.ok and report.currency == "EUR" and report.daily
    assert report.decimal_comma is (language == "de")
    assert report.counts == {"create": len(rows), "update": 0, "unchanged": 0, "error": 0}
    assert dict(report.placements)["threads · threads_feed"] > 0
    assert (report.first_day, report.last_day) == ("2026-09-01", "2026-09-14")
    assert not PlacementRecord.objects.exists()  # the dry run wrote nothing

    committed = importing.placements_import_commit(workspace=ws, staged=_stage(ws, path))
    assert committed.committed and committed.counts["create"] == len(rows)
    stored = PlacementRecord.objects.for_workspace(ws)
    assert stored.count() == len(rows)
    assert sum(r.spend for r in stored) == sum(r.spend for r in rows)
    before = _snapshot(ws)

    again = importing.placements_import_commit(workspace=ws, staged=_stage(ws, path))
    assert again.committed and again.counts == {"create": 0, "update": 0, "unchanged": len(rows), "error": 0}
    assert _snapshot(ws) == before


def test_the_german_export_of_the_same_days_is_the_same_rows_as_the_english_one(
    side_a, rows, tmp_path
) -> None:
    ws = side_a.workspace
    english = write_export(rows, tmp_path / "en.csv", language="en")
    german = write_export(rows, tmp_path / "de.csv", language="de")
    importing.placements_import_commit(workspace=ws, staged=_stage(ws, english))
    report = importing.placements_import_check(workspace=ws, staged=_stage(ws, german))
    assert report.counts["unchanged"] == len(rows) and report.counts["create"] == 0


def test_a_later_export_with_changed_figures_updates_its_rows(side_a, rows, tmp_path) -> None:
    ws = side_a.workspace
    importing.placements_import_commit(
        workspace=ws, staged=_stage(ws, write_export(rows, tmp_path / "a.csv"))
    )
    later = [rows[0].__class__(**{**rows[0].__dict__, "results": rows[0].results + 2}), *rows[1:]]
    report = importing.placements_import_commit(
        workspace=ws, staged=_stage(ws, write_export(later, tmp_path / "b.csv"))
    )
    assert report.counts["update"] == 1 and report.counts["unchanged"] == len(rows) - 1


def test_a_file_with_a_broken_row_imports_nothing_and_says_where(side_a, rows, tmp_path) -> None:
    path = write_export(rows[:20], tmp_path / "broken.csv", language="de")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[5].split(";")
    cells[12] = "zwölf Euro"
    lines[5] = ";".join(cells)
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    ws = side_a.workspace
    report = importing.placements_import_commit(workspace=ws, staged=_stage(ws, path))
    assert not report.committed and report.error_count == 1
    (error,) = report.error_rows
    assert error.number == 6 and error.problems == [
        ("Ausgegebener Betrag (EUR)", "“zwölf Euro” is not understood.")
    ]
    assert not PlacementRecord.objects.exists()


def test_a_file_that_is_no_export_is_refused_with_the_columns_it_lacks(side_a, tmp_path) -> None:
    path = tmp_path / "creators.csv"
    path.write_text("Day,Ad name,Impressions,Reach\n2026-09-01,Reel,12,10\n")
    ws = side_a.workspace
    report = importing.placements_import_check(workspace=ws, staged=_stage(ws, path))
    assert not report.ok and not report.token
    assert "Amount spent (EUR)" in report.file_errors[0] and "Platform" in report.file_errors[0]


def test_an_xlsx_export_imports_like_the_csv(side_a, rows, tmp_path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS["en"])
    for row in rows[:10]:
        sheet.append(
            [row.starts, row.ends, row.day, row.campaign_id, row.campaign_name, row.adset_id, row.adset_name,
             row.ad_id, row.ad_name, row.platform_label, row.placement_label, row.attribution_label,
             float(row.spend), row.reach, row.impressions, row.link_clicks, row.result_indicator,
             float(row.results), None, None]
        )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    ws = side_a.workspace
    staged = importing.placements_import_stage(workspace=ws, upload=buffer, filename="Ads.xlsx")
    report = importing.placements_import_commit(workspace=ws, staged=staged)
    assert report.committed and report.counts["create"] == 10
    facebook = PlacementRecord.objects.for_workspace(ws).filter(publisher_platform="facebook").first()
    assert facebook is not None and facebook.spend == rows[0].spend


def test_a_staged_export_of_another_workspace_cannot_be_committed(side_a, side_b, rows, tmp_path) -> None:
    staged = _stage(side_a.workspace, write_export(rows[:5], tmp_path / "a.csv"))
    with pytest.raises(importing.ImportNotFound):
        importing.placements_import_load(workspace=side_b.workspace, token=staged.token)
    assert (
        importing.placements_import_load(workspace=side_a.workspace, token=staged.token).token == staged.token
    )


def test_stored_spend_keeps_its_cents(side_a, rows, tmp_path) -> None:
    ws = side_a.workspace
    importing.placements_import_commit(
        workspace=ws, staged=_stage(ws, write_export(rows, tmp_path / "de.csv", language="de"))
    )
    first = PlacementRecord.objects.for_workspace(ws).get(
        day=rows[0].day, ad_id=rows[0].ad_id, publisher_platform=rows[0].publisher_platform,
        platform_position=rows[0].platform_position,
    )  # fmt: skip
    assert first.spend == rows[0].spend and first.spend % 1 != 0
