"""Probe: decide whether the file is a video we can review, and read its basic properties.

This is the one step whose failure ends the review: every rejection is an `InputError` with a
one-line message the uploader can act on. Size and file type are checked before ffprobe parses
anything, and nothing here decodes a frame.
"""

from __future__ import annotations

import codecs
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from creatordesk.engine.steps.base import MediaInfo, ReviewState
from creatordesk.engine.tools import ffmpeg
from creatordesk.engine.types import InputError

if TYPE_CHECKING:
    from creatordesk.engine.context import ReviewContext

# Containers ffmpeg reads but that hold a still picture, not a video.
_IMAGE_FORMATS = ("image2", "_pipe", "gif", "apng", "webp")
_PROBE_TIMEOUT_S = 30.0


def _sniff_text(path: Path) -> bool:
    """True when the file starts like plain text; no video container starts with printable text only."""
    with path.open("rb") as handle:
        head = handle.read(512)
    if not head:
        return False
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return all(char.isprintable() or char in "\t\n\r\f" for char in text)


def _fps(stream: dict[str, Any]) -> float:
    for key in ("avg_frame_rate", "r_frame_rate"):
        raw = str(stream.get(key) or "0/0")
        try:
            value = float(Fraction(raw))
        except (ValueError, ZeroDivisionError):
            continue
        if value > 0:
            return value
    return 0.0


def _rotation(stream: dict[str, Any]) -> int:
    """Display rotation in degrees, from the display matrix (current ffmpeg) or the old `rotate` tag."""
    for side in stream.get("side_data_list") or []:
        if isinstance(side, dict) and "rotation" in side:
            return int(float(side["rotation"])) % 360
    tags = stream.get("tags") or {}
    try:
        return int(float(tags.get("rotate", 0))) % 360
    except (TypeError, ValueError):
        return 0


def _duration(first: dict[str, Any], second: dict[str, Any]) -> float:
    """The first positive duration of the two metadata blocks (format or stream)."""
    for raw in (first.get("duration"), second.get("duration")):
        if raw is None:
            continue
        try:
            value = float(raw)
        except (TypeError, ValueError):
            continue
        if value > 0:
            return value
    return 0.0


def probe_file(path: Path, ctx: ReviewContext) -> MediaInfo:
    """Return the file's MediaInfo or raise InputError saying why it cannot be reviewed."""
    size = _checked_size(path, ctx)
    timeout = min(ctx.tool_timeout_s, _PROBE_TIMEOUT_S)
    data = _ffprobe(path, timeout)
    fmt: dict[str, Any] = data.get("format") or {}  # type: ignore[assignment]
    streams: list[dict[str, Any]] = data.get("streams") or []  # type: ignore[assignment]
    container = str(fmt.get("format_name") or "")
    video, has_audio = _video_stream(path, container, streams)
    width, height, rotation = _display_size(path, video, ctx)
    duration = _duration(fmt, video)
    _check_duration(path, duration, ctx)
    # The tail read looks at the video stream, so that stream's own duration comes first.
    _reject_truncated(path, _duration(video, fmt), timeout)
    return MediaInfo(
        container=container,
        duration_s=duration,
        width=width,
        height=height,
        fps=_fps(video),
        has_audio=has_audio,
        video_codec=str(video.get("codec_name") or ""),
        rotation=rotation,
        size_bytes=size,
    )


def _checked_size(path: Path, ctx: ReviewContext) -> int:
    """The file's size, once the checks that need no ffprobe pass: it exists, is not empty or text, fits."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path.name}: the file is empty (0 bytes)")
    if size > ctx.max_bytes:
        gb = 1024**3
        raise InputError(
            f"{path.name}: the file is {size / gb:.1f} GB, more than the {ctx.max_bytes / gb:.1f} GB limit"
        )
    if _sniff_text(path):
        raise InputError(f"{path.name}: not a video (the file contains text)")
    return size


def _ffprobe(path: Path, timeout: float) -> dict[str, object]:
    """ffprobe's description of the file; a file it cannot parse is no video we can review."""
    try:
        return ffmpeg.ffprobe(path, timeout_s=timeout)
    except ffmpeg.ToolError as exc:
        reason = str(exc).replace(f"{path}: ", "")
        raise InputError(f"{path.name}: not a readable video ({reason})") from None


def _video_stream(path: Path, container: str, streams: list[dict[str, Any]]) -> tuple[dict[str, Any], bool]:
    """The first real video stream and whether the file has sound; audio files and images are refused."""
    # Cover art in a music file is a video stream too, flagged as an attached picture.
    videos = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    has_audio = any(s.get("codec_type") == "audio" for s in streams)
    if not videos:
        if has_audio:
            raise InputError(f"{path.name}: audio only, there is no video track")
        raise InputError(f"{path.name}: not a video (no video track)")
    if any(marker in container for marker in _IMAGE_FORMATS):
        raise InputError(f"{path.name}: a still image, not a video")
    return videos[0], has_audio


def _display_size(path: Path, video: dict[str, Any], ctx: ReviewContext) -> tuple[int, int, int]:
    """Width and height as the video is shown, and its rotation; sizes outside the limits are refused."""
    width, height = int(video.get("width") or 0), int(video.get("height") or 0)
    rotation = _rotation(video)
    if rotation in (90, 270):
        width, height = height, width
    if max(width, height) > ctx.max_side_px or min(width, height) < ctx.min_side_px:
        raise InputError(
            f"{path.name}: {width}x{height} px is not a plausible video size "
            f"(each side must be {ctx.min_side_px}-{ctx.max_side_px} px)"
        )
    if width * height > ctx.max_pixels:
        raise InputError(
            f"{path.name}: {width}x{height} px is more than the {ctx.max_pixels / 1e6:g} megapixel limit"
        )
    return width, height, rotation


def _check_duration(path: Path, duration: float, ctx: ReviewContext) -> None:
    """Refuse a video without a duration or longer than the context allows."""
    if duration <= 0:
        raise InputError(f"{path.name}: the video has no duration")
    if duration > ctx.max_duration_s:
        raise InputError(
            f"{path.name}: the video is {duration:.0f} s long, more than the {ctx.max_duration_s:.0f} s limit"
        )


def _reject_truncated(path: Path, duration: float, timeout: float) -> None:
    """Reject a file whose header promises more video than the file holds (an upload cut short)."""
    try:
        last, partial = ffmpeg.last_packet_time(path, from_s=duration - 2.0, stream="v:0", timeout_s=timeout)
    except ffmpeg.ToolError as exc:
        raise InputError(f"{path.name}: the file cannot be read ({exc})") from None
    # Containers without packet times (raw streams) cannot be checked this way; only a tail read
    # that fails or ends early counts.
    if partial or 0 <= last < duration - 3.0:
        raise InputError(f"{path.name}: the file is truncated (it ends before the video does)")


class ProbeStep:
    name: ClassVar[str] = "probe"
    needs: ClassVar[tuple[str, ...]] = ()

    def applies_to(self, state: ReviewState) -> bool:
        return True

    def run(self, ctx: ReviewContext, state: ReviewState) -> None:
        state.media = probe_file(state.path, ctx)
