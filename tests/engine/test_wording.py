"""Every text the engine writes can be read in German and in English, whatever it was stored in."""

from __future__ import annotations

import pytest

from creatordesk.engine import wording
from creatordesk.engine.rules.packs import available_packs, load_packs


@pytest.mark.parametrize("pack", available_packs())
def test_every_rule_of_a_shipped_pack_explains_itself_in_the_readers_language(pack: str) -> None:
    (loaded,) = load_packs([pack])
    for rule in loaded.rules:
        assert rule.explanation["de"] != rule.explanation["en"], rule.id
        for lang in ("de", "en"):
            assert wording.explanation_in(rule.id, lang) == rule.explanation[lang], rule.id


def test_evidence_the_engine_words_itself_reads_back_in_the_other_language() -> None:
    for rule, texts in wording.EVIDENCE.items():
        fields = {name: "7.5" for name in wording._FIELD.findall(texts["en"])}
        stored = wording.evidence_text(rule, **fields)
        german = wording.evidence_in(rule, stored, "de")
        assert german == texts["de"].format(**{name: "7,5" for name in fields}), rule
        assert wording.evidence_in(rule, german, "en") == stored, rule


def test_quoted_words_and_unknown_rules_keep_their_evidence() -> None:
    assert wording.evidence_in("tts.medical.disease_claim", "cures acne in 3.5 days", "de") == (
        "cures acne in 3.5 days"
    )
    assert wording.explanation_in("custom.rule", "de") is None


def test_a_possible_brief_match_names_the_term_in_the_readers_language() -> None:
    text = wording.explanation_in(
        "brief.competitor_mention", "de", citation="Campaign brief: competitor “Glowy”", confidence="possible"
    )
    assert text is not None and "„Glowy“" in text and "Wettbewerber" in text


def test_the_video_fit_details_read_in_german() -> None:
    assert wording.fit_detail_in("hook", "words in the first 3 s: yes; face in the first 2 s: no", "de") == (
        "Worte in den ersten 3 s: ja; Gesicht in den ersten 2 s: nein"
    )
    assert wording.fit_detail_in("format", "aspect_ratio, no_audio", "de") == "nicht 9:16, keine Tonspur"
    assert wording.fit_detail_in("format", "aspect_ratio", "en") == "not 9:16"
