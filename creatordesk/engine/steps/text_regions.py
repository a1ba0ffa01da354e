"""Find the lines of caption text in a frame, so OCR reads small crops instead of whole frames.

Caption stickers, whatever their look, are drawn the same way: each letter is a patch of one flat
colour (the fill) with a sharp rim of another flat colour around it (an outline, a box, a shadow),
and the letters of a line share both colours, height and baseline. Picture content rarely does all
of that at once. So:

1. Threshold the frame at a few fixed levels of its lightest and brightest channel (white, bright
   coloured, black and saturated fills) and take the connected blobs.
2. Keep blobs shaped like letters: size, aspect, thin strokes (distance transform), an even fill
   and a rim that is even too and clearly different from the fill.
3. Chain letters of the same fill and rim colours, similar height and level with each other into
   lines; keep chains whose letters stand on one baseline. Each line remembers its two colours (OCR
   later separates fill from rim with them) and its letters (a sticker is followed from frame to
   frame by its letters, which the picture moving behind it does not change).

Everything runs on a half-size copy: letters worth reading are still several pixels tall there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

Colour = tuple[int, int, int]  # blue, green, red

# Sizes at detection resolution (half of the ~720 px analysis frame): a letter is at least this tall
_MIN_LETTER_PX = 6
# ... a line at least this tall ...
_MIN_HEIGHT_PX = 6
# ... and no letter taller than this share of the frame height (bigger blobs are picture content).
_MAX_HEIGHT_SHARE = 0.15
# Grey levels: fills at least this light or bright, or at most this dark, are ink candidates.
_LIGHT = 190
_DARK = 70
# A letter's fill and rim differ by at least this much in their most different channel ...
_MIN_CONTRAST = 80
# ... each is even (standard deviation over its pixels, mean of the channels) ...
_MAX_FILL_SPREAD = 30.0
_MAX_RIM_SPREAD = 80.0
# ... and strokes are thin: the mean distance of a letter pixel to the letter's edge, as a share
# of its height (bold caption fonts stay below ~0.08; filled shapes start at ~0.15).
_MAX_STROKE = 0.11
# Letters of one line have fills and rims this close in every channel.
_SAME_FILL = 48
_SAME_RIM = 72
# ... or rims that are all at least this much darker (or lighter) than the fill, in grey levels.
_RIM_STEP = 100
_LUMA = np.array([0.114, 0.587, 0.299])  # grey level of a B, G, R colour
# Two sightings show the same text when this share of the letters is found again in the same box
# and with this share of its pixels in common.
_SAME_LETTERS = 0.75
_SAME_GLYPH = 0.7
# A line is at most this many times as tall as its tallest letter (letters stand level in a line).
_LINE_HEIGHT = 1.6
# Letters inside outlined letters are at least this share of their height (else they are counters).
_OUTLINE_FILL_H = 0.6
# At least this share of a line's letters stand on its baseline.
_MIN_ALIGNED = 0.6
# Pieces of one line are joined across gaps up to this many line heights.
_LINE_GAP = 3.0
# Crops per frame, the likeliest first; busy footage can produce many candidates.
_MAX_REGIONS = 12
# Letter candidates judged per threshold, and letters chained; more is texture, and only the
# largest candidates and the clearest letters (most contrast, evenest rim) are kept.
_MAX_BLOBS = 6000
_MAX_LETTERS = 600


@dataclass(frozen=True)
class Region:
    """A box in frame pixels (left, top, width, height), with the colours of its letters and rim.

    `fill` and `rim` are None when unknown; OCR then falls back to greyscale.
    """

    x: int
    y: int
    w: int
    h: int
    fill: Colour | None = field(default=None, compare=False)
    rim: Colour | None = field(default=None, compare=False)
    letter_h: int = field(default=0, compare=False)  # tallest letter, frame pixels

    def padded(self, pad_x: int, pad_y: int, width: int, height: int) -> Region:
        """The same region grown by `pad_x` pixels left and right and `pad_y` above and below,
        within the frame."""
        x0, y0 = max(0, self.x - pad_x), max(0, self.y - pad_y)
        x1, y1 = min(width, self.x + self.w + pad_x), min(height, self.y + self.h + pad_y)
        return Region(x0, y0, x1 - x0, y1 - y0, self.fill, self.rim, self.letter_h)

    def iou(self, other: Region) -> float:
        """Intersection over union of the two boxes."""
        w = min(self.x + self.w, other.x + other.w) - max(self.x, other.x)
        h = min(self.y + self.h, other.y + other.h) - max(self.y, other.y)
        if w <= 0 or h <= 0:
            return 0.0
        inter = w * h
        return inter / (self.w * self.h + other.w * other.h - inter)


@dataclass(frozen=True)
class _Letters:
    """Letter blobs of one threshold: boxes (x, y, w, h), area, and mean fill and rim colours."""

    boxes: np.ndarray  # int, (n, 4)
    area: np.ndarray  # (n,)
    fill: np.ndarray  # float, (n, 3)
    rim: np.ndarray  # float, (n, 3)
    rim_spread: np.ndarray  # (n,)
    labels: np.ndarray  # int32 image: letter i (row i of the arrays) is i + 1, elsewhere 0


def _ink_masks(planes: list[np.ndarray]) -> list[np.ndarray]:
    """Candidate fills: white, bright (white or coloured), black, and saturated or black."""
    import cv2

    blue, green, red = planes
    lightest = cv2.min(cv2.min(blue, green), red)
    brightest = cv2.max(cv2.max(blue, green), red)
    return [
        cv2.threshold(lightest, _LIGHT, 255, cv2.THRESH_BINARY)[1],
        cv2.threshold(brightest, _LIGHT, 255, cv2.THRESH_BINARY)[1],
        cv2.threshold(brightest, _DARK, 255, cv2.THRESH_BINARY_INV)[1],
        cv2.threshold(lightest, _DARK, 255, cv2.THRESH_BINARY_INV)[1],
    ]


def _per_label(labels: np.ndarray, planes: list[np.ndarray], count: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean colour (count, 3) and spread (count,) of the pixels of each label 1..count-1."""
    # Only labelled pixels are summed: letters cover a small part of a frame.
    where = np.flatnonzero(labels)
    flat = labels.ravel()[where]
    size = np.maximum(np.bincount(flat, minlength=count), 1)
    means, spread = [], np.zeros(count)
    for plane in planes:
        values = plane.ravel()[where].astype(np.float64)
        mean = np.bincount(flat, weights=values, minlength=count) / size
        square = np.bincount(flat, weights=values * values, minlength=count) / size
        means.append(mean)
        spread += np.sqrt(np.maximum(square - mean * mean, 0.0))
    return np.stack(means, axis=1), spread / len(planes)


def _letters_of(mask: np.ndarray, small: list[np.ndarray], max_height: int) -> _Letters | None:
    """The blobs of one threshold mask that look like letters of a caption (`small`: the frame's
    blue, green and red planes)."""
    import cv2

    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    widths, heights = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    area = stats[:, cv2.CC_STAT_AREA]
    fill_ratio = area / np.maximum(widths * heights, 1)
    # A solid blob is a filled shape, except a thin bar ("i", "l", "I" and "!" are bars).
    solid_ok = (fill_ratio <= 0.92) | (widths <= 0.4 * heights)
    shaped = (
        (heights >= _MIN_LETTER_PX)
        & (heights <= max_height)
        & (widths <= 3 * heights)
        & (fill_ratio >= 0.12)
        & solid_ok
    )
    shaped[0] = False
    candidates = np.flatnonzero(shaped)
    if len(candidates) == 0:
        return None
    if len(candidates) > _MAX_BLOBS:
        candidates = candidates[np.argsort(-area[candidates])[:_MAX_BLOBS]]
    # Work in the window holding the candidates and their rims: often a small part of the frame.
    left, top = stats[candidates, 0], stats[candidates, 1]
    x0, y0 = max(int(left.min()) - 3, 0), max(int(top.min()) - 3, 0)
    x1 = min(int((left + widths[candidates]).max()) + 3, mask.shape[1])
    y1 = min(int((top + heights[candidates]).max()) + 3, mask.shape[0])
    lut = np.zeros(count, np.int32)
    lut[candidates] = np.arange(1, len(candidates) + 1)
    relabelled = lut[labels[y0:y1, x0:x1]]
    n = len(candidates) + 1
    planes = [plane[y0:y1, x0:x1] for plane in small]

    fill, fill_spread = _per_label(relabelled, planes, n)
    # The rim: up to two pixels around each blob (a grey dilation of the label image spreads each
    # label outwards; where two rims meet, one label wins, which only blurs their statistics).
    grown = cv2.dilate(relabelled.astype(np.float32), np.ones((5, 5), np.uint8)).astype(np.int32)
    ring = (grown > 0) & (relabelled == 0)
    rim, rim_spread = _per_label(np.where(ring, grown, 0), planes, n)
    blob_mask = np.where(relabelled > 0, 255, 0).astype(np.uint8)
    depth = cv2.distanceTransform(blob_mask, cv2.DIST_L2, 3)
    inside = np.flatnonzero(relabelled)
    flat = relabelled.ravel()[inside]
    stroke = np.bincount(flat, weights=depth.ravel()[inside], minlength=n) / np.maximum(
        np.bincount(flat, minlength=n), 1
    )

    h = heights[candidates].astype(np.float64)
    contrast = np.abs(fill[1:] - rim[1:]).max(axis=1)
    letter = (
        (contrast >= _MIN_CONTRAST)
        & (fill_spread[1:] <= _MAX_FILL_SPREAD)
        & (rim_spread[1:] <= _MAX_RIM_SPREAD)
        # Half a pixel of slack: at a few pixels' height the distance transform is coarse.
        & (stroke[1:] <= _MAX_STROKE * h + 0.5)
    )
    if not letter.any():
        return None
    if np.count_nonzero(letter) > _MAX_LETTERS:
        clarity = np.where(letter, contrast / (1 + rim_spread[1:] / 32), -1.0)
        letter &= clarity >= np.sort(clarity)[-_MAX_LETTERS]
    kept = candidates[letter]
    numbers = np.zeros(n, np.int32)
    numbers[1:][letter] = np.arange(1, len(kept) + 1)
    letter_labels = np.zeros(mask.shape, np.int32)
    letter_labels[y0:y1, x0:x1] = numbers[relabelled]
    return _Letters(
        boxes=stats[kept, :4].astype(np.int64),
        area=area[kept],
        fill=fill[1:][letter],
        rim=rim[1:][letter],
        rim_spread=rim_spread[1:][letter],
        labels=letter_labels,
    )


@dataclass
class _Chains:
    """Chains of letters at detection resolution, one row per chain: box (x, y, w, h), mean fill
    and rim colour, tallest letter, number of letters, how caption-like it is (`weight`), and the
    share of its letters on its baseline."""

    boxes: np.ndarray
    fill: np.ndarray
    rim: np.ndarray
    letter_h: np.ndarray
    letters: np.ndarray
    weight: np.ndarray
    aligned: np.ndarray  # share of the letters standing on the chain's baseline

    @staticmethod
    def concat(parts: list[_Chains]) -> _Chains:
        """The chains of several thresholds, one after another."""
        return _Chains(*(np.concatenate([getattr(p, name) for p in parts]) for name in _CHAIN_FIELDS))


_CHAIN_FIELDS = ("boxes", "fill", "rim", "letter_h", "letters", "weight", "aligned")


def _chains_of(letters: _Letters) -> tuple[_Chains, np.ndarray]:
    """Chain letters into lines: similar height, level with each other, close by, same look.

    Requiring the same look keeps a picture element next to a caption out of its line. Returns the
    chains and, for each letter, the number of its chain.
    """
    x, y, w, h = (letters.boxes[:, i].astype(np.float32) for i in range(4))
    cy = y + h / 2
    taller = np.maximum(h[:, None], h[None, :])
    shorter = np.minimum(h[:, None], h[None, :])
    gap = np.maximum(x[:, None], x[None, :]) - np.minimum((x + w)[:, None], (x + w)[None, :])
    near = (
        (np.abs(cy[:, None] - cy[None, :]) < 0.5 * taller) & (taller < 2.2 * shorter) & (gap < 1.2 * taller)
    )
    first, second = np.nonzero(np.triu(near, 1))
    alike = _same_style(letters.fill[first], letters.rim[first], letters.fill[second], letters.rim[second])
    parent = np.arange(len(x))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    for i, j in zip(first[alike].tolist(), second[alike].tolist(), strict=True):
        parent[root(i)] = root(j)
    roots = np.array([root(i) for i in range(len(x))])
    _, chain = np.unique(roots, return_inverse=True)
    count = int(chain.max()) + 1
    x0 = np.full(count, np.inf)
    y0 = np.full(count, np.inf)
    x1 = np.zeros(count)
    y1 = np.zeros(count)
    tallest = np.zeros(count)
    np.minimum.at(x0, chain, x)
    np.minimum.at(y0, chain, y)
    np.maximum.at(x1, chain, x + w)
    np.maximum.at(y1, chain, y + h)
    np.maximum.at(tallest, chain, h)
    members = np.bincount(chain, minlength=count)
    fill = np.zeros((count, 3))
    rim = np.zeros((count, 3))
    np.add.at(fill, chain, letters.fill)
    np.add.at(rim, chain, letters.rim)
    fill /= members[:, None]
    rim /= members[:, None]
    boxes = np.stack([x0, y0, x1 - x0, y1 - y0], axis=1).astype(np.int64)
    # Letters of a line stand on one baseline (only descenders reach below it); blobs of a texture
    # chained by chance do not. The baseline is the median foot of the chain's letters.
    foot = y + h
    order = np.lexsort((foot, chain))
    starts = np.searchsorted(chain[order], np.arange(count))
    baseline = foot[order][starts + members // 2]
    on_baseline = np.abs(foot - baseline[chain]) <= 0.15 * tallest[chain] + 1
    aligned = np.bincount(chain, weights=on_baseline, minlength=count) / members
    # More letters win over fewer (where a coloured fill and its outline both pass as letters, the
    # outline joins several letters into one blob), and an even rim (a box, an outline) marks a
    # caption where a texture's rims vary.
    spread = np.bincount(chain, weights=letters.rim_spread, minlength=count) / members
    weight = members * np.abs(fill - rim).max(axis=1) * aligned * aligned / (1 + spread / 32)
    return _Chains(boxes, fill, rim, tallest.astype(np.int64), members, weight, aligned), chain


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over the smaller box, for boxes (x, y, w, h)."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return float(w * h / max(min(a[2] * a[3], b[2] * b[3]), 1))


def _same_style(fill_a: np.ndarray, rim_a: np.ndarray, fill_b: np.ndarray, rim_b: np.ndarray) -> np.ndarray:
    """Whether letters (or lines) have one look: the same fill, and the same rim or at least a rim
    much darker (or much lighter) than the fill in both.

    A half-transparent box or a thin outline takes on the colours of the picture behind it, so the
    rim of one caption can vary; its fill does not.
    """
    fill_same = np.abs(fill_a - fill_b).max(axis=-1) <= _SAME_FILL
    rim_same = np.abs(rim_a - rim_b).max(axis=-1) <= _SAME_RIM
    step_a = (fill_a - rim_a) @ _LUMA
    step_b = (fill_b - rim_b) @ _LUMA
    darker = (step_a >= _RIM_STEP) & (step_b >= _RIM_STEP)
    lighter = (step_a <= -_RIM_STEP) & (step_b <= -_RIM_STEP)
    return fill_same & (rim_same | darker | lighter)


def _on_line(chains: _Chains, boxes: np.ndarray, line: int, others: np.ndarray, max_gap: float) -> np.ndarray:
    """Which of `others` sit on chain `line`, in its look, at most `max_gap` line heights away
    (`boxes`: the chains' boxes as grown so far)."""
    lx, ly, lw, lh = boxes[line]
    x, y, w, h = boxes[others].T
    overlap = np.minimum(y + h, ly + lh) - np.maximum(y, ly)
    gap = np.maximum(x, lx) - np.minimum(x + w, lx + lw)
    return (
        (overlap > 0.5 * np.minimum(h, lh))
        & (gap < max_gap * np.maximum(h, lh))
        & _same_style(chains.fill[line], chains.rim[line], chains.fill[others], chains.rim[others])
    )


def _union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The box (x, y, w, h) around two boxes."""
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return np.array([x0, y0, x1 - x0, y1 - y0])


def _fills(chains: _Chains, inner: int, outer: int) -> bool:
    """Whether chain `inner` is the fill of letters whose outline is chain `outer`: inside it,
    nearly as tall (the counters of an o or e are much smaller), its rim the outline's colour."""
    a, b = chains.boxes[inner], chains.boxes[outer]
    inside = (
        a[0] >= b[0] - 2
        and a[1] >= b[1] - 2
        and a[0] + a[2] <= b[0] + b[2] + 2
        and a[1] + a[3] <= b[1] + b[3] + 2
    )
    tall = _OUTLINE_FILL_H * chains.letter_h[outer] <= chains.letter_h[inner] <= chains.letter_h[outer]
    framed = np.abs(chains.rim[inner] - chains.fill[outer]).max() <= _SAME_RIM
    return bool(inside and tall and framed)


def _lines(chains: _Chains) -> list[tuple[Region, list[int]]]:
    """One line per place, from chains of at least three letters, strongest first.

    Of two chains at one place (the fill and the outline of the same letters) the one with more
    letter wins. Pieces of one line are joined, also across a gap of a few letters (a word the
    picture partly hid), and shorter chains join a line they continue (a word whose first letter
    the picture hid). Two letters or fewer alone are picture content far more often than a caption.
    Each line comes with the numbers of the chains it is made of.
    """
    # A chain much taller than its tallest letter wandered through a texture; it is not a line.
    height = chains.boxes[:, 3]
    strong = np.flatnonzero(
        (chains.letters >= 3)
        & (height >= _MIN_HEIGHT_PX)
        & (height <= _LINE_HEIGHT * chains.letter_h)
        & (chains.aligned >= _MIN_ALIGNED)
    )
    strong = strong[np.argsort(-chains.weight[strong], kind="stable")]
    boxes = chains.boxes.copy()
    kept: list[int] = []
    for index in strong.tolist():
        places = [k for k, other in enumerate(kept) if _overlap(boxes[index], boxes[other]) >= 0.5]
        if not places:
            kept.append(index)
        for place in places:
            # The fill of outlined letters wins over their outline, however many specks of the
            # picture the outline chained up; the line keeps the outline's extent.
            outer = kept[place]
            if _fills(chains, index, outer):
                boxes[index] = _union(boxes[index], boxes[outer])
                kept[place] = index
    kept = list(dict.fromkeys(kept))
    short = np.flatnonzero(chains.letters < 3)
    regions = []
    while kept:
        line = kept.pop(0)
        members = [line]
        letter_h = int(chains.letter_h[line])
        changed = True
        while changed:  # a grown line can reach pieces it did not reach before
            pieces = np.array(kept, np.int64)
            joined = pieces[_on_line(chains, boxes, line, pieces, _LINE_GAP)] if len(pieces) else pieces
            taken = short[_on_line(chains, boxes, line, short, 1.5)] if len(short) else short
            changed = bool(len(joined) or len(taken))
            for other in [*joined.tolist(), *taken.tolist()]:
                members.append(other)
                boxes[line] = _union(boxes[line], boxes[other])
                letter_h = max(letter_h, int(chains.letter_h[other]))
            kept = [k for k in kept if k not in set(joined.tolist())]
            short = np.setdiff1d(short, taken)
        x, y, w, h = (int(v) for v in boxes[line])
        fill = tuple(int(v) for v in chains.fill[line])
        rim = tuple(int(v) for v in chains.rim[line])
        regions.append((Region(x, y, w, h, fill, rim, letter_h), members))  # type: ignore[arg-type]
    return regions


Glyph = tuple[int, int, int, int, np.ndarray]  # left, top, width, height (half size), pixels


@dataclass(frozen=True)
class TextLayer:
    """The caption lines of one frame, and for each the letters it was found from.

    `glyphs[i]` are region i's letters at detection size (half the frame): each letter's box and
    its pixels within the box.
    """

    regions: list[Region]
    glyphs: list[list[Glyph]]

    def same_text_as(self, other: TextLayer, index: int, other_index: int) -> bool:
        """True when region `index` here and region `other_index` of `other` show the same letters
        at the same place.

        Letter by letter: each must sit in the same box and cover the same pixels there. Comparing
        the lines' own letters rather than pixels ignores the picture moving behind a sticker, and
        going letter by letter tells "Step one" from "Step two" shown after it at the same place.
        """
        mine, theirs = self.glyphs[index], other.glyphs[other_index]
        if not mine or not theirs:
            return False
        matched = sum(any(_same_glyph(glyph, their) for their in theirs) for glyph in mine)
        return matched >= _SAME_LETTERS * max(len(mine), len(theirs))


def _same_glyph(a: Glyph, b: Glyph) -> bool:
    """The same letter: boxes within a pixel, pixels mostly in common."""
    ax, ay, aw, ah, a_pixels = a
    bx, by, bw, bh, b_pixels = b
    if max(abs(ax - bx), abs(ay - by), abs(aw - bw), abs(ah - bh)) > 1:
        return False
    x0, y0 = min(ax, bx), min(ay, by)
    width, height = max(ax + aw, bx + bw) - x0, max(ay + ah, by + bh) - y0
    first = np.zeros((height, width), bool)
    second = np.zeros_like(first)
    first[ay - y0 : ay - y0 + ah, ax - x0 : ax - x0 + aw] = a_pixels
    second[by - y0 : by - y0 + bh, bx - x0 : bx - x0 + bw] = b_pixels
    union = np.count_nonzero(first | second)
    return bool(np.count_nonzero(first & second) >= _SAME_GLYPH * union)


def find_text_regions(image: np.ndarray) -> list[Region]:
    """Boxes around the caption lines of a BGR frame (in its pixels), padded for OCR."""
    return find_text(image).regions


def find_text(image: np.ndarray) -> TextLayer:
    """The caption lines of a BGR frame (boxes in its pixels, padded for OCR) and their letters."""
    import cv2

    height, width = image.shape[:2]
    small = cv2.resize(image, (width // 2, height // 2), interpolation=cv2.INTER_AREA)
    max_height = int(small.shape[0] * _MAX_HEIGHT_SHARE)
    parts: list[_Chains] = []
    # Per threshold: its letters, and the number (across all thresholds) of each letter's chain.
    sources: list[tuple[_Letters, np.ndarray]] = []
    planes = list(cv2.split(small))
    for mask in _ink_masks(planes):
        letters = _letters_of(mask, planes, max_height)
        if letters is None:
            continue
        chains, chain_of_letter = _chains_of(letters)
        sources.append((letters, chain_of_letter + sum(len(part.boxes) for part in parts)))
        parts.append(chains)
    lines = _lines(_Chains.concat(parts))[:_MAX_REGIONS] if parts else []
    regions, glyphs = [], []
    for r, members in lines:
        full = Region(2 * r.x, 2 * r.y, 2 * r.w, 2 * r.h, r.fill, r.rim, 2 * r.letter_h)
        # A letter the finder missed at either end of the line (a thin "i", a "!") is still read
        # when the crop reaches one letter further.
        regions.append(full.padded(max(6, full.letter_h), max(6, full.h // 3), width, height))
        own: list[Glyph] = []
        for letters, chain_of_letter in sources:
            for number in np.flatnonzero(np.isin(chain_of_letter, members)):
                x, y, w, h = (int(v) for v in letters.boxes[number])
                own.append((x, y, w, h, letters.labels[y : y + h, x : x + w] == number + 1))
        glyphs.append(own)
    return TextLayer(regions, glyphs)


def crop_for_ocr(image: np.ndarray, region: Region) -> tuple[np.ndarray, float]:
    """The region cut out (BGR) and scaled so its letters are ~48 px tall for tesseract; and the scale."""
    import cv2

    crop = image[region.y : region.y + region.h, region.x : region.x + region.w]
    letter_h = region.letter_h or max(region.h // 2, 1)
    scale = min(3.0, max(1.0, 48 / max(letter_h, 1)))
    if scale > 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return np.ascontiguousarray(crop), scale
