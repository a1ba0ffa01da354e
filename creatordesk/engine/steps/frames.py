"""Frames: decode the video once, find the cuts, and keep only the frames whose content changed.

ffmpeg hands over a few frames per second at OCR resolution (~720 px short side). Each sample is
shrunk to a thumbnail for two cheap comparisons:

* against the previous sample, to find hard cuts (mean HSV difference, the measure PySceneDetect's
  content detector uses) for the pacing score;
* against the last kept frame, to decide whether anything new is on screen: a perceptual hash for
  changes of the whole picture, and the largest per-cell difference for small changes such as a
  caption sticker appearing on an otherwise still shot.

Only kept frames travel on to OCR and the visual checks, so those run on dozens of frames, not
thousands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from creatordesk.engine.steps.base import ReviewState
from creatordesk.engine.tools import ffmpeg
from creatordesk.engine.types import Frame

if TYPE_CHECKING:
    from creatordesk.engine.context import ReviewContext

_THUMB_SHORT_SIDE = 72
_CELL_PX = 8


def analysis_size(width: int, height: int, short_side: int) -> tuple[int, int]:
    """Frame size for analysis: the short side capped at `short_side`, aspect kept, both sides even."""
    scale = min(1.0, short_side / min(width, height))
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def perceptual_hash(gray: np.ndarray) -> np.ndarray:
    """64-bit DCT perceptual hash (the pHash of the imagehash package), as 64 booleans.

    Computed with OpenCV because it runs for every sample: ~50x faster than imagehash's
    PIL + SciPy path, same bits up to resampling differences.
    """
    import cv2

    small = cv2.resize(gray, (32, 32), interpolation=cv2.INTER_AREA).astype(np.float32)
    low = cv2.dct(small)[:8, :8]
    return (low > np.median(low)).ravel()


class Sampler:
    """Decides, sample by sample, where the cuts are and which frames to keep."""

    def __init__(self, ctx: ReviewContext, duration_s: float, size: tuple[int, int]) -> None:
        self.ctx = ctx
        # Long videos get a wider minimum gap so the number of kept frames (and memory) stays bounded.
        self.min_gap = max(ctx.keep_min_gap_s, duration_s / max(ctx.max_kept_frames, 1))
        self.max_gap = max(ctx.keep_max_gap_s, self.min_gap)
        width, height = size
        scale = _THUMB_SHORT_SIDE / min(width, height)
        cells_w = max(1, round(width * scale / _CELL_PX))
        cells_h = max(1, round(height * scale / _CELL_PX))
        self.thumb_size = (cells_w * _CELL_PX, cells_h * _CELL_PX)
        self.cells = (cells_h, cells_w)
        self.kept: list[Frame] = []
        self.cuts: list[float] = []
        self.times: list[float] = []
        self._prev_hsv: np.ndarray | None = None
        self._last_cut = -1.0
        self._kept_gray: np.ndarray | None = None
        self._kept_hash: np.ndarray | None = None

    def add(self, t: float, image: np.ndarray) -> None:
        import cv2

        self.times.append(t)
        thumb = cv2.resize(image, self.thumb_size, interpolation=cv2.INTER_AREA)
        hsv = cv2.cvtColor(thumb, cv2.COLOR_BGR2HSV).astype(np.int16)
        is_cut = False
        if self._prev_hsv is not None:
            delta = float(np.abs(hsv - self._prev_hsv).mean())
            # Two cuts closer than two samples apart are one transition (a flash, a wipe).
            if delta >= self.ctx.cut_threshold and t - self._last_cut > 2 / self.ctx.sample_fps:
                self.cuts.append(t)
                self._last_cut = t
                is_cut = True
        self._prev_hsv = hsv

        gray = cv2.cvtColor(thumb, cv2.COLOR_BGR2GRAY)
        phash = perceptual_hash(gray)
        if self._kept_gray is None or self._kept_hash is None:
            self._keep(t, image, gray, phash)
            return
        since = t - self.kept[-1].t
        if since < self.min_gap or len(self.kept) >= self.ctx.max_kept_frames:
            return
        changed = is_cut or since >= self.max_gap
        if not changed:
            changed = int(np.count_nonzero(phash != self._kept_hash)) >= self.ctx.keep_hash_distance
        if not changed:
            diff = np.abs(gray.astype(np.int16) - self._kept_gray)
            cell_means = diff.reshape(self.cells[0], _CELL_PX, self.cells[1], _CELL_PX).mean(axis=(1, 3))
            changed = float(cell_means.max()) >= self.ctx.keep_cell_diff
        if changed:
            self._keep(t, image, gray, phash)

    def _keep(self, t: float, image: np.ndarray, gray: np.ndarray, phash: np.ndarray) -> None:
        self.kept.append(Frame(t=t, image=image))
        self._kept_gray = gray.astype(np.int16)
        self._kept_hash = phash


class FramesStep:
    name: ClassVar[str] = "frames"
    needs: ClassVar[tuple[str, ...]] = ("probe",)

    def applies_to(self, state: ReviewState) -> bool:
        return state.media is not None

    def run(self, ctx: ReviewContext, state: ReviewState) -> None:
        assert state.media is not None
        size = analysis_size(state.media.width, state.media.height, ctx.analysis_short_side)
        sampler = Sampler(ctx, state.media.duration_s, size)
        with ffmpeg.FrameReader(
            state.path,
            fps=ctx.sample_fps,
            width=size[0],
            height=size[1],
            timeout_s=ctx.tool_timeout_s,
            threads=ctx.threads,
        ) as reader:
            for t, image in reader.frames():
                sampler.add(t, image)
        if not sampler.times:
            raise ffmpeg.ToolError("no frame could be decoded")
        state.frames = sampler.kept
        state.cuts = sampler.cuts
        state.sample_times = sampler.times
