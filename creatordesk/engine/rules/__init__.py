"""Text rules of the pre-review: policy packs, ad disclosure and the brand's brief.

The media pipeline hands over every transcript segment, on-screen line and the caption as TextSpans;
`check_text` returns time-coded Findings. Packs are YAML data in `packs/` (see docs/policy-packs.md).
"""

from __future__ import annotations

from creatordesk.engine.rules.check import MentionHit, check_text, must_mention_coverage
from creatordesk.engine.rules.packs import Pack, Rule, available_packs, load_packs

DEFAULT_PACKS = ("tiktok-shop", "de-law")

__all__ = [
    "DEFAULT_PACKS",
    "MentionHit",
    "Pack",
    "Rule",
    "available_packs",
    "check_text",
    "load_packs",
    "must_mention_coverage",
]
