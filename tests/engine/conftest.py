"""Real test videos and their reviews, made once per test session and shared by the engine tests.

Each clip is reviewed once (session scope); the tests then read different parts of that one review.
Times in the recipes below are what the tests assert against.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from creatordesk.engine.context import ReviewContext
from creatordesk.engine.pipeline import ReviewResult, review_video
from creatordesk.engine.types import Brief
from tests.engine.media import CACHE_DIR, Clip, Overlay, Sticker, render

REPO = Path(__file__).resolve().parents[2]

# The claim "cures" is spoken at about this second of the violations clip.
CLAIM_AT_S = 4.0
VIOLATIONS = Clip(
    duration=10,
    stickers=(Sticker("Link in Bio", 3, 6),),
    # tiny.en reliably hears espeak-ng say this sentence; "cures" falls ~0.8 s after its start.
    speech=((0.5, "Hello everyone."), (CLAIM_AT_S - 0.8, "This oil cures back pain.")),
)
CLEAN = Clip(
    duration=16,
    stickers=(Sticker("Werbung", 0, 3),),
    speech=(
        (0.3, "Hi, I tried this moisturiser for two weeks."),
        (4.0, "It helps reduce the look of dryness."),
        (7.5, "This does not cure anything."),
        (10.5, "Vitamin C contributes to the normal function of the immune system."),
    ),
)
CLEAN_CAPTION = "Werbung | Meine Morgenroutine mit der neuen Creme"
# Quiet, text-free clip for caption-only checks.
PLAIN = Clip(duration=4, background="color=c=0x336699")
# Smoothly changing colour gradients stand in for a real picture behind the stickers.
STICKERS = Clip(
    duration=7,
    background="gradients=speed=0.05",
    stickers=(
        Sticker("Limited offer today", 0.5, 3, style="outline", y="h*0.3"),
        Sticker("Only available here", 4, 6.5, style="colour", y="h*0.6"),
    ),
    audio=False,
)
LANDSCAPE = Clip(duration=3, size=(1280, 720), audio=False)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `creatordesk review ...` the way a user does, in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "creatordesk.cli", "review", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="session")
def ctx() -> ReviewContext:
    return ReviewContext()


@pytest.fixture(scope="session")
def violations_clip() -> Path:
    return render(VIOLATIONS, "violations")


@pytest.fixture(scope="session")
def violations_json(violations_clip: Path) -> dict[str, Any]:
    """The violations clip reviewed through the CLI, as the JSON document it prints."""
    done = cli(str(violations_clip), "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="session")
def clean_review(ctx: ReviewContext) -> ReviewResult:
    brief = Brief(must_mentions=("dryness",))
    return review_video(render(CLEAN, "clean"), ctx=ctx, brief=brief, caption=CLEAN_CAPTION)


@pytest.fixture(scope="session")
def plain_clip() -> Path:
    return render(PLAIN, "plain")


@pytest.fixture(scope="session")
def stickers_review(ctx: ReviewContext) -> ReviewResult:
    return review_video(render(STICKERS, "stickers"), ctx=ctx, packs=[])


@pytest.fixture(scope="session")
def landscape_clip() -> Path:
    return render(LANDSCAPE, "landscape")


def _product_picture(path: Path, seed: int, name: str) -> Path:
    """A made-up product shot: a label with shapes and a brand name, textured enough for ORB."""
    import cv2

    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    image = np.full((360, 280, 3), 235, np.uint8)
    for _ in range(40):
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        x, y = (int(v) for v in rng.integers(0, 260, 2))
        if rng.random() < 0.5:
            cv2.rectangle(
                image, (x, y), (x + int(rng.integers(10, 60)), y + int(rng.integers(10, 60))), colour, -1
            )
        else:
            cv2.circle(image, (x, y), int(rng.integers(5, 30)), colour, 3)
    cv2.putText(image, name, (20, 330), cv2.FONT_HERSHEY_DUPLEX, 1.4, (20, 20, 20), 3)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), image)
    return path


@pytest.fixture(scope="session")
def product_pictures() -> tuple[Path, Path]:
    """The product shown in the product clip, and another product that never appears."""
    return (
        _product_picture(CACHE_DIR / "product-shown-v2.png", 1, "GLOW SERUM"),
        _product_picture(CACHE_DIR / "product-other-v2.png", 7, "mint balm"),
    )


@pytest.fixture(scope="session")
def cuts_clip() -> Path:
    """10 s that jump between two shots every 2 s: hard cuts at 2, 4, 6 and 8 s."""
    import cv2

    shot = CACHE_DIR / "second-shot.png"
    if not shot.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        image = np.zeros((1280, 720, 3), np.uint8)
        image[:, :] = (40, 160, 230)
        cv2.circle(image, (360, 640), 200, (250, 250, 250), -1)
        cv2.imwrite(str(shot), image)
    overlays = (Overlay(str(shot), 2, 4, y="0"), Overlay(str(shot), 6, 8, y="0"))
    return render(Clip(duration=10, overlays=overlays, audio=False), "cuts")


@pytest.fixture(scope="session")
def product_clip(product_pictures: tuple[Path, Path]) -> Path:
    clip = Clip(
        duration=6,
        background="color=c=0x445566",
        overlays=(Overlay(str(product_pictures[0]), 1, 6),),
        audio=False,
    )
    return render(clip, "product")


@pytest.fixture(scope="session")
def product_reviews(
    ctx: ReviewContext, product_clip: Path, product_pictures: tuple[Path, Path]
) -> dict[str, ReviewResult]:
    shown, other = product_pictures
    return {
        "shown": review_video(product_clip, ctx=ctx, brief=Brief(reference_images=(shown,)), packs=[]),
        "other": review_video(product_clip, ctx=ctx, brief=Brief(reference_images=(other,)), packs=[]),
    }
