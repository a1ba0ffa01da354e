"""Pack rules over real sentences: inflection, word order, compounds, exceptions and negation."""

from __future__ import annotations

import pytest

from creatordesk.engine.rules import Pack

from .conftest import caption, categories, findings_of, onscreen, speech


@pytest.mark.parametrize(
    "text",
    [
        "Die Creme heilt Neurodermitis",
        "Meine Neurodermitis wurde geheilt",
        "Damit könnt ihr Neurodermitis heilen",
        "Ein echtes Heilmittel gegen Neurodermitis",
    ],
)
def test_inflected_german_healing_claim_is_flagged(packs: list[Pack], text: str) -> None:
    assert "medical_claim" in categories([caption(text)], packs)


@pytest.mark.parametrize(
    "text", ["Akne verschwindet nach einer Woche", "Nach einer Woche verschwindet die Akne"]
)
def test_disease_claim_is_found_in_either_word_order(packs: list[Pack], text: str) -> None:
    assert "medical_claim" in categories([caption(text)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Das Serum heilt nicht, es pflegt nur", "de"),
        ("Die Creme heilt Akne leider nicht", "de"),
        ("Das ist kein Heilmittel gegen Akne", "de"),
        ("Die Pflege kann keine Neurodermitis heilen", "de"),
        ("This balm does not cure eczema", "en"),
        ("It won't heal your acne, it just feels nice", "en"),
        ("Ich kann nicht versprechen, dass es eure Akne heilt", "de"),
    ],
)
def test_negated_healing_claim_is_not_flagged(packs: list[Pack], text: str, lang: str) -> None:
    assert "medical_claim" not in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Heilt nicht nur Akne, sondern auch Ekzeme", "de"),
        ("Ich habe keine Akne mehr", "de"),
        ("No more eczema since I switched", "en"),
        ("Das ist kein Medikament, aber es heilt Akne", "de"),
    ],
)
def test_negation_words_that_sharpen_a_claim_do_not_excuse_it(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert "medical_claim" in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Vitamin C trägt zu einer normalen Funktion des Immunsystems bei", "de"),
        ("Vitamin D contributes to the normal function of the immune system", "en"),
        ("Zink trägt zum Schutz der Zellen vor oxidativem Stress bei", "de"),
    ],
)
def test_authorised_eu_health_claim_wording_is_not_flagged(packs: list[Pack], text: str, lang: str) -> None:
    assert categories([caption(text, lang)], packs) == set()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Stärkt dein Immunsystem im Winter", "de"),
        ("Boosts your immune system", "en"),
        ("Mein Detox-Tee", "de"),
    ],
)
def test_unauthorised_health_claim_is_flagged(packs: list[Pack], text: str, lang: str) -> None:
    assert "medical_claim" in categories([caption(text, lang)], packs)


def test_permanent_wrinkle_removal_is_an_absolute_claim(packs: list[Pack]) -> None:
    assert "absolute_claim" in categories([caption("Entfernt Falten dauerhaft")], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Mildert das Erscheinungsbild von Falten", "de"),
        ("Falten werden sichtbar reduziert", "de"),
        ("Helps reduce the look of fine lines", "en"),
    ],
)
def test_softened_cosmetic_claim_is_not_flagged(packs: list[Pack], text: str, lang: str) -> None:
    assert categories([caption(text, lang)], packs) == set()


@pytest.mark.parametrize(
    "text", ["Das Abnehmwunder des Jahres", "Kurbelt die Fettverbrennung an", "Ein Schlankheitsmittel"]
)
def test_german_weight_loss_compounds_are_flagged(packs: list[Pack], text: str) -> None:
    assert "weight_claim" in categories([caption(text)], packs)


def test_separable_german_verb_is_matched_across_the_sentence(packs: list[Pack]) -> None:
    assert "weight_claim" in categories([caption("Du nimmst damit 3 Kilo pro Woche ab")], packs)
    assert "weight_claim" not in categories([caption("Nimm den Deckel ab und schüttel die Flasche")], packs)


@pytest.mark.parametrize(
    ("text", "lang", "category"),
    [
        ("100% garantiert, wirkt sofort", "de", "absolute_claim"),
        ("Die beste Creme der Welt", "de", "absolute_claim"),
        ("Nur heute 50% Rabatt", "de", "price_claim"),
        ("Last chance to get it at this price", "en", "price_claim"),
        ("Way better than Drunk Elephant", "en", "comparison"),
        ("Der perfekte Dupe von Glossier", "de", "comparison"),
        ("Link in bio for the full set", "en", "off_platform"),
        ("Schreib mir auf WhatsApp für den Code", "de", "off_platform"),
        ("Bestellt über www.meinshop.de", "de", "off_platform"),
        ("Comment 'glow' to win a free iPhone", "en", "false_reward"),
        ("Mein neuer Vape mit Erdbeergeschmack", "de", "prohibited_product"),
        ("Replica designer bags", "en", "prohibited_product"),
        ("Scheiße, ist das gut", "de", "profanity"),
        ("This is fucking amazing", "en", "profanity"),
    ],
)
def test_each_tiktok_shop_category_fires_on_a_typical_sentence(
    packs: list[Pack], text: str, lang: str, category: str
) -> None:
    assert category in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Nur heute Abend teste ich das neue Peeling", "de"),
        ("Besser als erwartet, ehrlich gesagt", "de"),
        ("Better than I expected", "en"),
        ("Tippt auf den orangenen Warenkorb", "de"),
        ("Mein Bio-Shampoo riecht nach Kokos", "de"),
        ("Treat yourself to a spa day", "en"),
        ("Ich schneide das Obst mit dem Küchenmesser", "de"),
        ("Massage gun for sore muscles", "en"),
        ("Shiitake mushroom extract in this mask", "en"),
        ("Meine dicken Haare lieben dieses Öl", "de"),
        ("Follow for more skincare tips", "en"),
        ("Mein bester Freund hat es mir empfohlen", "de"),
    ],
)
def test_everyday_look_alikes_produce_no_finding(packs: list[Pack], text: str, lang: str) -> None:
    assert categories([caption(text, lang)], packs) == set()


def test_profanity_is_flagged_even_when_negated(packs: list[Pack]) -> None:
    assert "profanity" in categories([caption("Das ist nicht scheiße")], packs)


def test_speech_finding_is_narrowed_to_the_matching_words(packs: list[Pack]) -> None:
    span = speech(10.0, 20.0, "Also ich sag euch ehrlich, dieses Serum heilt Akne wirklich komplett.")
    [finding] = findings_of("medical_claim", [span], packs)
    assert finding.evidence == "heilt Akne"
    assert 10.0 < finding.start_s < finding.end_s < 20.0
    assert finding.end_s - finding.start_s < 3.0


def test_claim_split_across_two_transcript_segments_is_found(packs: list[Pack]) -> None:
    spans = [
        speech(4.0, 8.0, "Ehrlich, das Zeug hat meine Neurodermitis"),
        speech(8.0, 10.0, "komplett geheilt."),
    ]
    [finding] = findings_of("medical_claim", spans, packs)
    assert finding.evidence == "Neurodermitis komplett geheilt"
    assert 4.0 < finding.start_s < 8.0 < finding.end_s <= 10.0


def test_transcript_segments_after_a_long_pause_are_not_joined(packs: list[Pack]) -> None:
    spans = [speech(0.0, 2.0, "Meine Akne"), speech(9.0, 11.0, "ist weg, sagt mein Freund über seine Brille")]
    assert findings_of("medical_claim", spans, packs) == []


def test_onscreen_finding_keeps_the_whole_time_range_of_the_line(packs: list[Pack]) -> None:
    [finding] = findings_of("price_claim", [onscreen(2.0, 6.5, "NUR HEUTE -50%")], packs)
    assert (finding.source, finding.start_s, finding.end_s) == ("onscreen", 2.0, 6.5)


def test_same_words_flagged_by_two_packs_become_one_finding_with_both_citations(packs: list[Pack]) -> None:
    [finding] = findings_of("medical_claim", [caption("Dieses Serum heilt Neurodermitis")], packs)
    assert "TikTok Shop" in finding.citation
    assert "HWG" in finding.citation
    assert finding.severity == "block"


def test_explanation_follows_the_language_of_the_span(packs: list[Pack]) -> None:
    [german] = findings_of("price_claim", [caption("Nur heute 50% Rabatt")], packs)
    [english] = findings_of("price_claim", [caption("Only today: 50% off", "en")], packs)
    assert "Zeitdruck" in german.explanation
    assert "Urgency" in english.explanation


def test_span_in_an_unsupported_language_is_skipped_without_error(packs: list[Pack]) -> None:
    assert categories([caption("Ce sérum guérit l'acné", "fr")], packs) == set()


def test_same_overlay_read_from_consecutive_frames_is_one_finding(packs: list[Pack]) -> None:
    lines = [
        onscreen(2.0, 3.0, "NUR HEUTE -50%"),
        onscreen(3.0, 4.0, "Nur heute -50%"),
        onscreen(20, 21, "NUR HEUTE -50%"),
    ]
    found = findings_of("price_claim", lines, packs)
    assert [(f.start_s, f.end_s) for f in found] == [(2.0, 4.0), (20.0, 21.0)]
