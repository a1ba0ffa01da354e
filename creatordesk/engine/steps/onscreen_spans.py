"""From lines read on kept frames to on-screen text spans: time ranges, stickers and passages.

1. A line seen on consecutive kept frames becomes one track, from the frame where it appears to the
   first frame where it is gone.
2. The lines of one sticker (shown at the same time, one below the other, overlapping sideways, in
   the same look) become one span: a claim wrapped over two lines is one text.
3. A sticker that carries on the sentence of the sticker just before it, at the same place, gets
   the same `group` as that one, so the rules read both as one passage while each keeps its own
   time range.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from creatordesk.engine.types import TextSpan

Box = tuple[int, int, int, int]  # left, top, right, bottom

# Lines are the same sticker when their normalised texts are at least this similar.
_SAME_LINE = 0.8
# A reading below this confidence may be a misreading of a sure one.
_SURE_CONF = 85.0
# A line read on one kept frame only belongs to a line read alike (sharing this share of the
# shorter text's characters) at the same place on at least _STEADY_FRAMES frames, when it lies
# within that line's time or at most _GLIMPSE_GAP_S outside it.
_GLIMPSE_ALIKE = 0.6
_STEADY_FRAMES = 3
_GLIMPSE_GAP_S = 0.7
# Text is still on screen if it was missed on one kept frame but read again on the next.
_MAX_MISSES = 1
# Lines of one sticker: their time ranges share this much (intersection over union) ...
_SAME_TIME = 0.6
# ... and the gap between one line and the next is at most this many line heights.
_LINE_PITCH_GAP = 1.0
# A sticker continues the previous one when it appears at most this long after that one went ...
_CONTINUE_S = 0.6
# ... not more than this many line heights above or below it.
_CONTINUE_PLACE = 3.0
# Text ending like this finishes its sentence.
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*\s*$")
# A sticker ending on one of these words stops mid-phrase: articles, possessives, prepositions,
# conjunctions and auxiliaries need a word after them. Words that also end clauses are left out:
# German separable prefixes ("beugt ... vor", "zieht ... ein"), pronouns ("Probier das"), English
# particles ("sinks in", "try it on").
_OPEN_ENDINGS = frozenset((
    # German
    "den", "dem", "des", "einen", "einem", "einer", "eines", "keine", "deine", "deinen", "deinem",
    "deiner", "meine", "meinen", "meinem", "meiner", "seine", "ihre", "unsere", "eure", "dieser",
    "dieses", "diesen", "jede", "jeder", "jedes", "im", "am", "für", "von", "vom", "zum", "zur",
    "bei", "beim", "ohne", "gegen", "und", "oder", "aber", "denn", "weil", "dass", "wenn", "als",
    "wie", "ist", "sind", "wird", "werden", "hat", "haben", "kann",
    # English
    "the", "a", "an", "my", "your", "our", "his", "her", "its", "their", "every", "of", "to", "for",
    "with", "at", "from", "into", "onto", "without", "against", "and", "or", "but", "because", "if",
    "when", "than", "is", "are", "was", "were", "will", "can", "has", "have",
))  # fmt: skip


@dataclass(frozen=True)
class Line:
    """One line of text read from one frame, with its place and, when known, its letters' colour."""

    text: str
    conf: float
    box: Box
    known: float = 1.0  # share of its words that are real words
    fill: tuple[int, int, int] | None = None
    sticker: int | None = None  # which caption line of the video it was read from, when known


def overlap(a: Box, b: Box) -> float:
    """Intersection over the smaller box's area."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height / max(smaller, 1)


def normal(text: str) -> str:
    """Lower-case words separated by single spaces: the form two readings are compared in."""
    return re.sub(r"\W+", " ", text.lower()).strip()


def _similar(a: str, b: str) -> bool:
    """Texts close enough to be two readings of one line."""
    return SequenceMatcher(None, normal(a), normal(b)).ratio() >= _SAME_LINE


@dataclass
class _Track:
    """A line followed across kept frames: its readings, where it started, where it was last seen."""

    readings: list[Line]
    start_s: float
    last_index: int
    misses: int = 0

    def matches(self, line: Line) -> bool:
        """The same caption line: followed there by the region finder, or read at the same place
        as the same text, as a doubtful variant of it, or as a part of it.

        Two sure readings that differ are two captions, even at one place ("Teil 1", "Teil 2").
        """
        last = self.readings[-1]
        if line.sticker is not None and line.sticker == last.sticker:
            return True
        if overlap(line.box, last.box) <= 0:
            return False
        a, b = normal(line.text), normal(last.text)
        if not a or not b:
            return False
        doubtful = min(line.conf, last.conf) < _SURE_CONF
        return a == b or a in b or b in a or (doubtful and _similar(a, b))


@dataclass(frozen=True)
class _Shown:
    """A line, or a sticker of several lines, with its time range and its place."""

    start_s: float
    end_s: float
    text: str
    box: Box
    line_h: int
    fill: tuple[int, int, int] | None


def _tracks(times: list[float], lines_per_frame: list[list[Line]], duration_s: float) -> list[_Shown]:
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

    shown = []
    for track, end in _absorb_glimpses(done):
        best = _representative(track.readings)
        shown.append(
            _Shown(
                track.start_s,
                max(end, track.start_s),
                best.text,
                best.box,
                max(line.box[3] - line.box[1] for line in track.readings),
                best.fill,
            )
        )
    return sorted(shown, key=lambda s: (s.start_s, s.box[1], s.box[0]))


def _absorb_glimpses(done: list[tuple[_Track, float]]) -> list[tuple[_Track, float]]:
    """Fold a line seen on one kept frame into a line read alike at the same place over several
    frames, around or right next to it: a frame where the picture disturbed the sticker ("Dally
    care" just before "Daily care"), not a text of its own."""
    steady = [(track, end) for track, end in done if len(track.readings) >= _STEADY_FRAMES]
    result = [(track, end) for track, end in done if len(track.readings) > 1]
    for glimpse, glimpse_end in (item for item in done if len(item[0].readings) == 1):
        line = glimpse.readings[0]
        host = next(
            (
                (track, end)
                for track, end in steady
                if overlap(line.box, track.readings[-1].box) >= 0.5
                and glimpse.start_s >= track.start_s - _GLIMPSE_GAP_S
                and glimpse_end <= end + _GLIMPSE_GAP_S
                and _alike(line.text, track.readings[-1].text) >= _GLIMPSE_ALIKE
            ),
            None,
        )
        if host is None:
            result.append((glimpse, glimpse_end))
            continue
        track, end = host
        position = result.index(host)
        track.start_s = min(track.start_s, glimpse.start_s)
        result[position] = (track, max(end, glimpse_end))
        steady[steady.index(host)] = result[position]
    return result


def _alike(a: str, b: str) -> float:
    """Share of the shorter text's characters found, in order, in the other."""
    a, b = normal(a), normal(b)
    matched = sum(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return matched / max(min(len(a), len(b)), 1)


def _representative(readings: list[Line]) -> Line:
    """The reading made of real words that most frames agree on; then the most confident."""
    votes: dict[str, list[Line]] = {}
    for line in readings:
        votes.setdefault(line.text, []).append(line)
    _, lines = max(
        votes.items(), key=lambda item: (item[1][0].known, len(item[1]), max(r.conf for r in item[1]))
    )
    return max(lines, key=lambda line: line.conf)


def _same_sticker(upper: _Shown, lower: _Shown) -> bool:
    """Whether `lower` is the next line of the sticker whose line `upper` is."""
    shared = min(upper.end_s, lower.end_s) - max(upper.start_s, lower.start_s)
    union = max(upper.end_s, lower.end_s) - min(upper.start_s, lower.start_s)
    if union > 0 and shared / union < _SAME_TIME:
        return False
    if union <= 0 and upper.start_s != lower.start_s:
        return False
    height = max(upper.line_h, lower.line_h)
    gap = lower.box[1] - upper.box[3]
    sideways = min(upper.box[2], lower.box[2]) - max(upper.box[0], lower.box[0])
    if not -0.5 * height <= gap <= _LINE_PITCH_GAP * height or sideways <= 0:
        return False
    if upper.fill is not None and lower.fill is not None:
        return _colour_step(upper.fill, lower.fill) <= 60
    return True


def _stickers(lines: list[_Shown]) -> list[_Shown]:
    """Join the lines of each sticker, top to bottom, into one text with a space between lines."""
    by_top = sorted(lines, key=lambda s: (s.box[1], s.box[0]))
    taken = [False] * len(by_top)
    stickers = []
    for first, line in enumerate(by_top):
        if taken[first]:
            continue
        taken[first] = True
        parts = [line]
        for later in range(first + 1, len(by_top)):
            if not taken[later] and _same_sticker(parts[-1], by_top[later]):
                parts.append(by_top[later])
                taken[later] = True
        box = (
            min(p.box[0] for p in parts),
            parts[0].box[1],
            max(p.box[2] for p in parts),
            max(p.box[3] for p in parts),
        )
        stickers.append(
            _Shown(
                min(p.start_s for p in parts),
                max(p.end_s for p in parts),
                " ".join(p.text for p in parts),
                box,
                max(p.line_h for p in parts),
                line.fill,
            )
        )
    return sorted(stickers, key=lambda s: (s.start_s, s.box[1], s.box[0]))


def _continues(before: _Shown, after: _Shown) -> bool:
    """Whether `after` carries on the sentence `before` left open: in the same look at the same place,
    right after it, and either starting in lower case or following a word that needs more."""
    # Shown together, even for a moment, they are two texts side by side, not one sentence.
    if not 0 <= after.start_s - before.end_s <= _CONTINUE_S:
        return False
    if _SENTENCE_END.search(before.text):
        return False
    height = max(before.line_h, after.line_h)
    centre_before = (before.box[1] + before.box[3]) / 2
    centre_after = (after.box[1] + after.box[3]) / 2
    sideways = min(before.box[2], after.box[2]) - max(before.box[0], after.box[0])
    if abs(centre_before - centre_after) > _CONTINUE_PLACE * height or sideways <= 0:
        return False
    if before.fill is not None and after.fill is not None and _colour_step(before.fill, after.fill) > 60:
        return False
    words_before = re.findall(r"[^\W\d_]+", before.text)
    first_after = re.search(r"[^\W\d_]", after.text)
    lower_start = first_after is not None and first_after.group().islower()
    last = words_before[-1] if words_before else ""
    open_end = last.lower() in _OPEN_ENDINGS or _finite_german_verb(last)
    trailing = before.text.rstrip().endswith((",", ":", "-", "–", "—", "..."))
    return lower_start or open_end or trailing


def _finite_german_verb(word: str) -> bool:
    """Whether a word is an inflected German verb ("heilt", "beugt"): a sticker ending on one has
    its object, or the rest of a separable verb, still to come.

    German capitalises nouns, so a lower-case word whose dictionary form is a different word ending
    in -n is a verb form; an infinitive ("sehen") ends its clause and is not one.
    """
    import simplemma

    if not word.islower():
        return False
    lemma = simplemma.lemmatize(word, lang="de")
    return lemma != word and lemma.islower() and lemma.endswith("n")


def _colour_step(a: tuple[int, int, int], b: tuple[int, int, int]) -> int:
    """The largest difference of two colours in any channel."""
    return max(abs(p - q) for p, q in zip(a, b, strict=True))


def _english(text: str) -> str:
    """The language assumed when none is given."""
    return "en"


def spans_from_frames(
    times: list[float],
    lines_per_frame: list[list[Line]],
    *,
    duration_s: float,
    language: Callable[[str], str] = _english,
) -> list[TextSpan]:
    """On-screen spans from the lines read on each kept frame: one span per sticker, with a group
    number shared by stickers that continue one sentence.

    `language` names the language of a text; the stickers of a group share the language of their
    texts joined.
    """
    stickers = _stickers(_tracks(times, lines_per_frame, duration_s))
    group_of: list[int | None] = [None] * len(stickers)
    groups = 0
    for index in range(1, len(stickers)):
        before = next(
            (j for j in range(index - 1, -1, -1) if _continues(stickers[j], stickers[index])),
            None,
        )
        if before is None:
            continue
        if group_of[before] is None:
            groups += 1
            group_of[before] = groups
        group_of[index] = group_of[before]
    langs: dict[int, str] = {}
    spans = []
    for sticker, group in zip(stickers, group_of, strict=True):
        if group is None:
            lang = language(sticker.text)
        else:
            if group not in langs:
                langs[group] = language(
                    " ".join(s.text for s, g in zip(stickers, group_of, strict=True) if g == group)
                )
            lang = langs[group]
        spans.append(TextSpan(sticker.start_s, sticker.end_s, sticker.text, "onscreen", lang, group))
    return spans


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
