"""What the visual checks produce: findings (with the region of the image they concern), items for
the reviewer's list, the provenance signals found, and one labelling decision per channel."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["block", "warn", "info"]
Category = Literal["provenance", "labelling", "quality", "brand"]
Channel = Literal["tiktok", "meta", "web"]
CHANNELS: tuple[Channel, ...] = ("tiktok", "meta", "web")


class VisualInputError(Exception):
    """The file cannot be checked (missing, empty, not an image, truncated, too large, a decompression bomb)."""


@dataclass(frozen=True)
class Region:
    """A part of the image as fractions of its width and height (0 to 1), top-left origin."""

    x: float
    y: float
    w: float
    h: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class VisualFinding:
    """One problem in the image: a rule code, what was seen, why it matters and where the rule comes from."""

    rule: str  # e.g. "provenance.stripped", "quality.ocr_misspelt", "brand.off_palette"
    category: Category
    severity: Severity
    evidence: str
    explanation: str
    citation: str = ""
    region: Region | None = None
    score: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "evidence": self.evidence,
            "explanation": self.explanation,
            "citation": self.citation,
            "region": self.region.as_dict() if self.region else None,
            "score": None if self.score is None else round(self.score, 4),
        }


@dataclass(frozen=True)
class ReviewItem:
    """Something only a person can judge (consent of a shown face, hands and anatomy), put on their list."""

    code: str  # e.g. "consent_or_lookalike", "hands_and_anatomy"
    text_en: str
    text_de: str
    region: Region | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "text": {"en": self.text_en, "de": self.text_de},
            "region": self.region.as_dict() if self.region else None,
        }


@dataclass(frozen=True)
class C2paManifest:
    """What a C2PA manifest store says: its presence, validity, signer trust, actions and source types."""

    present: bool
    valid: bool = False
    trusted: bool = False
    signer: str = ""
    claim_generator: str = ""
    actions: tuple[str, ...] = ()
    digital_source_types: tuple[str, ...] = ()
    validation_errors: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


@dataclass(frozen=True)
class Provenance:
    """Every provenance signal found in the file; an empty one proves nothing (metadata is easily lost)."""

    c2pa: C2paManifest = field(default_factory=lambda: C2paManifest(present=False))
    iptc_digital_source_type: str = ""  # the IPTC code's last path segment, e.g. "trainedAlgorithmicMedia"
    exif_software: str = ""
    generator_parameters: str = ""  # Stable Diffusion / ComfyUI / A1111 text chunk, shortened
    generator: str = ""  # "a1111", "comfyui", "midjourney", "firefly", "openai", ... when known
    stripped: tuple[str, ...] = ()  # signals an earlier version of the asset had and this one lacks

    @property
    def ai_signal(self) -> str:
        """ "generated", "composite", "edited" or "" from the strongest signal present."""
        types = {*self.c2pa.digital_source_types, self.iptc_digital_source_type}
        if {"trainedAlgorithmicMedia", "algorithmicMedia"} & types or self.generator_parameters:
            return "generated"
        if "compositeWithTrainedAlgorithmicMedia" in types or "compositeSynthetic" in types:
            return "composite"
        if "algorithmicallyEnhanced" in types:
            return "edited"
        # A known generator named in the claim generator, EXIF Software or XMP CreatorTool.
        return "generated" if self.generator else ""

    def as_dict(self) -> dict[str, object]:
        return {
            "c2pa": self.c2pa.as_dict(),
            "iptc_digital_source_type": self.iptc_digital_source_type,
            "exif_software": self.exif_software,
            "generator_parameters": self.generator_parameters,
            "generator": self.generator,
            "stripped": list(self.stripped),
            "ai_signal": self.ai_signal,
            "signals_prove_nothing_when_absent": True,
        }


@dataclass(frozen=True)
class LabelDecision:
    """Whether and how the image must be labelled on one channel under one rule, with the label's text."""

    channel: Channel
    rule: str  # e.g. "eu_ai_act_art50_4", "tiktok_aigc", "meta_ai_info", "de_uwg_5"
    required: bool
    reason_en: str
    reason_de: str
    citation: str
    label_en: str = ""
    label_de: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "channel": self.channel,
            "rule": self.rule,
            "required": self.required,
            "reason": {"en": self.reason_en, "de": self.reason_de},
            "citation": self.citation,
            "label": {"en": self.label_en, "de": self.label_de} if self.required else None,
        }
