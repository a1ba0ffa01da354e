"""Find the parts of a frame that look like lines of text, so OCR reads crops instead of whole frames.

Tesseract on a full video frame spends most of its time on picture content it mistakes for text
(stripes, textures, patterned clothes) and then returns that as junk. Caption text is different
from picture content in one cheap-to-measure way: dense, high-contrast strokes in a horizontal row.
A morphological gradient finds the strokes, a wide closing joins the letters of a line, and the
connected blobs with a text-like shape become crops.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Sizes at detection resolution (half of the ~720 px analysis frame): a letter's blob is at least
# this tall ...
_MIN_LETTER_PX = 4
# ... and a line at least this tall.
_MIN_HEIGHT_PX = 6
# ... and no taller than this share of the frame height (bigger blobs are picture content).
_MAX_HEIGHT_SHARE = 0.2
# Share of letter pixels two frames must have in common to show the same text.
_SAME_LETTERS = 0.8
# Letter blobs considered per frame; more than this is texture, not captions.
_MAX_BLOBS = 600
# Pieces of one line are joined across gaps up to this many line heights: a letter lost where a
# picture edge crosses it leaves a gap, but the crop still covers it and OCR reads it.
_LINE_GAP = 3.0
# Crops per frame, largest first; busy footage can produce many candidates.
_MAX_REGIONS = 8


@dataclass(frozen=True)
class Region:
    """A box in frame pixels: left, top, width, height."""

    x: int
    y: int
    w: int
    h: int

    def padded(self, pad: int, width: int, height: int) -> Region:
        x0, y0 = max(0, self.x - pad), max(0, self.y - pad)
        x1, y1 = min(width, self.x + self.w + pad), min(height, self.y + self.h + pad)
        return Region(x0, y0, x1 - x0, y1 - y0)

    def iou(self, other: Region) -> float:
        w = min(self.x + self.w, other.x + other.w) - max(self.x, other.x)
        h = min(self.y + self.h, other.y + other.h) - max(self.y, other.y)
        if w <= 0 or h <= 0:
            return 0.0
        inter = w * h
        return inter / (self.w * self.h + other.w * other.h - inter)


def _same_line(a: Region, b: Region) -> bool:
    overlap = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
    gap = max(a.x, b.x) - min(a.x + a.w, b.x + b.w)
    return overlap > 0.5 * min(a.h, b.h) and gap < _LINE_GAP * max(a.h, b.h)


def _merge_same_line(regions: list[Region]) -> list[Region]:
    """Join boxes that sit on one line with a gap of at most a few letters between them."""
    merged = list(regions)
    changed = True
    while changed:  # a grown box can reach boxes it did not reach before
        changed = False
        for i, a in enumerate(merged):
            for j in range(i + 1, len(merged)):
                b = merged[j]
                if _same_line(a, b):
                    x0, y0 = min(a.x, b.x), min(a.y, b.y)
                    x1, y1 = max(a.x + a.w, b.x + b.w), max(a.y + a.h, b.y + b.h)
                    merged[i] = Region(x0, y0, x1 - x0, y1 - y0)
                    del merged[j]
                    changed = True
                    break
            if changed:
                break
    return merged


def _without_long_lines(strokes: np.ndarray) -> np.ndarray:
    """Remove straight horizontal and vertical edges much longer than any letter.

    Edges of the picture (a doorframe, a shelf, a colour boundary) run straight through captions;
    a letter touching one would otherwise be judged together with it and dropped.
    """
    import cv2

    height, width = strokes.shape
    vertical = cv2.morphologyEx(
        strokes, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(40, height // 8)))
    )
    horizontal = cv2.morphologyEx(
        strokes, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(40, width // 6), 1))
    )
    return cv2.bitwise_and(strokes, cv2.bitwise_not(cv2.bitwise_or(vertical, horizontal)))


def _letter_mask(mask: np.ndarray, max_height: int, *, max_aspect: float, min_fill: float) -> np.ndarray:
    """Keep only blobs shaped like letters (or short runs of joined letters); drop the rest.

    Box outlines, long lines, large flat areas and specks all fail on size, aspect or fill.
    """
    import cv2

    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    widths, heights = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    fill = stats[:, cv2.CC_STAT_AREA] / np.maximum(widths * heights, 1)
    letter = (
        (heights >= _MIN_LETTER_PX)
        & (heights <= max_height)
        & (widths <= max_aspect * heights)
        & (fill >= min_fill)
        & (fill <= 0.95)
    )
    letter[0] = False  # label 0 is the background
    return np.where(letter[labels], 255, 0).astype(np.uint8)


def _letters(image: np.ndarray, max_height: int) -> np.ndarray:
    """Pixels that belong to letter-like shapes, found two ways and combined.

    * Edges: a morphological gradient marks the strokes of any high-contrast text (a letter's
      edge blob is judged on its own, so a touching sticker border does not hide it).
    * Ink: very light, very bright or very dark pixels. Caption text is almost always one of those,
      and an outline or a box around it keeps each letter a separate blob even where a line in the
      picture runs through the caption.
    """
    import cv2

    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    gradient = cv2.morphologyEx(gray, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    _, strokes = cv2.threshold(gradient, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    letters = _letter_mask(_without_long_lines(strokes), max_height, max_aspect=4, min_fill=0.12)
    blue, green, red = cv2.split(image)
    lightest = cv2.min(cv2.min(blue, green), red)
    brightest = cv2.max(cv2.max(blue, green), red)
    inks = (
        cv2.threshold(lightest, 199, 255, cv2.THRESH_BINARY)[1],
        cv2.threshold(brightest, 199, 255, cv2.THRESH_BINARY)[1],
        cv2.threshold(brightest, 60, 255, cv2.THRESH_BINARY_INV)[1],
    )
    for ink in inks:
        letters |= _letter_mask(ink, max_height, max_aspect=2.5, min_fill=0.15)
    return letters


def _group_into_lines(stats: np.ndarray) -> list[Region]:
    """Chain letter blobs into lines: neighbours of similar height, level with each other, close by.

    Requiring similar height keeps a tall picture element next to a caption out of its line.
    """
    x, y, w, h = (stats[:, i].astype(np.float32) for i in range(4))
    if len(x) == 0:
        return []
    cy = y + h / 2
    taller = np.maximum(h[:, None], h[None, :])
    shorter = np.minimum(h[:, None], h[None, :])
    gap = np.maximum(x[:, None], x[None, :]) - np.minimum((x + w)[:, None], (x + w)[None, :])
    linked = (
        (np.abs(cy[:, None] - cy[None, :]) < 0.5 * taller) & (taller < 2.0 * shorter) & (gap < 1.2 * taller)
    )
    # Union-find over the links.
    parent = list(range(len(x)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(np.triu(linked, 1)), strict=True):
        parent[root(int(i))] = root(int(j))
    groups: dict[int, list[int]] = {}
    for i in range(len(x)):
        groups.setdefault(root(i), []).append(i)
    lines = []
    for members in groups.values():
        x0 = int(min(x[m] for m in members))
        y0 = int(min(y[m] for m in members))
        x1 = int(max(x[m] + w[m] for m in members))
        y1 = int(max(y[m] + h[m] for m in members))
        # One blob alone is a line only when it is wide (joined letters, a word in outline font).
        if len(members) >= 2 or x1 - x0 >= 1.5 * (y1 - y0):
            lines.append(Region(x0, y0, x1 - x0, y1 - y0))
    return lines


@dataclass(frozen=True)
class TextLayer:
    """The text-like lines of one frame, and the letter mask they were found in (half size)."""

    regions: list[Region]
    letters: np.ndarray

    def same_text_as(self, other: TextLayer, region: Region, other_region: Region) -> bool:
        """True when both frames show the same letters where the two regions overlap.

        Comparing letter masks rather than pixels ignores the picture moving behind a sticker.
        """
        x0, y0 = max(region.x, other_region.x) // 2, max(region.y, other_region.y) // 2
        x1 = min(region.x + region.w, other_region.x + other_region.w) // 2
        y1 = min(region.y + region.h, other_region.y + other_region.h) // 2
        if x1 <= x0 or y1 <= y0:
            return False
        mine = self.letters[y0:y1, x0:x1] > 0
        theirs = other.letters[y0:y1, x0:x1] > 0
        union = int(np.count_nonzero(mine | theirs))
        return union >= 20 and bool(np.count_nonzero(mine & theirs) >= _SAME_LETTERS * union)


def find_text_regions(image: np.ndarray) -> list[Region]:
    """Boxes around the text-like lines of a BGR frame (in its pixels), padded for OCR."""
    return find_text(image).regions


def find_text(image: np.ndarray) -> TextLayer:
    """The text-like lines of a BGR frame (boxes in its pixels, padded for OCR) and its letter mask.

    The search runs on a half-size copy: letters of any caption worth reading are still several
    pixels tall there, and it costs a quarter of the work.
    """
    import cv2

    height, width = image.shape[:2]
    small = cv2.resize(image, (width // 2, height // 2), interpolation=cv2.INTER_AREA)
    max_height = int(small.shape[0] * _MAX_HEIGHT_SHARE)
    letters = _letters(small, max_height)
    _, _, stats, _ = cv2.connectedComponentsWithStats(letters, connectivity=8)
    blobs = stats[1:]
    if len(blobs) > _MAX_BLOBS:  # busy footage: the largest blobs are the likeliest letters
        blobs = blobs[np.argsort(-blobs[:, cv2.CC_STAT_AREA])[:_MAX_BLOBS]]
    lines = [
        Region(2 * r.x, 2 * r.y, 2 * r.w, 2 * r.h)
        for r in _merge_same_line(_group_into_lines(blobs))
        if r.h >= _MIN_HEIGHT_PX and r.w >= max(10, r.h)
    ]
    lines.sort(key=lambda r: -r.w * r.h)
    return TextLayer([r.padded(max(6, r.h // 3), width, height) for r in lines[:_MAX_REGIONS]], letters)


def crop_for_ocr(image: np.ndarray, region: Region) -> tuple[np.ndarray, float]:
    """The region cut out (BGR) and enlarged so its text is tall enough for tesseract; and the scale."""
    import cv2

    crop = image[region.y : region.y + region.h, region.x : region.x + region.w]
    # Tesseract reads best at 30-40 px letter height; small captions are scaled up to that.
    scale = min(3.0, max(1.0, 60 / max(region.h, 1)))
    if scale > 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return np.ascontiguousarray(crop), scale


def ocr_views(crop: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three greyscale views of a colour crop; each makes other caption styles legible.

    * greyscale: dark text on a light box and light text on a dark one, over a calm picture;
    * lightest channel (the minimum of B, G, R): white text stays white while anything coloured
      turns dark (white text with an outline over the picture), and coloured text turns dark on a
      white box or a light picture (yellow or red captions);
    * brightest channel (the maximum): a white box and a colourful picture around it both turn
      light, leaving dark text on an even background.

    No single view reads every style; OCR reads all three and keeps the surest reading per word.
    Greyscale input in any case: on colour input tesseract thresholds each channel on its own, and
    coloured picture content at the crop's edges then reads as ink.
    """
    import cv2

    blue, green, red = cv2.split(crop)
    return (
        cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY),
        cv2.min(cv2.min(blue, green), red),
        cv2.max(cv2.max(blue, green), red),
    )
