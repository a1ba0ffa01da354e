"""Metric imports from real export files: check, dry run, commit, all-or-nothing."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from openpyxl import Workbook

from creatordesk.performance.importing import metrics_import
from creatordesk.performance.models import MetricSnapshot, Post
from creatordesk.performance.services import post_create

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.get_current_timezone())


def _run(side, name: str, *, commit: bool, collaboration=True, **kwargs):
    with (FIXTURES / name).open("rb") as upload:
        return metrics_import(
            workspace=side.workspace,
            upload=upload,
            filename=name,
            collaboration=side.collaboration if collaboration else None,
            taken_at=AS_OF,
            commit=commit,
            **kwargs,
        )


def test_dry_run_of_a_tiktok_studio_export_maps_columns_and_writes_nothing(side_a) -> None:
    report = _run(side_a, "tiktok_studio.csv", commit=False)
    assert report.ok and not report.committed
    assert report.mapping["Total views"] == "views" and report.mapping["Add to Favorites"] == "saves"
    assert report.total == 2 and report.posts_created == 2 and report.snapshots == 2
    assert report.preview[0].values["views"] == 12500
    assert report.preview[0].values["external_id"] == "7441234567890123456"  # read off the link
    assert not Post.objects.exists() and not MetricSnapshot.objects.exists()


def test_commit_creates_unknown_posts_for_the_chosen_collaboration_and_stores_snapshots(side_a) -> None:
    report = _run(side_a, "tiktok_studio.csv", commit=True)
    assert report.committed
    post = Post.objects.get(external_id="7441234567890123456")
    assert post.collaboration == side_a.collaboration and post.platform == "tiktok"
    snap = post.snapshots.get()
    assert (snap.views, snap.likes, snap.saves, snap.taken_at) == (12500, 980, 55, AS_OF)


def test_unknown_posts_without_a_collaboration_are_row_errors_and_nothing_is_stored(side_a) -> None:
    post_create(
        collaboration=side_a.collaboration,
        platform="tiktok",
        external_id="7441234567890123456",
    )
    report = _run(side_a, "tiktok_studio.csv", commit=True, collaboration=False)
    assert not report.committed and report.error_count == 1
    assert report.error_rows[0].number == 3
    assert "choose a collaboration" in report.error_rows[0].errors[0]
    assert not MetricSnapshot.objects.exists()  # the valid first row was not stored either


def test_one_bad_number_rejects_the_whole_file(side_a, tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Video ID,Views,Likes\n7441234567890123456,100,5\n7441234567890999999,lots,7\n", encoding="utf-8"
    )
    with bad.open("rb") as upload:
        report = metrics_import(
            workspace=side_a.workspace,
            upload=upload,
            filename="bad.csv",
            collaboration=side_a.collaboration,
            commit=True,
        )
    assert not report.committed and report.error_count == 1
    assert "“lots” is not understood" in report.error_rows[0].errors[0]
    assert not Post.objects.exists() and not MetricSnapshot.objects.exists()


def test_affiliate_order_export_sums_orders_and_gmv_per_video_and_keeps_views(side_a) -> None:
    _run(side_a, "tiktok_studio.csv", commit=True)
    with (FIXTURES / "tiktok_shop_orders.csv").open("rb") as upload:
        report = metrics_import(
            workspace=side_a.workspace,
            upload=upload,
            filename="tiktok_shop_orders.csv",
            taken_at=AS_OF.replace(hour=12),
            commit=True,
        )
    assert report.committed, report.error_rows
    latest = Post.objects.get(external_id="7441234567890123456").snapshots.order_by("taken_at").last()
    assert latest is not None
    assert (latest.orders, latest.gmv_eur) == (2, Decimal("74.70"))
    assert latest.views == 12500  # carried forward: the order export has no views


def test_instagram_export_matches_posts_by_permalink_and_reads_the_format(side_a) -> None:
    post_create(
        collaboration=side_a.collaboration,
        platform="instagram",
        url="https://www.instagram.com/p/DXyZ987/",
    )
    report = _run(side_a, "instagram.csv", commit=True)
    assert report.committed and report.posts_created == 1
    carousel = Post.objects.get(url="https://www.instagram.com/p/DXyZ987/")
    assert carousel.snapshots.get().views == 15200
    assert Post.objects.get(external_id="17912345678901234").format == "reel"


def test_xlsx_export_with_a_title_row_above_the_header_is_read(side_a) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Video performance 01.11.2026 – 24.11.2026"])
    sheet.append(["Video ID", "Video views", "GMV", "Orders", "Date"])
    sheet.append(["7441234567890123456", 5000, 99.5, 4, datetime(2026, 11, 22)])  # noqa: DTZ001 - Excel cells have no zone
    sheet.append(["7441234567890123456", 9000, 149.25, 6, datetime(2026, 11, 23)])  # noqa: DTZ001 - Excel cells have no zone
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    report = metrics_import(
        workspace=side_a.workspace,
        upload=data,
        filename="shop.xlsx",
        collaboration=side_a.collaboration,
        commit=True,
    )
    assert report.committed and report.snapshots == 2
    snaps = list(Post.objects.get().snapshots.values_list("views", "orders", "gmv_eur"))
    assert snaps == [(5000, 4, Decimal("99.50")), (9000, 6, Decimal("149.25"))]


def test_file_without_recognised_columns_is_refused_as_a_whole(side_a, tmp_path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with odd.open("rb") as upload:
        report = metrics_import(workspace=side_a.workspace, upload=upload, filename="odd.csv", commit=True)
    assert report.file_errors and not report.committed


def test_extra_column_names_map_a_german_export(side_a, tmp_path) -> None:
    german = tmp_path / "de.csv"
    german.write_text("Video-ID;Aufrufe\n7441234567890123456;1.234\n", encoding="utf-8")
    with german.open("rb") as upload:
        report = metrics_import(
            workspace=side_a.workspace,
            upload=upload,
            filename="de.csv",
            collaboration=side_a.collaboration,
            extra_columns={"Aufrufe": "views", "Video-ID": "external_id"},
            commit=True,
        )
    assert report.committed
    assert Post.objects.get().snapshots.get().views == 1234


def test_import_page_shows_row_errors_on_dry_run_and_stores_on_import(side_a, login_as) -> None:
    client = login_as(side_a.manager)
    with (FIXTURES / "tiktok_studio.csv").open("rb") as upload:
        response = client.post(
            "/performance/import/", {"file": upload, "platform": "tiktok", "action": "check"}
        )
    assert response.status_code == 400
    assert b"choose a collaboration to create it" in response.content
    with (FIXTURES / "tiktok_studio.csv").open("rb") as upload:
        response = client.post(
            "/performance/import/",
            {
                "file": upload,
                "platform": "tiktok",
                "collaboration": side_a.collaboration.pk,
                "action": "commit",
            },
        )
    assert response.status_code == 302
    assert MetricSnapshot.objects.filter(workspace=side_a.workspace).count() == 2


def test_viewer_may_not_import(side_a, login_as) -> None:
    assert login_as(side_a.viewer).get("/performance/import/").status_code == 403


def test_import_form_refuses_a_collaboration_of_another_workspace(side_a, side_b, login_as) -> None:
    client = login_as(side_a.manager)
    with (FIXTURES / "tiktok_studio.csv").open("rb") as upload:
        response = client.post(
            "/performance/import/",
            {
                "file": upload,
                "platform": "tiktok",
                "collaboration": side_b.collaboration.pk,
                "action": "commit",
            },
        )
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_a_link_that_is_not_http_is_a_row_error(side_a, tmp_path) -> None:
    evil = tmp_path / "evil.csv"
    evil.write_text("Video ID,Video link,Views\n1,javascript:alert(1),5\n", encoding="utf-8")
    with evil.open("rb") as upload:
        report = metrics_import(
            workspace=side_a.workspace,
            upload=upload,
            filename="evil.csv",
            collaboration=side_a.collaboration,
            commit=True,
        )
    assert not report.committed and "is not a link to a post" in report.error_rows[0].errors[0]
    assert not Post.objects.exists()


def test_import_page_offers_only_own_collaborations(side_a, side_b, login_as) -> None:
    response = login_as(side_a.manager).get("/performance/import/")
    assert response.status_code == 200
    assert side_a.creator.display_name.encode() in response.content
    assert side_b.creator.display_name.encode() not in response.content


def test_the_checked_file_is_imported_from_its_staged_copy_without_a_second_upload(
    side_a, side_b, login_as, settings, tmp_path
) -> None:
    settings.VAR_DIR = tmp_path / "var"
    client = login_as(side_a.manager)
    with (FIXTURES / "tiktok_studio.csv").open("rb") as upload:
        checked = client.post(
            "/performance/import/",
            {
                "file": upload,
                "platform": "tiktok",
                "collaboration": side_a.collaboration.pk,
                "action": "check",
            },
        )
    assert checked.status_code == 200 and not MetricSnapshot.objects.exists()
    token = checked.context["report"].token
    assert f'name="token" value="{token}"' in checked.content.decode()
    # Another workspace cannot commit it.
    other = login_as(side_b.manager).post("/performance/import/", {"token": token, "action": "commit"})
    assert other.status_code == 404 and not MetricSnapshot.objects.exists()
    done = client.post("/performance/import/", {"token": token, "action": "commit"})
    assert done.status_code == 302
    assert MetricSnapshot.objects.filter(workspace=side_a.workspace).count() == 2
    again = client.post("/performance/import/", {"token": token, "action": "commit"})
    assert again.status_code == 404  # the staged copy is gone once imported


def test_row_errors_name_their_row_and_column(side_a, tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Video ID;Views\n7441;12\n7442;viele\n", encoding="cp1252")
    with path.open("rb") as upload:
        report = metrics_import(
            workspace=side_a.workspace, upload=upload, filename="bad.csv", collaboration=side_a.collaboration
        )
    assert [(row.number, row.problems) for row in report.error_rows] == [
        (3, [("Views", "Views: “viele” is not understood.")])
    ]
