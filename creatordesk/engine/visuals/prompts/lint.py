"""The prompt linter: brand, legal and syntax problems of a brief or a prompt text, before anything is generated.

`lint(brief_or_text, generator)` returns `LintIssue`s. For a `PromptBrief` the descriptive fields are
checked together (a conflict may span the light and the colours) and each issue names the field and the
span inside it; `must_avoid` is never searched, since "children" there asks for none. For a text, spans
point into the text; Midjourney parameters are split off first, so "--no children" is not a minor.

Rules (code, severity, why):

| code | severity | fires when | source |
|---|---|---|---|
| subject_not_leading | warn | the first clause holds only style, light, camera or quality words | AllSocial seed article: what comes first is weighted most |
| conflicting_terms | warn | two sides of one entry of data/conflicts.yaml are named ("golden hour" + "cold blue tones", "low key" + "high key", "watercolor" + "photorealistic") | AllSocial seed article: contradictions make unclear images |
| real_person | block / warn | a listed public figure, or "looks like / lookalike of / sieht aus wie <Name Surname>" (block); "in the style of / im Stil von <Name Surname>" (warn) | KUG § 22, BGH I ZR 226/97, LG Köln 28 O 218/21; TikTok AIGC rules |
| minor | block / warn | child words ("child", "Kind", "Mädchen" ...) or an age under 18 (block); "girl", "boy", "Schüler" (warn) | TikTok bans the likeness of under-18s in AIGC |
| trademark | warn | a listed famous mark | MarkenG risk; warped AI marks (retouchable.ai) |
| rendered_text_or_logo | warn / info | "logo", "brand name", "with the text", quoted text to render (warn); the workspace's own brand named (info) | AI warps lettering: composite real artwork instead |
| photoreal_testimonial | warn | a photorealistic wording together with testimonial, customer, review or before/after | EU AI Act Art. 50(4) with Art. 3(60); UWG Anhang Nr. 23 (and § 5b Abs. 3 for reviews; HWG § 11 Abs. 1 Nr. 5 for before/after) |
| mj_param_out_of_range | block | --s, --c, --seed, --q, --w, --exp, --iw, --sw, --ow, --v outside the table (also brief options) | Midjourney V7 parameter table |
| mj_aspect_not_integer | block | --ar with a non-integer side ("1.91:1") | same |
| mj_multiprompt_v7 | block | "::" in a V7 (or unversioned) prompt | same: V7 has no multi-prompts |
| mj_oref_with_q4 | block | --oref together with --q 4 | same |
| mj_unknown_param | warn | a --name not in the table | same |
| mj_syntax_elsewhere | warn | Midjourney parameters in a prompt for another generator | SD takes a negative field, GPT-image and Firefly take settings |
| sd_token_overflow | warn | the approximate CLIP count passes 75 tokens; the span is the part beyond | CLIP's 75-token window (see tokens.py) |
| sd_base_size_invalid | block | SD base size not 512, 768 or 1024 | training sizes of SD 1.5, 2.x, SDXL |
| gpt_size_invalid | block | GPT-image size not in the model's list | OpenAI Images API sizes |

Limits: word lists are samples (data/terms.yaml); a person is found by a listed name or a capitalised
"Name Surname" after a look-alike or style phrase, so a single-word name, a misspelling, a nickname or a
description ("the German chancellor") passes, and so does celebrity-style staging without a name. A
capitalised style ("in the style of Art Deco") is skipped only when data/terms.yaml lists it. Marks that
are ordinary words ("Apple", "Dove") are matched only when capitalised. Quoted text means double quotes
(straight, curly, German) and guillemets; single quotes are read as apostrophes. Negation is read one word deep
("no small children"); "children are absent" is not understood. Nothing here replaces a legal review.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from creatordesk.engine.visuals.prompts import midjourney
from creatordesk.engine.visuals.prompts.brief import PromptBrief
from creatordesk.engine.visuals.prompts.render import option_issues, stable_diffusion_texts
from creatordesk.engine.visuals.prompts.terms import (
    TermMatch,
    TermSet,
    conflicts,
    is_negated,
    normalise,
    term_sets,
)
from creatordesk.engine.visuals.prompts.tokens import count_tokens
from creatordesk.engine.visuals.prompts.types import GENERATORS, Generator, LintIssue, Severity

_SEPARATOR = ", "
_CLAUSE_END = re.compile(r"[,.;\n]")
_WORD = re.compile(r"[\w'/.+-]+")
_MEASURE = re.compile(r"\d+(?:k|mm|px|p)?|f/\d+(?:\.\d+)?", re.IGNORECASE)
_NAME_WORD = r"[A-ZÄÖÜÉ][a-zäöüßéèáàíóúñçë'.-]+"
_PARTICLE = r"(?:(?:van|von|de|da|di|del|der|le|la|du)\s+)?"
_NAME = rf"(?P<name>{_NAME_WORD}(?:\s+{_PARTICLE}{_NAME_WORD}){{1,2}})"
_LOOKALIKE = re.compile(
    r"(?i:(?<!\w)(?:looks?\s+like|look-?alike\s+(?:of\s+)?|lookalike\s+(?:of\s+)?|resembl(?:es|ing)|"
    r"double\s+of|sieht\s+aus\s+wie|aussehend\s+wie|doppelgänger(?:in)?\s+von|ähnlich\s+wie)\s+)" + _NAME
)
_STYLE_OF = re.compile(
    r"(?i:(?<!\w)(?:in\s+the\s+style\s+of|styled\s+like|im\s+stil\s+von|à\s+la)\s+)" + _NAME
)
_AGES = (
    re.compile(r"(?i)(?<!\d)(\d{1,2})[\s-]*(?:years?|yrs?)[\s-]*old(?!\w)"),
    re.compile(r"(?i)(?<!\d)(\d{1,2})\s*(?:yo|y/o|y\.o\.)(?!\w)"),
    re.compile(r"(?i)(?<!\w)aged?\s+(\d{1,2})(?!\d)"),
    re.compile(r"(?i)(?<!\d)(\d{1,2})[\s-]*jährig\w*"),
    re.compile(r"(?i)(?<!\d)(\d{1,2})\s+Jahre\s+alt(?!\w)"),
    re.compile(r"(?i)im\s+Alter\s+von\s+(\d{1,2})(?!\d)"),
)
_QUOTED = re.compile(r"\"[^\"\n]{1,80}\"|“[^”\n]{1,80}”|„[^“”\n]{1,80}[“”]|«[^»\n]{1,80}»|»[^«\n]{1,80}«")
_KINDS = {
    "light": ("light", "Licht"),
    "light_colour": ("light mood against colour tone", "Lichtstimmung gegen Farbton"),
    "colour": ("colour", "Farbe"),
    "style": ("style", "Stil"),
    "art_style": ("two media or art styles at once", "zwei Medien oder Kunststile zugleich"),
    "mood": ("mood", "Stimmung"),
    "camera": ("focus", "Schärfe"),
}


@dataclass(frozen=True)
class Rule:
    """One lint rule: its code, worst severity and where it comes from (for help pages)."""

    code: str
    severity: Severity
    source: str


RULES: tuple[Rule, ...] = (
    Rule(
        "subject_not_leading",
        "warn",
        'AllSocial, "Wie KI-Bilder Marketing und Unternehmenskommunikation verändern"',
    ),
    Rule(
        "conflicting_terms",
        "warn",
        'AllSocial, "Wie KI-Bilder Marketing und Unternehmenskommunikation verändern"',
    ),
    Rule("real_person", "block", "KUG § 22; BGH I ZR 226/97; LG Köln 28 O 218/21; TikTok AIGC rules"),
    Rule("minor", "block", "https://support.tiktok.com/en/using-tiktok/creating-videos/ai-generated-content"),
    Rule("trademark", "warn", "https://retouchable.ai/blog/spot-avoid-ai-artifacts-product-photography/"),
    Rule(
        "rendered_text_or_logo",
        "warn",
        "https://retouchable.ai/blog/spot-avoid-ai-artifacts-product-photography/",
    ),
    Rule("photoreal_testimonial", "warn", "EU AI Act Art. 50(4), Art. 3(60); UWG Anhang Nr. 23"),
    Rule("mj_param_out_of_range", "block", midjourney.SOURCE),
    Rule("mj_aspect_not_integer", "block", midjourney.SOURCE),
    Rule("mj_multiprompt_v7", "block", midjourney.SOURCE),
    Rule("mj_oref_with_q4", "block", midjourney.SOURCE),
    Rule("mj_unknown_param", "warn", midjourney.SOURCE),
    Rule("mj_syntax_elsewhere", "warn", "generator syntax"),
    Rule("sd_token_overflow", "warn", "https://github.com/openai/CLIP/blob/main/clip/simple_tokenizer.py"),
    Rule("sd_base_size_invalid", "block", "https://arxiv.org/abs/2307.01952"),
    Rule(
        "gpt_size_invalid",
        "block",
        "https://docs.griptape.ai/stable/reference/griptape/drivers/image_generation/openai_image_generation_driver/",
    ),
)


@dataclass(frozen=True)
class _Hit:
    code: str
    severity: Severity
    message_en: str
    message_de: str
    start: int
    end: int


@dataclass(frozen=True)
class _Content:
    """The descriptive text to search, made of fields joined by ", " (one unnamed field for a text)."""

    text: str
    fields: tuple[tuple[str | None, int, int], ...]  # (field, start, end) in `text`
    photo_setting: bool = False  # the generator is told "photo" outside the text (Firefly content type)

    def locate(self, start: int, end: int) -> tuple[str | None, tuple[int, int]]:
        for name, lo, hi in self.fields:
            if lo <= start <= hi:
                return name, (start - lo, min(end, hi) - lo)
        return None, (start, end)


def _brief_content(brief: PromptBrief, generator: Generator) -> _Content:
    pieces = [*brief.parts()]
    if brief.brand_colours:
        pieces.append(("brand_colours", ", ".join(brief.brand_colours)))
    fields: list[tuple[str | None, int, int]] = []
    position = 0
    for name, text in pieces:
        fields.append((name, position, position + len(text)))
        position += len(text) + len(_SEPARATOR)
    text = _SEPARATOR.join(text for _, text in pieces)
    photo = generator == "firefly" and brief.firefly.content_type == "photo"
    return _Content(normalise(text), tuple(fields), photo)


# --- content rules ---------------------------------------------------------------------------


def _subject_not_leading(content: _Content) -> list[_Hit]:
    clause_end = _CLAUSE_END.search(content.text)
    end = clause_end.start() if clause_end else len(content.text)
    if not content.text.strip():
        return []
    vocabulary = term_sets()["leading_modifiers"].words() | term_sets()["filler"].words()
    words = [w.strip(".'-").lower() for w in _WORD.findall(content.text[:end])]
    if any(w and w not in vocabulary and not _MEASURE.fullmatch(w) for w in words):
        return []
    return [
        _Hit(
            "subject_not_leading",
            "warn",
            "The prompt opens with style or light words, not the subject. What comes first weighs most: "
            "name the subject first.",
            "Der Prompt beginnt mit Stil- oder Lichtwörtern statt mit dem Motiv. Was zuerst steht, wiegt "
            "am meisten: das Motiv nach vorn.",
            0,
            end,
        )
    ]


def _conflicting_terms(content: _Content) -> list[_Hit]:
    hits: list[_Hit] = []
    for conflict in conflicts():
        found = [
            (side, matches[0]) for side, terms in conflict.sides if (matches := terms.find(content.text))
        ]
        if len(found) < 2:
            continue
        first, second = sorted((match for _, match in found), key=lambda m: m.start)[:2]
        kind_en, kind_de = _KINDS.get(conflict.kind, (conflict.kind, conflict.kind))
        hits.append(
            _Hit(
                "conflicting_terms",
                "warn",
                f"“{first.text}” and “{second.text}” pull the image in opposite directions ({kind_en}); "
                "keep one of them.",
                f"„{first.text}“ und „{second.text}“ ziehen das Bild in entgegengesetzte Richtungen "
                f"({kind_de}); eines davon behalten.",
                second.start,
                second.end,
            )
        )
    return hits


def _person_hit(severity: Severity, name: str, span: tuple[int, int], styled: bool) -> _Hit:
    if styled:
        en = f"“{name}” names a real person. Imitating a living person's style or look needs their consent."
        de = f"„{name}“ nennt eine reale Person. Stil oder Aussehen einer lebenden Person nur mit Einwilligung."
    else:
        en = (
            f"“{name}” names a real person. A likeness or look-alike in an ad needs their consent (KUG § 22); "
            "TikTok bans public figures endorsing in AI content."
        )
        de = (
            f"„{name}“ nennt eine reale Person. Bildnis oder Doppelgänger in Werbung nur mit Einwilligung "
            "(§ 22 KUG); TikTok verbietet Prominente als Werbende in KI-Inhalten."
        )
    return _Hit("real_person", severity, en, de, *span)


def _is_style_name(name: str) -> bool:
    lowered = name.lower()
    if lowered in term_sets()["style_names"].words():
        return True
    vocabulary = term_sets()["leading_modifiers"].words()
    return all(word in vocabulary for word in lowered.split())


def _real_person(content: _Content) -> list[_Hit]:
    listed = term_sets()["real_persons"].find(content.text, keep_negated=True)
    hits = [_person_hit("block", m.text, (m.start, m.end), styled=False) for m in listed]
    taken = [(m.start, m.end) for m in listed]
    patterns: tuple[tuple[re.Pattern[str], Severity, bool], ...] = (
        (_LOOKALIKE, "block", False),
        (_STYLE_OF, "warn", True),
    )
    for pattern, severity, styled in patterns:
        for match in pattern.finditer(content.text):
            lo, hi = match.span("name")
            if _is_style_name(match.group("name")) or any(a < hi and lo < b for a, b in taken):
                continue
            hits.append(_person_hit(severity, match.group("name"), match.span(), styled))
            taken.append((lo, hi))
    return hits


def _minor(content: _Content) -> list[_Hit]:
    en = "Minors must not appear in AI-generated ads (TikTok bans the likeness of under-18s in AI content)."
    de = "Minderjährige gehören nicht in KI-generierte Werbung (TikTok verbietet das Abbild unter 18-Jähriger)."
    sets = term_sets()
    hits = [
        _Hit("minor", "block", f"“{m.text}”: {en}", f"„{m.text}“: {de}", m.start, m.end)
        for m in sets["minors_block"].find(content.text)
    ]
    for pattern in _AGES:
        for match in pattern.finditer(content.text):
            if int(match.group(1)) < 18 and not is_negated(content.text, match.start()):
                hits.append(
                    _Hit(
                        "minor",
                        "block",
                        f"“{match.group(0)}”: {en}",
                        f"„{match.group(0)}“: {de}",
                        *match.span(),
                    )
                )
    hits += [
        _Hit(
            "minor",
            "warn",
            f"“{m.text}” may read as a minor; if an adult is meant, say so (“young woman”, “adult”).",
            f"„{m.text}“ kann als minderjährig gelesen werden; wenn erwachsen gemeint ist, das sagen "
            "(„junge Frau“, „erwachsen“).",
            m.start,
            m.end,
        )
        for m in sets["minors_warn"].find(content.text)
    ]
    return hits


def _trademark(content: _Content, own_brands: Sequence[str]) -> list[_Hit]:
    own = {brand.casefold() for brand in own_brands}
    return [
        _Hit(
            "trademark",
            "warn",
            f"“{m.text}” is a third-party mark: leave it out of a generated image.",
            f"„{m.text}“ ist eine fremde Marke: in einem generierten Bild weglassen.",
            m.start,
            m.end,
        )
        for m in term_sets()["trademarks"].find(content.text)
        if m.text.casefold() not in own
    ]


_RENDER_EN = (
    "Generators warp lettering and logos: generate without it and composite the real artwork instead."
)
_RENDER_DE = (
    "Generatoren verzerren Schrift und Logos: ohne erzeugen und stattdessen die echte Grafik einsetzen."
)


def _rendered_text_or_logo(content: _Content, own_brands: Sequence[str]) -> list[_Hit]:
    matches = [(m.text, m.start, m.end) for m in term_sets()["rendered_text"].find(content.text)] + [
        (m.group(0), *m.span())
        for m in _QUOTED.finditer(content.text)
        if not is_negated(content.text, m.start())
    ]
    hits = [
        _Hit(
            "rendered_text_or_logo", "warn", f"“{text}”: {_RENDER_EN}", f"„{text}“: {_RENDER_DE}", start, end
        )
        for text, start, end in sorted(matches, key=lambda item: item[1])
    ]
    own = [brand for brand in own_brands if brand.strip()]
    if own:
        for match in _own_brand_matches(content.text, own):
            hits.append(
                _Hit(
                    "rendered_text_or_logo",
                    "info",
                    f"“{match.text}” is your brand: a named brand tends to be drawn as warped lettering. "
                    "Describe the product and composite the real label.",
                    f"„{match.text}“ ist Ihre Marke: eine genannte Marke wird oft als verzerrte Schrift "
                    "gezeichnet. Das Produkt beschreiben und das echte Etikett einsetzen.",
                    match.start,
                    match.end,
                )
            )
    return hits


def _own_brand_matches(text: str, brands: Sequence[str]) -> list[TermMatch]:
    return TermSet(brands).find(text)


def _photoreal_testimonial(content: _Content) -> list[_Hit]:
    sets = term_sets()
    photoreal = content.photo_setting or bool(sets["photoreal"].find(content.text))
    before_after = sets["before_after"].find(content.text)
    testimonial = sorted(sets["testimonial"].find(content.text) + before_after, key=lambda m: m.start)
    if not (photoreal and testimonial):
        return []
    first = testimonial[0]
    en = (
        "A photorealistic customer, testimonial or result is a deep fake in an ad: label it visibly as "
        "AI-generated (EU AI Act Art. 50(4), Art. 3(60)) and never present it as a real customer "
        "(UWG Anhang Nr. 23; reviews: § 5b Abs. 3 UWG)."
    )
    de = (
        "Ein fotorealistischer Kunde, eine Kundenstimme oder ein Ergebnis ist in Werbung ein Deepfake: "
        "sichtbar als KI-generiert kennzeichnen (Art. 50 Abs. 4, Art. 3 Nr. 60 KI-VO) und nie als echte "
        "Kundschaft ausgeben (UWG Anhang Nr. 23; Bewertungen: § 5b Abs. 3 UWG)."
    )
    if before_after:
        en += " Before/after images for health or cosmetics also fall under HWG § 11 Abs. 1 Nr. 5."
        de += " Vorher-nachher-Bilder zu Gesundheit oder Kosmetik fallen zudem unter § 11 Abs. 1 Nr. 5 HWG."
    return [_Hit("photoreal_testimonial", "warn", en, de, first.start, first.end)]


def _multiprompt_v7(content: _Content, version: str | None) -> list[_Hit]:
    if not midjourney.is_v7(version):
        return []
    return [
        _Hit(
            "mj_multiprompt_v7",
            "block",
            "“::” multi-prompts do not work in Midjourney V7: write one description, or set --v 6.1.",
            "„::“-Multiprompts gehen in Midjourney V7 nicht: eine Beschreibung schreiben oder --v 6.1 setzen.",
            match.start(),
            match.end(),
        )
        for match in re.finditer(r"::", content.text)
    ]


def _content_hits(
    content: _Content, generator: Generator, version: str | None, own: Sequence[str]
) -> list[_Hit]:
    checks: list[Callable[[], list[_Hit]]] = [
        lambda: _subject_not_leading(content),
        lambda: _conflicting_terms(content),
        lambda: _real_person(content),
        lambda: _minor(content),
        lambda: _trademark(content, own),
        lambda: _rendered_text_or_logo(content, own),
        lambda: _photoreal_testimonial(content),
    ]
    if generator == "midjourney":
        checks.append(lambda: _multiprompt_v7(content, version))
    return [hit for check in checks for hit in check()]


# --- syntax rules ----------------------------------------------------------------------------


def _param_issues(
    params: list[midjourney.Param], generator: Generator, version: str | None
) -> list[LintIssue]:
    if not params:
        return []
    if generator != "midjourney":
        names = ", ".join(f"--{p.name}" for p in params)
        return [
            LintIssue(
                "mj_syntax_elsewhere",
                "warn",
                f"{names}: Midjourney parameters do nothing here; use the negative prompt and size settings.",
                f"{names}: Midjourney-Parameter wirken hier nicht; Negativ-Prompt und Größeneinstellungen nutzen.",
                span=(params[0].start, params[-1].end),
            )
        ]
    return [
        LintIssue(
            problem.code,
            _severity(problem.code),
            problem.detail_en,
            problem.detail_de,
            span=(problem.param.start, problem.param.end),
        )
        for problem in midjourney.check_params(params, version)
    ]


def _severity(code: str) -> Severity:
    return next(rule.severity for rule in RULES if rule.code == code)


def _token_issue(text: str, field: str | None) -> list[LintIssue]:
    tokens = count_tokens(text)
    if not tokens.overflows or tokens.overflow_start is None:
        return []
    return [
        LintIssue(
            "sd_token_overflow",
            "warn",
            f"About {tokens.count} CLIP tokens; beyond 75 starts at “{tokens.overflow_text}”. Plain diffusers "
            "drops it, A1111/ComfyUI read it as a weaker second chunk: shorten or move it forward.",
            f"Etwa {tokens.count} CLIP-Token; nach 75 beginnt „{tokens.overflow_text}“. Diffusers verwirft "
            "das, A1111/ComfyUI lesen es als schwächeren zweiten Block: kürzen oder nach vorn holen.",
            span=(tokens.overflow_start, len(text)),
            field=field,
        )
    ]


# --- entry point -----------------------------------------------------------------------------


def _issues_from_hits(hits: list[_Hit], content: _Content) -> list[LintIssue]:
    issues = []
    for hit in sorted(hits, key=lambda h: (h.start, h.code)):
        field, span = content.locate(hit.start, hit.end)
        issues.append(
            LintIssue(hit.code, hit.severity, hit.message_en, hit.message_de, span=span, field=field)
        )
    return issues


def _lint_brief(brief: PromptBrief, generator: Generator, own: Sequence[str]) -> list[LintIssue]:
    content = _brief_content(brief, generator)
    issues = option_issues(brief, generator)
    issues += _issues_from_hits(_content_hits(content, generator, brief.midjourney.version, own), content)
    if generator == "stable_diffusion":
        positive, negative = stable_diffusion_texts(brief)
        issues += _token_issue(positive, "rendered.prompt") + _token_issue(
            negative, "rendered.negative_prompt"
        )
    return issues


def _lint_text(text: str, generator: Generator, own: Sequence[str]) -> list[LintIssue]:
    head, params = midjourney.split_prompt(text)
    version = midjourney.version_of(params, None)
    content = _Content(normalise(head), ((None, 0, len(head)),))
    issues = _issues_from_hits(_content_hits(content, generator, version, own), content)
    issues += _param_issues(params, generator, version)
    if generator == "stable_diffusion":
        issues += _token_issue(head, None)
    return issues


def lint(
    brief_or_text: PromptBrief | str, generator: Generator, *, own_brands: Sequence[str] = ()
) -> list[LintIssue]:
    """Every problem of a brief or a prompt text for `generator`: block, then warn, then info; within a
    severity, option problems first, then text problems in reading order.

    `own_brands` are the workspace's own marks: not reported as third-party marks, but noted because
    a named brand tends to be drawn as lettering.
    """
    if generator not in GENERATORS:
        raise ValueError(f"unknown generator {generator!r}; one of {', '.join(GENERATORS)}")
    if isinstance(brief_or_text, PromptBrief):
        issues = _lint_brief(brief_or_text, generator, own_brands)
    else:
        issues = _lint_text(brief_or_text, generator, own_brands)
    order = {"block": 0, "warn": 1, "info": 2}
    return sorted(issues, key=lambda issue: order[issue.severity])
