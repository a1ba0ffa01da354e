"""On-screen text: read the caption stickers of the kept frames and turn them into text spans.

1. `text_regions` finds the caption lines of each kept frame. A line in the same look, with the
   same letters at the same place as on the previous frame, is the same sticker: it is cut out
   again only every REREAD_S seconds, never read per frame.
2. A line found on one kept frame only while the picture moves is picture content (textures flicker
   into letter-like shapes for a frame); it is dropped before any OCR.
3. Each sticker is read once, from a crop in the middle of its time on screen, as black letters on
   white (`text_ink`). Only stickers whose reading is doubtful are read again, from other crops
   and with the letters' holes filled; the surest reading wins. All crops of one round go to
   tesseract in one batch.
4. Junk is dropped: low confidence, specks, lines without a real word (clocks, textures).
5. `onscreen_spans` follows lines across frames into time ranges, joins the lines of one sticker
   and links stickers that continue one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from creatordesk.engine.steps.base import ReviewState
from creatordesk.engine.steps.onscreen_spans import Line, guess_language, overlap, spans_from_frames
from creatordesk.engine.steps.text_ink import MARGIN_PX, ocr_image
from creatordesk.engine.steps.text_regions import Region, TextLayer, crop_for_ocr, find_text
from creatordesk.engine.tools.tesseract import Word, ocr_files
from creatordesk.engine.types import Frame, TextSpan

if TYPE_CHECKING:
    from creatordesk.engine.context import ReviewContext

__all__ = [
    "Line",
    "OnscreenTextStep",
    "guess_language",
    "lines_from_words",
    "read_onscreen_text",
    "spans_from_frames",
]

_WORD_CHARS = re.compile(r"[^\w#@%€$&+.,:!?'’-]+")
_LETTERS = re.compile(r"[A-Za-zÄÖÜäöüß]")
# Crops are scaled until letters are ~48 px tall; a word only a few pixels high is a speck.
_MIN_WORD_PX = 10
# Tesseract language codes and the simplemma dictionaries that judge whether OCR output is words.
_DICTIONARY_LANGS = {
    "deu": "de",
    "eng": "en",
    "fra": "fr",
    "spa": "es",
    "ita": "it",
    "nld": "nl",
    "pol": "pl",
}
# Words this far below the confidence threshold are kept when they are dictionary words.
_WORD_DOUBT = 25.0
# A sticker that stays on screen is cut out again after this many seconds, for a second reading
# when the first is doubtful (a caption over a moving picture can be legible in some frames only).
REREAD_S = 1.0
# Other crops read for a doubtful sticker.
_MAX_REREADS = 2
# A reading of the letters with their holes filled wins only when it is this much better.
_SOLID_MARGIN = 1.5
# A reading is sure when every word is a known word read with at least this confidence.
_SURE_CONF = 85.0
# Kept frames closer than this mean the picture was moving (frames are kept only on change).
_MOVING_GAP_S = 0.7


def _clean_word(text: str) -> str:
    """A word as tesseract read it, without stray marks around it."""
    # Captions in German and English have no dotless ı; it is an i whose dot was lost.
    text = text.replace("’", "'").replace("ı", "i")
    return _WORD_CHARS.sub("", text).lstrip("-'.,:").rstrip("-',:")


def _known_words(words: list[str], languages: tuple[str, ...]) -> int:
    """How many words are dictionary words, hashtags, handles, numbers or prices.

    Tesseract turns textures and edges into confident-looking strings like "ee" or "Iii"; real
    captions are mostly ordinary words.
    """
    import simplemma

    good = 0
    for word in words:
        plain = word.strip("#@").lower().rstrip(".,:!?")
        tagged = word.startswith(("#", "@")) or any(ch.isdigit() for ch in word)
        known = len(plain) >= 2 and (
            simplemma.is_known(plain, lang=languages)
            or simplemma.is_known(plain.capitalize(), lang=languages)
        )
        good += tagged or known
    return good


def _join_split_words(words: list[Word]) -> list[str]:
    """Clean words left to right, re-joining pieces tesseract split inside a word ("Lig ht").

    A real space in caption fonts is at least a fifth of the letter height; a narrower gap is a
    break tesseract made inside one word.
    """
    texts: list[str] = []
    previous: Word | None = None
    for word in words:
        cleaned = _clean_word(word.text)
        if previous is not None and texts:
            gap = word.left - (previous.left + previous.width)
            if gap < 0.2 * max(word.height, previous.height):
                texts[-1] += cleaned
                previous = word
                continue
        texts.append(cleaned)
        previous = word
    return texts


def lines_from_words(words: list[Word], *, min_conf: float, languages: tuple[str, ...]) -> list[Line]:
    """Group one image's words into lines and keep the lines that read as text."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        if word.conf < min_conf - _WORD_DOUBT or word.height < _MIN_WORD_PX:
            continue
        cleaned = _clean_word(word.text)
        if not cleaned or not (_LETTERS.search(cleaned) or any(ch.isdigit() for ch in cleaned)):
            continue
        # Tesseract doubts some plain words on clean letters ("till"); a doubted word still
        # counts when a dictionary knows it.
        if word.conf < min_conf and not _known_words([cleaned], languages):
            continue
        grouped.setdefault(word.line_key, []).append(word)
    lines = []
    for line_words in grouped.values():
        line_words.sort(key=lambda w: w.left)
        texts = _join_split_words(line_words)
        # A full stop counts at the end of a line only, where it tells a finished sentence from
        # one the next sticker carries on; inside a line it is more often a speck of the picture.
        texts = [text.rstrip(".") or text for text in texts[:-1]] + texts[-1:]
        # A lone short fragment is almost always noise, and a line without a single word of two
        # letters is a counter or a clock in the picture, not a caption.
        if len(texts) == 1 and len(texts[0]) < 3:
            continue
        if not any(len(_LETTERS.findall(text)) >= 2 for text in texts):
            continue
        conf = float(np.mean([w.conf for w in line_words]))
        known = _known_words(texts, languages)
        if conf < 85 and known < max(1, (len(texts) + 1) // 2):
            continue
        box = (
            min(w.left for w in line_words),
            min(w.top for w in line_words),
            max(w.left + w.width for w in line_words),
            max(w.top + w.height for w in line_words),
        )
        lines.append(Line(" ".join(texts), conf, box, known / len(texts)))
    return lines


def merge_readings(readings: list[list[Line]]) -> list[Line]:
    """Combine the lines of several readings of one frame; where two overlap, the surer one wins."""
    merged: list[Line] = []
    for line in sorted((line for lines in readings for line in lines), key=lambda ln: -ln.conf):
        if all(overlap(line.box, kept.box) < 0.5 for kept in merged):
            merged.append(line)
    return sorted(merged, key=lambda ln: (ln.box[1], ln.box[0]))


def _quality(lines: list[Line]) -> float:
    """How much confident, real-word text a reading produced."""
    return sum(len(line.text) * line.conf * (0.5 + 0.5 * line.known) for line in lines)


def _sure(lines: list[Line]) -> bool:
    """Whether a reading needs no second look: confident, and real words only."""
    return bool(lines) and all(line.conf >= _SURE_CONF and line.known >= 1.0 for line in lines)


@dataclass(frozen=True)
class _Crop:
    """A caption line cut out of a frame for OCR."""

    image: np.ndarray  # BGR, scaled for OCR
    region: Region  # where it sits in the frame
    scale: float  # enlargement factor


@dataclass
class _Sticker:
    """One caption line followed across kept frames: where to cut it out, and the frames that show it.

    Crops are cut only when read: most candidate lines of a busy picture never are.
    """

    cuts: list[tuple[int, Region]] = field(default_factory=list)  # (kept frame, region)
    seen: list[tuple[int, int]] = field(default_factory=list)  # (kept frame, region number)
    last_cut: float = -REREAD_S


def _same_look(a: Region, b: Region) -> bool:
    """Letters of the same colour (unknown colours do not tell two lines apart)."""
    if a.fill is None or b.fill is None:
        return True
    return max(abs(p - q) for p, q in zip(a.fill, b.fill, strict=True)) <= 48


def _collect_stickers(frames: list[Frame]) -> tuple[list[_Sticker], list[list[int]]]:
    """The caption lines of all frames as stickers, each with its crops to read; and which stickers
    each frame shows.

    A region in the same look and with the same letters at the same place as a region of the
    previous frame is the same sticker (the picture behind it moved).
    """
    stickers: list[_Sticker] = []
    layers: list[TextLayer] = []
    per_frame: list[list[int]] = []
    for index, frame in enumerate(frames):
        image: np.ndarray = frame.image  # type: ignore[assignment]
        layer = find_text(image)
        ids = []
        for number, region in enumerate(layer.regions):
            sticker_id = None
            if layers:
                previous = layers[-1]
                sticker_id = next(
                    (
                        prev_id
                        for k, (prev_region, prev_id) in enumerate(
                            zip(previous.regions, per_frame[-1], strict=True)
                        )
                        if region.iou(prev_region) >= 0.5
                        and _same_look(region, prev_region)
                        and layer.same_text_as(previous, number, k)
                    ),
                    None,
                )
            if sticker_id is None:
                sticker_id = len(stickers)
                stickers.append(_Sticker())
            sticker = stickers[sticker_id]
            sticker.seen.append((index, number))
            if frame.t - sticker.last_cut >= REREAD_S:
                sticker.cuts.append((index, region))
                sticker.last_cut = frame.t
            ids.append(sticker_id)
        layers.append(layer)
        per_frame.append(ids)
    flickers = {i for i, sticker in enumerate(stickers) if _flicker(sticker, frames, layers)}
    return stickers, [[i for i in ids if i not in flickers] for ids in per_frame]


def _flicker(sticker: _Sticker, frames: list[Frame], layers: list[TextLayer]) -> bool:
    """Whether a line was seen on one kept frame only although the frames around it came soon.

    Frames are kept densely while the picture changes, and a caption stays for a second or more, so
    it shows on a neighbouring kept frame too; textures flicker into letter-like shapes for one
    frame. On a still picture the next kept frame may come seconds later, and a single sighting is
    all there is.
    """
    if len(sticker.seen) > 1:
        return False
    index, number = sticker.seen[0]
    region = layers[index].regions[number]
    neighbours = [i for i in (index - 1, index + 1) if 0 <= i < len(frames)]
    if not neighbours or any(abs(frames[i].t - frames[index].t) > _MOVING_GAP_S for i in neighbours):
        return False
    return not any(
        region.iou(other) >= 0.5
        and (
            (_same_look(region, other) and layers[index].same_text_as(layers[i], number, k))
            # The same outlined letters, found by their outline on the other frame.
            or _swapped_look(region, other)
        )
        for i in neighbours
        for k, other in enumerate(layers[i].regions)
    )


def _swapped_look(a: Region, b: Region) -> bool:
    """Whether the letters of one region have the colour of the other's rim: outlined letters
    found by their fill on one frame and by their outline on the next."""
    if a.fill is None or a.rim is None or b.fill is None or b.rim is None:
        return False
    return (
        min(
            max(abs(p - q) for p, q in zip(a.rim, b.fill, strict=True)),
            max(abs(p - q) for p, q in zip(b.rim, a.fill, strict=True)),
        )
        <= 72
    )


def read_onscreen_text(ctx: ReviewContext, frames: list[Frame], state: ReviewState) -> list[TextSpan]:
    """OCR the caption stickers of the kept frames and return them as on-screen text spans."""
    stickers, stickers_per_frame = _collect_stickers(frames)
    shown = sorted({i for ids in stickers_per_frame for i in ids})
    languages = tuple(
        _DICTIONARY_LANGS[code] for code in ctx.ocr_languages.split("+") if code in _DICTIONARY_LANGS
    ) or ("en", "de")

    def read(crops: list[tuple[int, _Crop, bool]], batch: str) -> list[list[Line]]:
        """The lines (frame coordinates) of each (sticker, crop, solid) triple, read in one batch of
        tesseract processes; `solid` reads the crop with the letters' holes filled."""
        paths = []
        for number, (_, crop, solid) in enumerate(crops):
            # PGM is uncompressed: no time spent compressing an image that is read once.
            path = state.work_dir / f"crop-{batch}-{number:05d}.pgm"
            _write_pgm(path, ocr_image(crop.image, crop.region, crop.scale, solid=solid))
            paths.append(path)
        words = ocr_files(
            paths,
            languages=ctx.ocr_languages,
            work_dir=state.work_dir,
            timeout_s=ctx.tool_timeout_s,
            processes=ctx.threads,
            psm=6,
        )
        return [
            _to_frame_coords(
                lines_from_words(found, min_conf=ctx.ocr_min_confidence, languages=languages),
                crop.region,
                crop.scale,
                sticker,
            )
            for (sticker, crop, _), found in zip(crops, words, strict=True)
        ]

    def cut(index: int, region: Region) -> _Crop:
        """Region `region` of kept frame `index`, scaled for OCR."""
        image: np.ndarray = frames[index].image  # type: ignore[assignment]
        enlarged, scale = crop_for_ocr(image, region)
        return _Crop(enlarged, region, scale)

    # The middle cut first: a sticker is fully shown there even when it animates in or out.
    middle = {i: len(stickers[i].cuts) // 2 for i in shown}
    first = read([(i, cut(*stickers[i].cuts[middle[i]]), False) for i in shown], "first")
    sticker_lines = dict(zip(shown, first, strict=True))
    # A doubtful reading is tried again on other cuts, and on the middle one with the letters'
    # holes filled (an outline mistaken for the letters).
    again = [
        (i, cut(*where), solid)
        for i in shown
        if not _sure(sticker_lines[i])
        for where, solid in [
            (stickers[i].cuts[middle[i]], True),
            *[(c, False) for k, c in enumerate(stickers[i].cuts) if k != middle[i]][:_MAX_REREADS],
        ]
    ]
    for (i, _, solid), lines in zip(again, read(again, "again"), strict=True):
        # Filled holes turn an outline into letters but also an o into a blob: that reading has to
        # be clearly better to count.
        if _quality(lines) > (_SOLID_MARGIN if solid else 1.0) * _quality(sticker_lines[i]):
            sticker_lines[i] = lines

    lines_per_frame = [merge_readings([sticker_lines[i] for i in ids]) for ids in stickers_per_frame]
    return spans_from_frames(
        [f.t for f in frames],
        lines_per_frame,
        duration_s=state.duration_s,
        language=lambda text: guess_language(text, state.brief.language),
    )


def _write_pgm(path: Path, image: np.ndarray) -> None:
    """Write a greyscale image for tesseract."""
    import cv2

    cv2.imwrite(str(path), image)


def _to_frame_coords(lines: list[Line], region: Region, scale: float, sticker: int) -> list[Line]:
    """Lines read in a crop, placed in the frame and tagged with their letters' colour and sticker."""

    def convert(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        return (
            region.x + round((box[0] - MARGIN_PX) / scale),
            region.y + round((box[1] - MARGIN_PX) / scale),
            region.x + round((box[2] - MARGIN_PX) / scale),
            region.y + round((box[3] - MARGIN_PX) / scale),
        )

    return [Line(line.text, line.conf, convert(line.box), line.known, region.fill, sticker) for line in lines]


class OnscreenTextStep:
    """The pipeline step that fills `state.onscreen` from the kept frames."""

    name: ClassVar[str] = "onscreen_text"
    needs: ClassVar[tuple[str, ...]] = ("frames",)

    def applies_to(self, state: ReviewState) -> bool:
        return bool(state.frames)

    def run(self, ctx: ReviewContext, state: ReviewState) -> None:
        state.onscreen = read_onscreen_text(ctx, state.frames, state)
