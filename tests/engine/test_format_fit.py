"""Format checks and the fit score."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatordesk.engine.context import ReviewContext
from creatordesk.engine.pipeline import ReviewResult, review_video
from creatordesk.engine.steps.fit import pacing_points, round_keeping_sum
from creatordesk.engine.types import Brief


@pytest.fixture(scope="module")
def landscape_review(ctx: ReviewContext, landscape_clip: Path) -> ReviewResult:
    brief = Brief(min_duration_s=15, disclosure_required=False, must_mentions=("SPF 50",))
    return review_video(landscape_clip, ctx=ctx, brief=brief, packs=[])


@pytest.mark.media
def test_landscape_silent_short_video_gets_format_warnings(landscape_review: ReviewResult) -> None:
    rules = {f.rule for f in landscape_review.findings if f.category == "format"}
    assert rules == {"format.aspect_ratio", "format.no_audio", "format.too_short"}
    for finding in landscape_review.findings:
        if finding.category == "format":
            assert (finding.severity, finding.source) == ("warn", "format")
    assert landscape_review.verdict == "needs_review"


@pytest.mark.media
def test_format_problems_cost_fit_points(landscape_review: ReviewResult) -> None:
    [part] = [p for p in landscape_review.fit["parts"] if p["name"] == "format"]
    assert part["points"] < part["max"]
    assert "aspect_ratio" in part["detail"]


@pytest.mark.media
def test_vertical_720p_video_with_sound_has_no_format_finding(clean_review: ReviewResult) -> None:
    assert not [f for f in clean_review.findings if f.category == "format"]


@pytest.mark.media
def test_hook_counts_words_in_the_first_seconds(clean_review: ReviewResult) -> None:
    assert clean_review.fit["hook"]["first_words_s"] is not None
    assert clean_review.fit["hook"]["first_words_s"] <= 2.0


@pytest.mark.media
def test_must_mention_that_was_said_is_located_in_the_transcript(clean_review: ReviewResult) -> None:
    [hit] = clean_review.fit["must_mentions"]
    assert (hit["mention"], hit["found"], hit["source"]) == ("dryness", True, "speech")
    # "It helps reduce the look of dryness" starts at second 4 of the clean clip.
    assert 4.0 <= hit["start_s"] <= 6.5
    [part] = [p for p in clean_review.fit["parts"] if p["name"] == "must_mentions"]
    assert part["points"] == part["max"]


@pytest.mark.media
def test_must_mention_never_said_costs_points_and_is_a_finding(landscape_review: ReviewResult) -> None:
    [hit] = landscape_review.fit["must_mentions"]
    assert (hit["mention"], hit["found"], hit["start_s"]) == ("SPF 50", False, None)
    [part] = [p for p in landscape_review.fit["parts"] if p["name"] == "must_mentions"]
    assert part["points"] == 0
    assert [f for f in landscape_review.findings if f.category == "must_mention_missing"]


@pytest.mark.media
def test_hard_cuts_are_counted_for_pacing(ctx: ReviewContext, cuts_clip: Path) -> None:
    review = review_video(cuts_clip, ctx=ctx, packs=[])
    assert review.fit["cuts"] == 4
    assert review.fit["cuts_per_10s"] == 4.0
    [part] = [p for p in review.fit["parts"] if p["name"] == "pacing"]
    assert part["points"] == part["max"]


def test_pacing_gives_full_points_inside_the_good_range_and_fewer_outside() -> None:
    assert pacing_points(3.0, (1.5, 6.0), 15) == 15
    assert pacing_points(0.0, (1.5, 6.0), 15) == 0
    assert 0 < pacing_points(0.75, (1.5, 6.0), 15) < 15
    assert 0 < pacing_points(8.0, (1.5, 6.0), 15) < 15


def test_rounding_keeps_the_parts_adding_up() -> None:
    parts = round_keeping_sum([37.5, 31.25, 18.75, 12.5], 100)
    assert sum(parts) == 100
    assert parts == [38, 31, 19, 12]
