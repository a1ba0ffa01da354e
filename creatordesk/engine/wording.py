"""A finding's explanation and evidence in any language, found again from the finding's rule id.

The pipeline writes a finding in the language of the words it was found in (or the brief's), but
the reader may read another: a German creator whose video was spoken in English. Every text the
engine writes exists in English and German; these look-ups give the reader's version of a stored
finding without re-running anything. Evidence the engine words itself (frame counts, loudness) is
written from a template per rule, so the stored English can be read back and worded again; evidence
quoted from the video is the creator's own words and stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from creatordesk.engine.rules.packs import available_packs, explain, load_packs

# Evidence the engine words itself, per rule; `{name}` fields are filled with already formatted values.
EVIDENCE: dict[str, dict[str, str]] = {
    "visual.no_human_presence": {
        "en": "no face in {frames} sampled frames",
        "de": "kein Gesicht in {frames} geprüften Bildern",
    },
    "visual.product_not_visible": {
        "en": "product seen in {share} of sampled frames",
        "de": "Produkt in {share} der geprüften Bilder zu sehen",
    },
    "format.aspect_ratio": {
        "en": "{size} ({ratio}, 9:16 is 0.5625)",
        "de": "{size} ({ratio}, 9:16 ist 0,5625)",
    },
    "format.too_short": {
        "en": "{duration} s, brief minimum {limit} s",
        "de": "{duration} s, Minimum laut Briefing {limit} s",
    },
    "format.too_long": {
        "en": "{duration} s, brief maximum {limit} s",
        "de": "{duration} s, Maximum laut Briefing {limit} s",
    },
    "format.no_audio": {"en": "no audio track", "de": "keine Tonspur"},
    "format.silent_audio": {
        "en": "integrated loudness {lufs} LUFS",
        "de": "integrierte Lautheit {lufs} LUFS",
    },
    # The details of the fit score's parts are worded the same way.
    "fit.must_mentions": {"en": "{found} of {total} mentioned", "de": "{found} von {total} erwähnt"},
    "fit.hook": {
        "en": "words in the first {text_s} s: {words}; face in the first {face_s} s: {face}",
        "de": "Worte in den ersten {text_s} s: {words}; Gesicht in den ersten {face_s} s: {face}",
    },
    "fit.pacing": {
        "en": "{cuts} cuts per 10 s (good: {low}-{high})",
        "de": "{cuts} Schnitte pro 10 s (gut: {low}-{high})",
    },
    "fit.product": {
        "en": "product in {share} of sampled frames",
        "de": "Produkt in {share} der geprüften Bilder",
    },
    "fit.format": {"en": "no format problems", "de": "keine Formatprobleme"},
}
# Single words filled into the templates above, and the names of format problems in the fit detail.
_WORDS: dict[str, dict[str, str]] = {
    "yes": {"en": "yes", "de": "ja"},
    "no": {"en": "no", "de": "nein"},
    "aspect_ratio": {"en": "not 9:16", "de": "nicht 9:16"},
    "resolution": {"en": "low resolution", "de": "geringe Auflösung"},
    "too_short": {"en": "too short", "de": "zu kurz"},
    "too_long": {"en": "too long", "de": "zu lang"},
    "no_audio": {"en": "no sound track", "de": "keine Tonspur"},
    "silent_audio": {"en": "silent", "de": "stumm"},
}
# NudeNet's labels as the nudity evidence names them ("female breast exposed (83%)").
_NUDITY_WORDS = {
    "female breast exposed": "weibliche Brust entblößt",
    "female genitalia exposed": "weibliche Genitalien entblößt",
    "male genitalia exposed": "männliche Genitalien entblößt",
    "buttocks exposed": "Gesäß entblößt",
    "anus exposed": "Anus entblößt",
}
_FIELD = re.compile(r"{(\w+)}")
# A quoted brief term at the end of a citation: `Campaign brief: competitor “Brand”`.
_QUOTED_TERM = re.compile(r"“([^”]*)”\s*$")


def evidence_text(rule: str, lang: str = "en", **values: str) -> str:
    """Evidence the engine words itself, in `lang`."""
    return explain(EVIDENCE[rule], lang).format(**values)


def evidence_in(rule: str, evidence: str, lang: str) -> str:
    """Stored evidence worded for a reader of `lang`; quoted words and unknown forms stay as stored."""
    if rule == "visual.nudity" and lang == "de":
        for english, german in _NUDITY_WORDS.items():
            evidence = evidence.replace(english, german)
        return evidence
    texts = EVIDENCE.get(rule)
    if not texts or lang not in texts:
        return evidence
    for stored_lang, template in texts.items():
        found = _template_pattern(template).fullmatch(evidence)
        if found is not None:
            values = _localised_numbers(found.groupdict(), stored_lang, lang)
            return texts[lang].format(**{key: _word(value, lang) for key, value in values.items()})
    if rule == "fit.format":
        # A list of problem names ("aspect_ratio, no_audio").
        return ", ".join(_word(name, lang) for name in evidence.split(", "))
    return evidence


def fit_detail_in(part: str, detail: str, lang: str) -> str:
    """The detail of one part of a stored fit score, worded for a reader of `lang`."""
    return evidence_in(f"fit.{part}", detail, lang)


def _word(value: str, lang: str) -> str:
    for wording in _WORDS.values():
        if value in wording.values():
            return wording.get(lang, value)
    named = _WORDS.get(value)
    return named.get(lang, value) if named else value


def explanation_in(rule: str, lang: str, *, citation: str = "", confidence: str = "full") -> str | None:
    """The explanation of `rule` in `lang`, or None for a rule no shipped text knows (a custom pack)."""
    if rule.startswith("brief."):
        return _brief_explanation(rule.removeprefix("brief."), lang, citation, confidence)
    texts = _shipped_texts().get(rule)
    return explain(texts, lang) if texts else None


def _brief_explanation(category: str, lang: str, citation: str, confidence: str) -> str | None:
    from creatordesk.engine.rules.check import _BRIEF_EXPLANATIONS, _POSSIBLE_EXPLANATIONS

    if category == "must_mention":
        category = "must_mention_missing"
    if confidence == "possible" and category in _POSSIBLE_EXPLANATIONS:
        term = _QUOTED_TERM.search(citation)
        return explain(_POSSIBLE_EXPLANATIONS[category], lang).format(term=term.group(1) if term else "")
    texts = _BRIEF_EXPLANATIONS.get(category)
    return explain(texts, lang) if texts else None


@lru_cache(maxsize=1)
def _shipped_texts() -> dict[str, Mapping[str, str]]:
    """Explanations by rule id of every shipped pack, its ad-disclosure check and the built-in steps."""
    from creatordesk.engine.steps.format import _TEXTS as FORMAT_TEXTS
    from creatordesk.engine.steps.visual import _TEXTS as VISUAL_TEXTS

    texts: dict[str, Mapping[str, str]] = {}
    for pack in load_packs(available_packs()):
        texts.update((rule.id, rule.explanation) for rule in pack.rules)
        if pack.disclosure is not None:
            for message, wording in pack.disclosure.explanation.items():
                texts[f"{pack.disclosure.id}.{message}"] = wording
    texts.update((f"visual.{key}", wording) for key, wording in VISUAL_TEXTS.items())
    texts.update((f"format.{key}", wording) for key, wording in FORMAT_TEXTS.items())
    return texts


@lru_cache(maxsize=64)
def _template_pattern(template: str) -> re.Pattern[str]:
    parts = _FIELD.split(template)
    # split() alternates literal text and field names.
    return re.compile(
        "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    )


def _localised_numbers(values: dict[str, str], source: str, target: str) -> dict[str, str]:
    """Decimal points become commas for German readers ("3.5 s" → "3,5 s") and back for English ones."""
    if source == target:
        return values
    mark, other = (".", ",") if target == "de" else (",", ".")
    return {key: re.sub(rf"(?<=\d){re.escape(mark)}(?=\d)", other, value) for key, value in values.items()}
