"""Fit: one 0-100 score for how well the video serves the brief and the platform, with its breakdown.

Parts and their weight when everything can be measured:

* must_mentions (30): share of the brief's must-mentions said, shown or written;
* hook (25): words (spoken or on screen) in the first seconds, and a face early on;
* pacing (15): hard cuts per 10 seconds inside a range that keeps viewers watching;
* product (20): share of sampled frames that show the product from the reference images;
* format (10): vertical, sharp, right length, audible.

A part that cannot be measured (no must-mentions or no reference images in the brief) drops out and
the others are scaled up, so the parts' maxima always add up to 100 and their points to the score.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from creatordesk.engine.steps.base import ReviewState
from creatordesk.engine.steps.visual import product_share
from creatordesk.engine.wording import evidence_text

if TYPE_CHECKING:
    from creatordesk.engine.context import ReviewContext

WEIGHTS = {"must_mentions": 30, "hook": 25, "pacing": 15, "product": 20, "format": 10}
# Share of frames with the product that earns all product points.
_FULL_PRODUCT_SHARE = 0.5


def round_keeping_sum(values: list[float], total: int) -> list[int]:
    """Round to integers that add up to `total` (largest remainder method)."""
    floors = [int(v) for v in values]
    missing = total - sum(floors)
    by_remainder = sorted(range(len(values)), key=lambda i: values[i] - floors[i], reverse=True)
    for i in by_remainder[: max(missing, 0)]:
        floors[i] += 1
    return floors


def pacing_points(cuts_per_10s: float, good: tuple[float, float], weight: float) -> float:
    low, high = good
    if cuts_per_10s < low:
        return weight * cuts_per_10s / low
    if cuts_per_10s > high:
        return weight * max(0.0, 1 - (cuts_per_10s - high) / high)
    return weight


def compute_fit(ctx: ReviewContext, state: ReviewState) -> dict[str, Any]:
    from creatordesk.engine.rules import must_mention_coverage

    parts: list[tuple[str, float, float, str]] = []  # name, raw points, raw max, detail

    mentions = must_mention_coverage(state.spans(), state.brief) if state.brief.must_mentions else []
    if mentions:
        found = sum(1 for hit in mentions if hit.found)
        weight = WEIGHTS["must_mentions"]
        parts.append(
            (
                "must_mentions",
                weight * found / len(mentions),
                weight,
                evidence_text("fit.must_mentions", found=str(found), total=str(len(mentions))),
            )
        )

    first_words = min(
        (s.start_s for s in [*state.transcript, *state.onscreen] if s.start_s <= ctx.hook_text_s),
        default=None,
    )
    first_face = min((v.t for v in state.visual if v.faces and v.t <= ctx.hook_face_s), default=None)
    hook_points = (15 if first_words is not None else 0) + (10 if first_face is not None else 0)
    hook_detail = evidence_text(
        "fit.hook",
        text_s=f"{ctx.hook_text_s:g}",
        words="yes" if first_words is not None else "no",
        face_s=f"{ctx.hook_face_s:g}",
        face="yes" if first_face is not None else "no",
    )
    parts.append(("hook", hook_points, WEIGHTS["hook"], hook_detail))

    duration = max(state.duration_s, 0.001)
    cuts_per_10s = len(state.cuts) / duration * 10
    low, high = ctx.good_cuts_per_10s
    parts.append(
        (
            "pacing",
            pacing_points(cuts_per_10s, ctx.good_cuts_per_10s, WEIGHTS["pacing"]),
            WEIGHTS["pacing"],
            evidence_text("fit.pacing", cuts=f"{cuts_per_10s:.1f}", low=f"{low:g}", high=f"{high:g}"),
        )
    )

    share = None
    if state.brief.reference_images and state.product_matches:
        share = product_share(state.product_matches, ctx.product_min_matches)
        product_points = WEIGHTS["product"] * min(1.0, share / _FULL_PRODUCT_SHARE)
        parts.append(
            (
                "product",
                product_points,
                WEIGHTS["product"],
                evidence_text("fit.product", share=f"{share:.0%}"),
            )
        )

    problems = [f for f in state.findings if f.category == "format"]
    format_points = WEIGHTS["format"] * max(0.0, 1 - len(problems) / 4)
    format_detail = ", ".join(f.rule.removeprefix("format.") for f in problems) or evidence_text("fit.format")
    parts.append(("format", format_points, WEIGHTS["format"], format_detail))

    scale = 100 / sum(p[2] for p in parts)
    maxima = round_keeping_sum([p[2] * scale for p in parts], 100)
    # Points are the part's share of its rounded maximum, so a part done fully keeps all of it.
    shares = [mx * p[1] / p[2] for p, mx in zip(parts, maxima, strict=True)]
    points = round_keeping_sum(shares, round(sum(shares)))
    return {
        "score": sum(points),
        "parts": [
            {"name": name, "points": pts, "max": mx, "detail": detail}
            for (name, _, _, detail), pts, mx in zip(parts, points, maxima, strict=True)
        ],
        "must_mentions": [
            {
                "mention": hit.mention,
                "found": hit.found,
                "start_s": None if hit.start_s is None else round(hit.start_s, 2),
                "source": hit.source,
            }
            for hit in mentions
        ],
        "hook": {
            "first_words_s": None if first_words is None else round(first_words, 2),
            "first_face_s": None if first_face is None else round(first_face, 2),
        },
        "cuts": len(state.cuts),
        "cuts_per_10s": round(cuts_per_10s, 2),
        "product_visible_share": None if share is None else round(share, 3),
    }


class FitStep:
    name: ClassVar[str] = "fit"
    needs: ClassVar[tuple[str, ...]] = ("rules", "visual", "product", "format", "frames")

    def applies_to(self, state: ReviewState) -> bool:
        return state.media is not None

    def run(self, ctx: ReviewContext, state: ReviewState) -> None:
        state.fit = compute_fit(ctx, state)
