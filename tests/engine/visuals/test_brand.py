"""Brand fit: palette against the brand colours, near-copies of rejected, competitor and stock images, and
the packshot found where it was pasted."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatordesk.engine.visuals.brand import BRAND_STEPS
from creatordesk.engine.visuals.brief import BrandColour, VisualBrief
from creatordesk.engine.visuals.check import VisualReport, check_image
from tests.engine.visuals.brand_images import (
    BRAND_RED,
    INK,
    WHITE,
    edited_copy,
    off_palette_image,
    on_brand_image,
    paste_product,
    product_patch,
    scene,
)

PALETTE = (BrandColour("Rot", BRAND_RED), BrandColour("Weiß", WHITE), BrandColour("Tinte", INK))


def brand_rules(report: VisualReport) -> dict[str, str]:
    return {f.rule: f.severity for f in report.state.findings if f.category == "brand"}


def check(path: Path, brief: VisualBrief) -> VisualReport:
    report = check_image(path, brief=brief, steps=BRAND_STEPS)
    assert [s.error for s in report.steps if s.status == "failed"] == []
    return report


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("brand")
    scene(1).save(folder / "rejected.png")
    scene(2).save(folder / "competitor.png")
    scene(3).save(folder / "unrelated.png")
    product_patch().save(folder / "packshot.png")
    return folder


def test_an_on_brand_ad_passes_with_most_of_it_in_brand_colours(tmp_path: Path) -> None:
    report = check(on_brand_image(tmp_path / "ad.png"), VisualBrief(brand_colours=PALETTE))
    brand = report.state.brand
    assert brand_rules(report) == {}
    assert brand["brand_share"] > 0.9 > VisualBrief().min_brand_share
    white = brand["palette"][0]
    assert white["brand_colour"] == "Weiß" and white["delta_e"] < 1 and white["share"] > 0.4
    red = next(p for p in brand["palette"] if p["brand_colour"] == "Rot" and p["share"] > 0.2)
    assert red["delta_e"] < 2
    assert sum(p["share"] for p in brand["palette"]) == pytest.approx(1, abs=0.001)


def test_a_green_and_brown_picture_is_off_palette_naming_its_colours(tmp_path: Path) -> None:
    report = check(off_palette_image(tmp_path / "forest.png"), VisualBrief(brand_colours=PALETTE))
    assert brand_rules(report) == {"brand.off_palette": "warn"}
    finding = report.state.findings[0]
    assert report.state.brand["brand_share"] < 0.15
    assert "brand colours cover 0% of the image" in finding.evidence
    top = report.state.brand["palette"][0]
    assert f"{top['hex']} covers" in finding.evidence and top["delta_e"] > 24


def test_one_far_dominant_colour_is_off_palette_even_when_the_share_is_met(tmp_path: Path) -> None:
    # The brand palette is red alone: the ad's white ground covers most of it, far from red.
    brief = VisualBrief(brand_colours=(BrandColour("Rot", BRAND_RED),), min_brand_share=0.2)
    report = check(on_brand_image(tmp_path / "ad.png"), brief)
    assert brand_rules(report) == {"brand.off_palette": "warn"}
    assert report.state.brand["brand_share"] > 0.2
    white = report.state.brand["palette"][0]
    assert white["delta_e"] > 24
    assert f"{white['hex']} covers {white['share']:.0%}" in report.state.findings[0].evidence


def test_without_brand_colours_only_the_palette_is_reported(tmp_path: Path) -> None:
    report = check(off_palette_image(tmp_path / "forest.png"), VisualBrief())
    assert brand_rules(report) == {}
    assert "brand_share" not in report.state.brand and len(report.state.brand["palette"]) == 5
    assert [s.status for s in report.steps] == ["ok", "skipped", "skipped"]


def test_an_edited_copy_of_a_rejected_image_is_blocked(images: Path, tmp_path: Path) -> None:
    copy = edited_copy(images / "rejected.png", tmp_path / "resubmitted.jpg")
    report = check(copy, VisualBrief(rejected_images=(images / "rejected.png",)))
    assert brand_rules(report) == {"brand.near_duplicate_rejected": "block"}
    assert "rejected.png" in report.state.findings[0].evidence
    [row] = report.state.brand["duplicates"]
    assert row["near_duplicate"] and row["phash_distance"] + row["dhash_distance"] <= 20


def test_an_unrelated_image_is_no_duplicate(images: Path) -> None:
    brief = VisualBrief(rejected_images=(images / "rejected.png",), stock_images=(images / "competitor.png",))
    report = check(images / "unrelated.png", brief)
    assert brand_rules(report) == {}
    assert [r["near_duplicate"] for r in report.state.brand["duplicates"]] == [False, False]
    assert min(r["phash_distance"] + r["dhash_distance"] for r in report.state.brand["duplicates"]) > 30


def test_copies_of_competitor_and_stock_images_have_their_own_rules(images: Path, tmp_path: Path) -> None:
    copy = edited_copy(images / "competitor.png", tmp_path / "ours.jpg")
    report = check(copy, VisualBrief(competitor_images=(images / "competitor.png",)))
    assert brand_rules(report) == {"brand.near_duplicate_competitor": "block"}
    report = check(copy, VisualBrief(stock_images=(images / "competitor.png",)))
    assert brand_rules(report) == {"brand.near_duplicate_stock": "warn"}


def test_a_reference_that_is_not_an_image_is_refused_and_the_others_still_compared(
    images: Path, tmp_path: Path
) -> None:
    fake = tmp_path / "stock.jpg"
    fake.write_bytes(b"<html>not an image</html>")
    brief = VisualBrief(rejected_images=(images / "rejected.png",), stock_images=(fake,))
    report = check(images / "rejected.png", brief)
    assert brand_rules(report) == {"brand.near_duplicate_rejected": "block"}
    refused = report.state.brand["duplicates"][1]
    assert refused["file"] == "stock.jpg" and "not an image" in refused["error"]


def test_the_packshot_is_found_where_it_was_pasted(images: Path, tmp_path: Path) -> None:
    pasted = paste_product(tmp_path / "scene.png", product_patch())
    report = check(pasted.path, VisualBrief(packshot=images / "packshot.png", packshot_required=True))
    assert brand_rules(report) == {}
    packshot = report.state.brand["packshot"]
    assert packshot["found"] and packshot["inliers"] >= 15
    region = packshot["region"]
    x, y, w, h = pasted.box
    # The box of the turned patch includes transparent corners; the found box lies within a few pixels of it.
    assert region["x"] == pytest.approx(x, abs=0.03) and region["y"] == pytest.approx(y, abs=0.03)
    assert region["w"] == pytest.approx(w, abs=0.04) and region["h"] == pytest.approx(h, abs=0.04)


@pytest.mark.parametrize(("required", "severity"), [(False, "warn"), (True, "block")])
def test_a_scene_without_the_packshot_misses_it(images: Path, required: bool, severity: str) -> None:
    report = check(
        images / "unrelated.png", VisualBrief(packshot=images / "packshot.png", packshot_required=required)
    )
    assert brand_rules(report) == {"brand.packshot_missing": severity}
    assert report.state.brand["packshot"]["found"] is False
    assert report.state.brand["packshot"]["region"] is None
    assert "packshot.png not found" in report.state.findings[0].evidence
