"""Caption: the post text the creator will publish, as a span the text rules read like any other.

The caption has no moment in the video; it spans the whole clip so a disclosure in it counts from
the first second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from creatordesk.engine.steps.base import ReviewState
from creatordesk.engine.steps.onscreen import guess_language
from creatordesk.engine.types import TextSpan

if TYPE_CHECKING:
    from creatordesk.engine.context import ReviewContext


class CaptionStep:
    name: ClassVar[str] = "caption"
    # Guessing the language loads the word lists; waiting for the frame decoding keeps that
    # (GIL-bound) work from stalling the decoder's reader thread.
    needs: ClassVar[tuple[str, ...]] = ("frames",)

    def applies_to(self, state: ReviewState) -> bool:
        return bool(state.caption.strip())

    def run(self, ctx: ReviewContext, state: ReviewState) -> None:
        text = state.caption.strip()
        lang = guess_language(text, state.brief.language)
        state.caption_span = TextSpan(0.0, state.duration_s, text, "caption", lang)
