"""Replace a person's identifiers (name, email, handles) in free text and JSON with a placeholder.

Free text written about a creator (a notification, an audit detail, a comment by staff) keeps its
meaning for the brand's history once the words that identify the person are gone (GDPR Art. 17,
Recital 26: anonymised information is no longer personal data).

Identifiers match as whole tokens only: the same text is shared by the whole workspace (staff
comments, decision notes, broadcasts), so the handle "lea" must not turn "lead time" or
"lea.berg@brand.example" into nonsense.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Shorter strings than this are not searched for: a two-letter handle would shred unrelated text.
MIN_LENGTH = 3

# A token starts where no word character, "@" or "word." / "word-" precedes it, and ends where no
# word character, "@" or ".word" / "-word" follows: "Lea." at the end of a sentence is the person,
# "lea.berg", "lea-marie" and "lea@brand.example" are someone else. \w is Unicode-aware in Python 3,
# so "Léa" inside "Léanne" is not a token either.
_BEFORE = r"(?<![\w@])(?<!\w[.\-+])"
_AFTER = r"(?![\w@])(?![.\-+]\w)"


@dataclass(frozen=True)
class Identity:
    """The strings that identify one person, and the placeholder that replaces them."""

    terms: tuple[str, ...]
    placeholder: str

    @classmethod
    def of(cls, *terms: str, placeholder: str) -> Identity:
        cleaned = {t.strip().lstrip("@").strip() for t in terms if t}
        # Longest first: "Anna Berg" must be replaced whole before "anna.berg" or "Anna" could split it.
        kept = sorted((t for t in cleaned if len(t) >= MIN_LENGTH), key=lambda t: (-len(t), t.lower()))
        return cls(terms=tuple(kept), placeholder=placeholder)

    @property
    def pattern(self) -> re.Pattern[str] | None:
        if not self.terms:
            return None
        # An "@" before a handle is taken with it: left behind it would still hint at a handle.
        alternatives = "|".join(re.escape(t) for t in self.terms)
        return re.compile(_BEFORE + "@?(?:" + alternatives + ")" + _AFTER, re.IGNORECASE)

    def found_in(self, text: str) -> bool:
        pattern = self.pattern
        return bool(pattern and text and pattern.search(text))

    def redact(self, text: str) -> str:
        pattern = self.pattern
        if pattern is None or not text:
            return text
        # A function, not a template: a placeholder with "\" or "\g" must come out as written.
        return pattern.sub(lambda _match: self.placeholder, text)

    def redact_json(self, value: Any) -> Any:
        """The same value with every string value redacted; keys are kept, code looks values up by them."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, list):
            return [self.redact_json(v) for v in value]
        if isinstance(value, dict):
            return {k: self.redact_json(v) for k, v in value.items()}
        return value
