"""The contract every pipeline step follows, and the state the steps fill in together.

A step reads what earlier steps left in `ReviewState` and adds its own part. Steps that may run at
the same time (speech next to the frame work) write disjoint fields; findings go through
`add_findings`, which is safe to call from several threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from creatordesk.engine.types import Brief, Finding, Frame, TextSpan

if TYPE_CHECKING:
    from creatordesk.engine.context import ReviewContext


@dataclass(frozen=True)
class MediaInfo:
    """What ffprobe says about the file, with rotation already applied to width and height."""

    container: str
    duration_s: float
    width: int
    height: int
    fps: float
    has_audio: bool
    video_codec: str
    rotation: int = 0
    size_bytes: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "duration_s": round(self.duration_s, 2),
            "width": self.width,
            "height": self.height,
            "fps": round(self.fps, 2),
            "has_audio": self.has_audio,
            "container": self.container,
            "video_codec": self.video_codec,
            "rotation": self.rotation,
            "size_bytes": self.size_bytes,
        }


@dataclass(frozen=True)
class FrameVisual:
    """What the visual checks saw in one kept frame."""

    t: float
    faces: int = 0
    nudity: tuple[tuple[str, float], ...] = ()


@dataclass
class ReviewState:
    """Everything known about one review so far; steps fill it in order."""

    path: Path
    brief: Brief
    caption: str
    packs: list[Any]
    work_dir: Path
    media: MediaInfo | None = None
    audio: Any = None  # tools.ffmpeg.Audio once extracted
    loudness_lufs: float | None = None
    transcript: list[TextSpan] = field(default_factory=list)
    language: str | None = None
    sample_times: list[float] = field(default_factory=list)
    cuts: list[float] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    onscreen: list[TextSpan] = field(default_factory=list)
    caption_span: TextSpan | None = None
    visual: list[FrameVisual] = field(default_factory=list)
    product_matches: list[tuple[float, int]] = field(default_factory=list)  # (time, ORB inliers)
    findings: list[Finding] = field(default_factory=list)
    fit: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add_findings(self, findings: list[Finding]) -> None:
        with self._lock:
            self.findings.extend(findings)

    @property
    def duration_s(self) -> float:
        return self.media.duration_s if self.media else 0.0

    def spans(self) -> list[TextSpan]:
        """All text tied to the video, in the order the rules expect: speech, on-screen, caption."""
        spans = [*self.transcript, *self.onscreen]
        if self.caption_span is not None:
            spans.append(self.caption_span)
        return spans


class Step(Protocol):
    """One unit of pipeline work.

    `needs` names the steps whose results this one reads; the runner starts a step once they have
    finished (successfully or not) and `applies_to` says yes.
    """

    name: ClassVar[str]
    needs: ClassVar[tuple[str, ...]]

    def applies_to(self, state: ReviewState) -> bool: ...

    def run(self, ctx: ReviewContext, state: ReviewState) -> None: ...
