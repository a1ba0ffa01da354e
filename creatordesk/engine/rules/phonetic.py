"""Words that sound like a brief term: a brand heard as ordinary words still counts.

Speech recognisers write an unfamiliar name as the nearest words they know ("CeraVe" as "Sarah
Vey", "La Roche-Posay" as "La Roche Bosse"). A transcript stretch of about the term's length is
compared with the term twice:

* by sound, with the Kölner Phonetik (Postel, 1969): letters that sound alike share a digit
  (b/p, d/t, f/v/w, g/k/q, m/n, s/z), vowels drop out after the first letter. It was designed for
  German names and treats English spellings of brands well enough, since it ignores vowels;
* by spelling (difflib ratio of the letters), so two stretches with the same consonant skeleton
  but different words ("Nivea" and "nie wieder") are kept apart.

Both must agree. A stretch made only of everyday words ("of the ordinary", "anything") must sound
exactly like the term and be more than one word ("shop if I" for "Shopify"): ordinary speech is
full of near-rhymes of brand names. The result is only ever a "possible" finding: it asks a person
to listen.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import pairwise

from creatordesk.engine.rules.text import Token, is_known_word

# Shorter sound codes match too many everyday words to be worth a reviewer's time.
_MIN_CODE = 3
_MIN_SOUND = 0.8
_MIN_SPELLING = 0.6
# A stretch is compared when its letters are within this share of the term's length.
_LENGTH_RANGE = (0.7, 1.45)

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "s", "é": "e", "è": "e", "à": "a"})
_SIMPLE = {
    **dict.fromkeys("aeijouy", "0"),
    "b": "1",
    **dict.fromkeys("fvw", "3"),
    **dict.fromkeys("gkq", "4"),
    "l": "5",
    **dict.fromkeys("mn", "6"),
    "r": "7",
    **dict.fromkeys("sz", "8"),
}
# "c" is hard (4) before these letters and soft (8) otherwise; at a word's start "l" and "r" make it
# hard as well ("Claudia", "Christian"), and after "s" or "z" it is always soft.
_C_HARD_AT_START = "ahkloqrux"
_C_HARD = "ahkoqux"


def letters(text: str) -> str:
    """Lower-case a-z only, umlauts folded: the spelling both comparisons work on."""
    folded = text.lower().translate(_UMLAUTS)
    return "".join(ch for ch in folded if "a" <= ch <= "z")


@lru_cache(maxsize=8192)
def cologne(text: str) -> str:
    """The Kölner Phonetik code of a word or phrase (its letters only)."""
    word = letters(text)
    digits: list[str] = []
    # `before` and `after` are "" at the ends of the word, and "" is in every string: hence `and after`.
    for i, ch in enumerate(word):
        before = word[i - 1] if i else ""
        after = word[i + 1] if i + 1 < len(word) else ""
        if ch == "h":
            continue
        if ch == "p":
            code = "3" if after == "h" else "1"
        elif ch in "dt":
            code = "8" if after in ("c", "s", "z") and after else "2"
        elif ch == "c":
            if i == 0:
                code = "4" if after in _C_HARD_AT_START and after else "8"
            else:
                code = "4" if after in _C_HARD and after and before not in ("s", "z") else "8"
        elif ch == "x":
            code = "8" if before in ("c", "k", "q") and before else "48"
        else:
            code = _SIMPLE.get(ch, "")
        digits.append(code)
    return _collapse("".join(digits))


def _collapse(digits: str) -> str:
    """Postel's last two rules: a digit repeated in a row counts once, and a vowel (0) only at the start."""
    if not digits:
        return ""
    changed = "".join([digit for previous, digit in pairwise(digits) if digit != previous])
    return digits[0] + changed.replace("0", "")


def sounds_like(heard: str, term: str) -> bool:
    """Whether `heard` is a plausible mishearing of `term` (not the term itself)."""
    heard_letters, term_letters = letters(heard), letters(term)
    if not heard_letters or heard_letters == term_letters:
        return False
    # Part of the name said as written ("ordinary" of "The Ordinary") is an everyday word, not a
    # mishearing; the exact matcher decides about the name itself.
    if {letters(w) for w in heard.split()} <= {letters(w) for w in term.split()}:
        return False
    term_code = cologne(term)
    if len(term_code) < _MIN_CODE:
        return False
    heard_words = [w for w in heard.split() if letters(w)]
    if all(is_known_word(w.strip(".,!?;:")) for w in heard_words):
        return len(heard_words) >= 2 and cologne(heard) == term_code
    sound = SequenceMatcher(None, cologne(heard), term_code).ratio()
    spelling = SequenceMatcher(None, heard_letters, term_letters).ratio()
    return sound >= _MIN_SOUND and spelling >= _MIN_SPELLING


@dataclass(frozen=True)
class Heard:
    """A stretch of tokens that sounds like a term."""

    first: int
    last: int
    text: str


def find_sounds_like(tokens: Sequence[Token], term: str) -> Iterator[Heard]:
    """Non-overlapping token stretches within one sentence that sound like `term`, best first."""
    size = len(letters(term))
    words = max(1, len(term.split()))
    low, high = _LENGTH_RANGE
    candidates: list[tuple[float, int, int, str]] = []
    for first in range(len(tokens)):
        for last in range(first, min(len(tokens), first + words + 2)):
            if tokens[last].sentence != tokens[first].sentence:
                break
            text = " ".join(token.original for token in tokens[first : last + 1])
            length = len(letters(text))
            if length > high * size:
                break
            if length >= low * size and sounds_like(text, term):
                score = SequenceMatcher(None, letters(text), letters(term)).ratio()
                candidates.append((score, first, last, text))
    taken: set[int] = set()
    for _, first, last, text in sorted(candidates, key=lambda c: -c[0]):
        if taken.isdisjoint(range(first, last + 1)):
            taken.update(range(first, last + 1))
            yield Heard(first, last, text)
