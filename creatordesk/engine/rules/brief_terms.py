"""The brand's own words: banned terms, competitor names and must-mentions from the brief.

Brief terms are typed by brand managers in natural form ("Wundercreme", "The Ordinary"), not in the
pattern language, so they are compiled here: every word matches its inflections through the lemma,
a single word of four letters or more also matches as part of a compound ("Chemie" in
"chemiefrei", "CeraVe" in "#ceravedupe"), and a multi-word name also matches written together as
a hashtag ("#theordinary").
"""

from __future__ import annotations

import re
from functools import lru_cache

import simplemma

from creatordesk.engine.rules.matcher import PassageIndex, Pattern, Term
from creatordesk.engine.rules.phonetic import find_sounds_like
from creatordesk.engine.rules.text import LEMMA_LANGUAGES, TextSpan, passages, token_keys, tokenize

_COMPOUND_MIN_LETTERS = 4


@lru_cache(maxsize=1024)
def term_pattern(term: str, *, brand_name: bool = False) -> Pattern | None:
    """A pattern for one brief term; None when the term holds no word at all ("!!!").

    For a brand name, a capitalised word that is also a dictionary word must be capitalised in the
    text too: "The Ordinary" is a competitor, "out of the ordinary" is not.
    """
    tokens = tokenize([TextSpan(0.0, 0.0, term, "caption")], "en")
    words = [token.surface for token in tokens]
    if not words:
        return None
    single = len(tokens) == 1
    alternatives: list[tuple[Term, ...]] = [
        tuple(_word_term(token.original, compound=single, brand_name=brand_name) for token in tokens)
    ]
    if len(words) > 1:
        joined = "".join(words)
        alternatives.append((Term("glob", joined, re.compile(re.escape(joined))),))
    return Pattern(source=term, groups=(tuple(alternatives),), window=max(len(words), 1))


def _word_term(written: str, *, compound: bool, brand_name: bool) -> Term:
    word = written.lower()
    # Suppletive lemmas ("best" -> "good") would match unrelated words; only keep a lemma that
    # still looks like the word the brand wrote.
    forms = {key for lang in LEMMA_LANGUAGES for key in token_keys(written, lang) if key[:3] == word[:3]}
    alternation = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    if compound and len(word) >= _COMPOUND_MIN_LETTERS and word.isalpha():
        # At least three more letters, so "Nivea" finds "Niveacreme" but not "Niveau".
        regex = rf"(?:{alternation})|{re.escape(word)}\w{{3,}}|\w{{3,}}{re.escape(word)}"
    else:
        regex = rf"(?:{alternation})"
    needs_capital = (
        brand_name
        and written[:1].isupper()
        and len(word) > 3
        and any(simplemma.is_known(word, lang=lang) for lang in LEMMA_LANGUAGES)
    )
    return Term("glob", word, re.compile(regex), needs_capital=needs_capital)


def times_said(text: str, term: str) -> int:
    """How often a line of transcript says `term` as written."""
    pattern = term_pattern(term)
    if pattern is None:
        return 0
    return sum(len(PassageIndex(passage).find(pattern)) for passage in passages([_line(text)]))


def written_where_heard(text: str, term: str) -> str:
    """`text` with every stretch that sounds like `term` ("CERA V") written as the term ("CeraVe")."""
    for passage in passages([_line(text)]):
        tokens = PassageIndex(passage).tokens
        # From the end, so the offsets of earlier stretches stay valid.
        for heard in sorted(find_sounds_like(tokens, term), key=lambda h: h.first, reverse=True):
            text = text[: tokens[heard.first].start] + term + text[tokens[heard.last].end :]
    return text


def _line(text: str) -> TextSpan:
    return TextSpan(0.0, 1.0, text, "speech", "en")


def transcript_names(text: str, term: str, *, or_sounds_like: bool = False) -> bool:
    """Whether a line of transcript says `term` as written (or, when asked, something sounding like it)."""
    pattern = term_pattern(term)
    for passage in passages([TextSpan(0.0, 1.0, text, "speech", "en")]):
        index = PassageIndex(passage)
        if pattern is not None and index.find(pattern):
            return True
        if or_sounds_like and next(find_sounds_like(index.tokens, term), None) is not None:
            return True
    return False
