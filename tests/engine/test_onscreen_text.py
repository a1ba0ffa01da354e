"""On-screen text: stickers in the usual looks are read, and lines become time ranges."""

from __future__ import annotations

from typing import Any

import pytest

from creatordesk.engine.pipeline import ReviewResult
from creatordesk.engine.steps.onscreen import Line, guess_language, spans_from_frames

BOX = (100, 800, 600, 860)


@pytest.mark.media
def test_white_text_with_outline_over_a_busy_picture_is_read(stickers_review: ReviewResult) -> None:
    [line] = [s for s in stickers_review.onscreen_text if "offer" in s.text.lower()]
    assert line.text == "Limited offer today"
    assert abs(line.start_s - 0.5) <= 1.0
    assert abs(line.end_s - 3.0) <= 1.0


@pytest.mark.media
def test_coloured_text_is_read(stickers_review: ReviewResult) -> None:
    [line] = [s for s in stickers_review.onscreen_text if "available" in s.text.lower()]
    assert line.text == "Only available here"
    assert abs(line.start_s - 4.0) <= 1.0
    assert abs(line.end_s - 6.5) <= 1.0


@pytest.mark.media
def test_picture_content_does_not_turn_into_on_screen_text(violations_json: dict[str, Any]) -> None:
    # The moving test pattern has stripes, a running clock and a counter; none of it is a caption.
    texts = {s["text"] for s in violations_json["onscreen_text"]}
    assert texts == {"Link in Bio"}


def test_a_line_seen_on_consecutive_frames_becomes_one_span_until_it_is_gone() -> None:
    times = [0.0, 1.0, 2.0, 3.0, 4.0]
    frames = [
        [],
        [Line("Link in Bio", 95, BOX)],
        [Line("Link in Bio", 93, BOX)],
        [Line("Link in Blo", 70, BOX)],
        [],
    ]
    [span] = spans_from_frames(times, frames, duration_s=5.0, lang_of={})
    assert (span.start_s, span.end_s, span.text) == (1.0, 4.0, "Link in Bio")


def test_one_missed_reading_does_not_split_a_line() -> None:
    times = [0.0, 1.0, 2.0, 3.0]
    frames = [[Line("Rabatt heute", 90, BOX)], [], [Line("Rabatt heute", 90, BOX)], []]
    [span] = spans_from_frames(times, frames, duration_s=4.0, lang_of={})
    assert (span.start_s, span.end_s) == (0.0, 3.0)


def test_a_partial_reading_at_the_same_place_belongs_to_the_line() -> None:
    times = [0.0, 1.0, 2.0]
    frames = [[Line("Smells fresh", 95, BOX)], [Line("fresh", 80, BOX)], [Line("Smells fresh", 95, BOX)]]
    [span] = spans_from_frames(times, frames, duration_s=3.0, lang_of={})
    assert (span.start_s, span.end_s, span.text) == (0.0, 3.0, "Smells fresh")


def test_text_still_shown_at_the_end_lasts_until_the_video_ends() -> None:
    [span] = spans_from_frames([0.0, 2.0], [[], [Line("Danke", 90, BOX)]], duration_s=7.5, lang_of={})
    assert span.end_s == 7.5


def test_language_of_a_line_follows_its_words() -> None:
    assert guess_language("Jetzt kaufen und sparen", "en") == "de"
    assert guess_language("Only available here", "de") == "en"
    # Words both languages share decide nothing: the brief's language wins.
    assert guess_language("Link in Bio", "de") == "de"
