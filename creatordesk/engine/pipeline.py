"""The review runner: probe the file, run every step, and collect one `ReviewResult`.

Steps declare which other steps they read from (`needs`); the runner starts each one as soon as
those have finished, so speech recognition runs while the frames are decoded, and OCR next to the
visual checks. Every step is timed. A step that raises is recorded in `errors` and the review goes
on with what the others found; only an `InputError` (the file itself is unusable, raised by probe)
ends the review. Temporary files live in one directory that is removed at the end, whatever happens.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from creatordesk.engine.context import ReviewContext
from creatordesk.engine.priority import limit_library_threads
from creatordesk.engine.steps.audio import AudioStep
from creatordesk.engine.steps.base import MediaInfo, ReviewState, Step
from creatordesk.engine.steps.caption import CaptionStep
from creatordesk.engine.steps.fit import FitStep
from creatordesk.engine.steps.format import FormatStep
from creatordesk.engine.steps.frames import FramesStep
from creatordesk.engine.steps.onscreen import OnscreenTextStep
from creatordesk.engine.steps.probe import ProbeStep
from creatordesk.engine.steps.rules import RulesStep
from creatordesk.engine.steps.speech import SpeechStep
from creatordesk.engine.steps.visual import ProductStep, VisualStep
from creatordesk.engine.types import Brief, Finding, InputError, TextSpan, Verdict
from creatordesk.lib.process_tags import scratch_prefix

SCHEMA_ID = "creatordesk.review/1"

Progress = Callable[[str, float], None]

# In report order; the runner may overlap steps whose needs are met.
STEPS: tuple[Step, ...] = (
    ProbeStep(),
    AudioStep(),
    SpeechStep(),
    FramesStep(),
    OnscreenTextStep(),
    VisualStep(),
    ProductStep(),
    CaptionStep(),
    RulesStep(),
    FormatStep(),
    FitStep(),
)

_SEVERITY_ORDER = {"block": 0, "warn": 1, "info": 2}


@dataclass(frozen=True)
class StepError:
    """A step that failed; the review carries on without its part."""

    step: str
    error: str


@dataclass
class ReviewResult:
    """Everything one review found; `as_dict()` is the JSON document of schema creatordesk.review/1."""

    video: str
    media: MediaInfo
    transcript: list[TextSpan]
    onscreen_text: list[TextSpan]
    findings: list[Finding]
    fit: dict[str, Any]
    timings: dict[str, float]
    errors: list[StepError] = field(default_factory=list)
    packs: list[str] = field(default_factory=list)
    caption: str = ""
    loudness_lufs: float | None = None
    language: str | None = None

    @property
    def verdict(self) -> Verdict:
        """block on any blocking finding; needs_review on a warning or an incomplete review; else clean."""
        if any(f.severity == "block" for f in self.findings):
            return "block"
        if any(f.severity == "warn" for f in self.findings) or self.errors:
            return "needs_review"
        return "clean"

    def as_dict(self) -> dict[str, Any]:
        media = self.media.as_dict()
        media["loudness_lufs"] = _finite(self.loudness_lufs)
        return {
            "schema": SCHEMA_ID,
            "video": self.video,
            "media": media,
            "transcript": [
                {"start_s": round(s.start_s, 2), "end_s": round(s.end_s, 2), "text": s.text, "lang": s.lang}
                for s in self.transcript
            ],
            "onscreen_text": [
                {
                    "start_s": round(s.start_s, 2),
                    "end_s": round(s.end_s, 2),
                    "text": s.text,
                    "lang": s.lang,
                    "group": s.group,
                }
                for s in self.onscreen_text
            ],
            "caption": self.caption,
            "language": self.language,
            "packs": self.packs,
            "findings": [f.as_dict() for f in self.findings],
            "verdict": self.verdict,
            "fit": self.fit,
            "timings": {name: round(seconds, 3) for name, seconds in self.timings.items()},
            "errors": [{"step": e.step, "error": e.error} for e in self.errors],
        }


def _finite(value: float | None) -> float | None:
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return None
    return round(value, 1)


def _sorted_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.start_s, _SEVERITY_ORDER[f.severity], f.category, f.rule))


def _run_timed(step: Step, ctx: ReviewContext, state: ReviewState) -> float:
    started = time.perf_counter()
    step.run(ctx, state)
    return time.perf_counter() - started


def run_steps(
    steps: Sequence[Step], ctx: ReviewContext, state: ReviewState, progress: Progress | None = None
) -> tuple[dict[str, float], list[StepError]]:
    """Run the steps as their needs allow; returns the time each took and the ones that failed.

    `progress` is called from the calling thread only, after each step, with the share of steps done.
    """
    timings: dict[str, float] = {}
    errors: list[StepError] = []
    finished: set[str] = set()
    pending = list(steps)
    running: dict[Future[float], Step] = {}

    def report(name: str) -> None:
        finished.add(name)
        if progress is not None:
            progress(name, len(finished) / len(steps))

    # Three workers: the longest stretch overlaps speech recognition, OCR and the visual checks.
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="review-step") as pool:
        while pending or running:
            for step in _ready(pending, finished):
                pending.remove(step)
                if step.applies_to(state):
                    running[pool.submit(_run_timed, step, ctx, state)] = step
                else:
                    report(step.name)
            if not running:
                if pending:  # needs that no step provides: a wiring mistake, not bad input
                    raise RuntimeError(f"steps wait for unknown steps: {[s.name for s in pending]}")
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                step = running.pop(future)
                _record_outcome(step, future, running, timings, errors)
                report(step.name)
    return timings, errors


def _ready(pending: list[Step], finished: set[str]) -> list[Step]:
    """The pending steps whose needs have all finished, in the order they were given."""
    return [step for step in pending if all(need in finished for need in step.needs)]


def _record_outcome(
    step: Step,
    future: Future[float],
    running: dict[Future[float], Step],
    timings: dict[str, float],
    errors: list[StepError],
) -> None:
    """Store a finished step's time or its failure; an InputError (the file is unusable) ends the review."""
    try:
        timings[step.name] = future.result()
    except InputError:
        for other in running:
            other.cancel()
        raise
    except Exception as exc:  # a failing step must not sink the whole review
        errors.append(StepError(step.name, f"{type(exc).__name__}: {exc}"))


def _load_packs(packs: Sequence[Any] | None) -> tuple[list[Any], list[str]]:
    from creatordesk.engine.rules import DEFAULT_PACKS, load_packs

    if packs is None:
        packs = list(DEFAULT_PACKS)
    names = [p for p in packs if isinstance(p, str)]
    loaded = load_packs(names) if names else []
    objects = [p for p in packs if not isinstance(p, str)]
    all_packs = [*loaded, *objects]
    return all_packs, [str(getattr(p, "name", p)) for p in all_packs]


def review_video(
    path: Path | str,
    *,
    ctx: ReviewContext | None = None,
    brief: Brief | None = None,
    caption: str | None = None,
    packs: Sequence[Any] | None = None,
    progress: Progress | None = None,
) -> ReviewResult:
    """Review one video file.

    `packs` are pack names (loaded with `load_packs`) or already loaded packs; None means the
    default packs. `caption` None means the brief's caption. Raises `InputError` when the file
    cannot be reviewed at all (not a video, over a limit) or a pack name is unknown.
    """
    ctx = ctx or ReviewContext.from_env()
    brief = brief or Brief()
    loaded_packs, pack_names = _load_packs(packs)
    limit_library_threads(ctx.threads)
    started = time.perf_counter()
    # The pid in the name lets a clean-up remove the folder of a process that was killed mid-review.
    work_dir = Path(tempfile.mkdtemp(prefix=scratch_prefix("review"), dir=ctx.work_dir))
    try:
        state = ReviewState(
            path=Path(path),
            brief=brief,
            caption=brief.caption if caption is None else caption,
            packs=loaded_packs,
            work_dir=work_dir,
        )
        timings, errors = run_steps(STEPS, ctx, state, progress)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    timings["total"] = time.perf_counter() - started
    assert state.media is not None  # probe either filled it in or raised
    return ReviewResult(
        video=state.path.name,
        media=state.media,
        transcript=state.transcript,
        onscreen_text=state.onscreen,
        findings=_sorted_findings(state.findings),
        fit=state.fit,
        timings=timings,
        errors=errors,
        packs=pack_names,
        caption=state.caption,
        loudness_lufs=state.loudness_lufs,
        language=state.language,
    )
