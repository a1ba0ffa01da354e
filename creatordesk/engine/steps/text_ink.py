"""Turn a crop of a caption line into a black-on-white image that tesseract reads reliably.

The region finder knows the line's two colours: the letters' fill and the rim around them (an
outline, a box). Every pixel is placed on the axis from rim colour to fill colour; pixels nearer the
fill are ink. That one rule covers light text on a dark box, dark text on a light box, and coloured
or white text inside a dark outline over any picture, where no single grey view separates the fill
from both the outline and the picture behind it.

Pieces of the picture that happen to have the fill colour are dropped by shape: ink blobs touching
the edge of the crop (the picture goes on beyond it), taller than a letter, specks, and blobs whose
surroundings are not rim-coloured (a letter is enclosed by its outline or box).
"""

from __future__ import annotations

import numpy as np

from creatordesk.engine.steps.text_regions import Region

# Pixels at least this far along the rim-to-fill axis are ink ...
_INK_AT = 0.5
# ... unless they are further off the axis than this share of the fill-rim distance (another colour).
_OFF_AXIS = 0.3
# A letter is mostly fill-coloured: its pixels' mean distance from the fill colour, as a share of
# the fill-rim distance, stays below this.
_LETTER_COLOUR = 0.25
# A letter's surroundings lie at most this far along the axis, on average (they are rim).
_RIM_AT = 0.35
# Letters are at least this share of the line's tallest letter (x-height is about half of it);
# smaller blobs are kept only as marks where a font puts them (the dots of i, ä, ö, ü, !, a full
# stop, an apostrophe); anywhere else they are specks of the picture.
_LETTER_MIN_H = 0.4
_MARK_MAX = 0.35
# White margin around the image: tesseract misses letters that touch the image edge.
MARGIN_PX = 12


def axis_position(
    crop: np.ndarray, fill: tuple[int, int, int], rim: tuple[int, int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's place on the axis from the rim colour (0) to the fill colour (1), and its
    distance from that axis, as a share of the distance between the two colours."""
    pixels = crop.astype(np.float32)
    rim_colour = np.array(rim, np.float32)
    direction = np.array(fill, np.float32) - rim_colour
    length2 = max(float(direction @ direction), 1.0)
    offset = pixels - rim_colour
    along = (offset @ direction) / length2
    off = offset - along[..., None] * direction
    return along, np.sqrt((off * off).sum(axis=2) / length2)


def letters_only(crop: np.ndarray, region: Region, scale: float, *, solid: bool = False) -> np.ndarray:
    """Black letters on white: the fill-coloured blobs of the crop that are shaped and framed like
    letters.

    `solid` fills the holes of the blobs: when white text with a thin dark outline stands on a white
    picture, the finder can only see the outline, and its rings are the letters' shapes.
    """
    import cv2

    assert region.fill is not None and region.rim is not None
    along, off = axis_position(crop, region.fill, region.rim)
    ink = np.where((along >= _INK_AT) & (off <= _OFF_AXIS), 255, 0).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    letter_h = max(region.letter_h * scale, 8.0)
    height, width = ink.shape
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    area = stats[:, cv2.CC_STAT_AREA]
    touches_edge = (x == 0) | (y == 0) | (x + w >= width) | (y + h >= height)
    candidate = ~touches_edge & (h <= 1.5 * letter_h) & (area >= (0.06 * letter_h) ** 2)
    candidate[0] = False
    if not candidate.any():
        return np.full((height + 2 * MARGIN_PX, width + 2 * MARGIN_PX), 255, np.uint8)

    flat = np.asarray(labels, np.int32).ravel()
    size = np.maximum(np.bincount(flat, minlength=count), 1)
    # Distance from the fill colour, per blob: off the axis, or short of the fill along it.
    distance = np.hypot(off, np.clip(1.0 - along, 0.0, None)).ravel()
    colour = np.bincount(flat, weights=distance, minlength=count) / size
    # A letter's rim (a band a tenth of the letter height wide) is rim-coloured.
    band = max(2, round(letter_h / 10))
    grown = cv2.dilate(labels.astype(np.float32), np.ones((2 * band + 1, 2 * band + 1), np.uint8))
    ring = np.where((grown > 0) & (labels == 0), grown, 0).astype(np.int32).ravel()
    ring_size = np.maximum(np.bincount(ring, minlength=count), 1)
    # Off-axis pixels count as rim-like: a letter's outline is often darker than the rim colour
    # measured at half size.
    rim_like = np.where(off.ravel() > _OFF_AXIS, 0.0, np.clip(along.ravel(), 0.0, 1.0))
    rim_ok = np.bincount(ring, weights=rim_like, minlength=count) / ring_size <= _RIM_AT

    keep = candidate & (colour <= _LETTER_COLOUR) & rim_ok & (h >= _LETTER_MIN_H * letter_h)
    marks = (
        candidate
        & (colour <= _LETTER_COLOUR)
        & rim_ok
        & ~keep
        & (w <= _MARK_MAX * letter_h)
        & (h <= _MARK_MAX * letter_h)
    )
    letters = np.flatnonzero(keep)
    left, top, right, foot = x[letters], y[letters], x[letters] + w[letters], y[letters] + h[letters]
    line_top = int(top.min()) if len(letters) else 0
    for mark in np.flatnonzero(marks):
        centre = x[mark] + w[mark] / 2
        bottom = y[mark] + h[mark]
        over = (left <= centre) & (centre <= right)
        # The dot of an i or j, an umlaut: right above a letter.
        dot = over & (bottom <= top + 0.1 * letter_h) & (bottom >= top - 0.4 * letter_h)
        # The dot of ! or ?: right below one.
        point = over & (y[mark] >= foot - 0.1 * letter_h) & (y[mark] <= foot + 0.3 * letter_h)
        # A full stop or comma: close after a letter, on its baseline.
        stop = (
            (x[mark] >= right - 0.05 * letter_h)
            & (x[mark] <= right + 0.25 * letter_h)
            & (bottom >= foot - 0.12 * letter_h)
            & (bottom <= foot + 0.3 * letter_h)
        )
        # An apostrophe: close after a letter, at the top of the line.
        quote = (
            (x[mark] >= right - 0.05 * letter_h)
            & (x[mark] <= right + 0.35 * letter_h)
            & (abs(y[mark] - line_top) <= 0.15 * letter_h)
        )
        keep[mark] = bool((dot | point | stop | quote).any())
    black = np.where(keep[labels], 0, 255).astype(np.uint8)
    image = np.asarray(
        cv2.copyMakeBorder(black, MARGIN_PX, MARGIN_PX, MARGIN_PX, MARGIN_PX, cv2.BORDER_CONSTANT, value=255)
    )
    if solid:
        # Whatever white the margin cannot reach is enclosed by a letter.
        outside = image.copy()
        cv2.floodFill(outside, None, (0, 0), 128)
        image[outside == 255] = 0
    return image


def ocr_image(crop: np.ndarray, region: Region, scale: float, *, solid: bool = False) -> np.ndarray:
    """The greyscale image tesseract reads for a crop, with a white margin of MARGIN_PX.

    The letters alone when the line's colours are known (see `letters_only`), else the plain
    greyscale crop.
    """
    import cv2

    if region.fill is None or region.rim is None:
        grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
        return cv2.copyMakeBorder(grey, MARGIN_PX, MARGIN_PX, MARGIN_PX, MARGIN_PX, cv2.BORDER_REPLICATE)
    return letters_only(crop, region, scale, solid=solid)
