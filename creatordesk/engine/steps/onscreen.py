"""On-screen text: OCR the kept frames and turn the lines into time ranges.

1. `text_regions` finds the text-like lines of each kept frame; a line showing the same letters at
   the same place as on the previous frame reuses that crop, so a sticker is read once.
2. Each crop is read by tesseract in three grey views (see `text_regions.ocr_views`): caption
   stickers come as dark text in a white box, white text with an outline over the picture, or
   coloured text, and no single view reads them all. Word by word, the surest reading wins.
3. Junk is dropped: low confidence, specks, lines without a real word (clocks, textures).
4. A line seen on consecutive kept frames becomes one span, from the frame where it appears to
   the first frame where it is gone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from creatordesk.engine.steps.base import ReviewState
from creatordesk.engine.steps.text_regions import Region, TextLayer, crop_for_ocr, find_text, ocr_views
from creatordesk.engine.tools.tesseract import Word, ocr_files
from creatordesk.engine.types import Frame, TextSpan

if TYPE_CHECKING:
    from creatordesk.engine.context import ReviewContext

_WORD_CHARS = re.compile(r"[^\w#@%€$&+.,:!?'-]+")
_LETTERS = re.compile(r"[A-Za-zÄÖÜäöüß]")
# Crops are enlarged until a line is ~60 px tall; a word only a few pixels high is a speck.
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
# Lines are the same sticker when their normalised texts are at least this similar.
_SAME_LINE = 0.8
# Text is still on screen if it was missed on one kept frame but read again on the next.
_MAX_MISSES = 1
# A sticker that stays on screen is read again after this many seconds (see _collect_crops).
REREAD_S = 1.0


@dataclass(frozen=True)
class Line:
    """One line of text read from one frame."""

    text: str
    conf: float
    box: tuple[int, int, int, int]  # left, top, right, bottom
    known: float = 1.0  # share of its words that are real words (see _known_words)


def _clean_word(text: str) -> str:
    return _WORD_CHARS.sub("", text).strip("-'.,:")


def _known_words(words: list[str], languages: tuple[str, ...]) -> int:
    """How many words are dictionary words, hashtags, handles, numbers or prices.

    Tesseract turns textures and edges into confident-looking strings like "ee" or "Iii"; real
    captions are mostly ordinary words.
    """
    import simplemma

    good = 0
    for word in words:
        plain = word.strip("#@").lower()
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
        if word.conf < min_conf or word.height < _MIN_WORD_PX:
            continue
        cleaned = _clean_word(word.text)
        if not cleaned or not (_LETTERS.search(cleaned) or cleaned.isdigit()):
            continue
        grouped.setdefault(word.line_key, []).append(word)
    lines = []
    for line_words in grouped.values():
        line_words.sort(key=lambda w: w.left)
        texts = _join_split_words(line_words)
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


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over the smaller box's area."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height / max(smaller, 1)


def merge_readings(readings: list[list[Line]]) -> list[Line]:
    """Combine the lines of several readings of one frame; where two overlap, the surer one wins."""
    merged: list[Line] = []
    for line in sorted((line for lines in readings for line in lines), key=lambda ln: -ln.conf):
        if all(_overlap(line.box, kept.box) < 0.5 for kept in merged):
            merged.append(line)
    return sorted(merged, key=lambda ln: (ln.box[1], ln.box[0]))


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _similar(a: str, b: str) -> bool:
    return SequenceMatcher(None, _normal(a), _normal(b)).ratio() >= _SAME_LINE


@dataclass
class _Track:
    readings: list[Line]
    start_s: float
    last_index: int
    misses: int = 0

    def matches(self, line: Line) -> bool:
        """Same text, or a partial reading of it at the same place on screen."""
        last = self.readings[-1].text
        if _similar(line.text, last):
            return True
        if _overlap(line.box, self.readings[-1].box) < 0.5:
            return False
        a, b = _normal(line.text), _normal(last)
        return bool(a) and bool(b) and (a in b or b in a)


def spans_from_frames(
    times: list[float], lines_per_frame: list[list[Line]], *, duration_s: float, lang_of: dict[str, str]
) -> list[TextSpan]:
    """Follow each line across consecutive kept frames and turn it into one time range.

    A kept frame stands for everything up to the next kept frame (frames are only kept when the
    picture changed), so a line ends where the first frame without it begins.
    """
    open_tracks: list[_Track] = []
    done: list[tuple[_Track, float]] = []

    def end_of(track: _Track) -> float:
        nxt = track.last_index + 1
        return times[nxt] if nxt < len(times) else duration_s

    for index, lines in enumerate(lines_per_frame):
        unmatched = list(lines)
        for track in open_tracks:
            match = next((ln for ln in unmatched if track.matches(ln)), None)
            if match is None:
                track.misses += 1
                continue
            unmatched.remove(match)
            track.readings.append(match)
            track.last_index = index
            track.misses = 0
        still_open = []
        for track in open_tracks:
            if track.misses > _MAX_MISSES:
                done.append((track, end_of(track)))
            else:
                still_open.append(track)
        open_tracks = still_open
        for line in unmatched:
            open_tracks.append(_Track(readings=[line], start_s=times[index], last_index=index))
    done.extend((track, end_of(track)) for track in open_tracks)

    spans = []
    for track, end in sorted(done, key=lambda item: item[0].start_s):
        text = _representative(track.readings)
        spans.append(
            TextSpan(track.start_s, max(end, track.start_s), text, "onscreen", lang_of.get(text, "en"))
        )
    return spans


def _representative(readings: list[Line]) -> str:
    """The reading made of real words that most frames agree on; then the most confident."""
    votes: dict[str, list[Line]] = {}
    for line in readings:
        votes.setdefault(line.text, []).append(line)
    return max(
        votes.items(), key=lambda item: (item[1][0].known, len(item[1]), max(r.conf for r in item[1]))
    )[0]


def guess_language(text: str, default: str) -> str:
    """German or English, by which dictionary knows more of the words; `default` when undecided."""
    import simplemma

    de = en = 0
    for word in re.findall(r"[^\W\d_]{2,}", text):
        in_de = simplemma.is_known(word, lang="de") or simplemma.is_known(word.capitalize(), lang="de")
        in_en = simplemma.is_known(word.lower(), lang="en")
        # Words both languages share ("Link", "Bio", "in") decide nothing.
        de += in_de and not in_en
        en += in_en and not in_de
    if de == en:
        return default
    return "de" if de > en else "en"


def _quality(lines: list[Line]) -> float:
    """How much confident, real-word text a reading produced."""
    return sum(len(line.text) * line.conf * (0.5 + 0.5 * line.known) for line in lines)


@dataclass(frozen=True)
class _Crop:
    image: np.ndarray  # BGR, enlarged for OCR
    region: Region  # where it sits in the frame
    scale: float  # enlargement factor


def _collect_crops(frames: list[Frame]) -> tuple[list[list[_Crop]], list[list[int]]]:
    """The text-like regions of all frames as stickers, each with its crops to read; and which
    stickers each frame shows.

    A region showing the same letters at the same place as a region of the previous frame is the
    same sticker (the picture behind it moved). It is cut out again only every REREAD_S seconds: a
    caption over a moving picture is often legible in some frames only, and one reading per second
    finds such a frame without reading every frame.
    """
    stickers: list[list[_Crop]] = []
    last_cut: list[float] = []
    stickers_per_frame: list[list[int]] = []
    previous: TextLayer | None = None
    previous_ids: list[int] = []
    for frame in frames:
        image: np.ndarray = frame.image  # type: ignore[assignment]
        layer = find_text(image)
        ids = []
        for region in layer.regions:
            sticker_id = None
            if previous is not None:
                sticker_id = next(
                    (
                        prev_id
                        for prev_region, prev_id in zip(previous.regions, previous_ids, strict=True)
                        if region.iou(prev_region) >= 0.5
                        and layer.same_text_as(previous, region, prev_region)
                    ),
                    None,
                )
            if sticker_id is None:
                sticker_id = len(stickers)
                stickers.append([])
                last_cut.append(-REREAD_S)
            if frame.t - last_cut[sticker_id] >= REREAD_S:
                enlarged, scale = crop_for_ocr(image, region)
                stickers[sticker_id].append(_Crop(enlarged, region, scale))
                last_cut[sticker_id] = frame.t
            ids.append(sticker_id)
        stickers_per_frame.append(ids)
        previous, previous_ids = layer, ids
    return stickers, stickers_per_frame


def _patch_words(base: list[Word], others: list[list[Word]]) -> list[Word]:
    """Replace each word of the best reading by a surer reading of the same spot from another view.

    Different views fail on different letters ("Eimited" in one, "Limited" in another); taking
    the surest reading word by word beats taking the best view whole.
    """
    patched = []
    for word in base:
        box = (word.left, word.top, word.left + word.width, word.top + word.height)
        best = word
        for other in (w for words in others for w in words):
            other_box = (other.left, other.top, other.left + other.width, other.top + other.height)
            if other.conf > best.conf + 5 and _overlap(box, other_box) >= 0.6:
                best = other
        patched.append(replace(word, text=best.text, conf=best.conf))
    return patched


def _best_lines(
    crop: _Crop, readings: list[list[Word]], lines_of: Callable[[_Crop, list[Word]], list[Line]]
) -> list[Line]:
    """Lines of the best reading of a crop, each word patched from surer readings of other views."""
    best = max(readings, key=lambda words: _quality(lines_of(crop, words)))
    return lines_of(crop, _patch_words(best, readings))


def read_onscreen_text(ctx: ReviewContext, frames: list[Frame], state: ReviewState) -> list[TextSpan]:
    """OCR the text regions of each kept frame and return the on-screen lines as time ranges."""
    stickers, stickers_per_frame = _collect_crops(frames)
    crops = [crop for sticker in stickers for crop in sticker]
    languages = tuple(
        _DICTIONARY_LANGS[code] for code in ctx.ocr_languages.split("+") if code in _DICTIONARY_LANGS
    ) or ("en", "de")

    def read(views: list[tuple[int, int]]) -> list[list[Word]]:
        """OCR (view, crop index) pairs in one batch of tesseract processes."""
        paths = []
        for view, index in views:
            # PGM is uncompressed: no time spent compressing an image that is read once.
            path = state.work_dir / f"crop-{index:05d}-{view}.pgm"
            _write_pgm(path, ocr_views(crops[index].image)[view])
            paths.append(path)
        return ocr_files(
            paths,
            languages=ctx.ocr_languages,
            work_dir=state.work_dir,
            timeout_s=ctx.tool_timeout_s,
            processes=ctx.threads,
            psm=6,
        )

    def lines_of(crop: _Crop, words: list[Word]) -> list[Line]:
        lines = lines_from_words(words, min_conf=ctx.ocr_min_confidence, languages=languages)
        return _to_frame_coords(lines, crop.region, crop.scale)

    # Every crop is read in every view; each word comes from the view that read it most surely,
    # and each sticker takes the best of its crops.
    views = range(len(ocr_views(crops[0].image))) if crops else range(0)
    readings: list[list[list[Word]]] = [[] for _ in crops]
    for index, words in enumerate(read([(view, i) for i in range(len(crops)) for view in views])):
        readings[index // len(views)].append(words)
    crop_lines = [_best_lines(crop, readings[i], lines_of) for i, crop in enumerate(crops)]
    sticker_lines, first = [], 0
    for sticker in stickers:
        sticker_lines.append(max(crop_lines[first : first + len(sticker)], key=_quality))
        first += len(sticker)

    lines_per_frame = [merge_readings([sticker_lines[i] for i in ids]) for ids in stickers_per_frame]
    texts = {line.text for lines in lines_per_frame for line in lines}
    lang_of = {text: guess_language(text, state.brief.language) for text in texts}
    return spans_from_frames(
        [f.t for f in frames], lines_per_frame, duration_s=state.duration_s, lang_of=lang_of
    )


def _write_pgm(path: Path, image: np.ndarray) -> None:
    import cv2

    cv2.imwrite(str(path), image)


def _to_frame_coords(lines: list[Line], region: Region, scale: float) -> list[Line]:
    def convert(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        return (
            region.x + round(box[0] / scale),
            region.y + round(box[1] / scale),
            region.x + round(box[2] / scale),
            region.y + round(box[3] / scale),
        )

    return [Line(line.text, line.conf, convert(line.box), line.known) for line in lines]


class OnscreenTextStep:
    name: ClassVar[str] = "onscreen_text"
    needs: ClassVar[tuple[str, ...]] = ("frames",)

    def applies_to(self, state: ReviewState) -> bool:
        return bool(state.frames)

    def run(self, ctx: ReviewContext, state: ReviewState) -> None:
        state.onscreen = read_onscreen_text(ctx, state.frames, state)
