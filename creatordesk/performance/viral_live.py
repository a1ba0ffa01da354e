"""The evaluated early-views model in the live detection path.

A workspace's model is trained on its own posts that have been followed for 30 days and kept as a
file under VAR_DIR/models; until a workspace has enough history, detection falls back to comparing
a post with its creator's and the workspace's other posts at the same age (services/breakouts.py).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

from django.conf import settings

from creatordesk.performance.viral.model import EarlyViewsModel, TooEarlyError
from creatordesk.performance.viral.series import VideoSeries

_cache: dict[int, tuple[float, EarlyViewsModel]] = {}
Curve = list[tuple[float, int]]


def model_file(workspace_id: int) -> Path:
    return Path(settings.VAR_DIR) / "models" / f"viral-workspace-{workspace_id}.pickle"


def workspace_model_save(*, workspace_id: int, model: EarlyViewsModel) -> Path:
    """Store atomically: a worker reading the model never sees half a file."""
    path = model_file(workspace_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
        pickle.dump(model, handle)
    os.replace(handle.name, path)
    _cache.pop(workspace_id, None)
    return path


def workspace_model(workspace_id: int) -> EarlyViewsModel | None:
    path = model_file(workspace_id)
    try:
        modified = path.stat().st_mtime
    except FileNotFoundError:
        return None
    cached = _cache.get(workspace_id)
    if cached is None or cached[0] != modified:
        with path.open("rb") as handle:
            # Written only by workspace_model_save from our own training, never from uploads.
            cached = (modified, pickle.load(handle))
        _cache[workspace_id] = cached
    return cached[1]


def series_of(post_id: int, curve: Curve, creator_id: int) -> VideoSeries | None:
    points = [(age, float(views)) for age, views in curve if age > 0]
    if not points:
        return None
    ages, views = zip(*points, strict=True)
    return VideoSeries(str(post_id), tuple(ages), tuple(views), "", str(creator_id))


def workspace_model_train(
    *, workspace_id: int, curves: dict[int, Curve], creators: dict[int, int]
) -> Path | None:
    """Fit on the posts' curves; None when too few posts have been followed long enough."""
    series = [s for pk, curve in curves.items() if (s := series_of(pk, curve, creators.get(pk, 0)))]
    try:
        model = EarlyViewsModel().fit(series)
    except ValueError:
        return None
    return workspace_model_save(workspace_id=workspace_id, model=model)


def model_breakout(
    model: EarlyViewsModel, *, post_id: int, curve: Curve, history: list[VideoSeries]
) -> tuple[float, dict[str, str]] | None:
    """(score, explanation per language) when the model flags the post as a likely breakout."""
    from creatordesk.performance.wording import in_every_language, model_explanation

    observed = {age: float(views) for age, views in curve if age > 0}
    if not observed:
        return None
    try:
        facts = model.explanation_facts(observed, creator_history=history)
    except TooEarlyError:
        return None
    if not facts.breakout.flagged:
        return None
    return round(facts.breakout.score, 2), in_every_language(lambda: model_explanation(facts))
