"""Selling rules in German stickers and captions: redirection, urgency, prices, rewards, products."""

from __future__ import annotations

import pytest

from creatordesk.engine.rules import Pack
from creatordesk.engine.types import TextSpan

from .conftest import caption, categories, findings_of


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Bestellt direkt auf unserer Website", "de"),
        ("Bestellt direkt\nauf unserer Website", "de"),
        ("Gibt's nur in unserem Onlineshop", "de"),
        ("Den Code LUMI15 könnt ihr auf unserer Homepage einlösen", "de"),
        ("Bestellung per WhatsApp an 0151 2345678", "de"),
        ("Auch bei dm und Rossmann erhältlich", "de"),
        ("Scannt den QR-Code für 10 % Rabatt", "de"),
        ("Order directly from our website", "en"),
        ("Also available at Sephora and Ulta", "en"),
    ],
)
def test_sending_buyers_to_a_website_another_shop_or_a_phone_is_off_platform(
    packs: list[Pack], text: str, lang: str
) -> None:
    [finding] = findings_of("off_platform", [caption(text, lang)], packs)
    assert finding.severity == "block"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Alles im TikTok Shop, unten im Warenkorb", "de"),
        ("Ich hab die Farbe im Drogeriemarkt gesehen", "de"),
        ("Mehr Videos auf meiner Seite", "de"),
        ("Tap the product link below", "en"),
    ],
)
def test_pointing_to_the_cart_or_naming_a_shop_in_passing_stays_clean(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert "off_platform" not in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Nur heute!", "de"),
        ("NUR HEUTE\n-30%", "de"),
        ("Nur noch 24 Stunden!", "de"),
        ("50 % Rabatt nur heute", "de"),
        ("-50%", "de"),
        ("Bis zu 70 % reduziert", "de"),
        ("statt 49,99 € nur 19,99 €", "de"),
        ("statt 49,99 nur 19,99", "de"),
        ("49 99 -> 19 99", "de"),
        ("Today only!", "en"),
        ("Was $49, now only $19", "en"),
        ("Up to 60% off everything", "en"),
    ],
)
def test_urgency_discounts_and_old_prices_are_price_claims(packs: list[Pack], text: str, lang: str) -> None:
    assert categories([caption(text, lang)], packs) == {"price_claim"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Ich teste es nur heute Abend zum ersten Mal", "de"),
        ("Heute nur eine kurze Routine", "de"),
        ("Statt 3 Produkten brauche ich jetzt nur noch eins", "de"),
        ("Enthält 10 % Niacinamid und 1 % Zink", "de"),
        ("Der Preis liegt bei 19,99 €", "de"),
        ("5% niacinamide and 2% zinc", "en"),
    ],
)
def test_ordinary_times_numbers_and_plain_prices_stay_clean(packs: list[Pack], text: str, lang: str) -> None:
    assert categories([caption(text, lang)], packs) == set()


def test_old_price_on_one_sticker_and_new_price_on_the_next_are_read_together(packs: list[Pack]) -> None:
    spans = [
        TextSpan(1.0, 3.0, "statt 49,99 €", "onscreen", "de", group=4),
        TextSpan(3.0, 5.0, "nur 19,99 €", "onscreen", "de", group=4),
    ]
    [finding] = findings_of("price_claim", spans, packs)
    assert "PAngV" in finding.citation
    assert (finding.start_s, finding.end_s) == (1.0, 5.0)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Wir verlosen 3 Sets unter allen Kommentaren", "de"),
        ("Jeder Kommentar ist ein Los", "de"),
        ("We're giving away 5 bundles this week", "en"),
        ("Follow us for a chance to win", "en"),
    ],
)
def test_giveaways_and_rewards_for_engagement_are_false_rewards(
    packs: list[Pack], text: str, lang: str
) -> None:
    assert categories([caption(text, lang)], packs) == {"false_reward"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Meine neue Elfbar schmeckt nach Wassermelone", "de"),
        ("HHC-Gummies für den Feierabend", "de"),
        ("Finasterid ohne Rezept über diesen Link", "de"),
        ("Nachbau der Air Jordan in Top-Qualität", "de"),
        ("Zyn pouches are my go-to", "en"),
        ("Steroids for bulking season", "en"),
    ],
)
def test_prohibited_products_named_in_passing_are_flagged(packs: list[Pack], text: str, lang: str) -> None:
    assert "prohibited_product" in categories([caption(text, lang)], packs)


@pytest.mark.parametrize(
    "text", ["Die Wunderwaffe gegen trockene Lippen", "Hanfsamenöl für trockene Haut", "Pistazien-Handcreme"]
)
def test_figures_of_speech_and_harmless_products_are_not_prohibited(packs: list[Pack], text: str) -> None:
    assert "prohibited_product" not in categories([caption(text)], packs)
