"""Brand fit of one image: its dominant colours against the brand palette, near-copies of images the
brand rejected or must not resemble, and whether the brand's packshot appears in it.

* Palette: k-means in CIELAB on a downscaled copy gives the dominant colours and their shares; each is
  compared with the brief's brand colours by CIEDE2000.
* Near-duplicates: 64-bit perceptual hashes (pHash and dHash from imagehash) survive re-encoding,
  resizing, small crops and brightness changes, but do not find a logo inside a scene
  (https://github.com/JohannesBuchner/imagehash).
* Packshot: ORB features of the packshot matched in the image, kept when enough of them agree on one
  perspective transform (RANSAC homography), as the video engine's product step does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from creatordesk.engine.priority import limit_library_threads
from creatordesk.engine.visuals.load import load_image
from creatordesk.engine.visuals.types import Region, Severity, VisualFinding, VisualInputError

if TYPE_CHECKING:
    from pathlib import Path

    from creatordesk.engine.visuals.brief import BrandColour
    from creatordesk.engine.visuals.check import VisualState, VisualStep
    from creatordesk.engine.visuals.context import VisualContext

PALETTE_SIZE = 5
# A 128 px copy holds ~16,000 pixels: shares come out within a fraction of a percent of the full image's,
# and k-means over them takes milliseconds.
_PALETTE_SIDE = 128
_KMEANS_SEED = 0
# A dominant colour covers at least this share of the image; one that is also this many tolerances away
# from every brand colour makes the image off-palette even when the brand share is met.
DOMINANT_SHARE = 0.20
FAR_FACTOR = 2.0

# The packshot counts as shown when at least this many feature matches agree on one placement.
PACKSHOT_MIN_INLIERS = 15
_MATCH_SIDE = 1024
# A placement that covers less than this share of the image is a chance agreement of a few points.
_MIN_PLACEMENT_AREA = 0.002


@dataclass(frozen=True)
class Swatch:
    """One dominant colour: its mean sRGB as hex, the share of the image it covers, its CIELAB centre."""

    hex: str
    share: float
    lab: tuple[float, float, float]


def _downscaled(rgb: np.ndarray, side: int) -> np.ndarray:
    import cv2

    scale = side / max(rgb.shape[:2])
    if scale >= 1:
        return rgb
    # Area averaging keeps each colour's share; nearest-neighbour sampling would skip thin shapes.
    return cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def _hex(rgb: np.ndarray) -> str:
    r, g, b = (round(float(v)) for v in np.clip(rgb, 0, 255))
    return f"#{r:02x}{g:02x}{b:02x}"


def _lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of sRGB pixels given as an N x 3 uint8 array."""
    from skimage.color import rgb2lab

    return rgb2lab(rgb.reshape(-1, 1, 3).astype(np.uint8)).reshape(-1, 3)


def dominant_colours(rgb: np.ndarray, k: int = PALETTE_SIZE) -> list[Swatch]:
    """The image's `k` dominant colours, largest share first (fewer when it has fewer distinct colours)."""
    import cv2

    pixels = _downscaled(rgb, _PALETTE_SIDE).reshape(-1, 3)
    lab = _lab(pixels).astype(np.float32)
    k = min(k, len(np.unique(pixels, axis=0)))
    # k-means++ seeding draws from OpenCV's random generator; a fixed seed gives the same palette every run.
    cv2.setRNGSeed(_KMEANS_SEED)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 30, 0.2)
    _, found, centres = cv2.kmeans(
        lab, k, np.zeros((len(lab), 1), np.int32), criteria, 3, cv2.KMEANS_PP_CENTERS
    )
    labels = np.asarray(found, dtype=np.int32).ravel()
    counts = np.bincount(labels, minlength=k)
    return [
        Swatch(
            hex=_hex(pixels[labels == index].mean(axis=0)),
            share=float(counts[index] / len(labels)),
            lab=(float(centres[index][0]), float(centres[index][1]), float(centres[index][2])),
        )
        for index in np.argsort(-counts, kind="stable")
        if counts[index]
    ]


def brand_distances(swatches: list[Swatch], colours: tuple[BrandColour, ...]) -> np.ndarray:
    """CIEDE2000 from each brand colour (rows) to each dominant colour (columns)."""
    from skimage.color import deltaE_ciede2000

    reference = _lab(np.array([c.rgb for c in colours], dtype=np.uint8))
    sample = np.array([s.lab for s in swatches], dtype=np.float64)
    # CIEDE2000 is not symmetric; the brand colour is the reference, kL = kC = kH = 1
    # (https://colour.readthedocs.io/en/v0.3.13/generated/colour.difference.delta_E_CIE2000.html).
    return np.asarray(deltaE_ciede2000(reference[:, None, :], sample[None, :, :], channel_axis=-1))


class PaletteStep:
    """The dominant colours, and how much of the image is in the brand's colours.

    The tolerance (default ΔE00 12) is wider than colour-matching practice (~2-3 for print, ~5 on
    screen; research notes §2.7, unverified) because it compares cluster centres, not single pixels: a
    centre averages anti-aliased edges, shading, JPEG noise and neighbouring tints, so an on-brand
    area's centre drifts several units from the exact brand colour, while a clearly different colour
    lies several tolerances away.
    """

    name = "brand_palette"
    _CITATION: ClassVar[str] = (
        "Brand brief: brand_colours, palette_tolerance, min_brand_share; CIEDE2000 (CIE 142-2001)"
    )

    def applies_to(self, state: VisualState) -> bool:
        return True

    def run(self, state: VisualState, ctx: VisualContext) -> None:
        limit_library_threads(ctx.cpu_threads)
        swatches = dominant_colours(state.image.rgb)
        state.brand["palette"] = [{"hex": s.hex, "share": round(s.share, 4)} for s in swatches]
        colours = state.brief.brand_colours
        if not colours:
            return
        distances = brand_distances(swatches, colours)
        nearest = distances.argmin(axis=0)
        tolerance = state.brief.palette_tolerance
        covered = [0.0] * len(colours)
        for column, (entry, swatch) in enumerate(zip(state.brand["palette"], swatches, strict=True)):
            row = int(nearest[column])
            entry["brand_colour"] = colours[row].name
            entry["brand_hex"] = colours[row].hex
            entry["delta_e"] = round(float(distances[row, column]), 2)
            if distances[row, column] <= tolerance:
                covered[row] += swatch.share
        brand_share = sum(covered)
        state.brand["brand_share"] = round(brand_share, 4)
        state.brand["brand_colours"] = [
            {"name": c.name, "hex": c.hex, "share": round(share, 4)}
            for c, share in zip(colours, covered, strict=True)
        ]
        far = [
            e
            for e in state.brand["palette"]
            if e["share"] >= DOMINANT_SHARE and e["delta_e"] > FAR_FACTOR * tolerance
        ]
        if brand_share < state.brief.min_brand_share or far:
            state.findings.append(self._finding(state, brand_share, far))

    def _finding(self, state: VisualState, brand_share: float, far: list[dict[str, Any]]) -> VisualFinding:
        brief = state.brief
        parts = [
            f"brand colours cover {brand_share:.0%} of the image "
            f"(at least {brief.min_brand_share:.0%} wanted, within ΔE00 {brief.palette_tolerance:g})"
        ]
        parts += [
            f"{e['hex']} covers {e['share']:.0%} and is ΔE00 {e['delta_e']:.1f} from the nearest brand colour "
            f"{e['brand_colour']} {e['brand_hex']}"
            for e in far
        ]
        return VisualFinding(
            rule="brand.off_palette",
            category="brand",
            severity="warn",
            evidence="; ".join(parts),
            explanation=(
                "The image's main colours are not the brand's; it may not be recognised as the brand's "
                "and can read as another brand's ad."
            ),
            citation=self._CITATION,
            score=brand_share,
        )


@dataclass(frozen=True)
class _ReferenceKind:
    """One list of reference images in the brief, with the rule a near-copy of one of them breaks."""

    kind: str
    attribute: str
    severity: Severity
    explanation: str


_REFERENCES = (
    _ReferenceKind(
        "rejected",
        "rejected_images",
        "block",
        "The brand has already turned this image down; a re-encoded, resized or lightly edited copy is the same image.",
    ),
    _ReferenceKind(
        "competitor",
        "competitor_images",
        "block",
        "The image is a near copy of a competitor's image: it can be taken for the competitor's ad and "
        "invites copyright and imitation claims.",
    ),
    _ReferenceKind(
        "stock",
        "stock_images",
        "warn",
        "The image is a near copy of a stock image: check that the licence covers this use; other brands "
        "may run the same picture.",
    ),
)


def image_hashes(rgb: np.ndarray) -> tuple[Any, Any]:
    """The 64-bit pHash and dHash of an image."""
    import imagehash
    from PIL import Image

    image = Image.fromarray(rgb)
    return imagehash.phash(image, hash_size=8), imagehash.dhash(image, hash_size=8)


def is_near_duplicate(phash_distance: int, dhash_distance: int, limit: int) -> bool:
    """Near-duplicates when the two Hamming distances add up to at most twice `limit`.

    Unrelated images sit near 32 of 64 bits on each hash. A crop disturbs dHash (neighbouring-pixel
    gradients) more than pHash (low DCT frequencies) and brightness changes neither, so the sum lets
    the steadier hash carry a copy that one hash alone would put just over the limit.
    """
    return phash_distance + dhash_distance <= 2 * limit


class DuplicateStep:
    """Near-copies of images the brand rejected, of competitors' images and of stock images."""

    name = "brand_duplicates"

    def applies_to(self, state: VisualState) -> bool:
        return any(getattr(state.brief, ref.attribute) for ref in _REFERENCES)

    def run(self, state: VisualState, ctx: VisualContext) -> None:
        phash, dhash = image_hashes(state.image.rgb)
        rows: list[dict[str, Any]] = []
        for ref in _REFERENCES:
            for path in getattr(state.brief, ref.attribute):
                row = self._compare(path, ref.kind, (phash, dhash), ctx)
                rows.append(row)
                if row.get("near_duplicate"):
                    state.findings.append(self._finding(ref, row, ctx))
        state.brand["duplicates"] = rows

    @staticmethod
    def _compare(path: Path, kind: str, hashes: tuple[Any, Any], ctx: VisualContext) -> dict[str, Any]:
        row: dict[str, Any] = {"kind": kind, "file": path.name}
        try:
            # The same refusals as the checked image: a hostile reference file is never decoded.
            reference = load_image(path, ctx)
        except VisualInputError as exc:
            return row | {"error": str(exc)}
        ref_phash, ref_dhash = image_hashes(reference.rgb)
        row["phash_distance"] = int(hashes[0] - ref_phash)
        row["dhash_distance"] = int(hashes[1] - ref_dhash)
        row["near_duplicate"] = is_near_duplicate(
            row["phash_distance"], row["dhash_distance"], ctx.duplicate_distance
        )
        return row

    @staticmethod
    def _finding(ref: _ReferenceKind, row: dict[str, Any], ctx: VisualContext) -> VisualFinding:
        total = row["phash_distance"] + row["dhash_distance"]
        return VisualFinding(
            rule=f"brand.near_duplicate_{ref.kind}",
            category="brand",
            severity=ref.severity,
            evidence=(
                f"near-duplicate of {ref.kind} image {row['file']}: pHash distance {row['phash_distance']} and "
                f"dHash distance {row['dhash_distance']} of 64 bits (sum {total}, limit {2 * ctx.duplicate_distance})"
            ),
            explanation=ref.explanation,
            citation=f"Brand brief: {ref.attribute}",
            score=1 - total / 128,
        )


@dataclass(frozen=True)
class PackshotMatch:
    """Where the packshot was found: feature matches, those agreeing on one placement, and its box."""

    matches: int
    inliers: int
    region: Region | None

    @property
    def found(self) -> bool:
        return self.region is not None and self.inliers >= PACKSHOT_MIN_INLIERS


def _features(rgb: np.ndarray, nfeatures: int) -> tuple[Any, Any, tuple[int, int]]:
    import cv2

    gray = cv2.cvtColor(_downscaled(rgb, _MATCH_SIDE), cv2.COLOR_RGB2GRAY)
    keypoints, descriptors = cv2.ORB.create(nfeatures=nfeatures).detectAndCompute(gray, None)
    return keypoints, descriptors, (gray.shape[1], gray.shape[0])


def _placement(
    homography: np.ndarray, packshot_size: tuple[int, int], scene_size: tuple[int, int]
) -> Region | None:
    """The box the packshot's corners land in, or None when the transform folds or flattens it."""
    import cv2

    w, h = packshot_size
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32).reshape(-1, 1, 2)
    quad = cv2.perspectiveTransform(corners, homography).reshape(-1, 2)
    scene_w, scene_h = scene_size
    area = abs(cv2.contourArea(quad)) / (scene_w * scene_h)
    if not cv2.isContourConvex(quad.astype(np.float32)) or area < _MIN_PLACEMENT_AREA:
        return None
    x0, y0 = np.clip(quad.min(axis=0) / scene_size, 0, 1)
    x1, y1 = np.clip(quad.max(axis=0) / scene_size, 0, 1)
    return Region(float(x0), float(y0), float(x1 - x0), float(y1 - y0))


def find_packshot(scene: np.ndarray, packshot: np.ndarray) -> PackshotMatch:
    """Look for the packshot (RGB) in the scene (RGB) by ORB features and a RANSAC homography."""
    import cv2

    ref_keypoints, ref_descriptors, ref_size = _features(packshot, 1500)
    keypoints, descriptors, scene_size = _features(scene, 3000)
    if ref_descriptors is None or descriptors is None or len(keypoints) < 4:
        return PackshotMatch(0, 0, None)
    pairs = cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(ref_descriptors, descriptors, k=2)
    # Lowe's ratio test drops matches that are barely better than the runner-up.
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < 0.75 * p[1].distance]
    if len(good) < 4:
        return PackshotMatch(len(good), 0, None)
    src = np.array([ref_keypoints[m.queryIdx].pt for m in good], dtype=np.float32).reshape(-1, 1, 2)
    dst = np.array([keypoints[m.trainIdx].pt for m in good], dtype=np.float32).reshape(-1, 1, 2)
    homography, mask = cv2.findHomography(src, dst, cv2.RANSAC, 5.0)
    if homography is None or mask is None:
        return PackshotMatch(len(good), 0, None)
    return PackshotMatch(len(good), int(mask.sum()), _placement(homography, ref_size, scene_size))


class PackshotStep:
    """Is the brand's packshot in the picture, and where."""

    name = "brand_packshot"

    def applies_to(self, state: VisualState) -> bool:
        return state.brief.packshot is not None

    def run(self, state: VisualState, ctx: VisualContext) -> None:
        assert state.brief.packshot is not None  # applies_to
        limit_library_threads(ctx.cpu_threads)
        packshot = load_image(state.brief.packshot, ctx)
        match = find_packshot(state.image.rgb, packshot.rgb)
        state.brand["packshot"] = {
            "file": packshot.path.name,
            "found": match.found,
            "matches": match.matches,
            "inliers": match.inliers,
            "region": match.region.as_dict() if match.found and match.region else None,
        }
        if not match.found:
            state.findings.append(self._missing(state, match, packshot.path.name))

    @staticmethod
    def _missing(state: VisualState, match: PackshotMatch, file: str) -> VisualFinding:
        required = state.brief.packshot_required
        evidence = (
            f"packshot {file} not found: {match.inliers} of {match.matches} feature matches agree on one "
            f"placement, {PACKSHOT_MIN_INLIERS} needed"
        )
        if match.inliers >= PACKSHOT_MIN_INLIERS:
            evidence = f"packshot {file} not found: the {match.inliers} agreeing matches fold or flatten it"
        return VisualFinding(
            rule="brand.packshot_missing",
            category="brand",
            severity="block" if required else "warn",
            evidence=evidence,
            explanation=(
                "The brief asks for the product as shown in its packshot; without it the image does not "
                "show what is advertised" + (" and the brief makes it a condition." if required else ".")
            ),
            citation="Brand brief: packshot" + (", packshot_required" if required else ""),
        )


BRAND_STEPS: list[VisualStep] = [PaletteStep(), DuplicateStep(), PackshotStep()]

__all__ = [
    "BRAND_STEPS",
    "DuplicateStep",
    "PackshotMatch",
    "PackshotStep",
    "PaletteStep",
    "Swatch",
    "brand_distances",
    "dominant_colours",
    "find_packshot",
    "image_hashes",
    "is_near_duplicate",
]
