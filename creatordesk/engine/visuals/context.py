"""The frozen limits, paths and thresholds one image check runs with (never Django settings)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Self

from creatordesk.lib.env import env_int, env_str

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class VisualContext:
    """Everything a check needs besides the image and the brief."""

    max_bytes: int = 50 * 1024**2
    # Pillow's own bomb guard warns above 89 Mpx and refuses above twice that; a check refuses earlier.
    max_pixels: int = 60_000_000
    min_side_px: int = 16
    # Certificates whose signatures count as trusted, in PEM; the shipped file holds the C2PA and CAI
    # trust anchors, a deployment or a test may point elsewhere.
    trust_anchors: Path = DATA / "trust_anchors.pem"
    ocr_languages: str = "deu+eng"
    ocr_timeout_s: float = 30.0
    # Share of OCR words not in the German or English dictionary above which rendered text reads as gibberish.
    gibberish_share: float = 0.4
    # Hamming distance of 64-bit perceptual hashes at or below which two images are near-duplicates.
    duplicate_distance: int = 10
    cpu_threads: int = 1

    @classmethod
    def from_env(cls) -> Self:
        """Limits from CREATORDESK_VISUAL_* variables (bad values raise EnvError naming the variable)."""
        anchors = env_str("CREATORDESK_VISUAL_TRUST_ANCHORS")
        return cls(
            max_bytes=env_int("CREATORDESK_VISUAL_MAX_BYTES", cls.max_bytes, minimum=1),
            max_pixels=env_int("CREATORDESK_VISUAL_MAX_PIXELS", cls.max_pixels, minimum=1),
            trust_anchors=Path(anchors) if anchors else cls.trust_anchors,
            ocr_languages=env_str("CREATORDESK_OCR_LANGUAGES", cls.ocr_languages),
        )
