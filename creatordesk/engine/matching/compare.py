"""Is the posted video the approved cut? The comparison of two prints and its verdict.

The picture decides: frames are aligned in time and every stretch of the approved video is either
found in order, found elsewhere (moved), replaced by other pictures, or missing. The sound only
supports the verdict: it refines the offset to 16 ms, and when the picture matches but the sound
does not, the result says the sound was replaced instead of calling the video different.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from creatordesk.engine.matching.align import MIN_RUN_S, Run, align, best_elsewhere, distances, runs
from creatordesk.engine.matching.landmarks import HOP_S, matched_share, offset_pairs
from creatordesk.engine.matching.prints import VideoPrint

MatchVerdict = Literal["same", "different_cut", "different_video"]
Range = tuple[float, float]

# Below this share of either video found in the other, the two are different videos rather than
# two cuts of one: a shared logo sting or a reused 10 s shot of a minute stays well under it, while
# an earlier draft or a shortened cut shares far more.
RELATED_SHARE = 0.25
# Measured on the test clips: the approved voice with music 12 dB under it, re-encoded, keeps
# 0.62-0.73 of its landmarks at the picture's offset (0.51 at CRF 42 with 32 kbit/s sound), other
# speech shares 0.003 and music instead of the voice 0.000. Below 0.2 the sound is not the approved one.
AUDIO_MATCH = 0.2
# With fewer landmarks under the matching picture than this (a near-silent video), the share is
# noise and the sound is not judged.
_MIN_LANDMARKS = 30
# Content found elsewhere counts as moved when this share of its samples lines up at one offset.
_MOVED_SHARE = 0.6
DEFAULT_EDGE_TOLERANCE_S = 1.0


@dataclass(frozen=True)
class MatchResult:
    """How a posted video relates to the approved one.

    `video_similarity` is the share of the approved video's samples found in the posted video in the
    same order; `audio_similarity` the share of the approved sound's landmarks heard at the matching
    offset under that picture (None when the approved video has no sound to compare). `offset_s` is
    where the approved video's content sits in the posted one (posted time minus approved time; -0.5
    when the first half second was cut off). `missing` and `changed` are ranges of the approved
    video, `extra` ranges of the posted one, in seconds; for a different video they span both whole.
    """

    verdict: MatchVerdict
    video_similarity: float
    audio_similarity: float | None
    offset_s: float
    missing: tuple[Range, ...]
    changed: tuple[Range, ...]
    extra: tuple[Range, ...]
    audio_replaced: bool
    reason: str

    def as_dict(self) -> dict[str, Any]:
        audio = None if self.audio_similarity is None else round(self.audio_similarity, 3)
        return {
            "verdict": self.verdict,
            "video_similarity": round(self.video_similarity, 3),
            "audio_similarity": audio,
            "offset_s": round(self.offset_s, 3),
            "missing": [[round(a, 2), round(b, 2)] for a, b in self.missing],
            "changed": [[round(a, 2), round(b, 2)] for a, b in self.changed],
            "extra": [[round(a, 2), round(b, 2)] for a, b in self.extra],
            "audio_replaced": self.audio_replaced,
            "reason": self.reason,
        }


@dataclass
class _Gaps:
    missing: list[Range]
    changed: list[Range]
    moved: list[Range]
    extra: list[Range]


def compare(
    approved: VideoPrint, posted: VideoPrint, *, edge_tolerance_s: float = DEFAULT_EDGE_TOLERANCE_S
) -> MatchResult:
    """Compare a posted video's print with the approved one's.

    Up to `edge_tolerance_s` missing or added at either end (a post that starts or stops a moment
    differently) does not make a different cut.
    """
    if abs(approved.fps - posted.fps) > 1e-6:
        raise ValueError(f"prints sampled at different rates ({approved.fps} and {posted.fps} per second)")
    fps = approved.fps
    dist = distances(approved.frames, approved.blank, posted.frames, posted.blank)
    found = runs(align(dist), dist, fps)
    covered = _covered(found, len(approved.frames), posted=False)
    posted_covered = _covered(found, len(posted.frames), posted=True)
    similarity = float(covered.mean())
    related = max(similarity, float(posted_covered.mean())) >= RELATED_SHARE
    durations = (approved.duration_s, posted.duration_s)
    gaps = _classify(dist, found, (covered, posted_covered), durations, fps, edge_tolerance_s)
    audio, audio_offsets = _audio(approved, posted, found if related else [], fps)
    audio_replaced = related and audio is not None and audio < AUDIO_MATCH
    offset = _offset(found, audio_offsets, fps)
    if not related:
        verdict: MatchVerdict = "different_video"
    elif gaps.missing or gaps.changed or gaps.extra:
        verdict = "different_cut"
    else:
        verdict = "same"
    return MatchResult(
        verdict=verdict,
        video_similarity=similarity,
        audio_similarity=audio,
        offset_s=offset,
        missing=tuple(gaps.missing),
        changed=tuple(gaps.changed),
        extra=tuple(gaps.extra),
        audio_replaced=audio_replaced,
        reason=_reason(verdict, similarity, audio, offset, gaps),
    )


def _covered(found: list[Run], count: int, *, posted: bool) -> np.ndarray:
    mask = np.zeros(count, bool)
    for run in found:
        if posted:
            mask[run.posted_first : run.posted_last + 1] = True
        else:
            mask[run.first : run.last + 1] = True
    return mask


def _uncovered(mask: np.ndarray, min_samples: int) -> list[tuple[int, int]]:
    """Runs (first, last) of samples not covered, at least `min_samples` long."""
    spans = []
    start = None
    for index, hit in enumerate([*mask.tolist(), True]):
        if not hit and start is None:
            start = index
        elif hit and start is not None:
            if index - start >= min_samples:
                spans.append((start, index - 1))
            start = None
    return spans


def _at_edge(span: tuple[int, int], count: int, fps: float, tolerance_s: float) -> bool:
    first, last = span
    touches = first == 0 or last == count - 1
    return touches and (last - first + 1) / fps <= tolerance_s + 1e-9


def _seconds(span: tuple[int, int], fps: float, duration_s: float) -> Range:
    """The time a span of samples covers; the last sample shows the video up to its end only."""
    start = span[0] / fps
    return (start, max(start, min((span[1] + 1) / fps, duration_s)))


def _neighbour_gap(found: list[Run], span: tuple[int, int]) -> int:
    """Posted samples between the runs just before and just after an uncovered approved span."""
    before = [r for r in found if r.last < span[0]]
    after = [r for r in found if r.first > span[1]]
    start = max((r.posted_last for r in before), default=-1) + 1
    end = min((r.posted_first for r in after), default=start)
    return max(0, end - start)


def _classify(
    dist: np.ndarray,
    found: list[Run],
    masks: tuple[np.ndarray, np.ndarray],
    durations: tuple[float, float],
    fps: float,
    tolerance_s: float,
) -> _Gaps:
    """Sort every uncovered stretch of both videos into missing, changed (moved or replaced) and extra."""
    min_samples = max(2, round(MIN_RUN_S * fps))
    n, m = dist.shape
    gaps = _Gaps([], [], [], [])
    for span in _uncovered(masks[0], min_samples):
        if _at_edge(span, n, fps, tolerance_s):
            continue
        share, _ = best_elsewhere(dist, slice(span[0], span[1] + 1), axis=0)
        seconds = _seconds(span, fps, durations[0])
        if share >= _MOVED_SHARE:
            gaps.changed.append(seconds)
            gaps.moved.append(seconds)
        elif _neighbour_gap(found, span) >= min_samples:
            gaps.changed.append(seconds)
        else:
            gaps.missing.append(seconds)
    for span in _uncovered(masks[1], min_samples):
        if _at_edge(span, m, fps, tolerance_s):
            continue
        share, offset = best_elsewhere(dist, slice(span[0], span[1] + 1), axis=1)
        if share >= _MOVED_SHARE and offset is not None and _inside(span, offset, gaps.moved, fps):
            continue  # the other copy of content listed as moved
        gaps.extra.append(_seconds(span, fps, durations[1]))
    return gaps


def _inside(span: tuple[int, int], shift: int, ranges: list[Range], fps: float) -> bool:
    """Whether the posted span, shifted back to approved samples, lies mostly within one of `ranges`."""
    start, end = (span[0] + shift) / fps, (span[1] + 1 + shift) / fps
    return any(min(end, b) - max(start, a) >= 0.5 * (end - start) for a, b in ranges)


def _audio(
    approved: VideoPrint, posted: VideoPrint, found: list[Run], fps: float
) -> tuple[float | None, dict[int, int]]:
    """Share of approved landmarks heard at the picture's offset, and the audio offset of each run."""
    times = approved.audio.times.astype(np.int64)
    if len(times) < _MIN_LANDMARKS:
        return None, {}
    pairs = offset_pairs(approved.audio, posted.audio)
    if not found:
        matched, total, _ = matched_share(pairs, np.ones(len(times), bool))
        return matched / max(total, 1), {}
    matched_sum = total_sum = 0
    offsets: dict[int, int] = {}
    for index, run in enumerate(found):
        start_s, end_s = run.first / fps, (run.last + 1) / fps
        mask = (times * HOP_S >= start_s) & (times * HOP_S < end_s)
        matched, total, best = matched_share(pairs, mask, run.offset / fps)
        matched_sum += matched
        total_sum += total
        # Only a run whose sound clearly lines up may correct the picture's offset.
        if best is not None and total >= 10 and matched >= AUDIO_MATCH * total:
            offsets[index] = best
    if total_sum < _MIN_LANDMARKS:
        return None, offsets
    return matched_sum / total_sum, offsets


def _offset(found: list[Run], audio_offsets: dict[int, int], fps: float) -> float:
    """The offset of the longest run: the sound's (to 16 ms) when it lines up there, else the picture's."""
    if not found:
        return 0.0
    index = max(range(len(found)), key=lambda k: found[k].length)
    if index in audio_offsets:
        return audio_offsets[index] * HOP_S
    return found[index].offset / fps


def _span_text(ranges: list[Range]) -> str:
    return ", ".join(f"{a:.1f}-{b:.1f} s" for a, b in ranges)


def _reason(verdict: MatchVerdict, similarity: float, audio: float | None, offset: float, gaps: _Gaps) -> str:
    sound_matches = audio is not None and audio >= AUDIO_MATCH
    if verdict == "different_video":
        text = f"A different video: only {similarity:.0%} of the approved picture appears in the posted one"
        if sound_matches:
            # Same sound under other pictures: re-shot, or re-framed further than the hashes follow.
            text += ", although its sound is the approved sound"
        return text + "."
    parts = []
    if verdict == "same":
        parts.append(f"The posted video shows the approved cut (offset {offset:+.2f} s)")
    else:
        moved = gaps.moved
        replaced_ranges = [r for r in gaps.changed if r not in moved]
        if gaps.missing:
            parts.append(f"missing from the approved video: {_span_text(gaps.missing)}")
        if moved:
            parts.append(f"moved to another place: {_span_text(moved)}")
        if replaced_ranges:
            parts.append(f"replaced by other pictures: {_span_text(replaced_ranges)}")
        if gaps.extra:
            parts.append(f"not in the approved video, at {_span_text(gaps.extra)} of the post")
        parts[0] = f"A different cut; {parts[0]}"
    if audio is not None and not sound_matches:
        parts.append("the sound is not the approved one (replaced or muted)")
    return "; ".join(parts) + "."
