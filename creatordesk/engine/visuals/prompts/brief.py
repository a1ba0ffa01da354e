"""The structured brief a visual is composed from, and the options each generator takes beyond the text.

Choices from a fixed list (format, purpose, GPT-image model, Firefly content type) and an empty subject
are refused when the brief is built (`PromptBriefError`). Numbers a person types (Midjourney stylize,
chaos, seed, SD base size, GPT-image size) are kept as given: `lint` reports them out of range with the
rest of the brief's problems, and the renderers refuse them (`PromptOptionError`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from creatordesk.engine.visuals.prompts.types import PromptBriefError

Format = Literal["9:16", "4:5", "1:1", "16:9"]
Purpose = Literal["draft", "final"]
# Width and height of each channel format as whole numbers, which is also what Midjourney's --ar takes.
FORMATS: dict[str, tuple[int, int]] = {"9:16": (9, 16), "4:5": (4, 5), "1:1": (1, 1), "16:9": (16, 9)}
PURPOSES: tuple[Purpose, ...] = ("draft", "final")

GptModel = Literal["gpt-image-1", "dall-e-3"]
FireflyContentType = Literal["auto", "photo", "art"]


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise PromptBriefError(name, "must be text", "muss Text sein")
    return " ".join(value.split())


def _texts(values: object, name: str) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise PromptBriefError(name, "must be a list of texts", "muss eine Liste von Texten sein")
    cleaned = (_text(value, name) for value in values)
    return tuple(value for value in cleaned if value)


@dataclass(frozen=True)
class MidjourneyOptions:
    """Midjourney parameters (https://docs.evolink.ai/en/api-manual/image-series/midjourney/midjourney-v7-prompt-guide).

    None leaves a parameter out, so Midjourney's own default applies (--s 100, current version).
    `quality` is --q (1, 2 or 4); `omni_reference` is the --oref image URL, which --q 4 does not allow.
    """

    stylize: int | None = None  # --s, 0-1000
    chaos: int | None = None  # --c, 0-100
    seed: int | None = None  # --seed, 0-4294967295
    version: str | None = None  # --v, e.g. "7"; None: the current default, treated as V7
    raw: bool = False  # --style raw
    quality: int | None = None  # --q
    omni_reference: str = ""  # --oref URL


@dataclass(frozen=True)
class StableDiffusionOptions:
    """Stable Diffusion settings: the pixel count the checkpoint was trained at (its side for a square).

    1024 for SDXL-family checkpoints, 512 for SD 1.5, 768 for SD 2.x; width and height follow the format.
    Steps and CFG scale depend on the checkpoint and sampler and are left to the tool.
    """

    base_size: int = 1024


@dataclass(frozen=True)
class GptImageOptions:
    """OpenAI image model and size; `size` None picks the size the format crops from with least loss."""

    model: GptModel = "gpt-image-1"
    size: str | None = None


@dataclass(frozen=True)
class FireflyOptions:
    """Firefly content type ("photo" or "art"); "auto" leaves the choice to Firefly."""

    content_type: FireflyContentType = "auto"


@dataclass(frozen=True)
class PromptBrief:
    """What the image should show, in the order it is weighted: the subject leads, colours come last.

    `brand_colours` takes colour names or `#rrggbb` values; `must_avoid` lists what must not appear
    (Midjourney --no, SD negative prompt, sentences for GPT-image). Lists may be passed as any sequence
    of strings and are kept as tuples; whitespace inside each text is collapsed.
    """

    subject: str
    product: str = ""
    setting: str = ""
    light: str = ""
    style: str = ""
    camera: str = ""
    format: Format = "1:1"
    must_avoid: Sequence[str] = ()
    brand_colours: Sequence[str] = ()
    mood: str = ""
    purpose: Purpose = "final"
    midjourney: MidjourneyOptions = field(default_factory=MidjourneyOptions)
    stable_diffusion: StableDiffusionOptions = field(default_factory=StableDiffusionOptions)
    gpt_image: GptImageOptions = field(default_factory=GptImageOptions)
    firefly: FireflyOptions = field(default_factory=FireflyOptions)

    def __post_init__(self) -> None:
        for name in ("subject", "product", "setting", "light", "style", "camera", "mood"):
            object.__setattr__(self, name, _text(getattr(self, name), name))
        object.__setattr__(self, "must_avoid", _texts(self.must_avoid, "must_avoid"))
        object.__setattr__(self, "brand_colours", _texts(self.brand_colours, "brand_colours"))
        if not self.subject:
            raise PromptBriefError("subject", "a subject is required", "ein Motiv ist Pflicht")
        if self.format not in FORMATS:
            raise PromptBriefError(
                "format", f"must be one of {', '.join(FORMATS)}", f"muss eines von {', '.join(FORMATS)} sein"
            )
        if self.purpose not in PURPOSES:
            raise PromptBriefError("purpose", "must be draft or final", "muss draft oder final sein")
        if self.gpt_image.model not in ("gpt-image-1", "dall-e-3"):
            raise PromptBriefError(
                "gpt_image.model", "must be gpt-image-1 or dall-e-3", "muss gpt-image-1 oder dall-e-3 sein"
            )
        if self.firefly.content_type not in ("auto", "photo", "art"):
            raise PromptBriefError(
                "firefly.content_type", "must be auto, photo or art", "muss auto, photo oder art sein"
            )

    @property
    def ratio(self) -> tuple[int, int]:
        return FORMATS[self.format]

    def parts(self) -> tuple[tuple[str, str], ...]:
        """The filled-in descriptive fields as (field, text), in prompt order; colours are rendered apart.

        Mood travels with the light (a light mood is one decision), so it follows it.
        """
        order = ("subject", "product", "setting", "light", "mood", "style", "camera")
        return tuple((name, getattr(self, name)) for name in order if getattr(self, name))
