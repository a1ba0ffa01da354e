"""Comparisons, ad labels, swearing, rewards, weight and absolute claims in creators' own wording."""

from __future__ import annotations

import pytest

from creatordesk.engine.rules import Pack, check_text
from creatordesk.engine.types import Brief, TextSpan

from .conftest import caption, categories, findings_of

PAID = Brief(disclosure_required=True, language="de")


def weak_labels(spans: list[TextSpan], packs: list[Pack]) -> list[str]:
    found = check_text(spans, packs=packs, brief=PAID, duration_s=30.0)
    return [f.evidence for f in found if f.category == "disclosure_weak"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("die anderen Marken kannst du echt vergessen", "de"),
        ("Balea ist dagegen echt Müll", "de"),
        ("Die teuren Luxusmarken zocken euch nur ab", "de"),
        ("Kein Vergleich zu dem teuren Serum von Estée Lauder", "de"),
        ("Hält viel länger als jede andere Mascara", "de"),
        ("Other brands are a total scam compared to this", "en"),
        ("This blows Drunk Elephant out of the water", "en"),
    ],
)
def test_running_down_or_outdoing_other_brands_is_a_comparison(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert "comparison" in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Besser als mein altes Shampoo, das ich jahrelang hatte", "de"),
        ("Die neue Formel ist noch besser als die alte", "de"),
        ("Kein Vergleich zu meinen Haaren vor einem Jahr", "de"),
        ("Rosé gefällt mir persönlich besser als Nude", "de"),
        ("The new packaging is so much better than the old one", "en"),
    ],
)
def test_comparing_with_ones_own_old_product_skin_or_taste_stays_clean(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert "comparison" not in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    "text",
    [
        "In freundlicher Zusammenarbeit mit @lumiva.skin",
        "Markenbotschafterin für @lumiva 💛 mein Serum",
        "Unbeauftragte Werbung, hab ich selbst gekauft",
        "Ad: my go-to serum for dry skin",
        "PR package unboxing, thanks @lumiva",
    ],
)
def test_vague_partnership_wording_is_a_weak_label(packs: list[Pack], text: str) -> None:
    assert weak_labels([caption(text)], packs)


def test_werbung_hidden_behind_a_row_of_hashtags_is_a_weak_label(packs: list[Pack]) -> None:
    assert weak_labels([caption("#skincare #hautpflege #glowup #fyp #werbung")], packs) == ["#werbung"]


@pytest.mark.parametrize(
    "text",
    [
        "#werbung #anzeige Meine Morgenroutine",
        "Anzeige\nDanke an @lumiva für das Paket",
        "Werbung | In Kooperation mit @lumiva",
    ],
)
def test_werbung_or_anzeige_opening_the_caption_needs_nothing_more(packs: list[Pack], text: str) -> None:
    found = check_text([caption(text)], packs=packs, brief=PAID, duration_s=30.0)
    assert not [f for f in found if f.category.startswith("disclosure")]


def test_a_collab_with_a_sister_is_no_ad_label(packs: list[Pack]) -> None:
    assert weak_labels([caption("Collab mit meiner Schwester, sie hat mich geschminkt")], packs) == []


@pytest.mark.parametrize(
    ("text", "lang", "evidence"),
    [
        ("Schei*, ist das Zeug gut", "de", "Schei"),
        ("Sch***e, die Mascara verschmiert", "de", "Sch***e"),
        ("Holy sh!t look at these lashes", "en", "sh!t"),
        ("This is f*cking amazing", "en", "f*cking"),
        ("Ich hab den Eyeliner total verkackt", "de", "verkackt"),
    ],
)
def test_swear_words_count_even_when_masked_or_inflected(
    packs: list[Pack], text: str, lang: str, evidence: str
) -> None:
    [finding] = findings_of("profanity", [caption(text, lang)], packs)
    assert finding.evidence == evidence


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Das Dessert ist verdammt lecker", "de"),
        ("Scheibenkleister, schon wieder Wimperntusche am Lid", "de"),
        ("Nach dem Shitstorm letzte Woche ein ehrliches Update", "de"),
        ("Mein Scheitel sitzt heute perfekt", "de"),
        ("Freaking love this color", "en"),
    ],
)
def test_mild_words_and_minced_oaths_are_not_swearing(packs: list[Pack], text: str, lang: str) -> None:
    assert "profanity" not in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Die ersten 100 bekommen ein Geschenk von mir", "de"),
        ("Like das Video und ich verschenke 5 Paletten", "de"),
        ("Jeder neue Follower bekommt ein Mini-Serum", "de"),
        ("Unter allen Likes ziehe ich morgen einen Gewinner", "de"),
        ("I'm picking 3 random followers for a free bundle", "en"),
        ("Repost this and I'll send you a mini", "en"),
    ],
)
def test_a_reward_for_engagement_or_a_lucky_follower_is_a_false_reward(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert "false_reward" in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Folgt mir für Teil 2 der Routine", "de"),
        ("Markier die Freundin, die immer deinen Lippenstift klaut", "de"),
        ("Tag the friend who always steals your mascara", "en"),
        ("I won a free coffee at work today lol", "en"),
    ],
)
def test_asking_for_engagement_without_a_reward_stays_clean(packs: list[Pack], text: str, lang: str) -> None:
    assert "false_reward" not in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("zwei kleidergrößen weniger seit ich das pulver nehme", "de"),
        ("Heißhungerattacken? Mit den Gummies vorbei", "de"),
        ("Schlank ohne Sport, nur mit den Kapseln", "de"),
        ("Der Kalorienblocker für Pizza-Abende", "de"),
        ("down 20 lbs since january thanks to these gummies", "en"),
        ("lost 15 kilos no diet no gym just this", "en"),
    ],
)
def test_weight_loss_in_everyday_words_is_a_weight_claim(packs: list[Pack], text: str, lang: str) -> None:
    assert "weight_claim" in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Die Bürste hat einen abnehmbaren Kopf", "de"),
        ("Schlanke Flasche, passt in jede Tasche", "de"),
        ("Slim fit jeans that sit perfectly on my waist", "en"),
        ("This candle burns for 40 hours", "en"),
    ],
)
def test_slim_or_weight_words_without_a_promise_stay_clean(packs: list[Pack], text: str, lang: str) -> None:
    assert "weight_claim" not in categories([caption(text, lang)], packs)


def test_no_diet_no_gym_makes_a_weight_claim_bigger_instead_of_denying_it(packs: list[Pack]) -> None:
    assert "weight_claim" in categories([caption("Ich hab 5 Kilo abgenommen, kein Sport", "de")], packs)
    assert "weight_claim" not in categories([caption("I did not lose 5 kilos", "en")], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Glatte Haare garantiert, egal wie dein Haar ist", "de"),
        ("Nie wieder Falten mit dieser Creme", "de"),
        ("Für immer glatte Haut", "de"),
        ("das ist einfach die beste creme die es gibt", "de"),
        ("Frei von schädlichen Chemikalien", "de"),
        ("Die Mascara ist ein Bestseller auf TikTok", "de"),
        ("Works on literally everyone", "en"),
        ("No nasty chemicals, ever", "en"),
        ("Wrinkles never come back", "en"),
    ],
)
def test_guarantees_permanence_superlatives_and_chemical_free_are_absolute_claims(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert "absolute_claim" in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Die beste Mascara, die ich je hatte", "de"),
        ("Für die beste Freundin der Welt: ein Geschenkset", "de"),
        ("Nie wieder ohne meinen Primer", "de"),
        ("Keine chemischen Filter, nur mineralischer Schutz", "de"),
        ("Best sunscreen out there for oily skin imo", "en"),
        ("Forever my favourite scent", "en"),
    ],
)
def test_personal_favourites_people_and_product_types_are_not_absolute_claims(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert "absolute_claim" not in categories([caption(text, lang)], packs)
