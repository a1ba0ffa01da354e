"""Technical quality of one image: enough pixels for each place it runs, sharpness, exposure, a
no-reference quality score (BRISQUE), and the faces a reviewer has to clear. The text rendered into the
image is read in quality_text.py. Each measure's source and thresholds sit next to its constants.
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from creatordesk.engine.priority import limit_library_threads
from creatordesk.engine.visuals.brief import USES
from creatordesk.engine.visuals.quality_text import TextStep, union
from creatordesk.engine.visuals.types import Region, ReviewItem, Severity, VisualFinding

if TYPE_CHECKING:
    from creatordesk.engine.visuals.check import VisualState, VisualStep
    from creatordesk.engine.visuals.context import VisualContext

# Where each channel's image runs when the brief names no use.
CHANNEL_USES = {"tiktok": "tiktok", "meta": "instagram_feed", "web": "web_banner"}
# Aspect ratios closer than this are the same frame: the platform's own fit trims a pixel row or two.
ASPECT_TOLERANCE = 0.03
_USE_CITATIONS = {
    "tiktok": "TikTok Ads Help: Image ads specifications (1080 x 1920 for 9:16)",
    "instagram_feed": "Meta Ads Guide: Instagram feed image (1080 x 1350, 4:5)",
    "instagram_story": "Meta Ads Guide: Instagram Stories and Reels (1080 x 1920, 9:16)",
    "facebook_feed": "Meta Ads Guide: Facebook feed image (1080 x 1350, 4:5)",
    "square": "Meta Ads Guide: feed image (1080 x 1080, 1:1)",
    "web_banner": "Full HD hero banner (1920 x 1080, 16:9)",
    "print_a4": "A4 at 300 dpi (2480 x 3508)",
}

# Sharpness is measured on a grey copy with this long side, its contrast stretched between the 1st and
# 99th percentile, in a 4 x 4 grid of tiles. A fixed size and contrast make one threshold hold for every
# image: a sharp photo's best tile scores in the thousands, a Gaussian blur of sigma 3 px at this size
# brings it below 100.
SHARPNESS_SIDE = 1024
SHARPNESS_GRID = 4
BLUR_THRESHOLD = 100.0

# Grey levels at or above CLIP_HIGH are blown highlights, at or below CLIP_LOW crushed shadows. More than
# 5 % blown highlights loses visible detail (skin, packaging); shadows get 10 % because dark, moody
# scenes are a common style. Means outside MEAN_LOW..MEAN_HIGH read as washed out or murky even unclipped.
CLIP_HIGH = 250
CLIP_LOW = 5
MAX_CLIPPED_HIGHLIGHTS = 0.05
MAX_CRUSHED_SHADOWS = 0.10
MEAN_LOW = 35.0
MEAN_HIGH = 225.0
# A clipped area touching this much of the image's border is a studio backdrop, not lost detail.
BACKDROP_BORDER_SHARE = 0.6
_EXPOSURE_CITATION = "House rule: highlight and shadow clipping of the luma histogram (ITU-R BT.601 weights)"

# BRISQUE scores run from about 0 (pristine) to 100 (heavily distorted) on the LIVE database's
# differential opinion scale. Clean photos score ~20-40; a visible blur or heavy noise pushes past 50,
# strong distortion past 70.
IQA_SIDE = 1024
IQA_INFO = 50.0
IQA_WARN = 70.0
# Pixels whose Sobel gradient is under FLAT_GRADIENT are flat fills. When they cover GRAPHIC_FLAT_SHARE of
# the image it is a graphic (a layout, a packshot on a plain backdrop), where BRISQUE's photo statistics
# do not hold: a clean flat layout scores over 100. The score is kept, the finding left out.
FLAT_GRADIENT = 2.0
GRAPHIC_FLAT_SHARE = 0.5

# The video engine counts a NudeNet face at this score; the same bar keeps both checks in step.
FACE_MIN_SCORE = 0.4
FACE_SIDE = 640
# A look-alike that makes viewers think it is a real person is that person's likeness under § 22 KUG
# (BGH 1 Dec 1999, I ZR 226/97 "Der blaue Engel"); hands are what generators most often get wrong and
# no shipped model checks them offline.
_CONSENT = ReviewItem(
    "consent_or_lookalike",
    "Check consent / model release and that the face does not resemble a real person "
    "(KUG § 22, BGH I ZR 226/97 'Der blaue Engel')",
    "Einwilligung bzw. Model-Release prüfen und sicherstellen, dass das Gesicht keiner realen Person "
    "ähnelt (§ 22 KUG, BGH I ZR 226/97 „Der blaue Engel“)",
)
_HANDS = ReviewItem(
    "hands_and_anatomy",
    "Check hands, fingers and anatomy: generators often get them wrong",
    "Hände, Finger und Anatomie prüfen: Bildgeneratoren machen hier oft Fehler",
)


# Why each finding matters, and where its rule comes from.
_RULES = {
    "quality.blurry": (
        "The image is out of focus or smeared everywhere; it looks cheap next to sharp ads.",
        "Variance of the Laplacian: Pech-Pacheco et al., Diatom autofocusing in brightfield microscopy, ICPR 2000",
    ),
    "quality.overexposed": (
        "Blown highlights lose detail in skin, packaging and text and cannot be recovered.",
        _EXPOSURE_CITATION,
    ),
    "quality.underexposed": (
        "The image is too dark: the product and faces lose detail, worse still on phone screens.",
        _EXPOSURE_CITATION,
    ),
    "quality.low_iqa": (
        "The image shows noise, blur or compression artefacts. The score is trained on photos: "
        "illustrations and heavily retouched renders can score badly without being faulty.",
        "BRISQUE: Mittal, Moorthy, Bovik, No-reference image quality assessment in the spatial domain, "
        "IEEE TIP 21(12), 2012",
    ),
}


def _finding(rule: str, severity: Severity, evidence: str, score: float, **extra: Any) -> VisualFinding:
    explanation, citation = _RULES[rule]
    return VisualFinding(rule, "quality", severity, evidence, explanation, citation, score=score, **extra)


class _EveryImage:
    """A check that runs on every image."""

    def applies_to(self, state: VisualState) -> bool:
        return True


def _grey(rgb: np.ndarray, side: int) -> np.ndarray:
    import cv2

    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    scale = side / max(grey.shape)
    if scale < 1:
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return np.asarray(grey)


# Resolution -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UseFit:
    """How the image fits one use: the upscale factor it needs and the centred crop of the use's aspect."""

    use: str
    width: int
    height: int
    factor: float  # > 1: too few pixels by this factor after cropping to the use's aspect
    aspect_diff: float  # relative difference of the aspect ratios
    crop: Region
    crop_px: tuple[int, int]

    def as_dict(self) -> dict[str, object]:
        factor, diff = round(self.factor, 2), round(self.aspect_diff, 4)
        return {
            "use": self.use,
            "width": self.width,
            "height": self.height,
            "factor_needed": factor,
            "aspect_diff": diff,
        }


def uses_for(state: VisualState) -> tuple[str, ...]:
    """The uses the brief names, or each channel's default use."""
    return state.brief.uses or tuple(dict.fromkeys(CHANNEL_USES[c] for c in state.channels))


def fit_use(width: int, height: int, use: str) -> UseFit:
    target_w, target_h = USES[use]
    ratio, target_ratio = width / height, target_w / target_h
    if ratio > target_ratio:
        crop_w, crop_h = height * target_ratio, float(height)
    else:
        crop_w, crop_h = float(width), width / target_ratio
    crop = Region((1 - crop_w / width) / 2, (1 - crop_h / height) / 2, crop_w / width, crop_h / height)
    return UseFit(
        use=use,
        width=target_w,
        height=target_h,
        factor=max(target_w / crop_w, target_h / crop_h),
        aspect_diff=abs(ratio / target_ratio - 1),
        crop=crop,
        crop_px=(round(crop_w), round(crop_h)),
    )


def _upscale_advice(factor: float) -> str:
    if factor > 4:
        return "Regenerate it at a higher resolution: more than 4x cannot be upscaled without invented detail"
    step = 2 if factor <= 2 else 4
    return (
        f"Upscale it {step}x in the generator (Midjourney Upscale, Stable Diffusion hires fix or an "
        "ESRGAN upscaler) before the layout; never stretch it in the layout tool, which only blurs it"
    )


class ResolutionStep(_EveryImage):
    """Enough pixels for every use the image runs in, and whether its aspect ratio fits each use."""

    name = "quality_resolution"

    def run(self, state: VisualState, ctx: VisualContext) -> None:
        width, height = state.image.width, state.image.height
        fits = [fit_use(width, height, use) for use in uses_for(state)]
        state.quality["resolution"] = {"width": width, "height": height, "uses": [f.as_dict() for f in fits]}
        for fit in fits:
            size = f"{width} x {height} px"
            need = f"{fit.use} needs {fit.width} x {fit.height} px"
            if fit.factor > 1:
                state.findings.append(
                    VisualFinding(
                        "quality.low_resolution",
                        "quality",
                        "warn",
                        f"{size}; {need}: {fit.factor:.2f}x too small",
                        f"The platform scales a small image up and it looks soft. {_upscale_advice(fit.factor)}.",
                        _USE_CITATIONS[fit.use],
                        score=fit.factor,
                    )
                )
            if fit.aspect_diff > ASPECT_TOLERANCE:
                state.findings.append(
                    VisualFinding(
                        "quality.aspect_mismatch",
                        "quality",
                        "info",
                        f"{size} is {width / height:.3f}:1; {fit.use} is {fit.width / fit.height:.3f}:1 "
                        f"({fit.aspect_diff:.0%} apart); the centred crop of {fit.crop_px[0]} x "
                        f"{fit.crop_px[1]} px fits",
                        "The platform crops or letterboxes an image of another shape; choose the crop yourself.",
                        _USE_CITATIONS[fit.use],
                        region=fit.crop,
                        score=fit.aspect_diff,
                    )
                )


# Sharpness and exposure -----------------------------------------------------------------------------


def sharpness(rgb: np.ndarray) -> dict[str, float]:
    """Variance of the Laplacian of the normalised grey copy, over the whole and on the sharpest tile."""
    import cv2

    grey = _grey(rgb, SHARPNESS_SIDE).astype(np.float32)
    low, high = np.percentile(grey, (1, 99))
    if high - low >= 1:
        grey = np.clip((grey - low) * np.float32(255.0 / (high - low)), 0, 255).astype(np.float32)
    laplacian = cv2.Laplacian(grey, cv2.CV_32F)
    rows = np.array_split(laplacian, SHARPNESS_GRID, axis=0)
    tiles = [tile for row in rows for tile in np.array_split(row, SHARPNESS_GRID, axis=1)]
    return {
        "laplacian_variance": round(float(laplacian.var()), 1),
        "sharpest_tile": round(max(float(t.var()) for t in tiles), 1),
        "threshold": BLUR_THRESHOLD,
    }


class BlurStep(_EveryImage):
    """Whether even the sharpest part of the image is soft."""

    name = "quality_blur"

    def run(self, state: VisualState, ctx: VisualContext) -> None:
        limit_library_threads(ctx.cpu_threads)
        figures = sharpness(state.image.rgb)
        state.quality["sharpness"] = figures
        if figures["sharpest_tile"] < BLUR_THRESHOLD:
            evidence = (
                f"variance of the Laplacian {figures['sharpest_tile']:.0f} on the sharpest part "
                f"(sharp at {BLUR_THRESHOLD:.0f} or more)"
            )
            state.findings.append(_finding("quality.blurry", "warn", evidence, figures["sharpest_tile"]))


def _backdrop(mask: np.ndarray) -> np.ndarray:
    """The clipped areas that form a studio backdrop: connected to a border that they mostly cover."""
    import cv2

    border = np.concatenate([mask[0], mask[-1], mask[1:-1, 0], mask[1:-1, -1]])
    if border.mean() < BACKDROP_BORDER_SHARE:
        return np.zeros_like(mask)
    _, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
    edge = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    return np.isin(labels, np.unique(edge[edge > 0]))


def exposure(rgb: np.ndarray) -> dict[str, float]:
    """Clipped highlights, crushed shadows (shares of the pixels) and mean grey level, backdrop left out."""
    grey = _grey(rgb, SHARPNESS_SIDE)
    backdrop = _backdrop(grey >= CLIP_HIGH) | _backdrop(grey <= CLIP_LOW)
    subject = grey[~backdrop]
    if subject.size == 0:  # nothing but backdrop: nothing to judge
        subject = grey.ravel()
    return {
        "mean": round(float(subject.mean()), 1),
        "clipped_highlights": round(float((subject >= CLIP_HIGH).mean()), 4),
        "crushed_shadows": round(float((subject <= CLIP_LOW).mean()), 4),
        "backdrop_share": round(float(backdrop.mean()), 4),
    }


class ExposureStep(_EveryImage):
    """Blown highlights, crushed shadows and an image far too bright or too dark overall."""

    name = "quality_exposure"

    def run(self, state: VisualState, ctx: VisualContext) -> None:
        limit_library_threads(ctx.cpu_threads)
        figures = exposure(state.image.rgb)
        state.quality["exposure"] = figures
        # A layout of flat fills (a graphic on white or black) has no exposure to get wrong.
        if flat_share(state.image.rgb) >= GRAPHIC_FLAT_SHARE:
            return
        mean, high, low = figures["mean"], figures["clipped_highlights"], figures["crushed_shadows"]
        brightness = f"mean brightness {mean:.0f} of 255"
        if high > MAX_CLIPPED_HIGHLIGHTS or mean > MEAN_HIGH:
            evidence = f"{high:.1%} of the pixels are blown-out white (at most {MAX_CLIPPED_HIGHLIGHTS:.0%}); {brightness}"
            state.findings.append(_finding("quality.overexposed", "warn", evidence, high))
        if low > MAX_CRUSHED_SHADOWS or mean < MEAN_LOW:
            evidence = (
                f"{low:.1%} of the pixels are crushed black (at most {MAX_CRUSHED_SHADOWS:.0%}); {brightness}"
            )
            state.findings.append(_finding("quality.underexposed", "warn", evidence, low))


# No-reference quality score -------------------------------------------------------------------------


@functools.cache
def _brisque() -> Any:
    with warnings.catch_warnings():
        # brisque 0.2.0 imports the deprecated scipy.ndimage.filters namespace.
        warnings.simplefilter("ignore", DeprecationWarning)
        from brisque import BRISQUE

    class FlatFeatureBrisque(BRISQUE):
        """BRISQUE with its features made scalars before scaling.

        brisque 0.2.0 leaves some features as 1-element arrays (its `mean_squares_sum` divides by
        `x.shape`) and then calls `float()` on them, which NumPy deprecated in 1.25 and refuses since 2.5
        ("only 0-dimensional arrays can be converted to Python scalars";
        https://numpy.org/doc/stable/release/1.25.0-notes.html#deprecations).
        """

        def scale_features(self, features: Any) -> Any:
            return super().scale_features([np.asarray(f).item() for f in features])

    return FlatFeatureBrisque(url=False)  # the SVM model and scaling shipped in the package


def brisque_score(rgb: np.ndarray) -> float | None:
    """BRISQUE score of the image at IQA_SIDE px (the measure is slow on large images); None when flat."""
    import cv2

    scale = IQA_SIDE / max(rgb.shape[:2])
    if scale < 1:
        rgb = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if float(rgb.std()) < 1:  # a uniform image has no statistics to fit
        return None
    with np.errstate(all="ignore"):
        score = float(_brisque().score(rgb))
    return score if math.isfinite(score) else None


def flat_share(rgb: np.ndarray) -> float:
    """The share of the image that is flat fill (graphic areas, plain backdrops)."""
    import cv2

    grey = _grey(rgb, IQA_SIDE).astype(np.float32)
    gradient = np.hypot(cv2.Sobel(grey, cv2.CV_32F, 1, 0), cv2.Sobel(grey, cv2.CV_32F, 0, 1))
    return float((gradient < FLAT_GRADIENT).mean())


class IqaStep(_EveryImage):
    """A no-reference quality score of the photo (BRISQUE): noise, blur and compression artefacts."""

    name = "quality_iqa"

    def run(self, state: VisualState, ctx: VisualContext) -> None:
        limit_library_threads(ctx.cpu_threads)
        score = brisque_score(state.image.rgb)
        flat = flat_share(state.image.rgb)
        state.quality["brisque"] = None if score is None else round(score, 2)
        state.quality["flat_share"] = round(flat, 4)
        if score is None or score <= IQA_INFO or flat >= GRAPHIC_FLAT_SHARE:
            return
        evidence = f"BRISQUE {score:.1f} (0 best, 100 worst; clean photos score below {IQA_INFO:.0f})"
        state.findings.append(
            _finding("quality.low_iqa", "warn" if score > IQA_WARN else "info", evidence, score)
        )


# Faces ----------------------------------------------------------------------------------------------


def detect_faces(rgb: np.ndarray, threads: int) -> list[tuple[Region, float]]:
    """Faces found by NudeNet, as regions with their scores, largest first.

    The video engine's detector: its ONNX model ships in the `nudenet` package, while the OpenCV wheel in
    use ships neither Haar cascades nor the YuNet face model.
    """
    import cv2

    from creatordesk.engine.steps.visual import FACE_LABELS, detector

    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    # The model looks at 320 px; shrinking first saves its own, slower resize of a large image.
    scale = FACE_SIDE / max(bgr.shape[:2])
    if scale < 1:
        bgr = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    height, width = bgr.shape[:2]
    faces = []
    for found in detector(threads).detect(bgr):
        if found["class"] in FACE_LABELS and found["score"] >= FACE_MIN_SCORE:
            x, y, w, h = found["box"]
            faces.append((Region(x / width, y / height, w / width, h / height), float(found["score"])))
    return sorted(faces, key=lambda face: face[0].w * face[0].h, reverse=True)


class FaceStep(_EveryImage):
    """Faces in the image, and what only a person can check about them: consent, look-alikes, hands."""

    name = "quality_faces"

    def run(self, state: VisualState, ctx: VisualContext) -> None:
        limit_library_threads(ctx.cpu_threads)
        faces = detect_faces(state.image.rgb, ctx.cpu_threads)
        state.faces = [region for region, _ in faces]
        state.quality["faces"] = [{"region": r.as_dict(), "score": round(s, 3)} for r, s in faces]
        if not faces and state.brief.realistic_person is not True:
            return
        # The consent item points at the faces; hands may be anywhere in the picture.
        region = union(state.faces) if faces else None
        state.review_items.append(replace(_CONSENT, region=region))
        state.review_items.append(_HANDS)


QUALITY_STEPS: list[VisualStep] = [
    ResolutionStep(),
    BlurStep(),
    ExposureStep(),
    IqaStep(),
    TextStep(),
    FaceStep(),
]

__all__ = [
    "CHANNEL_USES", "QUALITY_STEPS", "BlurStep", "ExposureStep", "FaceStep", "IqaStep", "ResolutionStep",
    "TextStep", "UseFit", "brisque_score", "detect_faces", "exposure", "fit_use", "flat_share", "sharpness",
    "uses_for",
]  # fmt: skip
