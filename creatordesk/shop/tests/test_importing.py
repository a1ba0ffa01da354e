"""Seller Center exports of samples and affiliate orders: detection, dry run, commit, re-import."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import timezone

from creatordesk.campaigns.models import Collaboration, Product, SampleShipment
from creatordesk.creators.models import Creator, PlatformAccount
from creatordesk.shop.importing import (
    ImportFileError,
    ImportNotFound,
    shop_import_check,
    shop_import_commit,
    shop_import_load,
    shop_import_stage,
)
from creatordesk.shop.models import AffiliateOrder, Source
from creatordesk.shop.records import SampleRecord, samples_write

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "seller_center"


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def shop(side_a):
    for shop_id, name in (("1729", "Glow Serum"), ("4711", "Feuchtigkeitscreme")):
        product = Product.objects.create(
            workspace=side_a.workspace, name=name, shop_product_id=shop_id, unit_cost_eur=Decimal("4.50")
        )
        side_a.campaign.products.add(product)
    return side_a


def stage(side: Any, name: str, data: bytes | None = None, kind: str = "auto") -> Any:
    content = data if data is not None else (FIXTURES / name).read_bytes()
    return shop_import_stage(workspace=side.workspace, upload=io.BytesIO(content), filename=name, kind=kind)


def snapshot(workspace: Any) -> dict[str, list[Any]]:
    """Every row an import may touch, as stored, with its timestamps."""
    return {
        "samples": list(SampleShipment.objects.for_workspace(workspace).order_by("pk").values()),
        "orders": list(AffiliateOrder.objects.for_workspace(workspace).order_by("pk").values()),
        "collaborations": list(Collaboration.objects.for_workspace(workspace).order_by("pk").values()),
        "creators": list(Creator.objects.for_workspace(workspace).order_by("pk").values()),
        "accounts": list(PlatformAccount.objects.for_workspace(workspace).order_by("pk").values()),
    }


EXPORTS = [
    # file, kind, a column and the field it maps to, counts of the first dry run
    ("samples_en.csv", "samples", ("Tracking number", "Tracking number"), {"create": 3, "unmatched": 1}),
    ("orders_en.csv", "orders", ("Estimated commission", "Estimated commission"), {"create": 3}),
    ("samples_de.csv", "samples", ("Sendungsnummer", "Tracking number"), {"create": 3, "unmatched": 1}),
    ("orders_de.csv", "orders", ("Geschätzte Provision", "Estimated commission"), {"create": 3}),
]


@pytest.mark.parametrize(("name", "kind", "mapped", "counts"), EXPORTS)
def test_an_export_is_previewed_checked_committed_and_a_reimport_changes_nothing(
    shop, name, kind, mapped, counts
) -> None:
    staged = stage(shop, name)
    assert staged.kind == kind
    before = snapshot(shop.workspace)

    dry = shop_import_check(workspace=shop.workspace, staged=staged)

    assert mapped in dry.mapping
    assert dry.ok
    assert dry.total == (4 if kind == "samples" else 3)
    assert {k: v for k, v in dry.counts.items() if v} == counts
    assert snapshot(shop.workspace) == before, "a dry run writes nothing"

    done = shop_import_commit(workspace=shop.workspace, staged=staged, actor=shop.manager)

    assert done.committed and {k: v for k, v in done.counts.items() if v} == counts
    written = SampleShipment if kind == "samples" else AffiliateOrder
    assert written.objects.for_workspace(shop.workspace).filter(source=Source.SELLER_CENTER).count() == 3
    with pytest.raises(ImportNotFound):
        shop_import_load(workspace=shop.workspace, token=staged.token)

    after_first = snapshot(shop.workspace)
    again = stage(shop, name)
    recheck = shop_import_check(workspace=shop.workspace, staged=again)
    unmatched = counts.get("unmatched", 0)
    assert {k: v for k, v in recheck.counts.items() if v} == {
        "unchanged": 3,
        **({"unmatched": 1} if unmatched else {}),
    }
    redone = shop_import_commit(workspace=shop.workspace, staged=again, actor=shop.manager)
    assert redone.committed and redone.counts["unchanged"] == 3
    assert snapshot(shop.workspace) == after_first


def test_the_german_sample_export_reads_statuses_dates_and_umlauts(shop) -> None:
    shop_import_commit(workspace=shop.workspace, staged=stage(shop, "samples_de.csv"), actor=shop.manager)

    shipped = SampleShipment.objects.get(external_id="MA-2001")
    assert shipped.collaboration.creator.tiktok_handle == "jürgen.köhler"
    assert (shipped.status, shipped.requested_on, shipped.shipped_on, shipped.content_due_on) == (
        "shipped",
        datetime.date(2026, 11, 1),
        datetime.date(2026, 11, 3),
        datetime.date(2026, 11, 20),
    )
    assert shipped.tracking_number == "00340434169999000001" and shipped.carrier == "DHL"
    delivered = SampleShipment.objects.get(external_id="MA-2002")
    assert (delivered.status, delivered.units, delivered.delivered_on) == (
        "delivered",
        2,
        datetime.date(2026, 11, 6),
    )
    assert delivered.collaboration.creator.tiktok_handle == "zoë.müller"
    requested = SampleShipment.objects.get(external_id="MA-2003")
    assert requested.status == "requested" and requested.collaboration.creator == shop.other_creator


def test_the_german_order_export_reads_euro_amounts_percentages_and_negative_refunds(shop) -> None:
    shop_import_commit(workspace=shop.workspace, staged=stage(shop, "samples_de.csv"), actor=shop.manager)
    shop_import_commit(workspace=shop.workspace, staged=stage(shop, "orders_de.csv"), actor=shop.manager)

    live = AffiliateOrder.objects.get(order_id="579000000000000202")
    assert (live.gmv, live.units, live.commission_estimated, live.commission_paid) == (
        Decimal("1233.80"),
        62,
        Decimal("154.23"),
        None,
    )
    assert (live.shop_ads_commission, live.status, live.content_type, live.currency) == (
        Decimal("10.00"),
        "PROCESSING",
        "LIVE",
        "EUR",
    )
    assert live.ordered_at == datetime.datetime(2026, 11, 4, 9, 0, tzinfo=timezone.get_current_timezone())
    refunded = AffiliateOrder.objects.get(order_id="579000000000000203")
    # No estimated commission in the file: GMV × the 12.5 % rate.
    assert refunded.commission_estimated == Decimal("2.49")
    assert (refunded.refund_amount, refunded.refunded_units, refunded.status) == (
        Decimal("19.90"),
        1,
        "CANCELLED",
    )
    assert refunded.content_type == "SHOWCASE" and refunded.creator_username == "unbekannt.creator"
    settled = AffiliateOrder.objects.get(order_id="579000000000000201")
    # The sample export brought the creator in; the order finds them and their collaboration.
    assert settled.creator is not None and settled.creator.tiktok_handle == "jürgen.köhler"
    assert settled.collaboration == SampleShipment.objects.get(external_id="MA-2001").collaboration
    assert refunded.creator is None


def test_the_english_order_export_below_a_title_row_keeps_thousands_and_its_creators(shop) -> None:
    staged = stage(shop, "orders_en.csv")
    shop_import_commit(workspace=shop.workspace, staged=staged, actor=shop.manager)

    assert staged.read_as().header_row == 2
    live = AffiliateOrder.objects.get(order_id="578000000000000102")
    assert (live.gmv, live.commission_estimated, live.sku_id) == (
        Decimal("1245.00"),
        Decimal("186.75"),
        "1729000000000000001",
    )
    showcase = AffiliateOrder.objects.get(order_id="578000000000000103")
    assert showcase.creator == shop.creator and showcase.collaboration == shop.collaboration


def test_a_windows_1252_copy_of_the_german_export_reads_the_same(shop) -> None:
    text = (FIXTURES / "samples_de.csv").read_bytes().decode("utf-8-sig")
    staged = stage(shop, "muster.csv", text.encode("cp1252"))

    report = shop_import_commit(workspace=shop.workspace, staged=staged, actor=shop.manager)

    assert report.committed and report.counts["create"] == 3
    assert Creator.objects.filter(workspace=shop.workspace, tiktok_handle="jürgen.köhler").exists()


def test_an_unmatched_sample_names_the_product_no_campaign_holds(shop) -> None:
    report = shop_import_check(workspace=shop.workspace, staged=stage(shop, "samples_en.csv"))

    (unmatched,) = report.unmatched_rows
    assert (unmatched.number, unmatched.key) == (5, "SR-1004")
    assert unmatched.reason == "No campaign holds the product 9999."


def _broken_orders() -> bytes:
    text = (FIXTURES / "orders_de.csv").read_bytes().decode("utf-8-sig")
    return text.replace("1.233,80 €", "12x,80 €").encode("utf-8-sig")


def test_a_bad_number_in_one_row_writes_nothing_and_names_the_row_and_column(shop) -> None:
    staged = stage(shop, "orders_de.csv", _broken_orders())
    before = snapshot(shop.workspace)

    report = shop_import_commit(workspace=shop.workspace, staged=staged, actor=shop.manager)

    assert not report.committed and report.error_count == 1
    (row,) = report.error_rows
    assert row.number == 3
    assert row.problems[0][0] == "Zahlungsbetrag" and "12x,80 €" in row.problems[0][1]
    assert snapshot(shop.workspace) == before
    assert shop_import_load(workspace=shop.workspace, token=staged.token), "kept for a commit that skips"


def test_skipping_rows_with_errors_writes_the_other_rows(shop) -> None:
    staged = stage(shop, "orders_de.csv", _broken_orders())

    report = shop_import_commit(workspace=shop.workspace, staged=staged, actor=shop.manager, skip_errors=True)

    assert report.committed and report.skipped_errors and report.counts["create"] == 2
    ids = set(AffiliateOrder.objects.for_workspace(shop.workspace).values_list("order_id", flat=True))
    assert ids == {"579000000000000201", "579000000000000203"}


def test_an_unknown_status_and_a_repeated_id_are_row_errors_in_their_columns(shop) -> None:
    text = (FIXTURES / "samples_en.csv").read_text()
    text = text.replace(",Pending,", ",Lost in space,").replace("SR-1004", "SR-1001")
    report = shop_import_check(workspace=shop.workspace, staged=stage(shop, "s.csv", text.encode()))

    problems = {row.number: row.problems for row in report.error_rows}
    assert problems == {
        4: [("Status", "Unknown status “Lost in space”.")],
        5: [("Sample request ID", "Row 2 has the same ID.")],
    }


def test_a_sample_the_sync_wrote_already_is_unchanged_when_its_export_is_imported(shop) -> None:
    synced = SampleRecord(
        external_id="SR-1003",
        status=SampleShipment.Status.REQUESTED,
        creator_username="alpha_one",
        product_id="1729",
        requested_on=datetime.date(2026, 11, 10),
    )
    samples_write(workspace=shop.workspace, records=[synced], source=Source.TIKTOK_API)

    report = shop_import_check(workspace=shop.workspace, staged=stage(shop, "samples_en.csv"))

    assert [(row.key, row.action) for row in report.rows if row.key == "SR-1003"] == [
        ("SR-1003", "unchanged")
    ]


def test_a_file_over_the_inline_row_limit_is_refused_with_the_limit_named(shop, settings) -> None:
    settings.IMPORT_INLINE_ROWS = 2
    staged = stage(shop, "orders_en.csv")

    report = shop_import_check(workspace=shop.workspace, staged=staged)

    assert report.file_errors == [
        "This file has more than 2 rows, more than one import may hold. Split it into files of up to 2 rows."
    ]
    assert AffiliateOrder.objects.count() == 0
    with pytest.raises(ImportNotFound):
        shop_import_load(workspace=shop.workspace, token=staged.token)


def test_a_file_naming_neither_kind_asks_which_it_is_and_a_chosen_kind_names_the_missing_column(shop) -> None:
    data = b"Creator username,Product ID,Status\nmia,1729,Shipped\n"
    with pytest.raises(ImportFileError, match="neither a sample request ID nor an order ID"):
        stage(shop, "x.csv", data)
    with pytest.raises(ImportFileError, match="Sample request ID"):
        stage(shop, "x.csv", data, kind="samples")


def test_another_workspaces_staged_file_is_not_found(shop, side_b) -> None:
    staged = stage(shop, "samples_en.csv")

    with pytest.raises(ImportNotFound):
        shop_import_load(workspace=side_b.workspace, token=staged.token)


def test_a_workbook_with_numeric_ids_and_date_cells_reads_like_the_csv(shop) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(
        ["Sample request ID", "Creator username", "Product ID", "Status", "Shipped time", "Quantity"]
    )
    sheet.append([730123456789, "mia.glow", 1729, "Shipped", datetime.date(2026, 11, 3), 2])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = shop_import_commit(
        workspace=shop.workspace, staged=stage(shop, "samples.xlsx", buffer.getvalue()), actor=shop.manager
    )

    assert report.committed and report.counts["create"] == 1
    shipment = SampleShipment.objects.get(external_id="730123456789")
    assert (shipment.shipped_on, shipment.units) == (datetime.date(2026, 11, 3), 2)


def test_an_id_longer_than_the_field_holds_is_a_row_error_not_a_database_failure(shop) -> None:
    text = (FIXTURES / "samples_en.csv").read_text().replace("SR-1001", "SR-" + "9" * 70)

    report = shop_import_commit(
        workspace=shop.workspace, staged=stage(shop, "s.csv", text.encode()), actor=shop.manager
    )

    assert not report.committed and SampleShipment.objects.count() == 0
    assert report.error_rows[0].problems == [
        ("Sample request ID", "“SR-99999999999999999…” is longer than 64 characters.")
    ]
