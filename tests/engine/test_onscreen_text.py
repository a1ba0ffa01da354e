"""On-screen text: stickers in the usual looks are read, and lines become stickers and passages."""

from __future__ import annotations

from typing import Any

import pytest

from creatordesk.engine.context import ReviewContext
from creatordesk.engine.pipeline import ReviewResult
from creatordesk.engine.rules import DEFAULT_PACKS, check_text, load_packs
from creatordesk.engine.steps.onscreen import Line, guess_language, spans_from_frames
from creatordesk.engine.types import Brief, TextSpan
from tests.engine.media import Clip, Sticker, render
from tests.engine.perception.stickers import read_onscreen

BOX = (100, 800, 600, 860)
BELOW = (120, 875, 580, 935)
TOP = (100, 200, 600, 260)

# Moving gradients behind every sticker; outlined text without a box is the hard case.
PASSAGES = Clip(
    duration=17,
    background="gradients=speed=0.05:seed=3",
    stickers=(
        # One sentence over two stickers at the same place, the second starting in lower case.
        Sticker("Dieses Serum heilt", 0.5, 3.0, style="outline", y="h*0.3", size="h/28"),
        Sticker("deine Akne in 3 Tagen", 3.0, 5.5, style="outline", y="h*0.3", size="h/28"),
        # Two stickers at one place that share most letters: two texts, not one.
        Sticker("Step one", 6.0, 8.0, style="yellow", y="h*0.6"),
        Sticker("Step two", 8.0, 10.0, style="yellow", y="h*0.6"),
        # A finished sentence, then a new one at the same place.
        Sticker("Unsere Bestseller.", 10.5, 12.5, style="box", y="h*0.3"),
        Sticker("jetzt reduziert", 12.5, 14.5, style="box", y="h*0.3"),
        # One sticker wrapped over two lines.
        Sticker("Nur heute\n50% Rabatt", 15.0, 17.0, style="box-colour", y="h*0.5"),
    ),
    audio=False,
)
# A sentence that seems to go on, but the next sticker appears elsewhere.
ELSEWHERE = Clip(
    duration=5,
    background="testsrc2",
    stickers=(
        Sticker("Mein Lieblingsduft", 0.5, 2.5, style="pink", y="h*0.15"),
        Sticker("und klebt nicht", 2.5, 4.5, style="pink", y="h*0.75"),
    ),
    audio=False,
)


@pytest.fixture(scope="module")
def passages() -> list[TextSpan]:
    return read_onscreen(render(PASSAGES, "passages"), ReviewContext())


@pytest.fixture(scope="module")
def elsewhere() -> list[TextSpan]:
    return read_onscreen(render(ELSEWHERE, "elsewhere"), ReviewContext())


def _span(spans: list[TextSpan], text: str) -> TextSpan:
    [span] = [s for s in spans if s.text == text]
    return span


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


@pytest.mark.media
def test_a_sticker_wrapped_over_two_lines_is_one_span(passages: list[TextSpan]) -> None:
    span = _span(passages, "Nur heute 50% Rabatt")
    assert abs(span.start_s - 15.0) <= 0.7
    assert span.end_s == 17.0


@pytest.mark.media
def test_a_sentence_continued_on_the_next_sticker_is_one_passage_with_two_time_ranges(
    passages: list[TextSpan],
) -> None:
    first, second = _span(passages, "Dieses Serum heilt"), _span(passages, "deine Akne in 3 Tagen")
    assert first.group is not None and first.group == second.group
    assert first.lang == second.lang == "de"
    assert abs(first.start_s - 0.5) <= 0.7 and abs(first.end_s - 3.0) <= 0.7
    assert first.end_s == second.start_s
    assert abs(second.end_s - 5.5) <= 0.7


@pytest.mark.media
def test_a_claim_across_two_stickers_is_found(passages: list[TextSpan]) -> None:
    claim = [_span(passages, "Dieses Serum heilt"), _span(passages, "deine Akne in 3 Tagen")]
    findings = check_text(
        claim, packs=load_packs(DEFAULT_PACKS), brief=Brief(disclosure_required=False), duration_s=17.0
    )
    [medical] = [f for f in findings if f.category == "medical_claim"]
    assert medical.source == "onscreen"
    assert "heilt" in medical.evidence and "Akne" in medical.evidence
    assert (medical.start_s, medical.end_s) == (claim[0].start_s, claim[1].end_s)


@pytest.mark.media
def test_stickers_that_only_look_alike_stay_two_texts(passages: list[TextSpan]) -> None:
    one, two = _span(passages, "Step one"), _span(passages, "Step two")
    assert one.end_s == two.start_s
    assert abs(two.start_s - 8.0) <= 0.7
    assert one.group is None and two.group is None


@pytest.mark.media
def test_a_finished_sentence_is_not_continued_by_the_next_sticker(passages: list[TextSpan]) -> None:
    assert _span(passages, "Unsere Bestseller.").group is None
    assert _span(passages, "jetzt reduziert").group is None


@pytest.mark.media
def test_a_sticker_elsewhere_on_screen_does_not_continue_the_sentence(elsewhere: list[TextSpan]) -> None:
    assert [(s.text, s.group) for s in elsewhere] == [("Mein Lieblingsduft", None), ("und klebt nicht", None)]


def test_a_line_seen_on_consecutive_frames_becomes_one_span_until_it_is_gone() -> None:
    times = [0.0, 1.0, 2.0, 3.0, 4.0]
    frames = [
        [],
        [Line("Link in Bio", 95, BOX)],
        [Line("Link in Bio", 93, BOX)],
        [Line("Link in Blo", 70, BOX)],
        [],
    ]
    [span] = spans_from_frames(times, frames, duration_s=5.0)
    assert (span.start_s, span.end_s, span.text) == (1.0, 4.0, "Link in Bio")


def test_one_missed_reading_does_not_split_a_line() -> None:
    times = [0.0, 1.0, 2.0, 3.0]
    frames = [[Line("Rabatt heute", 90, BOX)], [], [Line("Rabatt heute", 90, BOX)], []]
    [span] = spans_from_frames(times, frames, duration_s=4.0)
    assert (span.start_s, span.end_s) == (0.0, 3.0)


def test_a_partial_reading_at_the_same_place_belongs_to_the_line() -> None:
    times = [0.0, 1.0, 2.0]
    frames = [[Line("Smells fresh", 95, BOX)], [Line("fresh", 80, BOX)], [Line("Smells fresh", 95, BOX)]]
    [span] = spans_from_frames(times, frames, duration_s=3.0)
    assert (span.start_s, span.end_s, span.text) == (0.0, 3.0, "Smells fresh")


def test_two_sure_readings_that_differ_are_two_stickers() -> None:
    frames = [[Line("Teil 1", 95, BOX)], [Line("Teil 2", 95, BOX)]]
    spans = spans_from_frames([0.0, 2.0], frames, duration_s=4.0)
    assert [(s.start_s, s.end_s, s.text) for s in spans] == [(0.0, 2.0, "Teil 1"), (2.0, 4.0, "Teil 2")]


def test_a_one_frame_misreading_of_a_sticker_is_part_of_it() -> None:
    times = [0.0, 0.6, 1.2, 1.8, 2.4]
    frames = [[Line("Dally care", 95, BOX)]] + [[Line("Daily care", 95, BOX)]] * 3 + [[]]
    [span] = spans_from_frames(times, frames, duration_s=3.0)
    assert (span.start_s, span.end_s, span.text) == (0.0, 2.4, "Daily care")


def test_text_still_shown_at_the_end_lasts_until_the_video_ends() -> None:
    [span] = spans_from_frames([0.0, 2.0], [[], [Line("Danke", 90, BOX)]], duration_s=7.5)
    assert span.end_s == 7.5


def test_the_lines_of_one_sticker_are_joined_top_to_bottom_with_a_space() -> None:
    frames = [[Line("heilt Akne", 90, BELOW), Line("Dieses Serum", 90, BOX)]] * 2
    [span] = spans_from_frames([1.0, 2.0], frames, duration_s=3.0)
    assert (span.start_s, span.end_s, span.text) == (1.0, 3.0, "Dieses Serum heilt Akne")


def test_lines_far_apart_are_two_stickers() -> None:
    frames = [[Line("Jetzt kaufen", 90, TOP), Line("Link in Bio", 90, BOX)]]
    spans = spans_from_frames([0.0], frames, duration_s=2.0)
    assert [s.text for s in spans] == ["Jetzt kaufen", "Link in Bio"]


def test_a_sticker_continuing_the_sentence_of_the_one_before_shares_its_group() -> None:
    frames = [[Line("Dieses Serum heilt", 90, BOX)], [Line("deine Akne", 90, BOX)], []]
    first, second = spans_from_frames([0.0, 2.0, 4.0], frames, duration_s=5.0, language=lambda text: "de")
    assert first.group is not None and first.group == second.group
    assert (first.start_s, first.end_s, second.start_s, second.end_s) == (0.0, 2.0, 2.0, 4.0)


def test_a_sticker_ending_mid_phrase_is_continued_even_by_a_capital() -> None:
    frames = [[Line("Das beste Serum für", 90, BOX)], [Line("Akne und Narben", 90, BOX)]]
    first, second = spans_from_frames([0.0, 2.0], frames, duration_s=4.0)
    assert first.group is not None and first.group == second.group


def test_a_german_sticker_ending_on_its_verb_is_continued_by_a_noun() -> None:
    frames = [[Line("Dieses Serum beugt", 90, BOX)], [Line("Pickeln und Falten vor", 90, BOX)]]
    first, second = spans_from_frames([0.0, 2.0], frames, duration_s=4.0)
    assert first.group is not None and first.group == second.group


def test_a_sticker_in_another_look_does_not_continue_the_sentence() -> None:
    frames = [
        [Line("Dieses Serum heilt", 90, BOX, fill=(255, 255, 255))],
        [Line("deine Akne", 90, BOX, fill=(0, 220, 255))],
    ]
    spans = spans_from_frames([0.0, 2.0], frames, duration_s=4.0)
    assert [s.group for s in spans] == [None, None]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Unsere Bestseller.", "jetzt reduziert"),  # a finished sentence
        ("Neue Farben", "Jetzt im Shop"),  # nothing says it goes on
    ],
)
def test_unrelated_stickers_one_after_the_other_stay_apart(before: str, after: str) -> None:
    frames = [[Line(before, 90, BOX)], [Line(after, 90, BOX)], []]
    spans = spans_from_frames([0.0, 2.0, 4.0], frames, duration_s=5.0)
    assert [(s.text, s.group) for s in spans] == [(before, None), (after, None)]


def test_a_sticker_after_a_pause_does_not_continue_the_one_before() -> None:
    frames = [[Line("Dieses Serum heilt", 90, BOX)], [], [Line("deine Akne", 90, BOX)], []]
    spans = spans_from_frames([0.0, 2.0, 4.0, 6.0], frames, duration_s=7.0)
    assert [s.group for s in spans] == [None, None]


def test_a_sticker_shown_together_with_the_one_before_does_not_continue_it() -> None:
    frames = [
        [Line("Dieses Serum heilt", 90, TOP)],
        [Line("Dieses Serum heilt", 90, TOP), Line("deine Akne", 90, BOX)],
    ]
    spans = spans_from_frames([0.0, 2.0], frames, duration_s=4.0)
    assert [s.group for s in spans] == [None, None]


def test_grouped_stickers_share_the_language_of_their_sentence() -> None:
    frames = [[Line("Link in Bio", 90, BOX)], [Line("und jetzt kaufen", 90, BOX)]]
    spans = spans_from_frames([0.0, 2.0], frames, duration_s=4.0, language=lambda t: guess_language(t, "en"))
    assert [s.lang for s in spans] == ["de", "de"]


def test_language_of_a_line_follows_its_words() -> None:
    assert guess_language("Jetzt kaufen und sparen", "en") == "de"
    assert guess_language("Only available here", "de") == "en"
    # Words both languages share decide nothing: the brief's language wins.
    assert guess_language("Link in Bio", "de") == "de"
