"""What a reviewer sees for real clips: each finding in the right category, source and moment."""

from __future__ import annotations

from typing import Any

import pytest

from creatordesk.engine.pipeline import ReviewResult, review_video
from creatordesk.engine.types import CATEGORIES
from tests.engine.conftest import CLAIM_AT_S

pytestmark = pytest.mark.media


def _findings(review: dict[str, Any], category: str) -> list[dict[str, Any]]:
    return [f for f in review["findings"] if f["category"] == category]


def test_spoken_disease_claim_is_blocked_at_the_second_it_is_said(violations_json: dict[str, Any]) -> None:
    [claim] = _findings(violations_json, "medical_claim")
    assert claim["source"] == "speech"
    assert claim["severity"] == "block"
    assert abs(claim["start_s"] - CLAIM_AT_S) <= 1.0
    assert "back pain" in claim["evidence"].lower()


def test_link_in_bio_sticker_is_flagged_for_the_seconds_it_is_shown(violations_json: dict[str, Any]) -> None:
    [link] = _findings(violations_json, "off_platform")
    assert link["source"] == "onscreen"
    assert abs(link["start_s"] - 3.0) <= 1.0
    assert abs(link["end_s"] - 6.0) <= 1.0


def test_video_without_any_ad_label_misses_its_disclosure(violations_json: dict[str, Any]) -> None:
    assert _findings(violations_json, "disclosure_missing")
    assert violations_json["verdict"] == "block"


def test_review_lists_what_was_said_and_shown_with_times(violations_json: dict[str, Any]) -> None:
    said = " ".join(s["text"] for s in violations_json["transcript"]).lower()
    assert "back pain" in said
    [sticker] = [s for s in violations_json["onscreen_text"] if "bio" in s["text"].lower()]
    assert sticker["text"] == "Link in Bio"
    assert 2.0 <= sticker["start_s"] <= 4.0


def test_every_finding_uses_a_known_category_and_cites_its_source(violations_json: dict[str, Any]) -> None:
    for finding in violations_json["findings"]:
        assert finding["category"] in CATEGORIES
        assert finding["citation"]
        assert finding["explanation"]


def test_clean_video_with_disclosure_and_harmless_look_alikes_comes_out_clean(
    clean_review: ReviewResult,
) -> None:
    problems = [f for f in clean_review.findings if f.severity != "info"]
    assert problems == []
    assert clean_review.verdict == "clean"
    assert not clean_review.errors
    said = " ".join(s.text for s in clean_review.transcript).lower()
    # The look-alikes really were heard; they are clean because the rules read them correctly.
    assert "look of" in said
    assert "not cure" in said


def test_clean_video_shows_its_werbung_label_at_the_start(clean_review: ReviewResult) -> None:
    [label] = [s for s in clean_review.onscreen_text if s.text == "Werbung"]
    assert label.start_s <= 0.5
    assert abs(label.end_s - 3.0) <= 1.0


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Werbung | Meine neue Lieblingscreme", set()),
        ("", {"disclosure_missing"}),
        ("Meine neue Lieblingscreme #ad", {"disclosure_weak"}),
    ],
)
def test_caption_decides_the_disclosure_finding(ctx, plain_clip, caption: str, expected: set[str]) -> None:
    result = review_video(plain_clip, ctx=ctx, caption=caption)
    disclosure = {f.category for f in result.findings if f.category.startswith("disclosure")}
    assert disclosure == expected
    if expected == {"disclosure_weak"}:
        [weak] = [f for f in result.findings if f.category == "disclosure_weak"]
        assert weak.source == "caption"
