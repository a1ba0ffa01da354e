"""The review runner: progress, failure isolation, clean-up, and the Python API the web app calls."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from creatordesk.engine.context import ReviewContext
from creatordesk.engine.pipeline import STEPS, review_video
from creatordesk.engine.rules import load_packs
from creatordesk.engine.schema import review_schema
from creatordesk.engine.types import Brief, InputError

pytestmark = pytest.mark.media

SCHEMA = review_schema()


def test_progress_reports_every_step_and_ends_at_one(ctx: ReviewContext, plain_clip: Path) -> None:
    calls: list[tuple[str, float]] = []
    review_video(plain_clip, ctx=ctx, packs=[], progress=lambda step, done: calls.append((step, done)))
    assert {step for step, _ in calls} == {step.name for step in STEPS}
    fractions = [done for _, done in calls]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0


def test_a_failing_check_is_reported_and_the_rest_of_the_review_still_runs(
    ctx: ReviewContext, plain_clip: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "product.png"
    broken.write_text("not an image")
    result = review_video(plain_clip, ctx=ctx, brief=Brief(reference_images=(broken,)), packs=[])
    assert [error.step for error in result.errors] == ["product"]
    assert "product.png" in result.errors[0].error
    # The other checks ran: people were looked for, the format was checked.
    assert "visual" in result.timings and "format" in result.timings
    # An incomplete review is never clean.
    assert result.verdict == "needs_review"
    jsonschema.validate(result.as_dict(), SCHEMA)


def test_temporary_files_are_removed_after_the_review(plain_clip: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    review_video(plain_clip, ctx=ReviewContext(work_dir=work), packs=[], caption="Werbung")
    assert list(work.iterdir()) == []


def test_loaded_packs_can_be_passed_instead_of_names(ctx: ReviewContext, plain_clip: Path) -> None:
    packs = load_packs(["de-law"])
    result = review_video(plain_clip, ctx=ctx, packs=packs, caption="Meine neue Creme")
    assert result.packs == ["de-law"]
    assert [f.category for f in result.findings if f.category.startswith("disclosure")]


def test_video_over_the_length_limit_is_refused_before_any_work(plain_clip: Path) -> None:
    with pytest.raises(InputError, match="more than the 2 s limit"):
        review_video(plain_clip, ctx=ReviewContext(max_duration_s=2), packs=[])


def test_unknown_pack_is_refused(ctx: ReviewContext, plain_clip: Path) -> None:
    with pytest.raises(InputError, match="no-such-pack"):
        review_video(plain_clip, ctx=ctx, packs=["no-such-pack"])
