"""Audio: decode the sound track once to 16 kHz mono for speech recognition and measure its loudness."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from creatordesk.engine.steps.base import ReviewState
from creatordesk.engine.tools import ffmpeg

if TYPE_CHECKING:
    from creatordesk.engine.context import ReviewContext


class AudioStep:
    name: ClassVar[str] = "audio"
    needs: ClassVar[tuple[str, ...]] = ("probe",)

    def applies_to(self, state: ReviewState) -> bool:
        return state.media is not None and state.media.has_audio

    def run(self, ctx: ReviewContext, state: ReviewState) -> None:
        audio = ffmpeg.read_audio(state.path, timeout_s=ctx.tool_timeout_s, threads=ctx.threads)
        state.audio = audio
        state.loudness_lufs = audio.loudness_lufs
