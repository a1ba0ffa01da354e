"""Value types shared by every step of the pre-review pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["block", "warn", "info"]
Source = Literal["speech", "onscreen", "caption", "visual", "format"]
Verdict = Literal["block", "needs_review", "clean"]
# How a finding was matched: the words as written in a rule, the words once grammar was applied
# (a separable verb re-joined, a compound split, a wrapped line joined), or words only heard like a
# risky term (speech that approximates a brand name).
Confidence = Literal["full", "grammar", "possible"]
CONFIDENCES: tuple[Confidence, ...] = ("full", "grammar", "possible")

CATEGORIES: tuple[str, ...] = (
    "medical_claim",
    "weight_claim",
    "absolute_claim",
    "price_claim",
    "comparison",
    "off_platform",
    "false_reward",
    "prohibited_product",
    "profanity",
    "disclosure_missing",
    "disclosure_weak",
    "banned_term",
    "competitor_mention",
    "must_mention_missing",
    "nudity",
    "product_not_visible",
    "no_human_presence",
    "format",
)


class InputError(Exception):
    """Bad input the user can fix (not a video, over a limit, broken brief); shown as one line."""


@dataclass(frozen=True)
class TextSpan:
    """A piece of text tied to a moment of the video: a transcript segment, an on-screen line, the caption."""

    start_s: float
    end_s: float
    text: str
    source: Source
    lang: str = "en"
    # On-screen text: spans with the same group are read as one passage (a sentence that runs on
    # from one sticker to the next). None: the span is a passage of its own.
    group: int | None = None


@dataclass(frozen=True)
class Finding:
    """One rule broken at one moment, with the evidence and the rule's source."""

    rule: str
    category: str
    severity: Severity
    source: Source
    start_s: float
    end_s: float
    evidence: str
    explanation: str
    citation: str
    confidence: Confidence = "full"

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "source": self.source,
            "start_s": round(self.start_s, 2),
            "end_s": round(self.end_s, 2),
            "evidence": self.evidence,
            "explanation": self.explanation,
            "citation": self.citation,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class Brief:
    """What the brand asked of the creator, as far as a machine can check it."""

    product_name: str = ""
    reference_images: tuple[Path, ...] = ()
    must_mentions: tuple[str, ...] = ()
    banned_terms: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    # The brand's own names (brand, product lines): said often and easily misheard.
    brand_names: tuple[str, ...] = ()
    disclosure_required: bool = True
    min_duration_s: float | None = None
    max_duration_s: float | None = None
    caption: str = ""
    language: str = "de"
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Frame:
    """A decoded, downscaled frame kept for analysis; `image` is a BGR uint8 numpy array."""

    t: float
    image: object
