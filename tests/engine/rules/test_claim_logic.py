"""Claim logic: an effect on a health target, raised by a promise, caught in wording no rule lists.

A health claim is an effect (heal, treat, prevent, remove, "weg") on an illness or a complaint
("Hautprobleme", "breakouts", "Beschwerden"). Milder effects a cosmetic may claim ("gegen
Unreinheiten") become a claim only with a promise ("in 5 Tagen", "garantiert", "für immer").
Authorised EU wording, softened cosmetic wording and negations stay clean.
"""

from __future__ import annotations

import pytest

from creatordesk.engine.rules import Pack

from .conftest import caption, categories, findings_of


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hautprobleme für immer weg", "de"),
        ("Meine Beschwerden sind seit dem Tee komplett verschwunden", "de"),
        ("Werde deine Hautprobleme endlich los", "de"),
        ("Schützt vor Pickeln und Hautirritationen", "de"),
        ("Skin problems gone for good", "en"),
        ("Say goodbye to breakouts forever", "en"),
        ("This balm prevents breakouts before they start", "en"),
        ("My symptoms disappeared within days", "en"),
    ],
)
def test_medical_effect_on_a_complaint_without_a_named_illness_is_a_medical_claim(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert categories([caption(text, lang)], packs) == {"medical_claim"}


@pytest.mark.parametrize(
    ("claim", "cosmetic", "lang"),
    [
        ("Das Serum bekämpft Unreinheiten in nur 5 Tagen", "Das Serum bekämpft Unreinheiten", "de"),
        ("Hilft garantiert gegen Pickel", "Hilft gegen Pickel", "de"),
        ("Reduces breakouts in 3 days", "Reduces breakouts", "en"),
    ],
)
def test_a_promise_raises_a_mild_cosmetic_effect_to_a_claim(
    packs: list[Pack], claim: str, cosmetic: str, lang: str
) -> None:
    assert "medical_claim" in categories([caption(claim, lang)], packs)
    assert categories([caption(cosmetic, lang)], packs) == set()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Seit ich die Tropfen nehme, bleiben Erkältungen aus", "de"),
        ("Hautprobleme lösen sich in Luft auf", "de"),
        ("Die Salbe lässt Ekzeme abheilen", "de"),
        ("Heilt rissige Hände über Nacht", "de"),
        ("Heals sunburn fast", "en"),
    ],
)
def test_separable_and_idiomatic_effects_and_healed_body_parts_are_medical_claims(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert "medical_claim" in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(("text", "lang"), [("Heilt in 3 Tagen", "de"), ("Heals in 3 days", "en")])
def test_healing_promise_needs_no_target_when_a_deadline_raises_it(
    packs: list[Pack], text: str, lang: str
) -> None:
    [finding] = findings_of("medical_claim", [caption(text, lang)], packs)
    assert finding.severity == "block"


def test_permanent_result_on_a_complaint_is_reported_as_medical_not_as_exaggerated(packs: list[Pack]) -> None:
    assert categories([caption("Hautprobleme für immer weg")], packs) == {"medical_claim"}
    assert categories([caption("Falten verschwinden für immer")], packs) == {"absolute_claim"}


@pytest.mark.parametrize(
    "text",
    [
        "Das Wundermittel gegen Pickel",
        "Ein echter Wunderheiler für gereizte Haut",
        "A miracle cure for itchy skin",
    ],
)
def test_miracle_remedy_words_are_a_healing_promise(packs: list[Pack], text: str) -> None:
    lang = "en" if text.startswith("A ") else "de"
    [finding] = findings_of("medical_claim", [caption(text, lang)], packs)
    assert "HWG" in finding.citation or "TikTok" in finding.citation


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Die Wundercreme für jeden Hauttyp", "de", {"absolute_claim"}),
        ("This miracle serum changed my life", "en", {"absolute_claim"}),
        ("Die Wunderwaffe gegen Pickel", "de", {"medical_claim"}),
        ("This miracle balm heals everything", "en", {"medical_claim"}),
        ("Die Wundertüte mit Proben ist angekommen", "de", set()),
    ],
)
def test_a_miracle_is_exaggerated_on_looks_and_a_healing_promise_on_complaints(
    packs: list[Pack], text: str, lang: str, expected: set[str]
) -> None:
    assert categories([caption(text, lang)], packs) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Bringt dein Immunsystem auf Hochtouren", "de"),
        ("Für ein starkes Immunsystem in der Erkältungszeit", "de"),
        ("Pusht die Abwehrkräfte", "de"),
        ("Supercharges your immune defenses", "en"),
    ],
)
def test_immune_claim_in_unauthorised_wording_cites_the_health_claims_regulation(
    packs: list[Pack], text: str, lang: str
) -> None:
    [finding] = findings_of("medical_claim", [caption(text, lang)], packs)
    assert "1924/2006" in finding.citation


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Zink trägt zu einer normalen Funktion des Immunsystems bei", "de"),
        ("Zink trägt zu einer normalen Funktion\ndes Immunsystems bei", "de"),
        ("Vitamin C contributes to the normal function of the immune system", "en"),
    ],
)
def test_authorised_immune_wording_stays_clean_even_when_wrapped(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert categories([caption(text, lang)], packs) == set()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Sichtbar weniger Unreinheiten nach 4 Wochen", "de"),
        ("Mildert das Erscheinungsbild\nvon Pickelmalen", "de"),
        ("Für Haut, die zu Unreinheiten neigt", "de"),
        ("Gegen Unreinheiten: mein liebstes Zinkserum", "de"),
        ("Der Concealer deckt Pickel sofort ab", "de"),
        ("Reduces the look of blemishes", "en"),
        ("Made for blemish-prone skin", "en"),
        ("Hides blemishes instantly and washes off at night", "en"),
    ],
)
def test_softened_and_make_up_wording_on_a_complaint_stays_clean(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert categories([caption(text, lang)], packs) == set()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Das Serum ist kein Wundermittel, aber ich mag es", "de"),
        ("Ich habe keine Hautprobleme, ich mag einfach den Duft", "de"),
        ("It's not a cure for acne, just a nice toner", "en"),
    ],
)
def test_negated_or_denied_complaint_stays_clean(packs: list[Pack], text: str, lang: str) -> None:
    assert categories([caption(text, lang)], packs) == set()


# Absolute, rank and proof claims


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Die Nr. 1 in Deutschland", "de"),
        ("Testsieger bei den Seren", "de"),
        ("Die einzige Creme, die wirklich wirkt", "de"),
        ("Das wirksamste Serum der Welt", "de"),
        ("The #1 serum in America", "en"),
        ("The only cream that actually works", "en"),
        ("Nachweislich weniger Falten in 14 Tagen", "de"),
        ("Proven to work in 7 days", "en"),
    ],
)
def test_rank_absolute_and_proof_claims_are_flagged(packs: list[Pack], text: str, lang: str) -> None:
    assert categories([caption(text, lang)], packs) == {"absolute_claim"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Schritt Nummer 1: gründlich reinigen", "de"),
        ("Mein Favorit Nummer eins für den Sommer", "de"),
        ("Das ist die einzige Creme, die ich auf Reisen mitnehme", "de"),
        ("Dermatologisch getestet und gut verträglich", "de"),
        ("My number one tip for dry skin", "en"),
        ("The only downside is the smell", "en"),
    ],
)
def test_ordinals_personal_favourites_and_tested_claims_stay_clean(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert categories([caption(text, lang)], packs) == set()
