"""Text rules over real clips: German stickers and captions reviewed end to end.

Each clip is a few seconds of rendered stickers (tests/engine/media.py) read back by OCR, so these
tests show what a reviewer gets from the whole pipeline, not only from the rules: a claim split over
two stickers, a claim in the caption that names no illness, German redirection and urgency stickers,
and German look-alikes that must leave a video clean.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from creatordesk.engine.context import ReviewContext
from creatordesk.engine.pipeline import ReviewResult, review_video
from creatordesk.engine.types import Brief, Finding
from tests.engine.media import Clip, Sticker, render

pytestmark = pytest.mark.media

# Sticker lines of up to 22 characters fit the frame at this size.
SIZE = "h/30"
SPLIT_VERB = Clip(
    duration=5,
    background="color=c=0x336699",
    stickers=(
        Sticker("Dieses Serum beugt", 0.5, 2.5, y="h*0.6", size=SIZE),
        Sticker("Pickeln und Falten vor", 2.5, 4.5, y="h*0.6", size=SIZE),
    ),
    audio=False,
)
SELLING = Clip(
    duration=6,
    background="gradients=speed=0.05",
    stickers=(
        Sticker("Bestellt im Onlineshop", 0.5, 2.5, y="h*0.3", size=SIZE),
        Sticker("Nur noch 24 Stunden", 3.0, 5.5, y="h*0.6", size=SIZE),
    ),
    audio=False,
)
PLAIN = Clip(duration=4, background="color=c=0x445566", audio=False)
CLAIM_CAPTION = "Mein Abendritual 🌙\nHautprobleme für immer weg"
LOOK_ALIKES = Clip(
    duration=6,
    background="color=c=0x556677",
    stickers=(
        Sticker("Werbung", 0, 3, y="h*0.1", size=SIZE),
        Sticker("Sichtbar glattere Haut", 0.5, 2.5, y="h*0.6", size=SIZE),
        Sticker("Heilt keine Akne", 3.0, 5.5, y="h*0.6", size=SIZE),
    ),
    # A sound track, so the video is not marked for having none; the words are harmless.
    speech=((0.5, "Hello everyone."),),
)
LOOK_ALIKE_CAPTION = (
    "Werbung | Meine Abendroutine\n"
    "Zink trägt zu einer normalen Funktion des Immunsystems bei\n"
    "Mildert sichtbar das Erscheinungsbild von Pickelmalen\n"
    "Das Serum heilt keine Hautprobleme, es pflegt nur"
)


def _of(review: ReviewResult, category: str) -> list[Finding]:
    return [finding for finding in review.findings if finding.category == category]


@pytest.fixture(scope="module")
def ctx() -> ReviewContext:
    return ReviewContext()


@pytest.fixture(scope="module")
def selling_review(ctx: ReviewContext) -> ReviewResult:
    return review_video(render(SELLING, "rules-selling"), ctx=ctx, caption="Werbung")


def test_prevention_verb_split_over_two_stickers_is_a_medical_claim_on_screen(ctx: ReviewContext) -> None:
    review = review_video(render(SPLIT_VERB, "rules-split-verb"), ctx=ctx, caption="Werbung")
    read = " / ".join(span.text for span in review.onscreen_text)
    assert "beugt" in read and "vor" in read, read
    [claim] = _of(review, "medical_claim")
    assert claim.source == "onscreen"
    assert claim.severity == "block"
    assert claim.confidence == "grammar"
    assert "beugt" in claim.evidence and claim.evidence.endswith("vor")
    assert abs(claim.start_s - 0.5) <= 1.0 and abs(claim.end_s - 4.5) <= 1.0


def test_caption_promising_skin_problems_gone_for_good_is_a_medical_claim(ctx: ReviewContext) -> None:
    review = review_video(render(PLAIN, "rules-plain"), ctx=ctx, caption=CLAIM_CAPTION)
    [claim] = _of(review, "medical_claim")
    assert claim.source == "caption"
    assert claim.evidence == "Hautprobleme für immer weg"
    assert review.verdict == "block"


def test_german_sticker_sending_buyers_to_the_online_shop_is_off_platform(
    selling_review: ReviewResult,
) -> None:
    [redirect] = _of(selling_review, "off_platform")
    assert redirect.source == "onscreen"
    assert "Onlineshop" in redirect.evidence
    assert abs(redirect.start_s - 0.5) <= 1.0 and abs(redirect.end_s - 2.5) <= 1.0


def test_german_countdown_sticker_is_a_price_claim(selling_review: ReviewResult) -> None:
    [urgency] = _of(selling_review, "price_claim")
    assert urgency.source == "onscreen"
    assert "24 Stunden" in urgency.evidence
    assert abs(urgency.start_s - 3.0) <= 1.0 and abs(urgency.end_s - 5.5) <= 1.0
    assert selling_review.verdict == "block"


def test_authorised_softened_and_negated_german_wording_leaves_the_video_clean(ctx: ReviewContext) -> None:
    clip: Path = render(LOOK_ALIKES, "rules-look-alikes")
    review = review_video(clip, ctx=ctx, brief=Brief(), caption=LOOK_ALIKE_CAPTION)
    read = " / ".join(span.text for span in review.onscreen_text).lower()
    # The look-alikes really were read; they are clean because the rules read them correctly.
    assert "sichtbar" in read and "keine akne" in read, read
    problems = [f for f in review.findings if f.severity != "info"]
    assert problems == []
    assert review.verdict == "clean"
    assert not review.errors
