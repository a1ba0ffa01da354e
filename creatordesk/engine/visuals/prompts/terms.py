"""The linter's word lists (data/terms.yaml, data/conflicts.yaml) and how a term is found in a prompt.

A term matches on word boundaries, case-insensitively unless the list marks it case-sensitive; a space
or hyphen inside a term also matches the other one or none, so "low key", "low-key" and "lowkey" are one
term. A term right after a negation ("no", "without", "ohne", "kein" ..., one word may sit between) is
not counted: "no children" asks for the opposite. Phrases under `not` hide the terms inside them
("baby blue" is a colour, not a baby).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from creatordesk.engine.rules.yamlfile import read_yaml_file
from creatordesk.engine.types import InputError

DATA = Path(__file__).resolve().parent / "data"
_NEGATION = re.compile(
    r"(?i)(?<!\w)(?:no|not|without|never|avoid|ohne|kein|keine|keinen|keinem|keiner|nicht)\s+(?:\w+\s+)?$"
)
_JOINER = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class TermMatch:
    """Where a listed term was found: the text as written and its character range."""

    text: str
    start: int
    end: int


def normalise(text: str) -> str:
    """The text as the lists are written: typographic apostrophes made plain, same length, same offsets."""
    return text.replace("’", "'").replace("ʼ", "'")


def _term_pattern(term: str) -> str:
    pieces = [re.escape(piece) for piece in _JOINER.split(term.strip()) if piece]
    return r"(?<!\w)" + r"[\s\-]*".join(pieces) + r"(?!\w)"


def _alternation(terms: Iterable[str], flags: int) -> re.Pattern[str] | None:
    unique = sorted({term for term in terms if term.strip()}, key=lambda term: (-len(term), term))
    if not unique:
        return None
    return re.compile("|".join(_term_pattern(term) for term in unique), flags)


def is_negated(text: str, start: int) -> bool:
    return bool(_NEGATION.search(text[max(0, start - 40) : start]))


class TermSet:
    """A word list ready to search: its case-insensitive and case-sensitive terms and its masks."""

    def __init__(
        self, terms: Iterable[str], case_sensitive: Iterable[str] = (), masks: Iterable[str] = ()
    ) -> None:
        self.terms = tuple(terms)
        self.case_sensitive = tuple(case_sensitive)
        self._patterns = [
            pattern
            for pattern in (_alternation(self.terms, re.IGNORECASE), _alternation(self.case_sensitive, 0))
            if pattern is not None
        ]
        self._masks = _alternation(masks, re.IGNORECASE)

    def words(self) -> frozenset[str]:
        """Every term lower-cased, for lists used as a vocabulary rather than searched."""
        return frozenset(term.lower() for term in (*self.terms, *self.case_sensitive))

    def find(self, text: str, *, keep_negated: bool = False) -> list[TermMatch]:
        """Every match in `text`, in reading order; negated ones only when `keep_negated`."""
        text = normalise(text)
        masked = [(m.start(), m.end()) for m in self._masks.finditer(text)] if self._masks else []
        found: list[TermMatch] = []
        for pattern in self._patterns:
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(lo <= start and end <= hi for lo, hi in masked):
                    continue
                if not keep_negated and is_negated(text, start):
                    continue
                found.append(TermMatch(match.group(0), start, end))
        return sorted(found, key=lambda m: (m.start, -m.end))


@dataclass(frozen=True)
class Conflict:
    """Terms that pull an image in opposite directions: sides of one look the prompt must choose between."""

    id: str
    kind: str
    sides: tuple[tuple[str, TermSet], ...]


def _strings(values: Any, where: str) -> list[str]:
    # YAML reads a bare on, no or yes as a boolean; such a term must be quoted.
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise InputError(f"{where}: expected a list of quoted or plain texts, got {values!r}")
    return values


def _term_set(raw: Mapping[str, Any], name: str) -> TermSet:
    return TermSet(
        *(
            _strings(raw.get(key, []), f"terms.yaml {name}.{key}")
            for key in ("terms", "case_sensitive", "not")
        )
    )


@cache
def term_sets() -> dict[str, TermSet]:
    """The lists of data/terms.yaml by name (colour names excepted)."""
    raw = read_yaml_file(DATA / "terms.yaml")
    return {name: _term_set(value, name) for name, value in raw.items() if name != "colour_names"}


@cache
def conflicts() -> tuple[Conflict, ...]:
    """The entries of data/conflicts.yaml in file order."""
    raw = read_yaml_file(DATA / "conflicts.yaml")
    return tuple(
        Conflict(
            id=entry["id"],
            kind=entry["kind"],
            sides=tuple(
                (name, TermSet(_strings(terms, f"conflicts.yaml {entry['id']}.{name}")))
                for name, terms in entry["sides"].items()
            ),
        )
        for entry in raw
    )


@cache
def colour_names() -> dict[str, tuple[int, int, int]]:
    raw = read_yaml_file(DATA / "terms.yaml")["colour_names"]
    return {name: hex_to_rgb(value) for name, value in raw.items()}


_HEX = re.compile(r"#?([0-9a-fA-F]{6})")


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    digits = value.lstrip("#")
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def is_hex_colour(value: str) -> bool:
    return bool(_HEX.fullmatch(value.strip())) and value.strip().startswith("#")


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _lab(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour, by the sRGB (IEC 61966-2-1) and CIE 1976 formulas."""
    r, g, b = (_linear(channel) for channel in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def nearest_colour_name(value: str) -> str:
    """The listed colour name nearest to a `#rrggbb` value in CIELAB (ΔE 1976).

    Distance in L*a*b* follows perceived difference far better than distance in RGB, and a name only has
    to be close enough to steer a generator; the brand check measures the result with ΔE 2000.
    """
    target = _lab(hex_to_rgb(value))

    def distance(item: tuple[str, tuple[int, int, int]]) -> tuple[float, str]:
        lab = _lab(item[1])
        return (sum((a - b) ** 2 for a, b in zip(lab, target, strict=True)), item[0])

    return min(colour_names().items(), key=distance)[0]
