"""Fingerprints of a whole video: a crop-tolerant hash per sampled frame, and audio landmarks.

A print is a few kilobytes per minute and is stored as JSON, so an approved video can be compared
with what was posted long after the approved file itself is gone.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from creatordesk.engine.context import ReviewContext
from creatordesk.engine.matching.landmarks import SAMPLE_RATE, AudioPrint, landmarks
from creatordesk.engine.steps.probe import probe_file
from creatordesk.engine.tools.ffmpeg import FrameReader, ToolError, read_audio
from creatordesk.engine.types import InputError

SCHEMA_ID = "creatordesk.videoprint/1"
DEFAULT_FPS = 4.0
# Frames are scaled to this size whatever their shape, so the same picture in 1080x1920 and
# 720x1280 lands on the same pixels. Large enough that ffmpeg's fast two-tap scaler does not alias
# fine patterns into the hash; the exact reduction to 32x32 is done afterwards with an area filter.
_DECODE_W, _DECODE_H = 144, 256
# The hashed band: app UI, caption bars and crops sit in the top ~15 % and bottom ~25 % of a
# TikTok frame (status bar, search, the description and the music ticker), so only the middle is
# hashed. The side margins drop pillarbox edges and the like/comment column's outer half.
_BAND_TOP, _BAND_BOTTOM = 0.20, 0.78
_BAND_LEFT, _BAND_RIGHT = 0.04, 0.90
# A band whose grey levels vary less than this (0-255) is a black or single-colour frame: its hash
# is noise, so such frames are marked blank and matched only with each other.
_BLANK_STD = 3.0


class UnreadableVideoError(InputError, ValueError):
    """The file cannot be fingerprinted: empty, not a video, or ffmpeg cannot decode it."""


class PrintFormatError(ValueError):
    """Stored print JSON that is not a valid video print."""


@dataclass(frozen=True, eq=False)
class VideoPrint:
    """Frame hashes sampled at `fps` (64-bit DCT hashes of the middle band) and the audio landmarks."""

    fps: float
    duration_s: float
    frames: np.ndarray  # uint64, one per sample, sample i shows time i / fps
    blank: np.ndarray  # bool, per sample
    audio: AudioPrint
    has_audio: bool

    def to_json(self) -> str:
        """The print as compact JSON; arrays are base64 of their little-endian bytes."""
        return json.dumps(
            {
                "schema": SCHEMA_ID,
                "fps": self.fps,
                "duration_s": round(self.duration_s, 3),
                "has_audio": self.has_audio,
                "frames": _b64(self.frames.astype("<u8")),
                "blank": _b64(np.packbits(self.blank)),
                "audio_hashes": _b64(self.audio.hashes.astype("<u4"), packed=True),
                # Times rise slowly, so their steps (mostly 0-20) pack to a fraction of the size.
                "audio_times": _b64(np.diff(self.audio.times, prepend=0).astype("<u4"), packed=True),
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> VideoPrint:
        """Rebuild a print from `to_json()`; raises PrintFormatError on anything else."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("schema") != SCHEMA_ID:
                raise PrintFormatError(f"not a {SCHEMA_ID} document")
            frames = _unb64(data["frames"], "<u8").astype(np.uint64)
            blank = np.unpackbits(_unb64(data["blank"], "u1"))[: len(frames)].astype(bool)
            hashes = _unb64(data["audio_hashes"], "<u4", packed=True).astype(np.uint32)
            times = np.cumsum(_unb64(data["audio_times"], "<u4", packed=True), dtype=np.uint32)
            fps, duration = float(data["fps"]), float(data["duration_s"])
            has_audio = bool(data["has_audio"])
        except PrintFormatError:
            raise
        except (KeyError, TypeError, ValueError, binascii.Error, zlib.error) as exc:
            raise PrintFormatError(f"broken video print: {type(exc).__name__}: {exc}") from None
        if len(hashes) != len(times) or len(blank) != len(frames) or not fps > 0:
            raise PrintFormatError("broken video print: inconsistent array lengths or rate")
        return cls(fps, duration, frames, blank, AudioPrint(hashes, times), has_audio)


def _b64(array: np.ndarray, *, packed: bool = False) -> str:
    raw = array.tobytes()
    return base64.b64encode(zlib.compress(raw, 9) if packed else raw).decode("ascii")


def _unb64(text: Any, dtype: str, *, packed: bool = False) -> np.ndarray:
    if not isinstance(text, str):
        raise TypeError("array fields must be base64 strings")
    raw = base64.b64decode(text, validate=True)
    return np.frombuffer(zlib.decompress(raw) if packed else raw, dtype=dtype)


def frame_hash(bgr: np.ndarray) -> tuple[int, bool]:
    """The 64-bit DCT hash of the middle band of a BGR frame, and whether the band is blank."""
    import cv2

    height, width = bgr.shape[:2]
    band = bgr[
        round(height * _BAND_TOP) : round(height * _BAND_BOTTOM),
        round(width * _BAND_LEFT) : round(width * _BAND_RIGHT),
    ]
    gray = cv2.cvtColor(band, cv2.COLOR_BGR2GRAY)
    if float(gray.std()) < _BLANK_STD:
        return 0, True
    small = cv2.resize(gray, (32, 32), interpolation=cv2.INTER_AREA).astype(np.float32)
    low = cv2.dct(small)[:8, :8].ravel()
    # The DC term only says how bright the band is; leaving it out of the median keeps a brightness
    # change (a colour filter, a different encoder's levels) from flipping bits.
    bits = low > np.median(low[1:])
    return int(np.packbits(bits).view(">u8")[0]), False


def _probe(path: Path, timeout_s: float) -> tuple[float, bool]:
    """Duration and whether there is sound; UnreadableVideoError for anything that is not a video."""
    try:
        media = probe_file(path, ReviewContext(tool_timeout_s=timeout_s))
    except InputError as exc:
        raise UnreadableVideoError(str(exc)) from None
    return media.duration_s, media.has_audio


def fingerprint_video(
    path: Path | str, *, fps: float = DEFAULT_FPS, timeout_s: float = 300.0, threads: int = 0
) -> VideoPrint:
    """Fingerprint one video file; raises UnreadableVideoError when it is not a decodable video.

    Four samples a second: a cut shorter than a quarter second is rare in a re-edit, and at 64 bits a
    sample the whole print, sound included, takes about 7 kB of JSON a minute. The file must pass
    the review's input checks (`probe_file` with the default limits). `timeout_s` bounds each
    ffmpeg run, `threads` its threads (0: ffmpeg's choice).
    """
    path = Path(path)
    duration, has_audio = _probe(path, timeout_s)
    hashes: list[int] = []
    blank: list[bool] = []
    try:
        with FrameReader(
            path, fps=fps, width=_DECODE_W, height=_DECODE_H, timeout_s=timeout_s, threads=threads
        ) as reader:
            for _, image in reader.frames():
                value, is_blank = frame_hash(image)
                hashes.append(value)
                blank.append(is_blank)
        audio = _audio_print(path, timeout_s, threads) if has_audio else AudioPrint.empty()
    except ToolError as exc:
        raise UnreadableVideoError(f"{path.name}: cannot be decoded ({exc})") from None
    if not hashes:
        raise UnreadableVideoError(f"{path.name}: no video frames could be decoded")
    return VideoPrint(
        fps=fps,
        duration_s=duration,
        frames=np.array(hashes, dtype=np.uint64),
        blank=np.array(blank, dtype=bool),
        audio=audio,
        has_audio=has_audio,
    )


def _audio_print(path: Path, timeout_s: float, threads: int) -> AudioPrint:
    audio = read_audio(path, sample_rate=SAMPLE_RATE, timeout_s=timeout_s, threads=threads)
    return landmarks(audio.samples)
