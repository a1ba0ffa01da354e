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
                 | "<price>" a number that is a price ("19,99", "19 €", "$19", OCR's "19 99")
                 | "<name>"  a capitalised word no dictionary knows: most likely a brand ("Olaplex")
                 | "<any>"   any word (so the evidence shows what "besser als" compares with)
                 | "^" word  a capitalised word: a brand that is also a dictionary word ("^dove")

Writing a pattern in the mapping form `{match: ..., window: N, ordered: true, alone: true}` overrides
the window, can require the groups in the written order ("ohne Cortison" but not "Antibiotika ohne
Rezept") and can require the match to be the whole sentence (a sticker that reads only "NUR
HEUTE!"); `{regex: ...}` runs a case-insensitive regular expression over the raw text (for web
addresses, which are not words).

A match found only through grammar (a separable verb re-joined with its particle, a compound written
apart or a German compound split, a phrase wrapped over two lines) says so in `Match.grammar`; its
evidence includes the particle or the compound's second word.

So `[heilen|kurieren] + [akne|neurodermitis]` fires on "heilt Akne", "Akne wird geheilt" and
"kuriert meine Neurodermitis", but not when a negation ("heilt nicht", "kann keine ... heilen") or an
exception pattern sits in the same clause.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from creatordesk.engine.rules.text import DENIALS, Passage, Token

DEFAULT_WINDOW = 10

TermKind = Literal["key", "glob", "surface", "hashtag", "mention", "number", "price", "name", "any"]

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
    # "no diet, no gym", "ohne Sport, kein Aufwand": doing without effort makes a result claim bigger.
    | {"diet", "dieting", "gym", "workout", "workouts", "exercise", "effort", "sweat"}
    | {"diät", "sport", "training", "aufwand", "mühe", "hungern", "verzicht"}
)
_VOIDING_REACH = 3
# German puts "nicht" after the verb ("heilt Akne leider nicht"), so a negation may follow the claim,
# but only closely: in "boosts immunity so you never get sick" the "never" belongs to another verb.
_NEGATION_AFTER = 2
_SUBORDINATORS = frozenset({"dass", "daß", "ob", "that", "whether"})
# A negation does not reach over a coordinated new predicate: in "enthält keine Duftstoffe und heilt
# Akne" the "keine" belongs to the fragrance, and the healing is promised.
_COORDINATORS = frozenset({"und", "oder", "sowie", "and", "or", "plus"})


# One tuple per distinct group, so the lookups a passage caches per group serve every pattern that
# repeats it ("$diseases_de" in many rules).
_GROUPS: dict[tuple[tuple[Term, ...], ...], tuple[tuple[Term, ...], ...]] = {}


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
        if self.kind == "price":
            return token.price
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

    def grammar_key(self, token: Token) -> str | None:
        """For a term that matches `token`: the key it needed grammar for, None when plain words do."""
        if not token.grammar_keys:
            return None
        if self.kind == "key":
            return self.text if self.text in token.grammar_keys else None
        if self.kind in ("glob", "hashtag"):
            assert self.regex is not None
            if any(self.regex.fullmatch(key) for key in token.keys - token.grammar_keys):
                return None
            return next((key for key in sorted(token.grammar_keys) if self.regex.fullmatch(key)), None)
        return None


@dataclass(frozen=True)
class Occurrence:
    """Where one group's words stand: first and last token, and what grammar they needed."""

    first: int
    last: int
    grammar: bool = False
    # Tokens a grammar key stands for besides its own (the particle of "beugt ... vor").
    linked: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Pattern:
    """A parsed pattern: groups of alternatives, or a raw-text regular expression."""

    source: str
    groups: tuple[tuple[tuple[Term, ...], ...], ...] = ()
    window: int = DEFAULT_WINDOW
    regex: re.Pattern[str] | None = None
    ordered: bool = False
    alone: bool = False


@dataclass(frozen=True)
class Match:
    """Where a pattern matched: the first and last token, and the tokens its terms took.

    `grammar` is True when the match needed grammar: a separable verb re-joined with its particle, a
    compound written apart joined or a German compound split, or a phrase wrapped over two lines.
    """

    first: int
    last: int
    taken: frozenset[int]
    grammar: bool = False


# Terms written as a fixed placeholder, and the kind of token each stands for.
_PLACEHOLDERS: dict[str, TermKind] = {
    "<num>": "number",
    "<price>": "price",
    "@*": "mention",
    "<name>": "name",
    "<any>": "any",
}
# A word as the tokenizer cuts it, with at most one apostrophe ("don't"); a key may also be "%" or "€".
_PLAIN_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_WORD_OR_SYMBOL = re.compile(r"[^\W_]+(?:'[^\W_]+)?|[%€$£]")
_GROUP_SYNTAX = re.compile(r"[\[\]+]")
_PATTERN_KEYS = frozenset({"match", "regex", "window", "ordered", "alone"})


def _capital_term(text: str) -> Term:
    """`^dove`: a brand that is also a dictionary word, so only its capitalised form counts."""
    if not _PLAIN_WORD.fullmatch(text[1:]):
        raise PatternError(f"'{text}': '^' takes one plain word")
    return Term("key", text[1:], needs_capital=True)


def _surface_term(text: str) -> Term:
    """`=besten`: the written form only, where the lemma would merge words ("besten" -> "gut")."""
    if not text[1:] or "*" in text:
        raise PatternError(f"'{text}': '=' takes one plain word")
    return Term("surface", text[1:])


def _hashtag_term(text: str) -> Term:
    """`#werbung*`: a hashtag, with `*` for any letters."""
    return Term("hashtag", text[1:], _glob(text[1:]))


# Terms marked by their first character, and the parser for each.
_MARKED_TERMS: dict[str, Callable[[str], Term]] = {"^": _capital_term, "=": _surface_term, "#": _hashtag_term}


def parse_term(text: str) -> Term:
    """Parse one word position of a pattern (see the grammar at the top of this module)."""
    if not text:
        raise PatternError("empty word (two spaces or a stray '|' or '+')")
    placeholder = _PLACEHOLDERS.get(text)
    if placeholder is not None:
        return Term(placeholder, text)
    marked = _MARKED_TERMS.get(text[0])
    if marked is not None:
        return marked(text)
    if "*" in text:
        if not text.strip("*"):
            raise PatternError(f"'{text}' matches every word")
        return Term("glob", text, _glob(text))
    if not _WORD_OR_SYMBOL.fullmatch(text):
        raise PatternError(f"'{text}' is not a single word")
    return Term("key", text)


def _glob(text: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in text.split("*")))


def parse_pattern(spec: object, *, default_window: int = DEFAULT_WINDOW) -> Pattern:
    """Parse one pattern from its YAML form: a string or a {match|regex, window} mapping."""
    if not isinstance(spec, dict):
        return _word_pattern(spec, window=default_window)
    unknown = set(spec) - _PATTERN_KEYS
    if unknown:
        raise PatternError(f"unknown pattern key {sorted(unknown)[0]!r}")
    if "regex" in spec:
        return _regex_pattern(spec["regex"])
    window = spec.get("window", default_window)
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise PatternError(f"window must be a positive whole number, got {window!r}")
    ordered = _flag(spec, "ordered")
    alone = _flag(spec, "alone")
    return _word_pattern(spec.get("match"), window=window, ordered=ordered, alone=alone)


def _regex_pattern(regex: object) -> Pattern:
    """`{regex: ...}`: a case-insensitive regular expression over the raw text."""
    try:
        return Pattern(source=str(regex), regex=re.compile(str(regex), re.IGNORECASE))
    except re.error as exc:
        raise PatternError(f"bad regex {regex!r}: {exc}") from exc


def _flag(spec: dict[object, object], key: str) -> bool:
    """A true/false option of the mapping form, false when left out."""
    value = spec.get(key, False)
    if not isinstance(value, bool):
        raise PatternError(f"{key} must be true or false, got {value!r}")
    return value


def _word_pattern(spec: object, *, window: int, ordered: bool = False, alone: bool = False) -> Pattern:
    """A pattern of word groups joined by " + "."""
    if not isinstance(spec, str) or not spec.strip():
        raise PatternError(f"a pattern must be non-empty text, got {spec!r}")
    groups = tuple(_group(group_text, spec=spec, window=window) for group_text in spec.lower().split(" + "))
    return Pattern(source=spec, groups=groups, window=window, ordered=ordered, alone=alone)


def _group(text: str, *, spec: str, window: int) -> tuple[tuple[Term, ...], ...]:
    """One group: alternatives split by "|", each a phrase of terms that must fit the window."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if _GROUP_SYNTAX.search(text):
        raise PatternError(f"cannot read {text!r}; groups are joined by ' + ' with spaces around")
    alternatives = tuple(
        tuple(parse_term(word) for word in alternative.strip().split(" ")) for alternative in text.split("|")
    )
    longest = max(len(alternative) for alternative in alternatives)
    if longest > window:
        raise PatternError(f"{spec!r}: a phrase of {longest} words does not fit window {window}")
    return _GROUPS.setdefault(alternatives, alternatives)


@dataclass(eq=False)
class PassageIndex:
    """A passage with lookups cached per term, shared by all rules checked against it."""

    passage: Passage
    _by_key: dict[str, list[int]] = field(default_factory=dict)
    # Keyed by id: terms and groups live in compiled packs for the whole process, and hashing a
    # frozen dataclass on every lookup costs more than the lookup.
    # The entry keeps its key object alive, so an id cannot be reused while the index lives.
    _by_term: dict[int, tuple[Term, list[int]]] = field(default_factory=dict)
    _by_group: dict[int, tuple[object, list[Occurrence]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for index, token in enumerate(self.passage.tokens):
            for key in token.keys:
                self._by_key.setdefault(key, []).append(index)

    @property
    def tokens(self) -> tuple[Token, ...]:
        return self.passage.tokens

    def positions(self, term: Term) -> list[int]:
        if term.kind == "key" and not term.needs_capital:
            return self._by_key.get(term.text, [])
        entry = self._by_term.get(id(term))
        if entry is None:
            entry = (term, [i for i, token in enumerate(self.tokens) if term.matches(token)])
            self._by_term[id(term)] = entry
        return entry[1]

    def occurrences(self, alternatives: Sequence[tuple[Term, ...]]) -> list[Occurrence]:
        """Where any alternative's words stand in a row; plain words win over grammar at one place."""
        entry = self._by_group.get(id(alternatives))
        if entry is None:
            entry = (alternatives, self._occurrences(alternatives))
            self._by_group[id(alternatives)] = entry
        return entry[1]

    def _occurrences(self, alternatives: Sequence[tuple[Term, ...]]) -> list[Occurrence]:
        tokens = self.tokens
        found: dict[tuple[int, int], Occurrence] = {}
        for words in alternatives:
            for start in self.positions(words[0]):
                end = start + len(words) - 1
                if end >= len(tokens) or tokens[end].sentence != tokens[start].sentence:
                    continue
                if not all(words[k].matches(tokens[start + k]) for k in range(1, len(words))):
                    continue
                linked = set()
                for k, term in enumerate(words):
                    key = term.grammar_key(tokens[start + k])
                    if key is not None:
                        linked.add(start + k)
                        at = tokens[start + k].link(key)
                        if at is not None:
                            linked.add(at)
                occurrence = Occurrence(start, end, bool(linked), frozenset(linked - {start, end}))
                known = found.get((start, end))
                if known is None or (known.grammar and not occurrence.grammar):
                    found[(start, end)] = occurrence
        return [found[key] for key in sorted(found)]

    def find(self, pattern: Pattern) -> list[Match]:
        if pattern.regex is not None:
            return self._find_regex(pattern.regex)
        # The group with the fewest alternatives is the cheapest to rule a pattern out.
        found: dict[int, list[Occurrence]] = {}
        for number in sorted(range(len(pattern.groups)), key=lambda n: len(pattern.groups[n])):
            found[number] = self.occurrences(pattern.groups[number])
            if not found[number]:
                return []
        per_group = [found[number] for number in range(len(pattern.groups))]
        tokens = self.tokens
        matches: list[Match] = []
        after = -1
        for start in sorted({o.first for occurrences in per_group for o in occurrences}):
            if start <= after:
                continue
            limit = start + pattern.window - 1
            sentence = tokens[start].sentence
            candidates = [
                [
                    o
                    for o in group
                    if start <= o.first and o.last <= limit and tokens[o.last].sentence == sentence
                ]
                for group in per_group
            ]
            chosen = self._choose(pattern.ordered, candidates, []) if all(candidates) else None
            if chosen is None:
                continue
            match = self._match(chosen)
            if pattern.alone and not self._is_whole_sentence(match):
                continue
            matches.append(match)
            after = match.last
        return matches

    def _choose(
        self, ordered: bool, candidates: Sequence[Sequence[Occurrence]], chosen: list[Occurrence]
    ) -> list[Occurrence] | None:
        """One occurrence per group, without overlaps (and in order when the pattern says so).

        Tries the earliest occurrences first and backs up when a later group finds no room, so a
        word that two groups could take goes to the group that needs it.
        """
        if len(chosen) == len(candidates):
            return chosen
        for o in candidates[len(chosen)]:
            if any(o.first <= c.last and c.first <= o.last for c in chosen):
                continue
            if ordered and chosen and o.first <= chosen[-1].last:
                continue
            found = self._choose(ordered, candidates, [*chosen, o])
            if found is not None:
                return found
        return None

    def _match(self, chosen: Sequence[Occurrence]) -> Match:
        taken = {i for o in chosen for i in range(o.first, o.last + 1)}
        taken |= {i for o in chosen for i in o.linked}
        first, last = min(taken), max(taken)
        tokens = self.tokens
        wrapped = tokens[first].line != tokens[last].line
        grammar = wrapped or any(o.grammar for o in chosen)
        return Match(first=first, last=last, taken=frozenset(taken), grammar=grammar)

    def _is_whole_sentence(self, match: Match) -> bool:
        sentence = self.tokens[match.first].sentence
        return all(
            index in match.taken for index, token in enumerate(self.tokens) if token.sentence == sentence
        )

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

    def wrapped_scope(self, scope: range) -> range:
        """`scope` grown over line breaks that wrap its clauses: "Hautprobleme / für immer weg".

        A clause that a line break alone separates from its neighbour is the same phrase, wrapped;
        exceptions ("sichtbar", the illness an instant result is about) reach over it.
        """
        tokens = self.tokens
        lo, hi = scope.start, scope.stop - 1
        while lo > 0 and self._wrapped(lo - 1, lo):
            lo -= 1
            while lo > 0 and tokens[lo - 1].clause == tokens[lo].clause:
                lo -= 1
        while hi + 1 < len(tokens) and self._wrapped(hi, hi + 1):
            hi += 1
            while hi + 1 < len(tokens) and tokens[hi + 1].clause == tokens[hi].clause:
                hi += 1
        return range(lo, hi + 1)

    def _wrapped(self, before: int, after: int) -> bool:
        a, b = self.tokens[before], self.tokens[after]
        return a.sentence == b.sentence and b.line == a.line + 1 and b.clause == a.clause + 1

    def is_negated(self, match: Match, lang: str) -> bool:
        negators = _NEGATORS.get(lang, frozenset())
        tokens = self.tokens
        for index in self._negation_scope(match):
            token = tokens[index]
            if index in match.taken or index > match.last + _NEGATION_AFTER:
                continue
            if not (token.keys & negators or token.surface.endswith("n't")):
                continue
            following = tokens[index + 1 : index + 1 + _VOIDING_REACH]
            if any(t.keys & _VOIDING and t.clause == token.clause for t in following):
                continue
            between = range(index + 1, match.first) if index < match.first else range(match.last + 1, index)
            if any(tokens[i].keys & _COORDINATORS for i in between):
                continue
            return True
        return self._denied_question(match)

    def _negation_scope(self, match: Match) -> list[int]:
        """The match's clauses, plus a negation that ends the line before a wrapped phrase.

        "Das Serum kann keine / Neurodermitis heilen" is one sentence wrapped in a sticker; a word
        ending a line only makes sense with what follows it.
        """
        scope = list(self.clause_scope(match))
        tokens = self.tokens
        line_start = match.first
        while line_start > 0 and tokens[line_start - 1].line == tokens[match.first].line:
            line_start -= 1
        before = line_start - 1
        if (
            before >= 0
            and before not in scope
            and tokens[before].sentence == tokens[match.first].sentence
            and tokens[before].line == tokens[line_start].line - 1
        ):
            scope.insert(0, before)
        return scope

    def _denied_question(self, match: Match) -> bool:
        tokens = self.tokens
        head = tokens[match.first]
        if not head.question:
            return False
        answer = next(
            (i for i in range(match.last + 1, len(tokens)) if tokens[i].sentence != head.sentence), None
        )
        if answer is None or not tokens[answer].keys & DENIALS:
            return False
        following = tokens[answer + 1 : answer + 1 + _VOIDING_REACH]
        return not any(t.keys & _VOIDING and t.sentence == tokens[answer].sentence for t in following)


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
        scope = index.wrapped_scope(index.clause_scope(match))
        return any(
            other.first in scope or other.last in scope
            for exception in self.exceptions
            for other in index.find(exception)
        )


def compile_patterns(specs: Iterable[object], *, window: int = DEFAULT_WINDOW) -> tuple[Pattern, ...]:
    return tuple(parse_pattern(spec, default_window=window) for spec in specs)
