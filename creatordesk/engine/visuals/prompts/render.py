"""Renderers: one brief, written the way each generator reads it.

The subject always leads and the fields follow in a fixed order, subject → product → setting → light
(with mood) → style → camera → colours, because what comes first is weighted most (AllSocial, "Wie
KI-Bilder Marketing und Unternehmenskommunikation verändern"). What must not appear goes where each
tool takes it: Midjourney --no, the Stable Diffusion negative prompt, plain sentences for GPT-image
(which has no negative parameter) and Firefly's negative prompt (not verified).

Brand colours given as #rrggbb are named (nearest listed colour), since generators read names; the
GPT-image text keeps the hex value next to the name.

Renderers refuse options out of their documented range with `PromptOptionError`; `lint` reports the
same problems without raising.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from creatordesk.engine.visuals.prompts import midjourney
from creatordesk.engine.visuals.prompts.brief import PromptBrief
from creatordesk.engine.visuals.prompts.terms import is_hex_colour, nearest_colour_name
from creatordesk.engine.visuals.prompts.tokens import count_tokens
from creatordesk.engine.visuals.prompts.types import (
    Generator,
    LintIssue,
    PromptOptionError,
    RenderedPrompt,
    RenderNote,
)

# OpenAI Images API sizes per model
# (https://docs.griptape.ai/stable/reference/griptape/drivers/image_generation/openai_image_generation_driver/).
GPT_SIZES: dict[str, tuple[str, ...]] = {
    "gpt-image-1": ("1024x1024", "1536x1024", "1024x1536", "auto"),
    "dall-e-3": ("1024x1024", "1792x1024", "1024x1792"),
}
# Firefly's documented sizes with the names its UI gives them
# (https://app.unpkg.com/@adobe/firefly-apis@2.0.1/files/dist/src/models/Size.d.ts).
FIREFLY_SIZES: dict[str, tuple[str, int, int]] = {
    "1:1": ("Square (1:1)", 2048, 2048),
    "4:3": ("Landscape (4:3)", 2304, 1792),
    "3:4": ("Portrait (3:4)", 1792, 2304),
    "16:9": ("Widescreen (16:9)", 2688, 1536),
}
# The pixel counts checkpoints are trained at: SD 1.5 at 512², SD 2.x at 768², SDXL at about 1024² in
# buckets whose sides are multiples of 64 (Podell et al. 2023, arXiv:2307.01952, multi-aspect training).
SD_BASE_SIZES = (512, 768, 1024)
_SD_STEP = 64
_MJ_FIELDS = {
    "s": "midjourney.stylize",
    "c": "midjourney.chaos",
    "seed": "midjourney.seed",
    "q": "midjourney.quality",
    "v": "midjourney.version",
    "oref": "midjourney.omni_reference",
}
_MJ_DASHES = re.compile(r"-{2,}|—")
_MOOD_WORDS = re.compile(r"(?i)\b(mood|atmosphere|feel|vibe|stimmung|atmosphäre)\b")


# --- option checks ---------------------------------------------------------------------------


def _midjourney_params(brief: PromptBrief) -> list[tuple[str, str]]:
    """The parameters the Midjourney options stand for, in the order they are written."""
    options = brief.midjourney
    width, height = brief.ratio
    params: list[tuple[str, str]] = [("ar", f"{width}:{height}")]
    if options.raw:
        params.append(("style", "raw"))
    for name, value in (("s", options.stylize), ("c", options.chaos), ("q", options.quality)):
        if value is not None:
            params.append((name, str(value)))
    if brief.must_avoid:
        items = (" ".join(_mj_text(item).replace(",", " ").split()) for item in brief.must_avoid)
        params.append(("no", ",".join(items)))
    if options.seed is not None:
        params.append(("seed", str(options.seed)))
    if options.omni_reference:
        params.append(("oref", options.omni_reference))
    if options.version is not None:
        params.append(("v", options.version))
    if brief.purpose == "draft" and midjourney.is_v7(options.version):
        params.append(("draft", ""))
    return params


def _midjourney_option_issues(brief: PromptBrief) -> list[LintIssue]:
    params = [midjourney.Param(name, value, 0, 0) for name, value in _midjourney_params(brief)]
    return [
        LintIssue(
            problem.code, "block", problem.detail_en, problem.detail_de, field=_MJ_FIELDS[problem.param.name]
        )
        for problem in midjourney.check_params(params, brief.midjourney.version)
    ]


def _sd_option_issues(brief: PromptBrief) -> list[LintIssue]:
    size = brief.stable_diffusion.base_size
    if type(size) is int and size in SD_BASE_SIZES:
        return []
    return [
        LintIssue(
            "sd_base_size_invalid",
            "block",
            f"base size takes 512 (SD 1.5), 768 (SD 2) or 1024 (SDXL), not {size!r}",
            f"Basisgröße nimmt 512 (SD 1.5), 768 (SD 2) oder 1024 (SDXL), nicht {size!r}",
            field="stable_diffusion.base_size",
        )
    ]


def _gpt_option_issues(brief: PromptBrief) -> list[LintIssue]:
    options = brief.gpt_image
    allowed = GPT_SIZES[options.model]
    if options.size is None or options.size in allowed:
        return []
    return [
        LintIssue(
            "gpt_size_invalid",
            "block",
            f"{options.model} takes the sizes {', '.join(allowed)}, not “{options.size}”",
            f"{options.model} nimmt die Größen {', '.join(allowed)}, nicht „{options.size}“",
            field="gpt_image.size",
        )
    ]


_OPTION_CHECKS: dict[Generator, Callable[[PromptBrief], list[LintIssue]]] = {
    "midjourney": _midjourney_option_issues,
    "stable_diffusion": _sd_option_issues,
    "gpt_image": _gpt_option_issues,
    "firefly": lambda brief: [],
}


def option_issues(brief: PromptBrief, generator: Generator) -> list[LintIssue]:
    """The brief's options for `generator` that are out of their documented range."""
    return _OPTION_CHECKS[generator](brief)


def _refuse_bad_options(brief: PromptBrief, generator: Generator) -> None:
    issues = option_issues(brief, generator)
    if issues:
        raise PromptOptionError(tuple(issues))


# --- shared wording --------------------------------------------------------------------------


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _mood(text: str) -> str:
    return text if _MOOD_WORDS.search(text) else f"{text} mood"


def _colour_word(colour: str) -> str:
    return nearest_colour_name(colour) if is_hex_colour(colour) else colour


def _colour_words(brief: PromptBrief) -> list[str]:
    words: list[str] = []
    for colour in brief.brand_colours:
        word = _colour_word(colour)
        if word not in words:
            words.append(word)
    return words


def _descriptive(brief: PromptBrief) -> list[str]:
    """The fields as comma-separated prompt pieces, colours last."""
    pieces = [_mood(text) if name == "mood" else text for name, text in brief.parts()]
    colours = _colour_words(brief)
    if colours:
        pieces.append(f"color palette of {_and(colours)}")
    return pieces


def _colour_note(brief: PromptBrief) -> tuple[RenderNote, ...]:
    named = [f"{c} → {nearest_colour_name(c)}" for c in brief.brand_colours if is_hex_colour(c)]
    if not named:
        return ()
    listed = ", ".join(named)
    return (
        RenderNote(
            "colours_named",
            f"Hex colours were named for the prompt: {listed}. Check the result against the palette.",
            f"Hex-Farben wurden für den Prompt benannt: {listed}. Ergebnis mit der Palette abgleichen.",
        ),
    )


def crop_to(width: int, height: int, ratio: tuple[int, int]) -> tuple[int, int]:
    """The largest `ratio` box inside width x height."""
    rw, rh = ratio
    if width * rh > height * rw:
        return (height * rw // rh, height)
    return (width, width * rh // rw)


def _crop_note(tool: str, size: tuple[int, int], brief: PromptBrief) -> tuple[RenderNote, ...]:
    width, height = size
    crop = crop_to(width, height, brief.ratio)
    if crop == size:
        return ()
    cw, ch = crop
    fmt = brief.format
    return (
        RenderNote(
            "crop_or_outpaint",
            f"{tool} has no {fmt} size: generate {width}x{height} and crop to {cw}x{ch}, "
            f"or outpaint to {fmt}.",
            f"{tool} hat kein {fmt}-Format: {width}x{height} erzeugen und auf {cw}x{ch} zuschneiden "
            f"oder per Outpainting auf {fmt} erweitern.",
        ),
    )


def _sd_crop_note(size: tuple[int, int], brief: PromptBrief) -> tuple[RenderNote, ...]:
    width, height = size
    crop = crop_to(width, height, brief.ratio)
    if crop == size:
        return ()
    cw, ch = crop
    fmt = brief.format
    return (
        RenderNote(
            "crop_to_format",
            f"{width}x{height} (sides in multiples of 64) is close to {fmt}: crop to {cw}x{ch} after generation.",
            f"{width}x{height} (Seiten in Vielfachen von 64) liegt nahe an {fmt}: danach auf {cw}x{ch} zuschneiden.",
        ),
    )


# --- Midjourney ------------------------------------------------------------------------------


def _mj_text(text: str) -> str:
    # A "--" or em dash inside the description would start a parameter.
    return _MJ_DASHES.sub("-", text)


def render_midjourney(brief: PromptBrief) -> RenderedPrompt:
    """`text --ar W:H [--style raw] [--s N] [--c N] [--q N] [--no a,b] [--seed N] [--oref URL] [--v N] [--draft]`.

    --draft (V7 draft mode) is added for a brief whose purpose is "draft".
    """
    _refuse_bad_options(brief, "midjourney")
    text = ", ".join(_mj_text(piece) for piece in _descriptive(brief))
    params = "".join(
        f" --{name} {value}" if value else f" --{name}" for name, value in _midjourney_params(brief)
    )
    return RenderedPrompt(
        generator="midjourney",
        prompt=text + params,
        settings={"aspect_ratio": brief.format},
        notes=_colour_note(brief),
        unverified=("parameter_ranges",),
    )


# --- Stable Diffusion ------------------------------------------------------------------------


def sd_size(ratio: tuple[int, int], base_size: int) -> tuple[int, int]:
    """Width and height in multiples of 64 near `ratio` with about base_size² pixels.

    Ratio error and pixel-count error weigh the same; for SDXL this lands on its training buckets
    (768x1344 for 9:16, 896x1152 for 4:5).
    """
    target_ratio = ratio[0] / ratio[1]
    target_area = base_size * base_size
    sides = range(4 * _SD_STEP, 2 * base_size + _SD_STEP, _SD_STEP)

    def error(size: tuple[int, int]) -> tuple[float, int, int]:
        width, height = size
        ratio_error = abs(width / height - target_ratio) / target_ratio
        area_error = abs(width * height - target_area) / target_area
        return (ratio_error + area_error, width, height)

    return min(((w, h) for w in sides for h in sides), key=error)


def stable_diffusion_texts(brief: PromptBrief) -> tuple[str, str]:
    """The positive and negative prompt, without checking options (the linter counts their tokens)."""
    return ", ".join(_descriptive(brief)), ", ".join(brief.must_avoid)


def render_stable_diffusion(brief: PromptBrief) -> RenderedPrompt:
    """Positive and negative prompt with width and height; token counts show what falls past 75."""
    _refuse_bad_options(brief, "stable_diffusion")
    positive, negative = stable_diffusion_texts(brief)
    width, height = sd_size(brief.ratio, brief.stable_diffusion.base_size)
    positive_tokens = count_tokens(positive)
    notes = _colour_note(brief) + _sd_crop_note((width, height), brief)
    if positive_tokens.overflows:
        notes += (
            RenderNote(
                "sd_token_overflow",
                f"About {positive_tokens.count} tokens: beyond 75 starts at “{positive_tokens.overflow_text}”.",
                f"Etwa {positive_tokens.count} Token: nach 75 beginnt „{positive_tokens.overflow_text}“.",
            ),
        )
    return RenderedPrompt(
        generator="stable_diffusion",
        prompt=positive,
        negative_prompt=negative,
        settings={"width": width, "height": height},
        notes=notes,
        prompt_tokens=positive_tokens,
        negative_tokens=count_tokens(negative),
    )


# --- GPT-image -------------------------------------------------------------------------------


def _parse_size(size: str) -> tuple[int, int]:
    width, height = size.split("x")
    return (int(width), int(height))


def gpt_size(brief: PromptBrief) -> str:
    """The chosen or given size; by default the one whose crop to the format keeps the most pixels."""
    if brief.gpt_image.size is not None:
        return brief.gpt_image.size
    sizes = [size for size in GPT_SIZES[brief.gpt_image.model] if size != "auto"]

    def kept(size: str) -> tuple[int, int]:
        width, height = _parse_size(size)
        cw, ch = crop_to(width, height, brief.ratio)
        return (cw * ch, -(width * height))

    return max(sizes, key=kept)


def _sentence(text: str) -> str:
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."


def _gpt_colours(brief: PromptBrief) -> str:
    described = [f"{_colour_word(c)} ({c.upper()})" if is_hex_colour(c) else c for c in brief.brand_colours]
    return f"Brand colors: {_and(described)}." if described else ""


def _gpt_composition(size: str, brief: PromptBrief) -> str:
    if size == "auto":
        return ""
    width, height = _parse_size(size)
    cw, ch = crop_to(width, height, brief.ratio)
    if (cw, ch) == (width, height):
        return ""
    side, share = ("width", cw / width) if cw < width else ("height", ch / height)
    return (
        f"The image will be cropped to {brief.format}: keep the subject and every important detail "
        f"within the central {int(share * 100)}% of the {side}."
    )


_GPT_LABELS = {
    "product": "Product",
    "setting": "Setting",
    "light": "Lighting",
    "mood": "Mood",
    "style": "Style",
    "camera": "Camera",
}


def render_gpt_image(brief: PromptBrief) -> RenderedPrompt:
    """Natural-language prompt with the avoid-list as sentences; `size` from the model's fixed sizes."""
    _refuse_bad_options(brief, "gpt_image")
    size = gpt_size(brief)
    sentences = [
        _sentence(text) if name == "subject" else f"{_GPT_LABELS[name]}: {text.rstrip('.')}."
        for name, text in brief.parts()
    ]
    sentences += [_gpt_colours(brief), _gpt_composition(size, brief)]
    sentences += [f"Do not include {item.rstrip('.')}." for item in brief.must_avoid]
    notes: tuple[RenderNote, ...] = ()
    if size == "auto":
        notes = (
            RenderNote(
                "size_auto",
                f"With size auto the model picks the shape; plan the crop to {brief.format} after generation.",
                f"Mit size auto wählt das Modell das Format; den Zuschnitt auf {brief.format} danach planen.",
            ),
        )
    else:
        notes = _crop_note(brief.gpt_image.model, _parse_size(size), brief)
    return RenderedPrompt(
        generator="gpt_image",
        prompt=" ".join(sentence for sentence in sentences if sentence),
        settings={"model": brief.gpt_image.model, "size": size},
        notes=notes,
    )


# --- Firefly ---------------------------------------------------------------------------------


def firefly_aspect(brief: PromptBrief) -> str:
    """The documented Firefly aspect ratio whose crop to the format keeps the most pixels."""

    def kept(key: str) -> int:
        _, width, height = FIREFLY_SIZES[key]
        cw, ch = crop_to(width, height, brief.ratio)
        return cw * ch

    return max(FIREFLY_SIZES, key=kept)


def render_firefly(brief: PromptBrief) -> RenderedPrompt:
    """Prompt, content type and aspect ratio as Firefly offers them; the negative prompt is unverified."""
    aspect = firefly_aspect(brief)
    label, width, height = FIREFLY_SIZES[aspect]
    settings: dict[str, str | int] = {
        "aspect_ratio": aspect,
        "aspect_label": label,
        "width": width,
        "height": height,
    }
    if brief.firefly.content_type != "auto":
        settings["content_type"] = brief.firefly.content_type
    notes = _colour_note(brief) + _crop_note("Firefly", (width, height), brief)
    unverified: tuple[str, ...] = ("negative_prompt",) if brief.must_avoid else ()
    if brief.format == "9:16":
        notes += (
            RenderNote(
                "firefly_vertical_unverified",
                "The Firefly web app may offer 9:16 directly; only 1:1, 4:3, 3:4 and 16:9 are documented.",
                "Die Firefly-Web-App bietet 9:16 eventuell direkt an; dokumentiert sind nur 1:1, 4:3, 3:4 "
                "und 16:9.",
            ),
        )
        unverified += ("aspect_ratio.9:16",)
    return RenderedPrompt(
        generator="firefly",
        prompt=", ".join(_descriptive(brief)),
        negative_prompt=", ".join(brief.must_avoid),
        settings=settings,
        notes=notes,
        unverified=unverified,
    )


RENDERERS: dict[Generator, Callable[[PromptBrief], RenderedPrompt]] = {
    "midjourney": render_midjourney,
    "stable_diffusion": render_stable_diffusion,
    "gpt_image": render_gpt_image,
    "firefly": render_firefly,
}


def render(brief: PromptBrief, generator: Generator) -> RenderedPrompt:
    """The brief rendered for `generator`; raises PromptOptionError for options out of range."""
    try:
        renderer = RENDERERS[generator]
    except KeyError:
        raise ValueError(f"unknown generator {generator!r}; one of {', '.join(RENDERERS)}") from None
    return renderer(brief)
