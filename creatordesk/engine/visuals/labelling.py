"""Whether the image must carry an AI label, per channel and rule, from what the file says about its
provenance, what the brief says it shows, and what the user declared.

The rules (EU AI Act Art. 50(4), TikTok, Meta, German UWG and HWG) are summarised with their sources
in the citations below. The facts come first from the file, then from the declaration; with neither,
the decision asks for the declaration instead of guessing. Reasons are English and German (du-form).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from creatordesk.engine.visuals.check import VisualState
from creatordesk.engine.visuals.context import VisualContext
from creatordesk.engine.visuals.types import Channel, LabelDecision, Provenance, VisualFinding

CITE_EU = (
    "EU AI Act (Reg. (EU) 2024/1689) Art. 50(4), 50(5) and Art. 3(60), applicable since 2 Aug 2026: "
    "https://aiact.annotated.nl/en/aiact/art/50/; Code of Practice on marking and labelling AI-generated "
    "content (10 Jun 2026): https://www.scl.org/european-commission-publishes-code-of-practice-on-marking-"
    "and-labelling-ai-generated-content/"
)
CITE_TIKTOK = (
    "TikTok Help, AI-generated content: https://support.tiktok.com/en/using-tiktok/creating-videos/ai-"
    "generated-content; TikTok Ads Manager disclaimers: https://ads.tiktok.com/help/article/about-ad-"
    "disclaimers-in-tiktok-ads-manager"
)
CITE_META = (
    "Meta Help, AI info labels: https://www.meta.com/help/artificial-intelligence/1783222608822690/; "
    "AI in ads: https://www.meta.com/help/artificial-intelligence/355108217670024/"
)
CITE_UWG = (
    "§ 5 UWG and UWG Anhang Nr. 23: https://www.gesetze-im-internet.de/uwg_2004/; Wettbewerbszentrale, "
    "Leitfaden zur KI-Kennzeichnung (Feb 2026): https://www.wettbewerbszentrale.de/?p=20803"
)
CITE_HWG = "§ 11 Abs. 1 Satz 1 Nr. 5 HWG: https://www.gesetze-im-internet.de/heilmwerbg/__11.html"

_RANK = {"": 0, "edited": 1, "composite": 2, "generated": 3}
_AI_LABEL = ("AI-generated", "KI-generiert")
_PARTLY_LABEL = ("Partly AI-generated", "Teilweise KI-generiert")


@dataclass(frozen=True)
class LabelFacts:
    """What a labelling decision rests on: the AI use (and where it is known from) and what is shown."""

    use: str  # "generated", "composite", "edited", "none" (declared without AI) or "unknown"
    person: bool
    product: bool
    is_ad: bool
    health: bool
    c2pa_says_ai: bool  # TikTok labels uploads with AI Content Credentials by itself
    meta_readable: bool  # Meta reads the AI marks of C2PA and IPTC
    stripped: bool = False  # an earlier version carried provenance marks this file lacks

    @property
    def made_by_ai(self) -> bool:
        return self.use in ("generated", "composite")

    @property
    def realistic(self) -> bool:
        return self.person or self.product

    @property
    def label(self) -> tuple[str, str]:
        return _PARTLY_LABEL if self.use == "composite" else _AI_LABEL

    def shown(self) -> tuple[str, str]:
        if self.person and self.product:
            return "a realistic person and product", "eine realistische Person und ein Produkt"
        if self.person:
            return "a realistic person", "eine realistische Person"
        return "a realistic product", "ein realistisches Produkt"


def label_facts(state: VisualState) -> LabelFacts:
    """The facts from the state: the file's AI signal, the brief and the faces found."""
    provenance, brief = state.provenance, state.brief
    signal = provenance.ai_signal
    declared = brief.declared if brief.declared in ("generated", "edited") else ""
    use = max(signal, declared, key=lambda value: _RANK[value])
    if not use:
        use = "none" if brief.declared == "none" else "unknown"
    ai_types = {"trainedAlgorithmicMedia", "algorithmicMedia", "compositeWithTrainedAlgorithmicMedia"}
    return LabelFacts(
        use=use,
        person=bool(state.faces) if brief.realistic_person is None else brief.realistic_person,
        product=brief.realistic_product,
        is_ad=brief.is_ad,
        health=brief.health_product,
        c2pa_says_ai=provenance.c2pa.present and bool(ai_types & set(provenance.c2pa.digital_source_types)),
        meta_readable=provenance.c2pa.present or bool(provenance.iptc_digital_source_type),
        stripped=bool(provenance.stripped),
    )


@dataclass(frozen=True)
class Verdict:
    """One rule's answer before it is tied to a channel."""

    required: bool
    reason_en: str
    reason_de: str
    label: tuple[str, str] = ("", "")


def _undecided(if_ai: tuple[str, str], stripped: bool) -> Verdict:
    en = (
        "No provenance signal found and nothing declared: the label duty depends on your declaration. "
        f"Declare whether AI was used (generated, edited or none). If so: {if_ai[0]}"
    )
    de = (
        "Keine Herkunftsangaben gefunden und nichts angegeben: Ob ein Label nötig ist, hängt von deiner "
        f"Angabe ab. Gib an, ob KI genutzt wurde (generiert, bearbeitet oder gar nicht). Falls ja: {if_ai[1]}"
    )
    if stripped:
        en += " An earlier version carried provenance marks this file lacks: check what they said."
        de += " Eine frühere Fassung hatte Herkunftsangaben, die dieser Datei fehlen: Prüf, was sie besagten."
    return Verdict(False, en, de)


def _without_ai() -> Verdict:
    return Verdict(
        False,
        "Declared as made without AI: no AI label needed.",
        "Laut deiner Angabe ohne KI erstellt: kein KI-Label nötig.",
    )


def eu_art50(facts: LabelFacts) -> Verdict:
    """EU AI Act Art. 50(4): deployers disclose deep fakes, Art. 3(60) includes realistic objects."""
    if facts.made_by_ai and facts.realistic:
        en, de = facts.shown()
        return Verdict(
            True,
            f"AI-made image showing {en}: a deep fake (Art. 3(60)) that must be disclosed clearly at first "
            "sight (Art. 50(4), (5)). Put the label into the image, e.g. 'AI' in the top-right corner, "
            "readable without a click.",
            f"KI-Bild, das {de} zeigt: ein Deepfake (Art. 3 Nr. 60), den du beim ersten Kontakt deutlich "
            "offenlegen musst (Art. 50 Abs. 4, 5). Setz das Label ins Bild, z. B. „KI“ oben rechts, lesbar "
            "ohne Klick.",
            facts.label,
        )
    if facts.made_by_ai:
        return Verdict(
            False,
            "The brief marks no realistic person or product. Label it anyway if it could pass for a real "
            "photo of a place or event; artistic or evidently fictional images need a discreet disclosure.",
            "Laut Briefing keine realistische Person und kein Produkt. Kennzeichne es trotzdem, wenn es als "
            "echtes Foto eines Orts oder Ereignisses durchgehen könnte; künstlerische oder erkennbar fiktive "
            "Bilder brauchen einen dezenten Hinweis.",
        )
    if facts.use == "edited":
        return Verdict(
            False,
            "AI only edited the image. If the edit changes what it shows (a person doing what they did not, "
            "a product with features it lacks), it is a manipulated deep fake and needs the visible label.",
            "KI hat das Bild nur bearbeitet. Verändert die Bearbeitung, was es zeigt (eine Person tut etwas, "
            "das sie nicht getan hat, ein Produkt hat Eigenschaften, die es nicht hat), ist es ein Deepfake "
            "und braucht das sichtbare Label.",
        )
    return _ask_or_none(
        facts,
        (
            "an AI image that looks like real persons, objects, places or events needs a visible 'AI' label.",
            "Ein KI-Bild, das wie echte Personen, Gegenstände, Orte oder Ereignisse aussieht, braucht ein "
            "sichtbares „KI“-Label.",
        ),
    )


def _ask_or_none(facts: LabelFacts, if_ai: tuple[str, str]) -> Verdict:
    return _without_ai() if facts.use == "none" else _undecided(if_ai, facts.stripped)


def _tiktok_auto(facts: LabelFacts) -> tuple[str, str]:
    if not facts.c2pa_says_ai:
        return "", ""
    return (
        " TikTok will probably add its own 'AI-generated' label because the file carries Content "
        "Credentials (C2PA); that label cannot be removed.",
        " TikTok setzt wahrscheinlich selbst das Label „KI-generiert“, weil die Datei Content Credentials "
        "(C2PA) enthält; dieses Label lässt sich nicht entfernen.",
    )


def tiktok(facts: LabelFacts) -> Verdict:
    """TikTok: Ads Manager AI disclaimer for ads, the AIGC label for realistic organic content."""
    auto_en, auto_de = _tiktok_auto(facts)
    if facts.made_by_ai and facts.is_ad:
        return Verdict(
            True,
            "TikTok requires the AI-generated content disclaimer in Ads Manager for AI-generated media."
            + auto_en,
            "TikTok verlangt für KI-generierte Medien den Hinweis auf KI-Inhalte im Ads Manager." + auto_de,
            facts.label,
        )
    if facts.made_by_ai and facts.realistic:
        return Verdict(
            True,
            "TikTok requires a label on realistic AI-generated content: switch on 'AI-generated content' "
            "or add a clear caption, sticker or watermark." + auto_en,
            "TikTok verlangt ein Label für realistische KI-Inhalte: Schalte „KI-generierte Inhalte“ ein "
            "oder nutze eine deutliche Bildunterschrift, einen Sticker oder ein Wasserzeichen." + auto_de,
            facts.label,
        )
    if facts.made_by_ai:
        return Verdict(
            False,
            "TikTok's label duty covers realistic AI content; labelling anyway does not reduce reach."
            + auto_en,
            "TikToks Kennzeichnungspflicht gilt für realistische KI-Inhalte; ein Label schadet der "
            "Reichweite nicht." + auto_de,
        )
    if facts.use == "edited":
        return Verdict(
            False,
            "Label it on TikTok if the AI edit is significant: the subject does or says something they did "
            "not, or is no longer recognisable.",
            "Kennzeichne es auf TikTok, wenn die KI-Bearbeitung wesentlich ist: Die Person tut oder sagt "
            "etwas, das sie nicht getan hat, oder ist nicht mehr erkennbar.",
        )
    return _ask_or_none(
        facts,
        (
            "ads need TikTok's AI disclaimer in Ads Manager; posts need the AI-generated label when realistic.",
            "Anzeigen brauchen den KI-Hinweis im TikTok Ads Manager, Posts das Label „KI-generiert“, wenn "
            "sie realistisch sind.",
        ),
    )


def meta(facts: LabelFacts) -> Verdict:
    """Meta: 'AI info' on created content it detects; a photoreal AI person in an ad next to 'Sponsored'."""
    if facts.use == "generated" and facts.is_ad and facts.person:
        return Verdict(
            True,
            "An AI-generated photorealistic person in an ad gets Meta's 'AI info' label next to "
            "'Sponsored': disclose the AI use when you set up the ad.",
            "Eine KI-generierte fotorealistische Person in einer Anzeige bekommt Metas Label „KI-Info“ neben "
            "„Gesponsert“: Gib die KI-Nutzung beim Anlegen der Anzeige an.",
            ("AI info", "KI-Info"),
        )
    if facts.use == "generated" and facts.meta_readable:
        return Verdict(
            False,
            "Meta reads the file's C2PA/IPTC AI mark and will probably show 'AI info' on the post; Meta "
            "requires self-disclosure for realistic video and audio, not for images.",
            "Meta liest die C2PA-/IPTC-KI-Kennung der Datei und zeigt wahrscheinlich „KI-Info“ am Post; Meta "
            "verlangt die Selbstangabe für realistische Videos und Audio, nicht für Bilder.",
        )
    if facts.use == "generated":
        return Verdict(
            False,
            "The file carries no C2PA/IPTC mark Meta reads, so you may add 'AI info' yourself; Meta requires "
            "self-disclosure for realistic video and audio, not for images.",
            "Die Datei hat keine C2PA-/IPTC-Kennung, die Meta liest, du kannst „KI-Info“ also selbst setzen; "
            "Meta verlangt die Selbstangabe für realistische Videos und Audio, nicht für Bilder.",
        )
    if facts.use in ("composite", "edited"):
        return Verdict(
            False,
            "Meta shows AI-modified content with 'AI info' in the post's menu, not on the post.",
            "Meta zeigt mit KI veränderte Inhalte mit „KI-Info“ im Menü des Posts, nicht am Post selbst.",
        )
    return _ask_or_none(
        facts,
        (
            "Meta shows 'AI info' on AI-made posts it detects; an AI photorealistic person in an ad gets it "
            "next to 'Sponsored'.",
            "Meta zeigt „KI-Info“ an erkannten KI-Posts; eine fotorealistische KI-Person in einer Anzeige "
            "bekommt es neben „Gesponsert“.",
        ),
    )


def uwg(facts: LabelFacts) -> Verdict:
    """German UWG: no misleading AI images, synthetic persons must not pose as customers (Anhang Nr. 23)."""
    if facts.made_by_ai and facts.realistic:
        en, de = facts.shown()
        return Verdict(
            True,
            f"An ad whose AI-made image shows {en} may mislead (§ 5 UWG); a synthetic person must not "
            "pose as a real customer or user (UWG Anhang Nr. 23). The Wettbewerbszentrale advises labelling "
            "in case of doubt ('im Zweifel').",
            f"Eine Anzeige, deren KI-Bild {de} zeigt, kann irreführen (§ 5 UWG); eine synthetische Person "
            "darf nicht als echte Kundin oder echter Kunde auftreten (UWG Anhang Nr. 23). Die "
            "Wettbewerbszentrale rät: im Zweifel kennzeichnen.",
            _AI_LABEL,
        )
    if facts.made_by_ai or facts.use == "edited":
        return Verdict(
            False,
            "Label it if your audience could take it for a real photo (in case of doubt, label), and make "
            "sure it shows no feature the product lacks (§ 5 UWG).",
            "Kennzeichne es, wenn deine Zielgruppe es für ein echtes Foto halten könnte (im Zweifel "
            "kennzeichnen), und zeig keine Eigenschaft, die das Produkt nicht hat (§ 5 UWG).",
        )
    return _ask_or_none(
        facts,
        (
            "an AI image of a person or product in an ad should say 'KI-generiert' in case of doubt.",
            "Ein KI-Bild einer Person oder eines Produkts in einer Anzeige sollte im Zweifel „KI-generiert“ "
            "tragen.",
        ),
    )


def hwg(facts: LabelFacts) -> Verdict:
    """HWG: an AI picture of the product's effect on the body misleads; a label does not cure that."""
    if facts.use in ("generated", "composite", "edited"):
        return Verdict(
            False,
            "A label does not make it lawful: in health advertising, an AI-made or AI-edited picture of "
            "changes to the body or of the product's effect (before/after) is a misleading depiction "
            "(§ 11 Abs. 1 Satz 1 Nr. 5 HWG). Show real, unedited results or none.",
            "Ein Label macht es nicht zulässig: In Gesundheitswerbung ist ein KI-erstelltes oder "
            "KI-bearbeitetes Bild von Veränderungen am Körper oder der Wirkung (Vorher/Nachher) eine "
            "irreführende Darstellung (§ 11 Abs. 1 Satz 1 Nr. 5 HWG). Zeig echte, unbearbeitete Ergebnisse "
            "oder keine.",
        )
    return _ask_or_none(
        facts,
        (
            "AI pictures of the product's effect on the body (before/after) are not allowed, label or not.",
            "KI-Bilder der Wirkung am Körper (Vorher/Nachher) sind nicht erlaubt, mit oder ohne Label.",
        ),
    )


RULES: dict[str, tuple[Callable[[LabelFacts], Verdict], str]] = {
    "eu_ai_act_art50_4": (eu_art50, CITE_EU),
    "tiktok_aigc": (tiktok, CITE_TIKTOK),
    "meta_ai_info": (meta, CITE_META),
    "de_uwg_5": (uwg, CITE_UWG),
    "de_hwg_11": (hwg, CITE_HWG),
}
_PLATFORM_RULE: dict[Channel, tuple[str, ...]] = {
    "tiktok": ("tiktok_aigc",),
    "meta": ("meta_ai_info",),
    "web": (),
}


def rules_for(channel: Channel, facts: LabelFacts) -> tuple[str, ...]:
    """Art. 50(4) everywhere; the platform's own rule; German ad law only for ads (HWG for health)."""
    german: tuple[str, ...] = ("de_uwg_5",) if facts.is_ad else ()
    if facts.is_ad and facts.health:
        german += ("de_hwg_11",)
    return ("eu_ai_act_art50_4", *_PLATFORM_RULE[channel], *german)


def decide_labels(facts: LabelFacts, channels: tuple[Channel, ...]) -> list[LabelDecision]:
    """One decision per channel and rule that applies there."""
    decisions = []
    for channel in channels:
        for rule in rules_for(channel, facts):
            decide, citation = RULES[rule]
            verdict = decide(facts)
            decisions.append(
                LabelDecision(
                    channel=channel,
                    rule=rule,
                    required=verdict.required,
                    reason_en=verdict.reason_en,
                    reason_de=verdict.reason_de,
                    citation=citation,
                    label_en=verdict.label[0],
                    label_de=verdict.label[1],
                )
            )
    return decisions


def _signal_sources(provenance: Provenance) -> str:
    sources = []
    if provenance.c2pa.digital_source_types:
        sources.append(f"C2PA digitalSourceType {', '.join(provenance.c2pa.digital_source_types)}")
    if provenance.iptc_digital_source_type:
        sources.append(f"IPTC DigitalSourceType {provenance.iptc_digital_source_type}")
    if provenance.generator_parameters:
        sources.append(f"{provenance.generator or 'generator'} parameters in the file")
    return "; ".join(sources)


def declaration_findings(state: VisualState, facts: LabelFacts) -> list[VisualFinding]:
    """A conflict between the declaration and the file, and the HWG risk of AI pictures in health ads."""
    findings = []
    signal = state.provenance.ai_signal
    if state.brief.declared == "none" and signal:
        findings.append(
            VisualFinding(
                rule="labelling.declaration_conflicts",
                category="labelling",
                # An algorithmic enhancement (denoising, upscaling) may pass for "no AI" in good faith.
                severity="warn" if signal == "edited" else "block",
                evidence=f"Declared as made without AI, but the file says '{signal}' ({_signal_sources(state.provenance)}).",
                explanation=(
                    "Platforms read these marks (TikTok labels C2PA uploads itself, Meta reads C2PA and IPTC) "
                    "and the label duty follows the facts: correct the declaration or use the real original."
                ),
                citation=f"{CITE_EU}; {CITE_TIKTOK}",
            )
        )
    if facts.is_ad and facts.health and facts.use in ("generated", "composite", "edited"):
        findings.append(
            VisualFinding(
                rule="labelling.health_ai_depiction",
                category="labelling",
                severity="warn",
                evidence=f"Health or cosmetics ad with an image whose AI use is '{facts.use}'.",
                explanation=(
                    "AI pictures of changes to the body or of a product's effect (before/after) mislead in "
                    "health advertising whether labelled or not; make sure the image shows no such effect."
                ),
                citation=CITE_HWG,
            )
        )
    return findings


class LabellingStep:
    """Decides the AI label per channel and rule; runs last, after provenance and the face check."""

    name = "labelling"

    def applies_to(self, state: VisualState) -> bool:
        return True

    def run(self, state: VisualState, ctx: VisualContext) -> None:
        facts = label_facts(state)
        state.decisions = decide_labels(facts, state.channels)
        state.findings.extend(declaration_findings(state, facts))


__all__ = [
    "RULES", "LabelFacts", "LabellingStep", "Verdict", "decide_labels", "declaration_findings", "label_facts",
    "rules_for",
]  # fmt: skip
