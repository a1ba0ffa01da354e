"""The creator import and the metrics import read the same file the same way.

Each file is written here in one of the encodings and delimiters exports come in, with German or English
numbers, and goes through both importers' dry runs: the followers the creator import plans, the views
the metrics import plans and the GMV of both must be the numbers the file means, and "Müller" must
arrive as "Müller".
"""

from __future__ import annotations

import codecs
import csv
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from creatordesk.creators import imports
from creatordesk.performance import import_staging

HEADER = ["Name", "Handle", "Video ID", "Caption", "Followers", "Views", "GMV"]
NUMBERS = {
    # style: (followers and views as written, GMV as written, what they mean)
    "german": (["1.234", "12.345.678", "987"], ["1.234,56", "0,5", "12"]),
    "english": (["1,234", "12,345,678", "987"], ["1,234.56", "0.5", "12"]),
}
COUNTS = [1234, 12_345_678, 987]
AMOUNTS = [Decimal("1234.56"), Decimal("0.50"), Decimal("12.00")]
NAMES = ["Müller", "Jürgen Größe", "Zoë Ärger"]
ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16": lambda text: text.encode("utf-16"),  # with its byte order mark, as Excel writes it
    "cp1252": lambda text: text.encode("cp1252"),
}


def _file(encoding: str, delimiter: str, style: str) -> bytes:
    counts, amounts = NUMBERS[style]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    for index, name in enumerate(NAMES):
        video_id = f"74412345678901234{index}"
        writer.writerow(
            [
                name,
                f"@creator{index}",
                video_id,
                f"{name} Serum",
                counts[index],
                counts[index],
                amounts[index],
            ]
        )
    return ENCODINGS[encoding](out.getvalue())


@pytest.fixture(autouse=True)
def _staging(settings, tmp_path) -> None:
    settings.VAR_DIR = tmp_path / "var"


@pytest.mark.parametrize("style", sorted(NUMBERS))
@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_both_importers_read_the_same_numbers_and_keep_umlauts(side_a, encoding, delimiter, style) -> None:
    data = _file(encoding, delimiter, style)

    stored = imports.import_upload(workspace=side_a.workspace, upload=ContentFile(data, name="creators.csv"))
    plan = imports.import_dry_run(workspace=side_a.workspace, stored=stored)
    entries = sorted(plan.entries.values(), key=lambda entry: entry.row)
    assert not plan.errors
    assert [entry.creator_fields["display_name"] for entry in entries] == NAMES
    assert [entry.account_fields["followers"] for entry in entries] == COUNTS
    assert [entry.account_fields["gmv_eur"] for entry in entries] == AMOUNTS

    staged = import_staging.metrics_stage(
        workspace=side_a.workspace,
        upload=io.BytesIO(data),
        filename="metrics.csv",
        collaboration=side_a.collaboration,
    )
    report = import_staging.metrics_plan(workspace=side_a.workspace, staged=staged, commit=False)
    assert report.ok, report.error_rows
    assert [row.values["caption"] for row in report.preview] == [f"{name} Serum" for name in NAMES]
    assert [row.values["views"] for row in report.preview] == COUNTS
    assert [row.values["gmv_eur"] for row in report.preview] == AMOUNTS
    assert report.snapshots == 3 and report.posts_created == 3


@pytest.mark.parametrize("style", sorted(NUMBERS))
def test_both_importers_read_a_workbook_alike(side_a, style) -> None:
    counts, amounts = NUMBERS[style]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    for index, name in enumerate(NAMES):
        # Text cells as a German or English export writes them, and one true number per row.
        row = [
            name,
            f"@creator{index}",
            f"74412345678901234{index}",
            f"{name} Serum",
            counts[index],
            COUNTS[index],
            amounts[index],
        ]
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()

    stored = imports.import_upload(workspace=side_a.workspace, upload=ContentFile(data, name="creators.xlsx"))
    entries = sorted(
        imports.import_dry_run(workspace=side_a.workspace, stored=stored).entries.values(),
        key=lambda e: e.row,
    )
    assert [
        (e.creator_fields["display_name"], e.account_fields["followers"], e.account_fields["gmv_eur"])
        for e in entries
    ] == list(zip(NAMES, COUNTS, AMOUNTS, strict=True))

    staged = import_staging.metrics_stage(
        workspace=side_a.workspace,
        upload=io.BytesIO(data),
        filename="metrics.xlsx",
        collaboration=side_a.collaboration,
    )
    report = import_staging.metrics_plan(workspace=side_a.workspace, staged=staged, commit=False)
    assert [(row.values["views"], row.values["gmv_eur"]) for row in report.preview] == list(
        zip(COUNTS, AMOUNTS, strict=True)
    )
