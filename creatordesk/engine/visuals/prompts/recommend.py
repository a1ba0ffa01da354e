"""Which generator fits which purpose: quick drafts versus high-resolution final images, and when to upscale.

The advice follows AllSocial, "Wie KI-Bilder Marketing und Unternehmenskommunikation verändern": drafts
are cheap and fast to make and test as variants before production; images made quickly in a chat tool
need their resolution and detail checked; some tools offer high-resolution or upscaling options, but for
high resolution the specialised tools (Midjourney, Flux, Leonardo AI) give high-quality renders and
consistent results. Native sizes come from the documented size lists; where none is documented here the
upscale question stays open (None) rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from creatordesk.engine.visuals.prompts.brief import PURPOSES, Purpose
from creatordesk.engine.visuals.prompts.types import Generator, RenderNote

SEED_ARTICLE = 'AllSocial, "Wie KI-Bilder Marketing und Unternehmenskommunikation verändern" (guest article)'
SOURCES: dict[str, str] = {
    "seed": SEED_ARTICLE,
    "gpt_image": "https://docs.griptape.ai/stable/reference/griptape/drivers/image_generation/openai_image_generation_driver/",
    "firefly": "https://app.unpkg.com/@adobe/firefly-apis@2.0.1/files/dist/src/models/Size.d.ts",
    "stable_diffusion": "https://arxiv.org/abs/2307.01952",
    "midjourney": "https://docs.evolink.ai/en/api-manual/image-series/midjourney/midjourney-v7-prompt-guide",
    "composite": "https://retouchable.ai/blog/spot-avoid-ai-artifacts-product-photography/",
}
# Longest side of the largest documented output: gpt-image-1 1536x1024, Firefly 2688x1536, SDXL's
# 1344x768 bucket. Midjourney, Flux and Leonardo: not documented in the sources above.
NATIVE_LONG_EDGE: dict[str, int | None] = {
    "gpt_image": 1536,
    "firefly": 2688,
    "stable_diffusion": 1344,
    "midjourney": None,
    "flux": None,
    "leonardo": None,
}
RENDERER: dict[str, Generator | None] = {
    "gpt_image": "gpt_image",
    "firefly": "firefly",
    "stable_diffusion": "stable_diffusion",
    "midjourney": "midjourney",
    "flux": None,
    "leonardo": None,
}
NAMES: dict[str, str] = {
    "gpt_image": "GPT-image",
    "firefly": "Firefly",
    "stable_diffusion": "Stable Diffusion",
    "midjourney": "Midjourney",
    "flux": "Flux",
    "leonardo": "Leonardo AI",
}
CANDIDATES: dict[str, tuple[str, ...]] = {
    "draft": ("gpt_image", "midjourney", "firefly"),
    "final": ("midjourney", "flux", "leonardo"),
}


@dataclass(frozen=True)
class GeneratorFit:
    """One suggested tool: the renderer that writes its prompt (None: none of its own) and whether the
    target size needs an upscale (None: no target given or native size not documented)."""

    name: str
    renderer: Generator | None
    native_long_edge: int | None
    upscale: bool | None

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "renderer": self.renderer,
            "native_long_edge": self.native_long_edge,
            "upscale": self.upscale,
        }


@dataclass(frozen=True)
class GeneratorAdvice:
    """Tools for a purpose, best first, with the reasons and where they come from."""

    purpose: Purpose
    generators: tuple[GeneratorFit, ...]
    notes: tuple[RenderNote, ...]
    sources: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "purpose": self.purpose,
            "generators": [fit.as_dict() for fit in self.generators],
            "notes": [note.as_dict() for note in self.notes],
            "sources": list(self.sources),
        }


def _fit(name: str, long_edge: int | None) -> GeneratorFit:
    native = NATIVE_LONG_EDGE[name]
    upscale = None if native is None or long_edge is None else long_edge > native
    return GeneratorFit(name, RENDERER[name], native, upscale)


_DRAFT = RenderNote(
    "draft_tools",
    "Drafts: make several variants quickly and cheaply and test them before production; for Midjourney "
    "the composer adds --draft to a draft brief.",
    "Entwürfe: mehrere Varianten schnell und günstig erzeugen und vor der Produktion testen; für "
    "Midjourney setzt der Composer bei einem Entwurf --draft.",
)
_FINAL = RenderNote(
    "final_tools",
    "High resolution: specialised tools (Midjourney, Flux, Leonardo AI) give high-quality renders and "
    "consistent results; check resolution and detail of images made quickly in a chat tool.",
    "Hohe Auflösung: spezialisierte Tools (Midjourney, Flux, Leonardo AI) liefern hochwertige Renderings "
    "und konsistente Ergebnisse; Auflösung und Details schnell im Chat erzeugter Bilder prüfen.",
)
_TEXT = RenderNote(
    "composite_text",
    "Let no generator draw brand text, logos or packaging copy: generate without text and composite the "
    "real artwork and typography afterwards.",
    "Markentext, Logos und Verpackungstexte von keinem Generator zeichnen lassen: ohne Text erzeugen und "
    "die echte Grafik und Typografie danach einsetzen.",
)


def _size_notes(fits: tuple[GeneratorFit, ...], long_edge: int) -> tuple[RenderNote, ...]:
    notes: list[RenderNote] = []
    upscale = [f"{NAMES[fit.name]} ({fit.native_long_edge} px)" for fit in fits if fit.upscale]
    unknown = [NAMES[fit.name] for fit in fits if fit.upscale is None]
    if upscale:
        names = ", ".join(upscale)
        notes.append(
            RenderNote(
                "upscale",
                f"A long side of {long_edge} px is beyond the largest output of {names}: use the tool's "
                "high-resolution or upscaling option, then check the detail.",
                f"Eine lange Seite von {long_edge} px übersteigt die größte Ausgabe von {names}: die "
                "Hochauflösungs- oder Upscaling-Option des Tools nutzen und danach die Details prüfen.",
            )
        )
    if unknown:
        names = ", ".join(unknown)
        notes.append(
            RenderNote(
                "check_output_size",
                f"Output size of {names} is not documented here: check that it reaches {long_edge} px, "
                "or upscale.",
                f"Die Ausgabegröße von {names} ist hier nicht dokumentiert: prüfen, ob sie {long_edge} px "
                "erreicht, sonst hochskalieren.",
            )
        )
    return tuple(notes)


def recommend_generator(
    purpose: Purpose, needs_text: bool = False, resolution: tuple[int, int] | None = None
) -> GeneratorAdvice:
    """Tools for `purpose` ("draft" or "final"), whether text on the image changes the plan, and whether
    the target `resolution` (width, height in px) needs an upscale."""
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be draft or final, not {purpose!r}")
    if resolution is not None and not (len(resolution) == 2 and all(int(side) > 0 for side in resolution)):
        raise ValueError(f"resolution must be (width, height) in pixels, not {resolution!r}")
    long_edge = max(resolution) if resolution is not None else None
    fits = tuple(_fit(name, long_edge) for name in CANDIDATES[purpose])
    notes = [_DRAFT if purpose == "draft" else _FINAL]
    sources = [SOURCES["seed"]] + [SOURCES[fit.name] for fit in fits if fit.name in SOURCES]
    if long_edge is not None:
        notes.extend(_size_notes(fits, long_edge))
    if needs_text:
        notes.append(_TEXT)
        sources.append(SOURCES["composite"])
    return GeneratorAdvice(purpose, fits, tuple(notes), tuple(dict.fromkeys(sources)))
