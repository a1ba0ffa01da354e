"""Tokens with lemmas: the form every rule, label and brief term is matched against.

Spoken, on-screen and caption text is cut into word tokens that remember where they came from
(span, character offsets) so a finding can quote the words and, for speech, narrow its time range to
them. Punctuation is not a token; it only ends a clause or a sentence, which bounds how far a pattern,
a negation or an exception reaches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import simplemma

from creatordesk.engine.types import TextSpan

LEMMA_LANGUAGES = ("de", "en")

# Numbers keep their decimal separators ("19,99", "1.000"); a word may carry one apostrophe
# ("don't", "gibt's"). "#" and "@" mark hashtags and mentions, which captions are full of.
_TOKEN_RE = re.compile(
    r"""
    (?P<number>\d+(?:[.,]\d+)*)
    | (?P<mark>[#@])?(?P<word>[^\W_]+(?:['’][^\W_]+)?)
    | (?P<symbol>[%€$£])
    | (?P<sentence>[.!?…]+(?=\s|$|[\"'”“)])|\n|[;])
    | (?P<clause>[,:–—](?=\s|$)|\s-\s|[()\"“”])
    """,
    re.VERBOSE,
)

# A silence this long between two transcript segments ends a sentence even without punctuation.
_PAUSE_S = 2.0

# Words that open a new clause. A negation before them does not reach the claim after them:
# "kein Medikament, aber heilt Akne" still promises healing.
_CLAUSE_WORDS = frozenset({"aber", "sondern", "jedoch", "trotzdem", "but", "however", "yet", "although"})


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a passage, with the forms rules match on and where it sits in the source text."""

    surface: str
    original: str
    keys: frozenset[str]
    span: int
    start: int
    end: int
    sentence: int
    clause: int
    mark: str = ""
    number: bool = False
    name_like: bool = False


@dataclass(frozen=True)
class Passage:
    """Consecutive spans of one source and language, tokenised as one text.

    Speech segments are joined so a claim split across two transcript segments is still found;
    on-screen lines and the caption are passages of their own.
    """

    spans: tuple[TextSpan, ...]
    tokens: tuple[Token, ...]
    lang: str

    @property
    def source(self) -> str:
        return self.spans[0].source

    def excerpt(self, first: int, last: int) -> str:
        """The original text from token `first` to token `last`, across spans if need be."""
        head, tail = self.tokens[first], self.tokens[last]
        if head.span == tail.span:
            return self.spans[head.span].text[head.start : tail.end]
        parts = [self.spans[head.span].text[head.start :]]
        parts += [self.spans[i].text for i in range(head.span + 1, tail.span)]
        parts.append(self.spans[tail.span].text[: tail.end])
        return " ".join(part.strip() for part in parts)

    def time_range(self, first: int, last: int) -> tuple[float, float]:
        """Seconds covered by tokens `first`..`last`.

        Speech is narrowed to the words by their share of the segment's characters (speech runs at
        a roughly even pace); text shown on screen is visible for its whole range, so it keeps it.
        """
        head, tail = self.tokens[first], self.tokens[last]
        if self.source != "speech":
            return self.spans[head.span].start_s, self.spans[tail.span].end_s
        return self._token_time(head.span, head.start), self._token_time(tail.span, tail.end)

    def token_start_s(self, index: int) -> float:
        token = self.tokens[index]
        if self.source != "speech":
            return self.spans[token.span].start_s
        return self._token_time(token.span, token.start)

    def _token_time(self, span_index: int, offset: int) -> float:
        span = self.spans[span_index]
        length = max(len(span.text), 1)
        return span.start_s + (span.end_s - span.start_s) * min(offset, length) / length


@lru_cache(maxsize=65536)
def token_keys(word: str, lang: str) -> frozenset[str]:
    """Lower-cased surface plus lemmas under the casings the word may have been meant in.

    German lemmas depend on case (nouns are capitalised); captions and OCR often are not, so a
    lower-case or all-caps word is also looked up capitalised, and a capitalised one lower-cased
    (sentence-initial verbs).
    """
    word = word.replace("’", "'")
    keys = {word.lower()}
    if lang not in LEMMA_LANGUAGES:
        return frozenset(keys)
    variants = {word, word.lower(), word.capitalize()} if lang == "de" else {word, word.lower()}
    for variant in variants:
        keys.add(simplemma.lemmatize(variant, lang=lang).lower())
    return frozenset(keys)


@lru_cache(maxsize=65536)
def is_known_word(word: str) -> bool:
    """Whether a dictionary of any supported language knows the word, in any casing."""
    return any(
        simplemma.is_known(variant, lang=lang)
        for lang in LEMMA_LANGUAGES
        for variant in {word, word.lower(), word.capitalize()}
    )


def tokenize(spans: Sequence[TextSpan], lang: str) -> tuple[Token, ...]:
    """Tokens of the given spans in order, numbered into sentences and clauses.

    Consecutive spans continue the same sentence, since transcript segments break mid-sentence,
    unless a pause lies between them.
    """
    tokens: list[Token] = []
    sentence = clause = 0
    for span_index, span in enumerate(spans):
        if span_index and span.start_s - spans[span_index - 1].end_s > _PAUSE_S:
            sentence += 1
            clause += 1
        for match in _TOKEN_RE.finditer(span.text):
            kind = match.lastgroup
            if kind == "sentence":
                sentence += 1
                clause += 1
                continue
            if kind == "clause":
                clause += 1
                continue
            text = match.group("number") or match.group("word") or match.group("symbol")
            if text is None:
                continue
            keys = token_keys(text, lang)
            is_word = bool(match.group("word"))
            if is_word and keys & _CLAUSE_WORDS:
                clause += 1
            tokens.append(
                Token(
                    surface=text.lower().replace("’", "'"),
                    original=text,
                    keys=keys,
                    span=span_index,
                    start=match.start(),
                    end=match.end(),
                    sentence=sentence,
                    clause=clause,
                    mark=match.group("mark") or "",
                    number=kind == "number",
                    name_like=is_word and text[:1].isupper() and not is_known_word(text),
                )
            )
    return tuple(tokens)


def passages(spans: Sequence[TextSpan]) -> list[Passage]:
    """Group spans into passages: runs of speech in one language, every other span on its own."""
    result: list[Passage] = []
    run: list[TextSpan] = []

    def flush() -> None:
        if run:
            lang = run[0].lang
            result.append(Passage(spans=tuple(run), tokens=tokenize(run, lang), lang=lang))
            run.clear()

    speech = sorted((s for s in spans if s.source == "speech"), key=lambda s: s.start_s)
    for span in speech:
        if run and run[-1].lang != span.lang:
            flush()
        run.append(span)
    flush()
    for span in spans:
        if span.source != "speech":
            run.append(span)
            flush()
    return result
