"""Text rendered into the image: read by tesseract, compared with the copy the brief expects, and
checked for the invented pseudo-words image generators put on packaging.

Packaging text is the most common failure of generated product images
(https://retouchable.ai/blog/spot-avoid-ai-artifacts-product-photography/): a product name one letter
off, or letters that only look like words.
"""

from __future__ import annotations

import functools
import tempfile
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from creatordesk.engine.tools.tesseract import Word, ocr_files
from creatordesk.engine.visuals.types import Region, Severity, VisualFinding

if TYPE_CHECKING:
    from creatordesk.engine.visuals.check import VisualState
    from creatordesk.engine.visuals.context import VisualContext

# Tesseract reads best with letters a few dozen pixels high and gains nothing from larger ones
# (https://tesseract-ocr.github.io/tessdoc/ImproveQuality.html); a larger image only costs time.
OCR_SIDE = 2000
# An expected phrase read this similar (difflib ratio of letters and digits, case ignored) but not the
# same is the phrase misspelt; less similar, the phrase is not in the image at all.
MISSPELT_MIN_RATIO = 0.75
# Below this mean tesseract confidence (0-100) a misspelling may be the reading's, not the image's.
SURE_CONFIDENCE = 60.0
# Words counted for the gibberish share: letters only, this long and read at least this confidently.
GIBBERISH_MIN_LENGTH = 3
GIBBERISH_MIN_CONFIDENCE = 60.0
GIBBERISH_MIN_WORDS = 3
_PUNCTUATION = "\"'“”„‚‘’«»()[]{}.,;:!?*-–—/"
_BRIEF_CITATION = "Campaign brief: expected_text"
_GIBBERISH_CITATION = (
    "Rendered packaging text, the most common failure of generated product images: "
    "https://retouchable.ai/blog/spot-avoid-ai-artifacts-product-photography/"
)


@dataclass(frozen=True)
class PlacedWord:
    """One OCR word with its box as fractions of the image and the line tesseract put it on."""

    text: str
    conf: float
    region: Region
    line: tuple[int, int, int] = (0, 0, 0)

    def as_dict(self) -> dict[str, object]:
        return {"text": self.text, "conf": round(self.conf, 1), "region": self.region.as_dict()}


@dataclass(frozen=True)
class PhraseMatch:
    """The run of OCR words most like one expected phrase."""

    expected: str
    read: str
    ratio: float
    words: tuple[PlacedWord, ...]

    @property
    def status(self) -> str:
        if self.ratio >= 1:
            return "found"
        return "misspelt" if self.ratio >= MISSPELT_MIN_RATIO else "missing"

    def as_dict(self) -> dict[str, object]:
        return {
            "expected": self.expected,
            "read": self.read,
            "ratio": round(self.ratio, 3),
            "status": self.status,
        }


def _key(text: str) -> str:
    """Letters and digits only, case folded: '50ml' and '50 ml', 'SERUM.' and 'Serum' are the same copy."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def union(regions: list[Region]) -> Region:
    left, top = min(r.x for r in regions), min(r.y for r in regions)
    right, bottom = max(r.x + r.w for r in regions), max(r.y + r.h for r in regions)
    return Region(left, top, right - left, bottom - top)


# Tesseract's page layout analysis takes a large headline on a coloured block for a picture and skips
# it; read again in overlapping horizontal bands, each band's layout holds fewer such blocks. Top and
# height as fractions of the image.
BANDS = ((0.0, 1.0), (0.0, 0.4), (0.3, 0.4), (0.6, 0.4))
# Words of two readings whose boxes overlap this much (intersection over union) are the same word.
SAME_WORD_IOU = 0.5


def _overlap(a: Region, b: Region) -> float:
    width = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
    height = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    return inter / (a.w * a.h + b.w * b.h - inter)


def _merged(readings: list[list[PlacedWord]]) -> list[PlacedWord]:
    """The words of all readings, each word once (the more confident reading), in reading order."""
    kept: list[PlacedWord] = []
    for word in (w for reading in readings for w in reading):
        same = next((i for i, k in enumerate(kept) if _overlap(k.region, word.region) >= SAME_WORD_IOU), None)
        if same is None:
            kept.append(word)
        elif word.conf > kept[same].conf:
            kept[same] = word
    return [word for line in _lines(kept) for word in line]


def read_words(rgb: np.ndarray, ctx: VisualContext) -> list[PlacedWord]:
    """The words tesseract reads in the image and in its bands, in reading order, with their boxes."""
    from PIL import Image

    image = Image.fromarray(rgb)
    image.thumbnail((OCR_SIDE, OCR_SIDE), Image.Resampling.LANCZOS)
    with tempfile.TemporaryDirectory(prefix="creatordesk-ocr-") as folder:
        paths = []
        for number, (top, height) in enumerate(BANDS):
            box = (0, round(top * image.height), image.width, round(min(1.0, top + height) * image.height))
            path = Path(folder) / f"band{number}.png"
            image.crop(box).save(path)
            paths.append(path)
        readings = ocr_files(
            paths, languages=ctx.ocr_languages, work_dir=Path(folder), timeout_s=ctx.ocr_timeout_s
        )
    placed = [
        [_placed(word, image.width, image.height, top=top, band=number) for word in words]
        for number, ((top, _height), words) in enumerate(zip(BANDS, readings, strict=True))
    ]
    return _merged(placed)


def _placed(word: Word, width: int, height: int, *, top: float, band: int) -> PlacedWord:
    """A word of one band, placed in the whole image (the band's lines are its own)."""
    y = (round(top * height) + word.top) / height
    region = Region(word.left / width, y, word.width / width, word.height / height)
    block, paragraph, line = word.line_key
    return PlacedWord(word.text, max(word.conf, 0.0), region, (band * 1000 + block, paragraph, line))


def _lines(words: list[PlacedWord]) -> list[list[PlacedWord]]:
    """Words grouped into lines (middles within half a word's height), each line left to right."""
    lines: list[list[PlacedWord]] = []
    for word in sorted(words, key=lambda w: w.region.y + w.region.h / 2):
        middle = word.region.y + word.region.h / 2
        last = lines[-1] if lines else None
        if last and abs(middle - (last[-1].region.y + last[-1].region.h / 2)) <= word.region.h / 2:
            last.append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.region.x) for line in lines]


def text_lines(words: list[PlacedWord]) -> str:
    """The words as lines of text, top to bottom."""
    return "\n".join(" ".join(w.text for w in line) for line in _lines(words))


def best_match(expected: str, words: list[PlacedWord]) -> PhraseMatch:
    """The run of consecutive words (as many as the phrase has, one fewer or one more) most like it."""
    target = _key(expected)
    count = len(expected.split())
    best = PhraseMatch(expected, "", 0.0, ())
    for size in range(max(1, count - 1), count + 2):
        for start in range(len(words) - size + 1):
            run = tuple(words[start : start + size])
            read = " ".join(w.text for w in run)
            ratio = SequenceMatcher(None, target, _key(read)).ratio()
            if ratio > best.ratio:
                best = PhraseMatch(expected, read, ratio, run)
    return best


@functools.cache
def _dictionaries() -> tuple[Any, ...]:
    from spellchecker import SpellChecker

    # pyspellchecker ships its German and English word lists (de.json.gz, en.json.gz).
    return (SpellChecker(language="de"), SpellChecker(language="en"))


def odd_words(words: list[PlacedWord], known: set[str]) -> tuple[list[PlacedWord], list[PlacedWord]]:
    """The words that count for the gibberish check, and those of them in neither dictionary nor `known`."""
    counted = []
    for word in words:
        text = word.text.strip(_PUNCTUATION)
        if len(text) >= GIBBERISH_MIN_LENGTH and text.isalpha() and word.conf >= GIBBERISH_MIN_CONFIDENCE:
            counted.append(PlacedWord(text, word.conf, word.region, word.line))
    if not counted:
        return [], []
    lowered = {w.text.lower() for w in counted} - known
    in_dictionary: set[str] = set()
    for dictionary in _dictionaries():
        in_dictionary |= dictionary.known(lowered)
    return counted, [w for w in counted if w.text.lower() in lowered - in_dictionary]


def _copy_finding(match: PhraseMatch) -> VisualFinding | None:
    if match.status == "found":
        return None
    if match.status == "missing":
        return VisualFinding(
            "quality.text_missing",
            "quality",
            "warn",
            f"expected text {match.expected!r} not found in the image"
            + (f" (closest reading {match.read!r}, {match.ratio:.0%} alike)" if match.read else ""),
            "The brief asks for this copy on the image; check that it is there and legible.",
            _BRIEF_CITATION,
            score=match.ratio,
        )
    confidence = sum(w.conf for w in match.words) / len(match.words)
    severity: Severity = "block" if confidence >= SURE_CONFIDENCE else "warn"
    return VisualFinding(
        "quality.text_misspelt",
        "quality",
        severity,
        f"expected {match.expected!r}, the image reads {match.read!r} ({match.ratio:.0%} alike, "
        f"OCR confidence {confidence:.0f})",
        "Generators misspell rendered product names and claims; replace the text with the real artwork "
        "instead of publishing a wrong product name.",
        _BRIEF_CITATION,
        region=union([w.region for w in match.words]),
        score=match.ratio,
    )


class TextStep:
    """Rendered text: read, compared with the brief's expected copy, and checked for pseudo-words."""

    name = "quality_text"

    def applies_to(self, state: VisualState) -> bool:
        return True

    def run(self, state: VisualState, ctx: VisualContext) -> None:
        words = read_words(state.image.rgb, ctx)
        matches = [best_match(phrase, words) for phrase in state.brief.expected_text]
        # Words read as an expected phrase, even misspelt, are judged by the copy check, not once more here.
        claimed = {word for match in matches if match.status != "missing" for word in match.words}
        counted, odd = odd_words([w for w in words if w not in claimed], self._brief_words(state))
        state.quality["ocr"] = {
            "languages": ctx.ocr_languages,
            "text": text_lines(words),
            "words": [w.as_dict() for w in words],
            "expected": [m.as_dict() for m in matches],
            "dictionary_words_checked": len(counted),
            "odd_words": [w.text for w in odd],
        }
        state.findings.extend(f for f in map(_copy_finding, matches) if f)
        share = len(odd) / len(counted) if counted else 0.0
        if len(counted) >= GIBBERISH_MIN_WORDS and share > ctx.gibberish_share:
            state.findings.append(
                VisualFinding(
                    "quality.text_gibberish",
                    "quality",
                    "warn",
                    f"{len(odd)} of {len(counted)} words are in neither the German nor the English "
                    f"dictionary ({share:.0%}, over {ctx.gibberish_share:.0%}): {', '.join(w.text for w in odd)}",
                    "Image generators render letters that only look like words; on packaging or a sign "
                    "they give the image away and look careless.",
                    _GIBBERISH_CITATION,
                    region=union([w.region for w in odd]),
                    score=share,
                )
            )

    @staticmethod
    def _brief_words(state: VisualState) -> set[str]:
        # Brand and product names from the brief are real words for this image even if no dictionary has them.
        return {
            word.strip(_PUNCTUATION).lower()
            for phrase in state.brief.expected_text
            for word in phrase.split()
        }


__all__ = ["PhraseMatch", "PlacedWord", "TextStep", "best_match", "odd_words", "read_words", "text_lines"]
