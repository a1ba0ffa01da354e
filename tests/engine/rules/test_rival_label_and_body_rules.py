"""Comparisons with a rival in either order, weak or hidden ad labels, and body-function claims."""

from __future__ import annotations

import pytest

from creatordesk.engine.rules import Pack, check_text
from creatordesk.engine.rules.matcher import PassageIndex, PatternError, parse_pattern
from creatordesk.engine.rules.text import passages
from creatordesk.engine.types import Brief, Finding, TextSpan

from .conftest import caption, categories, findings_of, onscreen

PAID = Brief(disclosure_required=True, language="de")


def disclosure(spans: list[TextSpan], packs: list[Pack]) -> list[Finding]:
    found = check_text(spans, packs=packs, brief=PAID, duration_s=30.0)
    return [f for f in found if f.category in ("disclosure_missing", "disclosure_weak")]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Olaplex kommt da nicht mal ansatzweise ran", "de"),
        ("Balea kann da echt nicht mithalten", "de"),
        ("Ich bin komplett von Balea auf das hier umgestiegen", "de"),
        ("Wer kauft denn bitte noch Garnier, wenn es das hier gibt?", "de"),
        ("Hochwertiger als die teuren Seren aus der Werbung", "de"),
        ("Apple verlangt das Dreifache für den gleichen Sound", "de"),
        ("loreal kann sich davon ne scheibe abschneiden", "de"),
        ("Garnier hat mir nie so gut geholfen wie das hier", "de"),
        ("Dove can't keep up with this one", "en"),
        ("Garnier doesn't even come close", "en"),
        ("Switched from Dyson to this and never looking back", "en"),
        ("Who still buys Olaplex in 2025?", "en"),
        ("More effective than the pricey serums they push in ads", "en"),
        ("Name brands charge you triple for the same formula", "en"),
    ],
)
def test_a_rival_with_a_word_only_comparisons_use_is_a_comparison(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert "comparison" in categories([caption(text, lang)], packs)


def test_a_rival_and_this_product_with_prices_over_two_sticker_lines_is_a_comparison(
    packs: list[Pack],
) -> None:
    [finding] = findings_of(
        "comparison", [onscreen(0.0, 3.0, "OLAPLEX: $30\nTHIS ONE: $9, SAME RESULTS", "en")], packs
    )
    assert finding.evidence.startswith("OLAPLEX")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Besser als nichts, wenn man unterwegs ist", "de"),
        ("Ich kombiniere es abends mit meiner Weleda Skin Food", "de"),
        ("Die 50-ml-Flasche ist pro Milliliter günstiger als die 30 ml", "de"),
        ("Von Mama gelernt, auf Sonnenschutz umgestiegen", "de"),
        ("Lumiva hält bei mir länger", "de"),
        ("Bei Douglas gerade günstiger", "de"),
        ("I layer it with my Weleda cream at night", "en"),
        ("I switched from a cream to a gel in summer", "en"),
        ("Who else loves Sundays?", "en"),
    ],
)
def test_own_products_sizes_shops_and_neutral_mentions_are_no_comparison(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert "comparison" not in categories([caption(text, lang)], packs)


def test_a_brand_that_is_also_a_dictionary_word_is_a_rival_only_when_capitalised(packs: list[Pack]) -> None:
    assert "comparison" in categories([caption("Always can't keep up with this", "en")], packs)
    assert "comparison" not in categories([caption("it's always hard to keep up with trends", "en")], packs)


def test_a_caret_term_matches_only_a_capitalised_word() -> None:
    pattern = parse_pattern("^dove")
    [lower] = passages([caption("a dove flew by", "en")])
    [upper] = passages([caption("Dove is overrated", "en")])
    assert PassageIndex(lower).find(pattern) == []
    assert len(PassageIndex(upper).find(pattern)) == 1


def test_a_caret_must_be_followed_by_one_plain_word() -> None:
    with pytest.raises(PatternError, match="'\\^' takes one plain word"):
        parse_pattern("^dov*")


def test_a_german_compound_of_known_nouns_is_no_brand_name(packs: list[Pack]) -> None:
    [passage] = passages([caption("Periodenunterwäsche statt Olaplex", "de")])
    names = [token.original for token in passage.tokens if token.name_like]
    assert names == ["Olaplex"]


@pytest.mark.parametrize(
    "text",
    [
        "#spon Meine neue Lieblingscreme",
        "#sp Abendroutine mit dem neuen Serum",
        "Anz. Mein Serum für den Winter",
        "*Affiliate-Link: Serum hier im Shop",
        "Werbung wegen Markennennung – meine Abendroutine",
        "Werbung, weil Markennennung – selbst gekauft",
        "Das Serum wurde mir von @lumiva zugeschickt",
        "in Partnerschaft mit Lumiva: meine Routine",
        "#advertisement Mein neuer Liebling",
        "Das Video wird unterstützt durch @lumiva",
    ],
)
def test_cut_english_affiliate_or_played_down_labels_are_weak(packs: list[Pack], text: str) -> None:
    [finding] = disclosure([caption(text)], packs)
    assert finding.category == "disclosure_weak"


def test_werbung_closing_a_long_first_caption_line_is_weak(packs: list[Pack]) -> None:
    text = (
        "Meine ehrliche Meinung nach vier Wochen mit dem Serum, das mir wirklich gefällt "
        "und das ich euch ans Herz lege (Werbung)"
    )
    [finding] = disclosure([caption(text)], packs)
    assert (finding.category, finding.evidence) == ("disclosure_weak", "Werbung")


def test_werbung_as_a_word_behind_many_hashtags_is_weak(packs: list[Pack]) -> None:
    [finding] = disclosure([caption("Glow ✨ #hautpflege #glow #skincare #morgenroutine Werbung")], packs)
    assert finding.category == "disclosure_weak"


def test_a_long_sticker_ending_in_werbung_shown_at_the_start_still_counts(packs: list[Pack]) -> None:
    text = "Meine ehrliche Meinung nach vier Wochen mit dem Serum, das mir wirklich gefällt und das ich euch zeige: Werbung"
    assert disclosure([onscreen(0.0, 3.0, text)], packs) == []


@pytest.mark.parametrize(
    "text",
    [
        "[Werbung] Meine Morgenroutine",
        "*Werbung* Das Serum im Test",
        "Anzeige: danke @lumiva",
        "#spaday Wellness",
    ],
)
def test_a_label_at_the_start_or_a_tag_that_only_begins_alike_gives_no_weak_label(
    packs: list[Pack], text: str
) -> None:
    assert not [f for f in disclosure([caption(text)], packs) if f.category == "disclosure_weak"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hilft beim Einschlafen", "de"),
        ("Seit ich die Kapseln nehme, schlafe ich endlich durch", "de"),
        ("Bringt deinen Hormonhaushalt ins Gleichgewicht", "de"),
        ("Regt die Fettverdauung an und entlastet die Leber", "de"),
        ("Wirkt entzündungshemmend und schmerzlindernd", "de"),
        ("Meine Regelschmerzen sind seitdem viel besser", "de"),
        ("Balances your hormones naturally", "en"),
        ("Helps you fall asleep faster", "en"),
        ("Reduces period pain", "en"),
        ("Good for digestion", "en"),
    ],
)
def test_claims_on_body_functions_sleep_and_pain_are_medical(packs: list[Pack], text: str, lang: str) -> None:
    assert "medical_claim" in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Ich schlafe besser, seit ich abends das Handy weglege", "de"),
        ("Gleicht ölige Haut aus, ohne sie auszutrocknen", "de"),
        ("Trägt zu einer normalen Funktion des Immunsystems bei", "de"),
        ("Aromatherapy diffuser for better sleep", "en"),
        ("Supports your skin barrier", "en"),
        ("Calms the look of redness", "en"),
    ],
)
def test_cosmetic_everyday_or_authorised_wording_is_no_medical_claim(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert "medical_claim" not in categories([caption(text, lang)], packs)
