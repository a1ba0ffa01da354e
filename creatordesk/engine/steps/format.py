"""Format: does the file fit TikTok's vertical format and the brief's length, and can it be heard."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, ClassVar

from creatordesk.engine.steps.base import MediaInfo, ReviewState
from creatordesk.engine.types import Brief, Finding
from creatordesk.engine.wording import evidence_text

if TYPE_CHECKING:
    from creatordesk.engine.context import ReviewContext

_SPEC = "TikTok creative specs: vertical 9:16, at least 720 px wide, with sound"
_TEXTS = {
    "aspect_ratio": {
        "en": "The video is not vertical 9:16; TikTok crops or letterboxes other formats.",
        "de": "Das Video ist nicht hochkant 9:16; TikTok beschneidet andere Formate oder zeigt Balken.",
    },
    "resolution": {
        "en": "The resolution is below 720 px on the short side; the video will look blurry.",
        "de": "Die Auflösung liegt unter 720 px an der kurzen Seite; das Video wirkt unscharf.",
    },
    "too_short": {
        "en": "The video is shorter than the brief asks for.",
        "de": "Das Video ist kürzer als im Briefing verlangt.",
    },
    "too_long": {
        "en": "The video is longer than the brief allows.",
        "de": "Das Video ist länger als im Briefing erlaubt.",
    },
    "no_audio": {
        "en": "The video has no sound track; TikTok videos without sound reach fewer viewers.",
        "de": "Das Video hat keine Tonspur; TikTok-Videos ohne Ton erreichen weniger Zuschauer.",
    },
    "silent_audio": {
        "en": "The sound track is (almost) silent.",
        "de": "Die Tonspur ist (fast) stumm.",
    },
}


def format_problems(
    media: MediaInfo, brief: Brief, loudness_lufs: float | None, ctx: ReviewContext
) -> list[tuple[str, str]]:
    """(problem, evidence) pairs; the problem names a key of the message table."""
    problems = []
    ratio = media.width / media.height
    if abs(ratio / (9 / 16) - 1) > ctx.aspect_tolerance:
        size, shape = f"{media.width}x{media.height}", f"{ratio:.3f}"
        problems.append(("aspect_ratio", evidence_text("format.aspect_ratio", size=size, ratio=shape)))
    if min(media.width, media.height) < ctx.min_short_side_px:
        problems.append(("resolution", f"{media.width}x{media.height}"))
    if brief.min_duration_s is not None and media.duration_s < brief.min_duration_s:
        duration, limit = f"{media.duration_s:.1f}", f"{brief.min_duration_s:g}"
        problems.append(("too_short", evidence_text("format.too_short", duration=duration, limit=limit)))
    if brief.max_duration_s is not None and media.duration_s > brief.max_duration_s:
        duration, limit = f"{media.duration_s:.1f}", f"{brief.max_duration_s:g}"
        problems.append(("too_long", evidence_text("format.too_long", duration=duration, limit=limit)))
    if not media.has_audio:
        problems.append(("no_audio", evidence_text("format.no_audio")))
    elif loudness_lufs is not None and (math.isinf(loudness_lufs) or loudness_lufs < ctx.silent_below_lufs):
        problems.append(("silent_audio", evidence_text("format.silent_audio", lufs=f"{loudness_lufs:.1f}")))
    return problems


class FormatStep:
    name: ClassVar[str] = "format"
    needs: ClassVar[tuple[str, ...]] = ("probe", "audio")

    def applies_to(self, state: ReviewState) -> bool:
        return state.media is not None

    def run(self, ctx: ReviewContext, state: ReviewState) -> None:
        assert state.media is not None
        lang = state.brief.language
        brief_keys = {"too_short", "too_long"}
        state.add_findings(
            [
                Finding(
                    rule=f"format.{problem}",
                    category="format",
                    severity="warn",
                    source="format",
                    start_s=0.0,
                    end_s=state.duration_s,
                    evidence=evidence,
                    explanation=_TEXTS[problem].get(lang, _TEXTS[problem]["en"]),
                    citation="Campaign brief: duration" if problem in brief_keys else _SPEC,
                )
                for problem, evidence in format_problems(state.media, state.brief, state.loudness_lufs, ctx)
            ]
        )
