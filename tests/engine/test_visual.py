"""Visual checks: the product from the brief, people, nudity."""

from __future__ import annotations

import pytest

from creatordesk.engine.pipeline import ReviewResult
from creatordesk.engine.steps.base import FrameVisual
from creatordesk.engine.steps.visual import nudity_findings


@pytest.mark.media
def test_product_from_the_reference_image_is_found_while_it_is_on_screen(
    product_reviews: dict[str, ReviewResult],
) -> None:
    review = product_reviews["shown"]
    share = review.fit["product_visible_share"]
    # The product is shown from second 1 to the end of the 6 s clip.
    assert 0.5 <= share <= 0.95
    assert not [f for f in review.findings if f.category == "product_not_visible"]
    [part] = [p for p in review.fit["parts"] if p["name"] == "product"]
    assert part["points"] == part["max"]


@pytest.mark.media
def test_product_never_shown_is_reported_as_not_visible(product_reviews: dict[str, ReviewResult]) -> None:
    review = product_reviews["other"]
    [finding] = [f for f in review.findings if f.category == "product_not_visible"]
    assert (finding.severity, finding.source) == ("warn", "visual")
    assert review.fit["product_visible_share"] == 0
    assert review.verdict == "needs_review"


@pytest.mark.media
def test_video_without_a_person_gets_a_hint_that_does_not_change_the_verdict(
    clean_review: ReviewResult,
) -> None:
    [hint] = [f for f in clean_review.findings if f.category == "no_human_presence"]
    assert (hint.severity, hint.source) == ("info", "visual")
    assert clean_review.verdict == "clean"


@pytest.mark.media
def test_nothing_in_synthetic_footage_counts_as_nudity(
    clean_review: ReviewResult, product_reviews: dict[str, ReviewResult]
) -> None:
    for review in (clean_review, *product_reviews.values()):
        assert not [f for f in review.findings if f.category == "nudity"]


def test_nudity_on_consecutive_frames_is_one_blocking_finding_over_their_time() -> None:
    visual = [
        FrameVisual(t=0.0),
        FrameVisual(t=2.0, nudity=(("FEMALE_BREAST_EXPOSED", 0.81),)),
        FrameVisual(t=3.0, nudity=(("FEMALE_BREAST_EXPOSED", 0.77),)),
        FrameVisual(t=5.0),
        FrameVisual(t=8.0, nudity=(("BUTTOCKS_EXPOSED", 0.6),)),
    ]
    first, second = nudity_findings(visual, duration_s=9.0, lang="en")
    assert (first.start_s, first.end_s, first.severity, first.source) == (2.0, 5.0, "block", "visual")
    assert "female breast exposed" in first.evidence
    assert (second.start_s, second.end_s) == (8.0, 9.0)
