"""The pattern language of policy packs: parsed once, matched against lemmatised passages.

A pattern is text:

    pattern      = group { " + " group }          every group must occur, in any order,
                                                   within `window` words of one sentence
    group        = [ "[" ] alternative { "|" alternative } [ "]" ]
    alternative  = term { " " term }              consecutive words
    term         = word      the word's lemma or its lower-cased surface equals `word`
                 | glob      `*` for any letters, on lemma or surface: "*fettverbrenn*"
                 | "=" word  surface only, where lemmatising would merge words ("besten" -> "gut")
                 | "#" word  a hashtag (glob allowed): "#werbung*"
                 | "@*"      any @-mention
                 | "<num>"   any number
                 | "<name>"  a capitalised word no dictionary knows: most likely a brand ("Olaplex")
                 | "<any>"   any word (so the evidence shows what "besser als" compares with)

Writing a pattern in the mapping form `{match: ..., window: N, ordered: true}` overrides the window
and can require the groups in the written order ("ohne Cortison" but not "Antibiotika ohne Rezept");
`{regex: ...}` runs a case-insensitive regular expression over the raw text (for web addresses,
which are not words).

So `[heilen|kurieren] + [akne|neurodermitis]` fires on "heilt Akne", "Akne wird geheilt" and
"kuriert meine Neurodermitis", but not when a negation ("heilt nicht", "kann keine ... heilen") or an
exception pattern sits in the same clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from creatordesk.engine.rules.text import Passage, Token

DEFAULT_WINDOW = 10

TermKind = Literal["key", "glob", "surface", "hashtag", "mention", "number", "name", "any"]

# Negation words per language. "nichts"/"nothing" are left out on purpose: "nichts heilt Akne so
# schnell" is a claim, not a denial.
_NEGATORS = {
    "de": frozenset({"nicht", "kein", "nie", "niemals", "keinesfalls", "weder"}),
    "en": frozenset({"not", "no", "never", "cannot", "neither", "nor"}),
}
# A negator followed by one of these does not deny the claim, it sharpens it: "nicht nur",
# "keine Akne mehr", "no more breakouts", "nie wieder", "no joke".
_VOIDING = frozenset(
    {"nur", "only", "just", "mehr", "more", "wieder", "again", "longer", "joke", "kidding", "lie"}
    | {"cap", "scherz", "witz", "quatsch", "lüge", "übertreibung", "exaggeration"}
)
_VOIDING_REACH = 3
# German puts "nicht" after the verb ("heilt Akne leider nicht"), so a negation may follow the claim,
# but only closely: in "boosts immunity so you never get sick" the "never" belongs to another verb.
_NEGATION_AFTER = 2
_SUBORDINATORS = frozenset({"dass", "daß", "ob", "that", "whether"})


class PatternError(ValueError):
    """A pattern in a policy pack or brief that cannot be parsed."""


@dataclass(frozen=True)
class Term:
    """One word position of a pattern."""

    kind: TermKind
    text: str
    regex: re.Pattern[str] | None = None
    # Set for brand names that are also ordinary words ("The Ordinary", "Dove"): only a capitalised
    # word, an all-caps word or a hashtag is taken as the name.
    needs_capital: bool = False

    def matches(self, token: Token) -> bool:
        if self.needs_capital and not (token.original[:1].isupper() or token.mark == "#"):
            return False
        if self.kind == "key":
            return self.text in token.keys
        if self.kind == "surface":
            return token.surface == self.text
        if self.kind == "number":
            return token.number
        if self.kind == "mention":
            return token.mark == "@"
        if self.kind == "name":
            return token.name_like
        if self.kind == "any":
            return True
        if self.kind == "hashtag" and token.mark != "#":
            return False
        assert self.regex is not None
        return any(self.regex.fullmatch(key) for key in token.keys)


@dataclass(frozen=True)
class Pattern:
    """A parsed pattern: groups of alternatives, or a raw-text regular expression."""

    source: str
    groups: tuple[tuple[tuple[Term, ...], ...], ...] = ()
    window: int = DEFAULT_WINDOW
    regex: re.Pattern[str] | None = None
    ordered: bool = False


@dataclass(frozen=True)
class Match:
    """Where a pattern matched: the first and last token, and the tokens its terms took."""

    first: int
    last: int
    taken: frozenset[int]


def parse_term(text: str) -> Term:
    if not text:
        raise PatternError("empty word (two spaces or a stray '|' or '+')")
    if text == "<num>":
        return Term("number", text)
    if text == "@*":
        return Term("mention", text)
    if text == "<name>":
        return Term("name", text)
    if text == "<any>":
        return Term("any", text)
    if text.startswith("="):
        if not text[1:] or "*" in text:
            raise PatternError(f"'{text}': '=' takes one plain word")
        return Term("surface", text[1:])
    if text.startswith("#"):
        return Term("hashtag", text[1:], _glob(text[1:]))
    if "*" in text:
        if not text.strip("*"):
            raise PatternError(f"'{text}' matches every word")
        return Term("glob", text, _glob(text))
    if not re.fullmatch(r"[^\W_]+(?:'[^\W_]+)?|[%€$£]", text):
        raise PatternError(f"'{text}' is not a single word")
    return Term("key", text)


def _glob(text: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in text.split("*")))


def parse_pattern(spec: object, *, default_window: int = DEFAULT_WINDOW) -> Pattern:
    """Parse one pattern from its YAML form: a string or a {match|regex, window} mapping."""
    window = default_window
    ordered = False
    if isinstance(spec, dict):
        unknown = set(spec) - {"match", "regex", "window", "ordered"}
        if unknown:
            raise PatternError(f"unknown pattern key {sorted(unknown)[0]!r}")
        if "regex" in spec:
            try:
                return Pattern(source=str(spec["regex"]), regex=re.compile(str(spec["regex"]), re.IGNORECASE))
            except re.error as exc:
                raise PatternError(f"bad regex {spec['regex']!r}: {exc}") from exc
        window = spec.get("window", default_window)
        if isinstance(window, bool) or not isinstance(window, int) or window < 1:
            raise PatternError(f"window must be a positive whole number, got {window!r}")
        ordered = spec.get("ordered", False)
        if not isinstance(ordered, bool):
            raise PatternError(f"ordered must be true or false, got {ordered!r}")
        spec = spec.get("match")
    if not isinstance(spec, str) or not spec.strip():
        raise PatternError(f"a pattern must be non-empty text, got {spec!r}")
    groups = []
    for group_text in spec.lower().split(" + "):
        group_text = group_text.strip()
        if group_text.startswith("[") and group_text.endswith("]"):
            group_text = group_text[1:-1]
        if re.search(r"[\[\]+]", group_text):
            raise PatternError(f"cannot read {group_text!r}; groups are joined by ' + ' with spaces around")
        alternatives = tuple(
            tuple(parse_term(word) for word in alternative.strip().split(" "))
            for alternative in group_text.split("|")
        )
        longest = max(len(alternative) for alternative in alternatives)
        if longest > window:
            raise PatternError(f"{spec!r}: a phrase of {longest} words does not fit window {window}")
        groups.append(alternatives)
    return Pattern(source=spec, groups=tuple(groups), window=window, ordered=ordered)


@dataclass(eq=False)
class PassageIndex:
    """A passage with lookups cached per term, shared by all rules checked against it."""

    passage: Passage
    _by_key: dict[str, list[int]] = field(default_factory=dict)
    _by_term: dict[Term, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for index, token in enumerate(self.passage.tokens):
            for key in token.keys:
                self._by_key.setdefault(key, []).append(index)

    @property
    def tokens(self) -> tuple[Token, ...]:
        return self.passage.tokens

    def positions(self, term: Term) -> list[int]:
        if term.kind == "key":
            return self._by_key.get(term.text, [])
        found = self._by_term.get(term)
        if found is None:
            found = [i for i, token in enumerate(self.tokens) if term.matches(token)]
            self._by_term[term] = found
        return found

    def occurrences(self, alternatives: Sequence[tuple[Term, ...]]) -> list[tuple[int, int]]:
        """(first, last) token indices where any alternative's words stand in a row."""
        tokens = self.tokens
        found = set()
        for words in alternatives:
            for start in self.positions(words[0]):
                end = start + len(words) - 1
                if end >= len(tokens) or tokens[end].sentence != tokens[start].sentence:
                    continue
                if all(words[k].matches(tokens[start + k]) for k in range(1, len(words))):
                    found.add((start, end))
        return sorted(found)

    def find(self, pattern: Pattern) -> list[Match]:
        if pattern.regex is not None:
            return self._find_regex(pattern.regex)
        per_group = [self.occurrences(group) for group in pattern.groups]
        if not all(per_group):
            return []
        tokens = self.tokens
        matches: list[Match] = []
        after = -1
        for start in sorted({first for occurrences in per_group for first, _ in occurrences}):
            if start <= after:
                continue
            limit = start + pattern.window - 1
            chosen: list[tuple[int, int]] = []
            for occurrences in per_group:
                pick = next(
                    (
                        (first, last)
                        for first, last in occurrences
                        if start <= first
                        and last <= limit
                        and tokens[last].sentence == tokens[start].sentence
                        and not any(first <= c_last and c_first <= last for c_first, c_last in chosen)
                        and (not pattern.ordered or not chosen or first > chosen[-1][1])
                    ),
                    None,
                )
                if pick is None:
                    break
                chosen.append(pick)
            else:
                first, last = min(f for f, _ in chosen), max(end for _, end in chosen)
                taken = frozenset(i for f, end in chosen for i in range(f, end + 1))
                matches.append(Match(first=first, last=last, taken=taken))
                after = last
        return matches

    def _find_regex(self, regex: re.Pattern[str]) -> list[Match]:
        matches = []
        for span_index, span in enumerate(self.passage.spans):
            for hit in regex.finditer(span.text):
                inside = [
                    i
                    for i, token in enumerate(self.tokens)
                    if token.span == span_index and token.start < hit.end() and token.end > hit.start()
                ]
                if inside:
                    matches.append(Match(first=inside[0], last=inside[-1], taken=frozenset(inside)))
        return matches

    def clause_scope(self, match: Match) -> range:
        """Token indices of the clauses the match touches: where negations and exceptions count.

        A clause opened by "dass"/"that" belongs to the clause before it, whose negation reaches into
        it: "Ich kann nicht versprechen, dass es Akne heilt" promises nothing.
        """
        tokens = self.tokens
        first_clause, last_clause = tokens[match.first].clause, tokens[match.last].clause
        lo, hi = match.first, match.last
        while lo > 0 and tokens[lo - 1].clause >= first_clause:
            lo -= 1
        if lo > 0 and tokens[lo].keys & _SUBORDINATORS and tokens[lo - 1].sentence == tokens[lo].sentence:
            first_clause = tokens[lo - 1].clause
            while lo > 0 and tokens[lo - 1].clause >= first_clause:
                lo -= 1
        while hi + 1 < len(tokens) and tokens[hi + 1].clause <= last_clause:
            hi += 1
        return range(lo, hi + 1)

    def is_negated(self, match: Match, lang: str) -> bool:
        negators = _NEGATORS.get(lang, frozenset())
        tokens = self.tokens
        for index in self.clause_scope(match):
            token = tokens[index]
            if index in match.taken or index > match.last + _NEGATION_AFTER:
                continue
            if not (token.keys & negators or token.surface.endswith("n't")):
                continue
            following = tokens[index + 1 : index + 1 + _VOIDING_REACH]
            if any(t.keys & _VOIDING and t.clause == token.clause for t in following):
                continue
            return True
        return False


@dataclass(frozen=True)
class Matcher:
    """Patterns, exceptions and negation handling of one rule for one language."""

    patterns: tuple[Pattern, ...]
    exceptions: tuple[Pattern, ...] = ()
    negatable: bool = True
    lang: str = "en"

    def find(self, index: PassageIndex) -> list[Match]:
        found: list[Match] = []
        for pattern in self.patterns:
            for match in index.find(pattern):
                if any(m.first <= match.last and match.first <= m.last for m in found):
                    continue
                if self.negatable and index.is_negated(match, self.lang):
                    continue
                if self._excepted(index, match):
                    continue
                found.append(match)
        return sorted(found, key=lambda m: m.first)

    def _excepted(self, index: PassageIndex, match: Match) -> bool:
        if not self.exceptions:
            return False
        scope = index.clause_scope(match)
        return any(
            other.first in scope or other.last in scope
            for exception in self.exceptions
            for other in index.find(exception)
        )


def compile_patterns(specs: Iterable[object], *, window: int = DEFAULT_WINDOW) -> tuple[Pattern, ...]:
    return tuple(parse_pattern(spec, default_window=window) for spec in specs)
