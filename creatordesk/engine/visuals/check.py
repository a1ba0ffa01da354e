"""Run every visual check over one image: the steps in order, each timed, each failure kept as a
result instead of ending the check.

A step reads what earlier steps left in `VisualState` and adds its part (provenance before the
labelling decision, which needs it). The report is the `creatordesk.visual/1` JSON document
(schema: engine/schema/visual.schema.json).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from creatordesk.engine.visuals.brief import VisualBrief
from creatordesk.engine.visuals.context import VisualContext
from creatordesk.engine.visuals.load import LoadedImage, load_image
from creatordesk.engine.visuals.types import (
    CHANNELS,
    Channel,
    LabelDecision,
    Provenance,
    ReviewItem,
    VisualFinding,
    VisualInputError,
)

SCHEMA = "creatordesk.visual/1"
Progress = Callable[[str, float], None]


@dataclass
class VisualState:
    """Everything known about one image so far; steps fill it in order."""

    image: LoadedImage
    brief: VisualBrief
    channels: tuple[Channel, ...]
    provenance: Provenance = field(default_factory=Provenance)
    decisions: list[LabelDecision] = field(default_factory=list)
    quality: dict[str, Any] = field(default_factory=dict)  # figures: blur, exposure, IQA score, OCR text
    brand: dict[str, Any] = field(default_factory=dict)  # figures: palette, brand share, hash distances
    faces: list[Any] = field(default_factory=list)  # Regions of faces found
    findings: list[VisualFinding] = field(default_factory=list)
    review_items: list[ReviewItem] = field(default_factory=list)


class VisualStep(Protocol):
    name: str

    def applies_to(self, state: VisualState) -> bool: ...

    def run(self, state: VisualState, ctx: VisualContext) -> None: ...


@dataclass
class StepResult:
    name: str
    status: str  # "ok", "skipped" or "failed"
    seconds: float
    error: str = ""


def default_steps() -> list[VisualStep]:
    # Imported here so that a CLI error or --help answers before OpenCV and OCR load.
    from creatordesk.engine.visuals.brand import BRAND_STEPS
    from creatordesk.engine.visuals.labelling import LabellingStep
    from creatordesk.engine.visuals.provenance import ProvenanceStep
    from creatordesk.engine.visuals.quality import QUALITY_STEPS

    return [ProvenanceStep(), *QUALITY_STEPS, *BRAND_STEPS, LabellingStep()]


@dataclass
class VisualReport:
    path: Path
    state: VisualState
    steps: list[StepResult]

    def as_dict(self) -> dict[str, Any]:
        state = self.state
        return {
            "schema": SCHEMA,
            "file": {
                "name": self.path.name,
                "format": state.image.format,
                "width": state.image.width,
                "height": state.image.height,
                "bytes": self.path.stat().st_size,
            },
            "channels": list(state.channels),
            "provenance": state.provenance.as_dict(),
            "label_decisions": [d.as_dict() for d in state.decisions],
            "quality": state.quality,
            "brand": state.brand,
            "findings": [f.as_dict() for f in state.findings],
            "review_items": [i.as_dict() for i in state.review_items],
            "steps": [vars(s) | {"seconds": round(s.seconds, 3)} for s in self.steps],
        }


def check_image(
    path: Path,
    *,
    ctx: VisualContext | None = None,
    brief: VisualBrief | None = None,
    channels: Sequence[str] = CHANNELS,
    steps: Sequence[VisualStep] | None = None,
    progress: Progress | None = None,
) -> VisualReport:
    """Check one image; VisualInputError (one line) when the file cannot be checked at all."""
    ctx = ctx or VisualContext()
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown or not channels:
        raise VisualInputError(
            f"unknown channel {unknown[0] if unknown else '(none)'!r} (known: {', '.join(CHANNELS)})"
        )
    state = VisualState(
        image=load_image(Path(path), ctx),
        brief=brief or VisualBrief(),
        channels=tuple(c for c in CHANNELS if c in channels),
    )
    chosen = list(default_steps() if steps is None else steps)
    results = []
    for index, step in enumerate(chosen):
        if progress:
            progress(step.name, index / len(chosen))
        started = time.monotonic()
        if not step.applies_to(state):
            results.append(StepResult(step.name, "skipped", 0.0))
            continue
        try:
            step.run(state, ctx)
        except Exception as exc:  # a failing check is a result; the other checks still run
            results.append(
                StepResult(step.name, "failed", time.monotonic() - started, f"{type(exc).__name__}: {exc}")
            )
        else:
            results.append(StepResult(step.name, "ok", time.monotonic() - started))
    if progress:
        progress("done", 1.0)
    return VisualReport(path=Path(path), state=state, steps=results)
