"""check_text and must_mention_coverage: all text rules over one video's spans.

Spans are tokenised and lemmatised once into passages; every pack rule, the disclosure check and the
brief's terms then run over the same passages. When two rules flag the same words for the same
reason (TikTok's policy and German law both forbid "heilt Neurodermitis"), the reviewer gets one
finding with both citations rather than two lines for one sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from creatordesk.engine.rules.brief_terms import term_pattern
from creatordesk.engine.rules.disclosure import check_disclosure
from creatordesk.engine.rules.matcher import Match, PassageIndex
from creatordesk.engine.rules.packs import Pack, explain
from creatordesk.engine.rules.phonetic import find_sounds_like
from creatordesk.engine.rules.text import passages
from creatordesk.engine.types import Brief, Confidence, Finding, Severity, Source, TextSpan

_SEVERITY_RANK: dict[Severity, int] = {"block": 0, "warn": 1, "info": 2}
# OCR reports a text overlay once per sampled frame or scene; the same words on screen again within
# this gap are one finding over the whole time they were visible.
_ONSCREEN_GAP_S = 1.0
_BRIEF_CITATIONS = {
    "banned_term": "Campaign brief: banned term",
    "competitor_mention": "Campaign brief: competitor",
    "must_mention_missing": "Campaign brief: must mention",
}
_BRIEF_EXPLANATIONS = {
    "banned_term": {
        "en": "The brand's brief does not allow this word or phrase. Please leave it out.",
        "de": "Das Briefing der Marke erlaubt dieses Wort bzw. diese Formulierung nicht. Bitte weglassen.",
    },
    "competitor_mention": {
        "en": "This names a competitor listed in the brief. Do not mention competing brands.",
        "de": "Hier wird ein Wettbewerber aus dem Briefing genannt. Bitte keine Konkurrenzmarken erwähnen.",
    },
    "must_mention_missing": {
        "en": "The brief asks you to mention this, but it is neither said, shown nor in the caption.",
        "de": "Laut Briefing soll das erwähnt werden, es kommt aber weder gesprochen, eingeblendet noch in "
        "der Caption vor.",
    },
}
# Speech that only sounds like a risky brief term asks a person to listen; it never blocks.
_POSSIBLE_EXPLANATIONS = {
    "banned_term": {
        "en": "This sounds like “{term}”, which the brand's brief does not allow. Listen to this moment; "
        "if the word is said, leave it out.",
        "de": "Das klingt nach „{term}“, was das Briefing der Marke nicht erlaubt. Bitte anhören; wenn das "
        "Wort fällt, bitte weglassen.",
    },
    "competitor_mention": {
        "en": "This sounds like the competitor “{term}” from the brief. Listen to this moment; if the "
        "name is said, leave it out.",
        "de": "Das klingt nach dem Wettbewerber „{term}“ aus dem Briefing. Bitte anhören; wenn der Name "
        "fällt, bitte weglassen.",
    },
}


@dataclass(frozen=True)
class MentionHit:
    """Whether one must-mention of the brief was said, shown or written, and first where."""

    mention: str
    found: bool
    start_s: float | None = None
    source: Source | None = None


@dataclass(frozen=True)
class _Hit:
    """A match before it becomes a finding, so overlapping matches can be merged first."""

    index: PassageIndex
    match: Match
    rule: str
    category: str
    severity: Severity
    explanation: str
    citations: tuple[str, ...]
    confidence: Confidence = "full"

    def overlaps(self, other: _Hit) -> bool:
        return (
            self.index is other.index
            and self.category == other.category
            and self.match.first <= other.match.last
            and other.match.first <= self.match.last
        )

    def finding(self) -> Finding:
        passage = self.index.passage
        start_s, end_s = passage.time_range(self.match.first, self.match.last)
        return Finding(
            rule=self.rule,
            category=self.category,
            severity=self.severity,
            source=passage.spans[0].source,
            start_s=start_s,
            end_s=end_s,
            evidence=passage.excerpt(self.match.first, self.match.last),
            explanation=self.explanation,
            citation="; ".join(self.citations),
            confidence=self.confidence,
        )


def check_text(
    spans: Sequence[TextSpan], *, packs: Sequence[Pack], brief: Brief, duration_s: float
) -> list[Finding]:
    """Findings from pack rules, ad disclosure and the brief over transcript, on-screen text and caption."""
    indexes = [PassageIndex(passage) for passage in passages(spans) if passage.tokens]
    hits: list[_Hit] = []
    for pack in packs:
        for rule in pack.rules:
            for index in indexes:
                matcher = rule.matchers.get(index.passage.lang)
                if matcher is None:
                    continue
                explanation = explain(rule.explanation, index.passage.lang)
                hits += [
                    _Hit(
                        index,
                        match,
                        rule.id,
                        rule.category,
                        rule.severity,
                        explanation,
                        (rule.citation,),
                        "grammar" if match.grammar else "full",
                    )
                    for match in matcher.find(index)
                ]
    hits += _brief_hits(indexes, brief)

    findings = _join_repeated_lines([hit.finding() for hit in _merge(hits)])
    if brief.disclosure_required:
        for pack in packs:
            if pack.disclosure is not None:
                findings += check_disclosure(
                    indexes, pack.disclosure, duration_s=duration_s, lang=brief.language
                )
    findings += _missing_mentions(spans, indexes, brief, duration_s)
    return sorted(findings, key=lambda f: (f.start_s, _SEVERITY_RANK[f.severity], f.category, f.rule))


def must_mention_coverage(spans: Sequence[TextSpan], brief: Brief) -> list[MentionHit]:
    """For each must-mention of the brief: found or not, and its first moment in the video.

    A mention in the video (speech or on screen) is preferred over one in the caption, which has no
    moment of its own (start 0).
    """
    indexes = [PassageIndex(passage) for passage in passages(spans) if passage.tokens]
    return _coverage(indexes, brief)


def _coverage(indexes: Sequence[PassageIndex], brief: Brief) -> list[MentionHit]:
    result = []
    for mention in brief.must_mentions:
        pattern = term_pattern(mention)
        best: tuple[int, float, Source] | None = None
        for index in indexes:
            firsts = [m.first for m in index.find(pattern)] if pattern is not None else []
            if not firsts and index.passage.source == "speech":
                # A name the recogniser wrote as other words was still said.
                firsts = [heard.first for heard in find_sounds_like(index.tokens, mention)]
            if not firsts:
                continue
            source = index.passage.spans[0].source
            start_s = index.passage.token_start_s(firsts[0])
            candidate = (int(source == "caption"), start_s, source)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
        if best is None:
            result.append(MentionHit(mention=mention, found=False))
        else:
            result.append(MentionHit(mention=mention, found=True, start_s=best[1], source=best[2]))
    return result


def _brief_hits(indexes: Sequence[PassageIndex], brief: Brief) -> list[_Hit]:
    hits = []
    for category, terms in (("banned_term", brief.banned_terms), ("competitor_mention", brief.competitors)):
        for term in terms:
            pattern = term_pattern(term, brand_name=category == "competitor_mention")
            if pattern is None:
                continue
            citation = f"{_BRIEF_CITATIONS[category]} “{term}”"
            for index in indexes:
                source = index.passage.spans[0].source
                severity: Severity = "block"
                if category == "competitor_mention" and source == "onscreen":
                    # Text read off the frame is often a product on a shelf in the background, which a
                    # reviewer should look at rather than have rejected outright.
                    severity = "warn"
                explanation = explain(_BRIEF_EXPLANATIONS[category], index.passage.lang)
                found = [
                    _Hit(index, match, f"brief.{category}", category, severity, explanation, (citation,))
                    for match in index.find(pattern)
                ]
                if source == "speech":
                    found += _possible_hits(index, term, category, citation, found)
                hits += found
    return hits


def _possible_hits(
    index: PassageIndex, term: str, category: str, citation: str, exact: list[_Hit]
) -> list[_Hit]:
    """Stretches of speech that sound like a risky term without saying it as written."""
    explanation = explain(_POSSIBLE_EXPLANATIONS[category], index.passage.lang).format(term=term)
    hits = []
    for heard in find_sounds_like(index.tokens, term):
        if any(hit.match.first <= heard.last and heard.first <= hit.match.last for hit in exact):
            continue
        match = Match(heard.first, heard.last, frozenset(range(heard.first, heard.last + 1)))
        hits.append(
            _Hit(index, match, f"brief.{category}", category, "warn", explanation, (citation,), "possible")
        )
    return hits


def _missing_mentions(
    spans: Sequence[TextSpan], indexes: Sequence[PassageIndex], brief: Brief, duration_s: float
) -> list[Finding]:
    source: Source = "speech" if any(span.source == "speech" for span in spans) else "caption"
    return [
        Finding(
            rule="brief.must_mention",
            category="must_mention_missing",
            severity="warn",
            source=source,
            start_s=0.0,
            end_s=max(duration_s, 0.0),
            evidence=hit.mention,
            explanation=explain(_BRIEF_EXPLANATIONS["must_mention_missing"], brief.language),
            citation=f"{_BRIEF_CITATIONS['must_mention_missing']} “{hit.mention}”",
        )
        for hit in _coverage(indexes, brief)
        if not hit.found
    ]


def _merge(hits: list[_Hit]) -> list[_Hit]:
    """Fold hits of one category on overlapping words into the most severe one, keeping all citations."""
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: _SEVERITY_RANK[h.severity]):
        for position, twin in enumerate(kept):
            if twin.overlaps(hit):
                if hit.citations[0] not in twin.citations:
                    kept[position] = replace(twin, citations=twin.citations + hit.citations)
                break
        else:
            kept.append(hit)
    return kept


def _join_repeated_lines(findings: list[Finding]) -> list[Finding]:
    """One finding per rule for the same on-screen words shown over consecutive time ranges."""
    joined: list[Finding] = []
    for finding in sorted(findings, key=lambda f: f.start_s):
        previous = next(
            (
                i
                for i, kept in enumerate(joined)
                if finding.source == kept.source == "onscreen"
                and finding.rule == kept.rule
                and finding.evidence.casefold() == kept.evidence.casefold()
                and finding.start_s <= kept.end_s + _ONSCREEN_GAP_S
            ),
            None,
        )
        if previous is None:
            joined.append(finding)
        else:
            joined[previous] = replace(joined[previous], end_s=max(joined[previous].end_s, finding.end_s))
    return joined
