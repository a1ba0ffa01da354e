"""Tokens with lemmas: the form every rule, label and brief term is matched against.

Spoken, on-screen and caption text is cut into word tokens that remember where they came from
(span, character offsets) so a finding can quote the words and, for speech, narrow its time range to
them. Punctuation is not a token; it only ends a clause or a sentence, which bounds how far a pattern,
a negation or an exception reaches.

Some words only say what they mean once grammar is applied, and get extra keys for it, each marked as
found by grammar (a finding from them says so):

* German separable verbs: in a main clause the particle goes to the end ("Das Serum beugt Pickeln
  vor", "hält Erkältungen fern"), so the finite verb also gets the joined lemma ("vorbeugen",
  "fernhalten") and points at its particle;
* compounds written apart ("Haar ausfall", "Haar-ausfall") give the first word the joined form
  ("haarausfall") and point at the second; German compounds the dictionary does not know
  ("Hautproblemen") also get their parts and their normal form ("hautproblem").

In captions and stickers a single line break ends a clause, not a sentence: text wraps where the
box ends, not where the thought does. A blank line, a line of nothing but hashtags and a line that
opens with a capitalised word that is no noun (a new statement in a list) still end a sentence. A
question of one or two words names the topic of the next sentence ("Pickel? Weg.") and is joined to
it; the full stop of an abbreviation ("Nr. 1") ends nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

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
    | (?P<blank>\r?\n[^\S\n]*\r?\n\s*)
    | (?P<line>\r?\n)
    | (?P<sentence>[.!?…]+(?=\s|$|[\"'”“)])|[;])
    | (?P<clause>[,:–—](?=\s|$)|\s-\s|[()\"“”])
    """,
    re.VERBOSE,
)

# A silence this long between two transcript segments ends a sentence even without punctuation.
_PAUSE_S = 2.0

# Words that open a new clause. A negation before them does not reach the claim after them:
# "kein Medikament, aber heilt Akne" still promises healing.
_CLAUSE_WORDS = frozenset({"aber", "sondern", "jedoch", "trotzdem", "but", "however", "yet", "although"})

# A full stop after these is part of the word when a number or a small letter follows: "Nr. 1",
# "z. B. bei", "ca. 5 ml", "No. 1".
_ABBREVIATIONS = frozenset(
    {"nr", "no", "ca", "bzw", "inkl", "vs", "st", "evtl", "ggf", "mind", "max", "bsp", "vgl", "a"}
    | {"tel", "str", "jh", "zb", "approx", "incl", "min", "usw", "etc"}
)
# Single letters with a full stop are parts of "z. B.", "u. a.", "d. h." whatever follows them.
_LETTER_ABBREVIATIONS = frozenset({"z", "b", "u", "d", "h"})
# A line of nothing but hashtags and mentions is a tag list, not part of a sentence.
_TAG_LINE = re.compile(r"[^\w#@]*(?:[#@][^\W_][\w.]*[^\w#@]*)+")

# Answers that deny a question; the matcher drops a claim asked in a question answered this way.
DENIALS = frozenset({"nein", "nö", "nee", "no", "nope", "nah"})
# A topic question may open with one of these: "Meine Rückenschmerzen? Kein Thema mehr".
_DETERMINERS = frozenset({"mein", "meine", "dein", "deine", "die", "der", "das", "eure", "my", "your", "the"})
_CURRENCY = frozenset({"€", "$", "£", "euro", "eur", "dollar", "dollars", "usd"})
# German separable-verb particles. The finite verb stands early in the clause, the particle at its
# end; together they are one lemma ("beugt ... vor" is "vorbeugen").
_PARTICLES = frozenset(
    {"ab", "an", "auf", "aus", "bei", "dar", "durch", "ein", "fern", "fest", "fort", "frei", "heim"}
    | {"her", "heraus", "herein", "herum", "hin", "hinaus", "hinein", "hoch", "los", "mit", "nach"}
    | {"nieder", "vor", "voran", "voraus", "vorbei", "weg", "weiter", "zu", "zurück", "zusammen"}
    | {"entgegen", "bereit", "wieder", "zurecht"}
)
# Words after which a particle still closes its clause: "beugt Pickeln vor und pflegt".
_COORDINATORS = frozenset({"und", "oder", "sowie", "and", "or", "plus"})
# How many words back from the particle the verb may stand.
_SEPARABLE_REACH = 12
# Function words never take part in a compound written apart ("das Serum" is not "Dasserum").
_FUNCTION_WORDS = frozenset(
    {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines"}
    | {"und", "oder", "mit", "von", "vom", "zu", "zum", "zur", "für", "in", "im", "an", "am", "auf"}
    | {"aus", "bei", "nach", "ohne", "um", "über", "unter", "vor", "durch", "gegen", "ist", "sind"}
    | {"war", "wird", "hat", "ich", "du", "er", "sie", "es", "wir", "ihr", "mein", "meine", "dein"}
    | {"nicht", "kein", "keine", "noch", "nur", "auch", "sehr", "so", "wie", "als", "the", "and"}
    | {"for", "with", "you", "your", "this", "that", "not", "are", "was", "has", "have", "its"}
    | {"nie", "mehr", "wieder", "never", "more", "again", "all", "alle", "jetzt", "now", "dich"}
    | {"mich", "sich", "uns", "euch", "dir", "mir"}
)
# Shorter words are rarely compounds, and their cuts produce chance words.
_COMPOUND_MIN = 7
_COMPOUND_GAP = re.compile(r"[^\S\n]+|-|-?\r?\n")
# Linking elements (Fugenelemente) between the parts of a German compound.
_LINKING = ("es", "en", "er", "s", "n", "e")


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
    # Counts line breaks (and stickers of one group); a match over two lines needed them joined.
    line: int = 0
    # The sentence ends with "?".
    question: bool = False
    # A number that is a price: "19,99", "19 €", "$19", or "49 99" where OCR lost the comma.
    price: bool = False
    # Keys found by grammar only (separable verb, compound), and the token each one needs with it.
    grammar_keys: frozenset[str] = frozenset()
    links: tuple[tuple[str, int], ...] = ()

    def link(self, key: str) -> int | None:
        return next((index for linked, index in self.links if linked == key), None)


@dataclass(frozen=True)
class Passage:
    """Consecutive spans of one source and language, tokenised as one text.

    Speech segments are joined so a claim split across two transcript segments is still found;
    on-screen lines of one group (a sentence running on from one sticker to the next) are joined
    too; every other on-screen line and the caption are passages of their own.
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
            return " ".join(self.spans[head.span].text[head.start : tail.end].split())
        parts = [self.spans[head.span].text[head.start :]]
        parts += [self.spans[i].text for i in range(head.span + 1, tail.span)]
        parts.append(self.spans[tail.span].text[: tail.end])
        return " ".join(" ".join(part.split()) for part in parts)

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


@lru_cache(maxsize=65536)
def _is_dictionary_word(word: str, lang: str) -> bool:
    """Known to a dictionary, or a German compound of nouns it knows ("Periodenunterwäsche").

    A brand is a word no dictionary explains; a compound of two known nouns is German word-building.
    """
    return is_known_word(word) or (lang == "de" and bool(compound_keys(word)))


@lru_cache(maxsize=65536)
def _known(word: str, lang: str) -> bool:
    return any(simplemma.is_known(v, lang=lang) for v in {word, word.lower(), word.capitalize()})


@lru_cache(maxsize=16384)
def separable_verb(particle: str, lemma: str) -> str | None:
    """The infinitive of particle + verb when German has that verb ("vor" + "beugen")."""
    joined = particle + lemma
    if not lemma.endswith("n") or not simplemma.is_known(joined, lang="de"):
        return None
    return joined if simplemma.lemmatize(joined, lang="de") == joined else None


@lru_cache(maxsize=16384)
def compound_keys(word: str) -> frozenset[str]:
    """For a German noun compound: its head's lemma, its modifier and its normal form ("hautproblem").

    Both parts must be nouns the dictionary knows, so verbs and endings are never cut off ("Pickeln"
    is no "Pick" + "eln"). The first cut (longest head) wins; a linking "s", "n", "en" ... may end the
    modifier ("Erkältungszeit").
    """
    word = word.lower()
    if len(word) < _COMPOUND_MIN or not word.isalpha():
        return frozenset()
    for cut in range(3, len(word) - 3):
        modifier, head = word[:cut], word[cut:]
        head_lemma = _noun_lemma(head)
        if head_lemma is None:
            continue
        stems = [modifier] + [modifier[: -len(end)] for end in _LINKING if modifier.endswith(end)]
        stem = next((s for s in stems if len(s) >= 3 and _noun_lemma(s) is not None), None)
        if stem is None:
            continue
        return frozenset({head_lemma, head, stem, stem + head_lemma})
    return frozenset()


@lru_cache(maxsize=65536)
def _noun_lemma(word: str) -> str | None:
    """The lower-cased lemma of a German noun the dictionary knows; None for anything else."""
    written = word.capitalize()
    if not simplemma.is_known(written, lang="de"):
        return None
    lemma = simplemma.lemmatize(written, lang="de")
    return lemma.lower() if lemma[:1].isupper() else None


class _Break(NamedTuple):
    """How far a break between words moves the sentence, clause and line counters."""

    sentence: int
    clause: int
    line: int


_NO_BREAK = _Break(0, 0, 0)
_CLAUSE_BREAK = _Break(0, 1, 0)
# A line break inside a sentence: text wrapped in a caption or sticker, or the next sticker line.
_WRAP = _Break(0, 1, 1)
_SENTENCE_BREAK = _Break(1, 1, 0)
# A blank line, or a single line break that ends a sentence after all.
_PARAGRAPH_BREAK = _Break(1, 1, 1)
_BREAK_KINDS = frozenset({"blank", "line", "sentence", "clause"})


def tokenize(spans: Sequence[TextSpan], lang: str) -> tuple[Token, ...]:
    """Tokens of the given spans in order, numbered into sentences, clauses and lines.

    Consecutive spans continue the same sentence, since transcript segments break mid-sentence,
    unless a pause lies between them; consecutive on-screen spans are lines of one sticker text.
    """
    tokens: list[Token] = []
    questions: set[int] = set()
    sentence = clause = line = 0
    for span_index, span in enumerate(spans):
        if span_index:
            step = _span_break(spans[span_index - 1], span)
            sentence, clause, line = sentence + step.sentence, clause + step.clause, line + step.line
        text = span.text
        for match in _TOKEN_RE.finditer(text):
            kind = match.lastgroup
            if kind in _BREAK_KINDS:
                step = _punctuation_break(kind, match, text, tokens, span_index, sentence, lang)
                if step.sentence and "?" in match.group():
                    questions.add(sentence)
                sentence, clause, line = sentence + step.sentence, clause + step.clause, line + step.line
                continue
            word = match.group("number") or match.group("word") or match.group("symbol")
            keys = token_keys(word, lang)
            is_word = kind == "word"
            if is_word and keys & _CLAUSE_WORDS:
                clause += 1
            tokens.append(
                Token(
                    surface=word.lower().replace("’", "'"),
                    original=word,
                    keys=keys,
                    span=span_index,
                    start=match.start(),
                    end=match.end(),
                    sentence=sentence,
                    clause=clause,
                    mark=match.group("mark") or "",
                    number=kind == "number",
                    name_like=is_word and word[:1].isupper() and not _is_dictionary_word(word, lang),
                    line=line,
                )
            )
    return _with_grammar(tokens, spans, lang, questions)


def _span_break(previous: TextSpan, span: TextSpan) -> _Break:
    """The break between two consecutive spans: a pause in speech ends a sentence, a sticker wraps."""
    if span.source != "speech":
        return _WRAP
    if span.start_s - previous.end_s > _PAUSE_S:
        return _SENTENCE_BREAK
    return _NO_BREAK


def _punctuation_break(
    kind: str, match: re.Match[str], text: str, tokens: list[Token], span_index: int, sentence: int, lang: str
) -> _Break:
    """The break a punctuation mark or line break makes, given the words before it."""
    if kind == "clause":
        return _CLAUSE_BREAK
    if kind == "line" and not _new_sentence_line(text, match.start(), match.end(), lang):
        return _WRAP
    if kind != "sentence":
        return _PARAGRAPH_BREAK
    if _is_abbreviation(text, match, tokens, span_index):
        return _NO_BREAK
    if _is_topic(match.group(), tokens, sentence, text[match.end() :]):
        return _CLAUSE_BREAK
    return _SENTENCE_BREAK


def _is_abbreviation(text: str, match: re.Match[str], tokens: list[Token], span_index: int) -> bool:
    if match.group() != "." or not tokens:
        return False
    previous = tokens[-1]
    if previous.span != span_index or previous.end != match.start():
        return False
    following = text[match.end() :].lstrip()
    if not following:
        return False
    if previous.surface in _LETTER_ABBREVIATIONS:
        return following[0].isalnum()
    return previous.surface in _ABBREVIATIONS and (following[0].isdigit() or following[0].islower())


def _is_topic(mark: str, tokens: list[Token], sentence: int, rest: str) -> bool:
    """A one- or two-word question that names what the next sentence is about.

    "Pickel? Weg." and "Meine Rückenschmerzen? Kein Thema mehr" make one claim over two sentences.
    """
    if mark != "?" or not rest.strip() or rest[: len(rest) - len(rest.lstrip())].count("\n") > 1:
        return False
    # "Plagiat? Nein, das Original": an answered question stays a question, and its answer denies it.
    answer = re.match(r"[^\W\d_]+", rest.lstrip())
    if answer is not None and answer.group().lower() in DENIALS:
        return False
    words = [token for token in tokens if token.sentence == sentence]
    if len(words) == 3 and words[0].surface in _DETERMINERS:
        words = words[1:]
    return 0 < len(words) <= 2 and not any(token.number for token in words)


def _new_sentence_line(text: str, start: int, end: int, lang: str) -> bool:
    """Whether a single line break ends a sentence after all.

    It does next to a line of hashtags, and before a line that opens with a capitalised word that is
    no noun ("Heilt", "Das", "Order"): a new statement in a caption's list, not the rest of a wrapped
    phrase. All-caps and Title Case text say nothing about sentences, so they keep the break soft.
    """
    before = text[text.rfind("\n", 0, start) + 1 : start].strip()
    after_end = text.find("\n", end)
    after = text[end : after_end if after_end >= 0 else len(text)].strip()
    if any(part and _TAG_LINE.fullmatch(part) for part in (before, after)):
        return True
    # Punctuation ending the line already decided ("Pickel?" as a topic, "Heilt Akne." as a sentence).
    if before.endswith((".", "!", "?", "…", ";")):
        return False
    first = re.match(r"[^\W\d_]+", after)
    if first is None or not first.group()[:1].isupper() or first.group().isupper():
        return False
    words = re.findall(r"[^\W\d_]+", before)
    if len(words) > 1 and all(word[:1].isupper() for word in words):
        return False
    word = first.group()
    if lang == "de":
        return _known(word, "de") and _noun_lemma(word) is None
    return lang == "en" and _known(word.lower(), "en")


def _with_grammar(
    tokens: list[Token], spans: Sequence[TextSpan], lang: str, questions: set[int]
) -> tuple[Token, ...]:
    extra: list[dict[str, int]] = [{} for _ in tokens]
    if lang == "de":
        _separable_verbs(tokens, extra)
        for index, token in enumerate(tokens):
            if not token.number and not _known(token.original, lang):
                for key in compound_keys(token.surface) - token.keys:
                    extra[index].setdefault(key, -1)
    if lang in LEMMA_LANGUAGES:
        _compounds_written_apart(tokens, spans, lang, extra)
    result = []
    for index, token in enumerate(tokens):
        new = frozenset(extra[index]) - token.keys
        question = token.sentence in questions
        price = token.number and _is_price(tokens, index, spans)
        if new or question or price:
            links = tuple((key, at) for key, at in extra[index].items() if at >= 0 and key in new)
            token = replace(
                token, keys=token.keys | new, grammar_keys=new, links=links, question=question, price=price
            )
        result.append(token)
    return tuple(result)


def _closes_clause(tokens: Sequence[Token], index: int) -> bool:
    if index + 1 == len(tokens):
        return True
    token, following = tokens[index], tokens[index + 1]
    return (
        following.sentence != token.sentence
        or following.clause != token.clause
        or bool(following.keys & _COORDINATORS)
    )


def _separable_verbs(tokens: Sequence[Token], extra: list[dict[str, int]]) -> None:
    for index, particle in enumerate(tokens):
        if particle.surface not in _PARTICLES or particle.mark or not _closes_clause(tokens, index):
            continue
        for back in range(index - 1, max(-1, index - 1 - _SEPARABLE_REACH), -1):
            verb = tokens[back]
            if verb.sentence != particle.sentence:
                break
            if verb.number or verb.mark or verb.surface in _PARTICLES:
                continue
            joined = next(
                (j for key in sorted(verb.keys) if (j := separable_verb(particle.surface, key))), None
            )
            if joined is not None:
                extra[back].setdefault(joined, index)
                break


def _compounds_written_apart(
    tokens: Sequence[Token], spans: Sequence[TextSpan], lang: str, extra: list[dict[str, int]]
) -> None:
    for index in range(len(tokens) - 1):
        first, second = tokens[index], tokens[index + 1]
        if first.span != second.span or first.sentence != second.sentence:
            continue
        if first.number or second.number or second.mark or len(first.surface) < 3 or len(second.surface) < 3:
            continue
        if first.surface in _FUNCTION_WORDS or second.surface in _FUNCTION_WORDS:
            continue
        # A space, a hyphen or a line break; " - " is a dash between clauses, not a compound.
        gap = spans[first.span].text[first.end : second.start]
        if not _COMPOUND_GAP.fullmatch(gap):
            continue
        joined = first.original + second.original.lower()
        keys = token_keys(joined, lang) if _known(joined, lang) else frozenset()
        nouns = (
            lang == "de"
            and _noun_lemma(first.surface) is not None
            and _noun_lemma(second.surface) is not None
        )
        if nouns and not keys and (parts := compound_keys(joined)):
            keys = parts | {joined.lower()}
        for key in keys:
            if key not in first.keys and key not in second.keys:
                extra[index].setdefault(key, index + 1)


def _is_price(tokens: Sequence[Token], index: int, spans: Sequence[TextSpan]) -> bool:
    token = tokens[index]
    if re.fullmatch(r"\d+[.,]\d{2}", token.surface):
        return True
    before = tokens[index - 1] if index else None
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    if after is not None and after.sentence == token.sentence and after.surface in _CURRENCY:
        return True
    if before is not None and before.sentence == token.sentence and before.surface in _CURRENCY:
        return before.end == token.start or spans[token.span].text[before.end : token.start] == " "
    # OCR reads "49,99" with a small raised "99" as two numbers.
    for head, cents in ((token, after), (before, token)):
        if head is None or cents is None or not head.number or not cents.number or head.span != cents.span:
            continue
        gap = spans[head.span].text[head.end : cents.start]
        if gap == " " and re.fullmatch(r"\d{1,4}", head.surface) and re.fullmatch(r"\d{2}", cents.surface):
            return True
    return False


def passages(spans: Sequence[TextSpan]) -> list[Passage]:
    """Group spans into passages: runs of speech in one language, on-screen spans of one group, every
    other span on its own."""
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
    grouped: dict[int, list[TextSpan]] = {}
    for span in spans:
        if span.source == "speech":
            continue
        if span.group is None:
            run.append(span)
            flush()
        elif span.group not in grouped:
            grouped[span.group] = [s for s in spans if s.source == span.source and s.group == span.group]
            run.extend(grouped[span.group])
            flush()
    return result
