"""The brand's own rules: banned terms, competitors and must-mentions."""

from __future__ import annotations

from creatordesk.engine.rules import MentionHit, Pack, must_mention_coverage
from creatordesk.engine.rules.brief_terms import times_said, written_where_heard
from creatordesk.engine.types import Brief

from .conftest import caption, categories, findings_of, onscreen, speech

BRIEF = Brief(
    banned_terms=("billig", "Anti-Aging"),
    competitors=("CeraVe", "The Ordinary", "Nivea"),
    must_mentions=("Hyaluron", "24h Pflege", "Lumiva"),
    disclosure_required=False,
)


def test_banned_term_is_found_in_inflected_and_compound_forms(packs: list[Pack]) -> None:
    for text in ("Sieht nicht billig aus", "Die billige Verpackung", "Spottbillig!", "Mein Antiaging-Serum"):
        assert "banned_term" in categories([caption(text)], packs, BRIEF), text


def test_banned_term_finding_names_the_term_and_blocks(packs: list[Pack]) -> None:
    [finding] = findings_of("banned_term", [caption("Mein neues Anti-Aging-Serum")], packs, BRIEF)
    assert finding.severity == "block"
    assert "Anti-Aging" in finding.citation
    assert finding.evidence == "Anti-Aging"


def test_competitor_is_found_in_speech_hashtags_and_compounds(packs: list[Pack]) -> None:
    assert "competitor_mention" in categories([speech(0, 3, "Ich hab vorher CeraVe benutzt")], packs, BRIEF)
    assert "competitor_mention" in categories([caption("#cerave #theordinary")], packs, BRIEF)
    assert "competitor_mention" in categories([caption("Meine alte Niveacreme")], packs, BRIEF)


def test_competitor_that_is_also_a_dictionary_word_needs_its_capital(packs: list[Pack]) -> None:
    assert "competitor_mention" in categories([caption("The Ordinary serum", "en")], packs, BRIEF)
    assert "competitor_mention" not in categories(
        [caption("Nothing out of the ordinary", "en")], packs, BRIEF
    )


def test_word_that_only_starts_like_a_competitor_is_not_a_mention(packs: list[Pack]) -> None:
    assert "competitor_mention" not in categories([caption("Das Niveau ist top")], packs, BRIEF)


def test_competitor_read_from_the_frame_is_a_warning_not_a_block(packs: list[Pack]) -> None:
    [finding] = findings_of("competitor_mention", [onscreen(3, 5, "NIVEA")], packs, BRIEF)
    assert finding.severity == "warn"


def test_must_mention_coverage_reports_first_moment_and_source(packs: list[Pack]) -> None:
    spans = [speech(5.0, 9.0, "Mit ganz viel Hyaluron für 24h Pflege."), onscreen(1.0, 3.0, "HYALURONSERUM")]
    hits = must_mention_coverage(spans, BRIEF)
    assert hits[0] == MentionHit("Hyaluron", True, 1.0, "onscreen")
    assert hits[1].found and hits[1].source == "speech" and 5.0 < (hits[1].start_s or 0) < 9.0
    assert hits[2] == MentionHit("Lumiva", False, None, None)


def test_caption_mention_counts_but_a_moment_in_the_video_is_preferred(packs: list[Pack]) -> None:
    brief = Brief(must_mentions=("Lumiva",))
    assert must_mention_coverage([caption("Danke Lumiva")], brief) == [
        MentionHit("Lumiva", True, 0.0, "caption")
    ]
    both = must_mention_coverage([caption("Danke Lumiva"), speech(8.0, 9.0, "Lumiva")], brief)
    assert both[0].source == "speech"


def test_missing_must_mention_spans_the_whole_video_on_speech(packs: list[Pack]) -> None:
    missing = findings_of("must_mention_missing", [speech(0, 4, "Mit Hyaluron und Lumiva")], packs, BRIEF)
    assert [(f.evidence, f.source, f.start_s, f.end_s) for f in missing] == [
        ("24h Pflege", "speech", 0.0, 30.0)
    ]


def test_missing_must_mention_falls_back_to_the_caption_without_speech(packs: list[Pack]) -> None:
    brief = Brief(must_mentions=("Lumiva",), disclosure_required=False)
    [finding] = findings_of("must_mention_missing", [caption("Meine Routine")], packs, brief)
    assert finding.source == "caption"


def test_a_misheard_brand_name_is_written_as_the_brief_spells_it_and_nothing_else_changes() -> None:
    plain = "I switched from CERA V to the Serum last month."
    assert written_where_heard(plain, "CeraVe") == "I switched from CeraVe to the Serum last month."
    assert times_said("I switched from CeraVe to the CeraVe to the CeraVe last month.", "CeraVe") == 3
    assert times_said(plain, "CeraVe") == 0
    assert written_where_heard("Nothing like it here.", "CeraVe") == "Nothing like it here."
