"""Quality of an image: pixels for where it runs, sharpness, exposure, BRISQUE, rendered text against the
brief's copy, and the faces a reviewer has to clear."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from skimage import data

from creatordesk.engine.visuals.brief import VisualBrief
from creatordesk.engine.visuals.check import VisualState, VisualStep, check_image
from creatordesk.engine.visuals.quality import (
    QUALITY_STEPS,
    BlurStep,
    ExposureStep,
    FaceStep,
    IqaStep,
    ResolutionStep,
    TextStep,
    brisque_score,
)
from tests.engine.visuals.quality_images import (
    blurred,
    brightened,
    noisy,
    packaging,
    packshot_on_white,
    save,
    scene,
)

TECHNICAL: list[VisualStep] = [ResolutionStep(), BlurStep(), ExposureStep()]


def run(
    tmp_path: Path,
    rgb: np.ndarray,
    steps: list[VisualStep],
    *,
    brief: VisualBrief | None = None,
    channels: tuple[str, ...] = ("tiktok",),
) -> VisualState:
    path = save(rgb, tmp_path / f"image-{len(list(tmp_path.iterdir()))}.png")
    report = check_image(path, brief=brief, channels=channels, steps=steps)
    assert [s.error for s in report.steps if s.status == "failed"] == []
    return report.state


def rules(state: VisualState) -> dict[str, str]:
    return {f.rule: f.severity for f in state.findings if f.category == "quality"}


def test_sharp_well_exposed_portrait_image_fits_tiktok_without_a_quality_finding(tmp_path: Path) -> None:
    state = run(tmp_path, scene(1080, 1920), TECHNICAL)
    assert rules(state) == {}
    [use] = state.quality["resolution"]["uses"]
    assert (use["use"], use["factor_needed"], use["aspect_diff"]) == ("tiktok", 1.0, 0.0)
    assert state.quality["sharpness"]["sharpest_tile"] > 10 * state.quality["sharpness"]["threshold"]
    assert 100 < state.quality["exposure"]["mean"] < 160


def test_half_size_image_must_be_upscaled_twice_in_the_generator(tmp_path: Path) -> None:
    state = run(tmp_path, scene(540, 960), [ResolutionStep()])
    [finding] = state.findings
    assert (finding.rule, finding.severity, finding.score) == ("quality.low_resolution", "warn", 2.0)
    assert "540 x 960 px; tiktok needs 1080 x 1920 px: 2.00x too small" in finding.evidence
    assert "Upscale it 2x in the generator" in finding.explanation
    assert "never stretch it in the layout tool" in finding.explanation
    assert state.quality["resolution"]["uses"][0]["factor_needed"] == 2.0


def test_each_channel_checks_its_default_use_and_a_portrait_image_gets_the_banner_crop(
    tmp_path: Path,
) -> None:
    state = run(
        tmp_path, np.full((1920, 1080, 3), 128, np.uint8), [ResolutionStep()], channels=("meta", "web")
    )
    uses = {u["use"]: u for u in state.quality["resolution"]["uses"]}
    assert list(uses) == ["instagram_feed", "web_banner"]
    # A 16:9 crop of a 1080 px wide image is 1080 x 608 px: 1.78x short of 1920 x 1080.
    assert uses["web_banner"]["factor_needed"] == 1.78
    mismatches = {
        f.evidence.split(";")[1].split(" is ")[0].strip(): f
        for f in state.findings
        if f.rule == "quality.aspect_mismatch"
    }
    assert set(mismatches) == {"instagram_feed", "web_banner"}
    banner = mismatches["web_banner"]
    assert banner.severity == "info" and "1080 x 608 px fits" in banner.evidence
    assert banner.region is not None
    assert banner.region.as_dict() == {"x": 0.0, "y": 0.3418, "w": 1.0, "h": 0.3164}


def test_named_use_replaces_the_channel_default(tmp_path: Path) -> None:
    state = run(tmp_path, scene(540, 960), [ResolutionStep()], brief=VisualBrief(uses=("print_a4",)))
    assert [u["use"] for u in state.quality["resolution"]["uses"]] == ["print_a4"]
    assert rules(state) == {"quality.low_resolution": "warn", "quality.aspect_mismatch": "info"}


def test_blurred_image_is_reported_as_blurry(tmp_path: Path) -> None:
    state = run(tmp_path, blurred(scene(1080, 1920), 3), TECHNICAL)
    assert rules(state) == {"quality.blurry": "warn"}


@pytest.mark.parametrize(("offset", "rule"), [(110, "quality.overexposed"), (-110, "quality.underexposed")])
def test_clipped_image_is_reported_as_over_or_underexposed(tmp_path: Path, offset: int, rule: str) -> None:
    state = run(tmp_path, brightened(scene(1080, 1920), offset), [ExposureStep()])
    assert rules(state) == {rule: "warn"}


def test_white_studio_backdrop_of_a_packshot_is_not_overexposure(tmp_path: Path) -> None:
    state = run(tmp_path, packshot_on_white(1080, 1350), [ExposureStep()])
    assert rules(state) == {}
    assert state.quality["exposure"]["backdrop_share"] > 0.7


def test_brisque_scores_noise_and_blur_worse_than_the_clean_photo(tmp_path: Path) -> None:
    clean = scene(1024, 1024)
    state = run(tmp_path, clean, [IqaStep()])
    assert rules(state) == {}
    score = state.quality["brisque"]
    assert 0 < score < 50
    assert brisque_score(noisy(clean, 25)) > score + 20
    soft = run(tmp_path, blurred(clean, 1.5), [IqaStep()])
    assert soft.quality["brisque"] > score + 20
    assert rules(soft) == {"quality.low_iqa": "info"}


def test_clean_packaging_passes_every_quality_step_with_plain_json_figures(tmp_path: Path) -> None:
    brief = VisualBrief(expected_text=("Vitamin C Serum", "Glow Mask 50 ml"))
    state = run(
        tmp_path, packaging("Vitamin C Serum", lines=("Glow Mask 50 ml",)), QUALITY_STEPS, brief=brief
    )
    # A flat layout scores badly on BRISQUE's photo statistics; the score is kept, the finding is not.
    assert state.quality["brisque"] > 70 and state.quality["flat_share"] > 0.5
    assert rules(state) == {}
    assert [e["status"] for e in state.quality["ocr"]["expected"]] == ["found", "found"]
    assert state.quality["ocr"]["text"].splitlines() == ["Vitamin C Serum", "Glow Mask 50 ml"]
    assert state.faces == [] and state.review_items == []
    json.dumps(state.quality)


def test_misspelt_product_name_blocks_and_marks_where_it_is(tmp_path: Path) -> None:
    brief = VisualBrief(expected_text=("Vitamin C Serum", "Glow Mask 50 ml"))
    state = run(tmp_path, packaging("Vitamim C Serun", lines=("Glow Mask 50 ml",)), [TextStep()], brief=brief)
    [finding] = state.findings
    assert (finding.rule, finding.severity) == ("quality.text_misspelt", "block")
    assert "expected 'Vitamin C Serum', the image reads 'Vitamim C Serun'" in finding.evidence
    # The headline is drawn at x 130, y 620 of the 1080 x 1920 label, 72 px high.
    assert finding.region is not None
    assert 0.1 < finding.region.x < 0.15 and 0.31 < finding.region.y < 0.35 and finding.region.h < 0.05


def test_pseudo_words_are_gibberish_and_the_expected_name_is_missing(tmp_path: Path) -> None:
    brief = VisualBrief(expected_text=("Vitamin C Serum",))
    state = run(tmp_path, packaging("Qwzrt Blorf", lines=("Xanthic Vrumple",)), [TextStep()], brief=brief)
    assert rules(state) == {"quality.text_missing": "warn", "quality.text_gibberish": "warn"}
    [gibberish] = [f for f in state.findings if f.rule == "quality.text_gibberish"]
    # "Xanthic" is an English word.
    assert "3 of 4 words" in gibberish.evidence and "Qwzrt, Blorf, Vrumple" in gibberish.evidence
    assert state.quality["ocr"]["odd_words"] == ["Qwzrt", "Blorf", "Vrumple"]


def test_a_face_puts_consent_and_anatomy_on_the_reviewers_list(tmp_path: Path) -> None:
    # scikit-image ships this NASA portrait (public domain) inside the package.
    state = run(tmp_path, data.astronaut(), [FaceStep()])
    [face] = state.faces
    # The face sits in the upper middle of the 512 x 512 portrait.
    assert 0.25 < face.x + face.w / 2 < 0.6 and face.y + face.h / 2 < 0.4
    items = {i.code: i for i in state.review_items}
    assert list(items) == ["consent_or_lookalike", "hands_and_anatomy"]
    assert items["consent_or_lookalike"].region == face
    assert "BGH I ZR 226/97" in items["consent_or_lookalike"].text_de


@pytest.mark.parametrize(
    ("realistic_person", "codes"), [(None, []), (True, ["consent_or_lookalike", "hands_and_anatomy"])]
)
def test_a_realistic_person_in_the_brief_needs_the_checks_even_without_a_detected_face(
    tmp_path: Path, realistic_person: bool | None, codes: list[str]
) -> None:
    state = run(tmp_path, scene(512, 512), [FaceStep()], brief=VisualBrief(realistic_person=realistic_person))
    assert state.faces == []
    assert [i.code for i in state.review_items] == codes
    assert all(i.region is None for i in state.review_items)
