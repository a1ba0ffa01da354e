"""Ad disclosure: is the video labelled as advertising where and when a viewer first looks?

German law asks that commercial intent be recognisable at first glance (§ 5a Abs. 4 UWG, § 6 Abs. 1
Nr. 1 DDG, § 22 Abs. 1 MStV). A label therefore counts when it is shown on screen in the first seconds,
spoken at the very start, or in the caption's first line (the only line shown before "more"). Which
words count as a label, and which are too vague, is data in the pack (`disclosure:` in de-law.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass

from creatordesk.engine.rules.matcher import Match, PassageIndex
from creatordesk.engine.rules.packs import DisclosureSpec, explain
from creatordesk.engine.rules.text import Token
from creatordesk.engine.types import Finding

# Hashtags before a label on its line from which on it is hidden rather than shown.
_HIDING_HASHTAGS = 3
# Words before a label in the caption's first line from which on it closes a long sentence rather
# than opening the caption: the guide asks for the label at the start, and a feed shows only the
# caption's first words before "more".
_HIDING_WORDS = 12


@dataclass(frozen=True)
class _Label:
    """A label found somewhere in the text, not (or not early enough) where it counts."""

    index: PassageIndex
    match: Match

    def finding(self, spec: DisclosureSpec, *, rule: str, category: str, message: str) -> Finding:
        passage = self.index.passage
        start_s, end_s = passage.time_range(self.match.first, self.match.last)
        return Finding(
            rule=rule,
            category=category,
            severity="block" if category == "disclosure_missing" else "warn",
            source=passage.spans[0].source,
            start_s=start_s,
            end_s=end_s,
            evidence=passage.excerpt(self.match.first, self.match.last),
            explanation=explain(spec.explanation[message], passage.lang),
            citation=spec.citation,
        )


def check_disclosure(
    indexes: list[PassageIndex], spec: DisclosureSpec, *, duration_s: float, lang: str
) -> list[Finding]:
    """No finding when a proper label is shown early; otherwise one weak, late or missing finding."""
    late: list[_Label] = []
    weak: list[_Label] = []
    for index in indexes:
        passage = index.passage
        labels = spec.labels.get(passage.lang)
        for match in labels.find(index) if labels else []:
            if _hidden_among_hashtags(index, match):
                weak.append(_Label(index, match))
            elif _is_at_start(index, match, spec.start_window_s):
                if not _closes_long_caption_line(index, match):
                    return []
                weak.append(_Label(index, match))
            else:
                late.append(_Label(index, match))
        weak_labels = spec.weak_labels.get(passage.lang)
        weak += [_Label(index, match) for match in (weak_labels.find(index) if weak_labels else [])]

    if weak:
        first = min(weak, key=_earliest_first)
        return [first.finding(spec, rule=f"{spec.id}.weak", category="disclosure_weak", message="weak")]
    if late:
        first = min(late, key=_earliest_first)
        return [first.finding(spec, rule=f"{spec.id}.late", category="disclosure_missing", message="late")]
    return [
        Finding(
            rule=f"{spec.id}.missing",
            category="disclosure_missing",
            severity="block",
            source="onscreen",
            start_s=0.0,
            end_s=min(spec.start_window_s, duration_s) if duration_s > 0 else spec.start_window_s,
            evidence="",
            explanation=explain(spec.explanation["missing"], lang),
            citation=spec.citation,
        )
    ]


def _earliest_first(label: _Label) -> tuple[int, float]:
    # The caption is not on the timeline; a label in the video itself is the more useful pointer.
    passage = label.index.passage
    return (passage.source == "caption", passage.token_start_s(label.match.first))


def _hidden_among_hashtags(index: PassageIndex, match: Match) -> bool:
    """A label behind a run of hashtags on its line ("#fyp #skincare #glow #werbung", "#glow
    #skincare #routine Werbung").

    The Medienanstalten's guide asks that the label not be hidden among many hashtags: a viewer reads
    the first few tags, if any, and skips the rest, whether the label is a hashtag or a word.
    """
    before = [token for token in _before_on_line(index, match) if token.mark == "#"]
    return len(before) >= _HIDING_HASHTAGS


def _closes_long_caption_line(index: PassageIndex, match: Match) -> bool:
    """A label at the end of a long first caption line ("Meine ehrliche Meinung ... (Werbung)")."""
    if index.passage.source != "caption":
        return False
    return len(_before_on_line(index, match)) > _HIDING_WORDS


def _before_on_line(index: PassageIndex, match: Match) -> list[Token]:
    tokens = index.passage.tokens
    label = tokens[match.first]
    return [token for token in tokens[: match.first] if token.span == label.span and token.line == label.line]


def _is_at_start(index: PassageIndex, match: Match, window_s: float) -> bool:
    passage = index.passage
    token = passage.tokens[match.first]
    span = passage.spans[token.span]
    if span.source == "caption":
        return token.start < _first_line_end(span.text)
    if span.source == "onscreen":
        return span.start_s <= window_s
    return passage.token_start_s(match.first) <= window_s


def _first_line_end(text: str) -> int:
    """Offset where the caption's first non-empty line ends."""
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            return offset + len(line)
        offset += len(line)
    return len(text)
