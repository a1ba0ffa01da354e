"""German grammar and text layout in the matcher: what a reviewer sees when wording is not textbook.

Separable verbs, compounds written apart, phrases wrapped over two lines, negations that belong to
another predicate, questions that still promise. Each case comes with the look-alike that must stay
clean, and with the confidence a finding found through grammar carries.
"""

from __future__ import annotations

import pytest

from creatordesk.engine.rules import Pack
from creatordesk.engine.rules.matcher import Match, PassageIndex, parse_pattern
from creatordesk.engine.rules.text import passages, tokenize
from creatordesk.engine.types import TextSpan

from .conftest import caption, categories, findings_of, onscreen


def _matches(pattern: object, text: str, lang: str = "de") -> list[Match]:
    [passage] = passages([caption(text, lang)])
    return PassageIndex(passage).find(parse_pattern(pattern))


# Separable verbs


@pytest.mark.parametrize(
    ("text", "lemma"),
    [
        ("Das Serum beugt Pickeln und Falten vor", "vorbeugen"),
        ("Das hält Erkältungen fern", "fernhalten"),
        ("Du nimmst damit 3 Kilo ab", "abnehmen"),
        ("Werde deine Hautprobleme endlich los", "loswerden"),
        ("Beugt Haarausfall vor und pflegt die Kopfhaut", "vorbeugen"),
    ],
)
def test_separable_verb_is_found_under_its_full_lemma(text: str, lemma: str) -> None:
    [match] = _matches(lemma, text)
    assert match.grammar


def test_separable_verb_evidence_runs_to_the_particle(packs: list[Pack]) -> None:
    [finding] = findings_of("medical_claim", [caption("Das Serum beugt Pickeln und Falten vor")], packs)
    assert finding.evidence == "beugt Pickeln und Falten vor"
    assert finding.confidence == "grammar"


@pytest.mark.parametrize(
    "text",
    [
        "Der Ingwertee hält Erkältungen fern",
        "Die Kapseln beugen Erkältungen im Winter vor",
        "Wehrt Infekte ab",
    ],
)
def test_prevention_with_a_separated_particle_is_a_medical_claim(packs: list[Pack], text: str) -> None:
    assert "medical_claim" in categories([caption(text)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Beuge Pickeln vor!", "de"),
        ("Halte Erkältungen fern – mit nur einem Shot am Tag", "de"),
        ("Sag deinen Hautproblemen Tschüss", "de"),
        ("Verabschiede dich von Pickeln", "de"),
        ("Say goodbye to breakouts", "en"),
    ],
)
def test_imperative_still_promises(packs: list[Pack], text: str, lang: str) -> None:
    assert "medical_claim" in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    "text",
    [
        "Ich beuge mich vor, um im Spiegel alles zu sehen",
        "Halte die Flasche von Kindern fern",
        "Nimm die Kappe ab und trag das Serum auf",
    ],
)
def test_separable_verb_without_a_health_target_stays_clean(packs: list[Pack], text: str) -> None:
    assert categories([caption(text)], packs) == set()


def test_particle_that_is_not_at_the_end_of_its_clause_joins_nothing() -> None:
    assert _matches("vorbeugen", "Ich beuge vor dem Spiegel den Kopf") == []


# Compounds


@pytest.mark.parametrize("text", ["Haarausfall gestoppt", "Haar-ausfall gestoppt", "Haar ausfall gestoppt"])
def test_compound_matches_written_together_with_a_hyphen_or_apart(text: str) -> None:
    [match] = _matches("haarausfall", text)
    assert match.grammar == (text != "Haarausfall gestoppt")


def test_compound_written_apart_is_quoted_with_both_words(packs: list[Pack]) -> None:
    [finding] = findings_of("medical_claim", [caption("Stoppt Haar ausfall ganz natürlich")], packs)
    assert finding.evidence == "Stoppt Haar ausfall"
    assert finding.confidence == "grammar"


def test_unknown_german_compound_is_split_into_its_parts() -> None:
    [match] = _matches("hautproblem", "Endlich keine Hautproblemen-Sorgen")
    assert match.grammar
    [plain] = _matches("hautproblem*", "Endlich keine Hautproblemen-Sorgen")
    assert not plain.grammar


def test_function_words_are_never_joined_into_a_compound() -> None:
    assert _matches("dasserum", "Das Serum ist leer") == []


# Line breaks


def test_phrase_wrapped_over_two_caption_lines_is_still_one_sentence(packs: list[Pack]) -> None:
    [finding] = findings_of("medical_claim", [caption("Dieses Serum beugt Pickeln\nvor")], packs)
    assert finding.evidence == "beugt Pickeln vor"
    assert finding.confidence == "grammar"


def test_phrase_on_one_line_of_a_multi_line_caption_is_a_full_match(packs: list[Pack]) -> None:
    [finding] = findings_of("medical_claim", [caption("Vegan\nOhne Duftstoffe\nHeilt Neurodermitis")], packs)
    assert finding.evidence == "Heilt Neurodermitis"
    assert finding.confidence == "full"


def test_blank_line_ends_the_sentence(packs: list[Pack]) -> None:
    text = "Meine Akne-Geschichte\n\nHeute ist die Tube leer und weg"
    assert "medical_claim" not in categories([caption(text)], packs)


def test_line_of_hashtags_is_not_part_of_the_next_sentence(packs: list[Pack]) -> None:
    assert categories([caption("#akne #skincare\nMeine Tube ist leider schon weg")], packs) == set()


def test_lines_of_a_list_keep_their_negations_to_themselves(packs: list[Pack]) -> None:
    assert "medical_claim" in categories([caption("Keine Tierversuche\nHeilt Akne")], packs)
    assert categories([caption("Kein Parfum\nKeine Silikone\nPflegt trockene Haut")], packs) == set()


def test_line_opening_with_a_capitalised_verb_starts_a_new_sentence(packs: list[Pack]) -> None:
    text = "Mildert sichtbar das Erscheinungsbild von Pickelmalen\nHeilt Akne in 3 Tagen"
    [finding] = findings_of("medical_claim", [caption(text)], packs)
    assert finding.evidence.startswith("Heilt Akne")


def test_title_case_and_all_caps_lines_are_read_as_wrapped(packs: list[Pack]) -> None:
    assert "medical_claim" in categories([caption("Say Goodbye\nTo Breakouts Forever", "en")], packs)
    assert categories([caption("HAUTPROBLEME\nFÜR IMMER WEG")], packs) == {"medical_claim"}


def test_negation_ending_a_line_reaches_the_wrapped_words_after_it(packs: list[Pack]) -> None:
    assert categories([caption("Das Serum kann keine\nNeurodermitis heilen")], packs) == set()


def test_stickers_of_one_group_are_read_as_one_sentence(packs: list[Pack]) -> None:
    first = TextSpan(1.0, 3.0, "Dieses Serum beugt Pickeln", "onscreen", "de", group=1)
    second = TextSpan(3.0, 5.0, "vor", "onscreen", "de", group=1)
    [finding] = findings_of("medical_claim", [first, second], packs)
    assert (finding.start_s, finding.end_s) == (1.0, 5.0)
    assert finding.evidence == "beugt Pickeln vor"
    assert finding.confidence == "grammar"


def test_claim_split_across_transcript_segments_needs_no_grammar(packs: list[Pack]) -> None:
    spans = [
        TextSpan(4.0, 8.0, "Ehrlich, das Zeug hat meine Neurodermitis", "speech", "de"),
        TextSpan(8.0, 10.0, "komplett geheilt.", "speech", "de"),
    ]
    [finding] = findings_of("medical_claim", spans, packs)
    assert finding.confidence == "full"


def test_stickers_without_a_group_stay_apart(packs: list[Pack]) -> None:
    spans = [onscreen(1.0, 3.0, "Dieses Serum beugt Pickeln"), onscreen(3.0, 5.0, "vor")]
    assert findings_of("medical_claim", spans, packs) == []


# Negation scope


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Enthält keine Duftstoffe und heilt Ekzeme", "de"),
        ("No parabens and it heals eczema", "en"),
    ],
)
def test_negation_of_another_predicate_does_not_excuse_the_claim(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert "medical_claim" in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Das Serum heilt keine Hautprobleme, es pflegt nur", "de"),
        ("Heilt keine Akne und keine Ekzeme", "de"),
        ("Meine Pickel sind nicht weg, aber weniger rot", "de"),
        ("I can't promise it clears breakouts, it's just nice", "en"),
    ],
)
def test_negated_claim_stays_clean(packs: list[Pack], text: str, lang: str) -> None:
    assert "medical_claim" not in categories([caption(text, lang)], packs)


# Questions


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Nie wieder Pickel?", "de"),
        ("Hautprobleme? Nie wieder!", "de"),
        ("Hautprobleme?\nNie wieder!", "de"),
        ("Pickel? Weg in 7 Tagen", "de"),
        ("Meine Rückenschmerzen? Kein Thema mehr", "de"),
    ],
)
def test_question_still_promises(packs: list[Pack], text: str, lang: str) -> None:
    assert "medical_claim" in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Heilt es Pickel? Nein, aber die Haut wirkt ruhiger", "de"),
        ("Does it cure acne? No, but it's gentle", "en"),
        ("Akne weg? Nein, leider nicht.", "de"),
    ],
)
def test_question_answered_no_promises_nothing(packs: list[Pack], text: str, lang: str) -> None:
    assert "medical_claim" not in categories([caption(text, lang)], packs)


# Abbreviations and prices


def test_full_stop_of_an_abbreviation_does_not_end_the_sentence() -> None:
    tokens = tokenize([caption("Die Nr. 1 in Deutschland, z. B. bei Akne")], "de")
    assert len({token.sentence for token in tokens}) == 1


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("statt 49,99 € nur 19,99 €", ["49,99", "19,99"]),
        ("statt 49 99 nur 19 99", ["49", "99", "19", "99"]),
        ("Was $49, now $19", ["49", "19"]),
        ("Mit 2 % Salicylsäure und 30 ml", []),
    ],
)
def test_numbers_are_read_as_prices_only_when_they_look_like_one(text: str, prices: list[str]) -> None:
    tokens = tokenize([caption(text)], "de")
    assert [token.surface for token in tokens if token.price] == prices


def test_whole_sentence_pattern_needs_the_sentence_to_say_nothing_else() -> None:
    assert _matches({"match": "nur heute", "alone": True}, "NUR HEUTE!")
    assert _matches({"match": "nur heute", "alone": True}, "Nur heute Abend teste ich das Peeling") == []
