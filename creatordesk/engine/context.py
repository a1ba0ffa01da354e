"""The frozen set of paths, limits, model names and thresholds one review runs with.

The engine never reads Django settings: the web app and the CLI both build a `ReviewContext`
(explicitly, or from environment variables with `ReviewContext.from_env()`) and hand it in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from creatordesk.engine.speech_models import DEFAULT_MODEL
from creatordesk.engine.types import InputError
from creatordesk.lib.env import EnvError, env_float, env_int, env_str

SPEECH_LANGUAGES = ("auto", "de", "en")
MAX_NICE = 19  # the lowest priority Linux knows (setpriority(2))


def available_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class ReviewContext:
    """Everything a review needs besides the video, the brief and the caption."""

    # Where steps may write temporary files; a fresh directory below it is made and removed per review.
    work_dir: Path | None = None

    # Input limits, checked before anything is decoded.
    max_duration_s: float = 600.0
    max_bytes: int = 2 * 1024**3
    max_side_px: int = 8192
    min_side_px: int = 16
    max_pixels: int = 7680 * 4320  # 8K UHD

    # Speech recognition (faster-whisper). `whisper_model` is "base" (shipped, multilingual),
    # "tiny.en" (shipped, English only, faster) or a CTranslate2 model directory; `model_dir` is
    # where the shipped base model is joined from its packages (None: the user's cache folder).
    whisper_model: str = DEFAULT_MODEL
    model_dir: Path | None = None
    # "auto" detects the spoken language (the brief's language breaks near ties); "de" or "en" fixes it.
    language: str = "auto"
    whisper_compute_type: str = "int8"
    whisper_beam_size: int = 1
    # Threads for every model and tool of a review: speech recognition, parallel OCR processes, the
    # nudity model (ONNX Runtime), OpenCV and video decoding. 0 = all cores.
    cpu_threads: int = 0
    # How a background pre-review shares the machine with the web server (see `for_background`).
    # Even at a low priority every busy review thread takes about a tenth of a core from a busy web
    # worker (CFS weights 110 against 1024), so a background review gets half the cores by default
    # (0; at least one). It loses no time by that: the runner overlaps three steps, which fill the
    # cores with one thread each (a 60 s clip on two cores: 11-13 s with 1 thread, 12-21 s with 2).
    analysis_threads: int = 0
    # Nice value (0-19) the task worker lowers itself to for a review, so page requests win the CPU
    # whenever both want it; 0 leaves the priority alone.
    analysis_nice: int = 10

    # Frame sampling. OCR needs ~720 px; everything else works on a thumbnail of the same frames.
    sample_fps: float = 5.0
    analysis_short_side: int = 720
    keep_min_gap_s: float = 0.5
    keep_max_gap_s: float = 3.0
    keep_hash_distance: int = 12  # of 64 bits (8x8 pHash)
    keep_cell_diff: float = 18.0  # mean absolute grey difference within one thumbnail cell, 0-255
    max_kept_frames: int = 120
    cut_threshold: float = 30.0  # mean HSV difference between two samples, 0-255

    # On-screen text.
    ocr_languages: str = "deu+eng"
    ocr_min_confidence: float = 60.0

    # Visual checks.
    nudity_min_score: float = 0.5
    product_min_matches: int = 25
    product_min_share: float = 0.1

    # Format and fit.
    aspect_tolerance: float = 0.03
    min_short_side_px: int = 720
    silent_below_lufs: float = -50.0
    good_cuts_per_10s: tuple[float, float] = (1.5, 6.0)
    hook_text_s: float = 2.0
    hook_face_s: float = 3.0

    # Upper bound for each external tool call; a tool that hangs fails its step instead of the review.
    tool_timeout_s: float = 300.0

    def __post_init__(self) -> None:
        if not self.whisper_model:
            object.__setattr__(self, "whisper_model", DEFAULT_MODEL)
        if self.language not in SPEECH_LANGUAGES:
            raise InputError(f"language must be one of {', '.join(SPEECH_LANGUAGES)}, got {self.language!r}")

    @property
    def threads(self) -> int:
        """Worker threads for models and tools: the configured number, or every core."""
        return self.cpu_threads or available_cores()

    def for_background(self) -> ReviewContext:
        """This context for a review in the task worker, next to the web server: fewer threads."""
        return replace(self, cpu_threads=self.analysis_threads or max(1, available_cores() // 2))

    def with_overrides(self, **changes: Any) -> ReviewContext:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, **overrides: Any) -> ReviewContext:
        """Build a context from CREATORDESK_* environment variables; explicit overrides win.

        Bad values raise `EnvError` naming the variable, so a typo stops the process at start-up.
        """
        values: dict[str, Any] = {
            "max_duration_s": env_float("CREATORDESK_REVIEW_MAX_DURATION_S", cls.max_duration_s),
            "max_bytes": env_int("CREATORDESK_REVIEW_MAX_BYTES", cls.max_bytes, minimum=1),
            "whisper_model": env_str("CREATORDESK_WHISPER_MODEL", DEFAULT_MODEL),
            "language": env_str("CREATORDESK_SPEECH_LANGUAGE", cls.language),
            "whisper_compute_type": env_str("CREATORDESK_WHISPER_COMPUTE_TYPE", cls.whisper_compute_type),
            "whisper_beam_size": env_int("CREATORDESK_WHISPER_BEAM_SIZE", cls.whisper_beam_size, minimum=1),
            "cpu_threads": env_int("CREATORDESK_CPU_THREADS", cls.cpu_threads, minimum=0),
            "analysis_threads": env_int("CREATORDESK_ANALYSIS_THREADS", cls.analysis_threads, minimum=0),
            "analysis_nice": env_int("CREATORDESK_ANALYSIS_NICE", cls.analysis_nice, minimum=0),
            "sample_fps": env_float("CREATORDESK_REVIEW_SAMPLE_FPS", cls.sample_fps),
            "ocr_languages": env_str("CREATORDESK_OCR_LANGUAGES", cls.ocr_languages),
            "tool_timeout_s": env_float("CREATORDESK_REVIEW_TOOL_TIMEOUT_S", cls.tool_timeout_s),
        }
        model_dir = env_str("CREATORDESK_MODEL_DIR")
        if model_dir:
            values["model_dir"] = Path(model_dir)
        if values["analysis_nice"] > MAX_NICE:
            raise EnvError(
                f"CREATORDESK_ANALYSIS_NICE={values['analysis_nice']} is above the maximum of {MAX_NICE}"
            )
        if values["language"] not in SPEECH_LANGUAGES:
            raise EnvError(
                f"CREATORDESK_SPEECH_LANGUAGE={values['language']!r} must be one of {', '.join(SPEECH_LANGUAGES)}"
            )
        work_dir = env_str("CREATORDESK_REVIEW_WORK_DIR")
        if work_dir:
            values["work_dir"] = Path(work_dir)
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise TypeError(f"unknown ReviewContext fields: {', '.join(sorted(unknown))}")
        values.update(overrides)
        return cls(**values)
