"""An approximate CLIP token count for Stable Diffusion prompts, and where the 75-token window ends.

CLIP reads 77 tokens, two of them start and end markers, so 75 carry the prompt; A1111 and ComfyUI
start a new 75-token chunk after that, plain diffusers pipelines drop the rest
(https://github.com/easydiffusion/easydiffusion/wiki/Writing-prompts/899afcc959da26b0198204f14ca4a2d9058dee3d,
A1111 `sd_emphasis.py`).

The approximation: the text is split the way CLIP's own tokenizer splits it before byte-pair encoding
(https://github.com/openai/CLIP/blob/main/clip/simple_tokenizer.py: contractions, runs of letters,
single digits, runs of other symbols), and each piece counts as one token. Common English words are one
token in CLIP's vocabulary, so the count is right for them; rare or long words ("photorealistic")
are several BPE tokens, so the true count can be higher, never lower. Emphasis markup, "(word:1.2)",
"((word))", "[word]", is removed first because A1111 reads it as weights, not words. A1111's BREAK
keyword is not handled.
"""

from __future__ import annotations

import re

from creatordesk.engine.visuals.prompts.types import TokenCount

CLIP_WINDOW = 75
# CLIP's pattern with \p{L} written as [^\W\d_] and \p{N} as \d, which Python's re lacks.
_PIECE = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|(?:[^\s\w]|_)+", re.IGNORECASE)
# A1111 attention syntax: a weight after a colon inside brackets, and the brackets themselves.
_WEIGHT = re.compile(r":\s*-?\d+(?:\.\d+)?\s*(?=\))")
_BRACKET = re.compile(r"[()\[\]]")


def _without_emphasis(text: str) -> str:
    # Markup is blanked, not removed, so every offset still points into the original text.
    text = _WEIGHT.sub(lambda m: " " * len(m.group(0)), text)
    return _BRACKET.sub(" ", text)


def count_tokens(text: str, limit: int = CLIP_WINDOW) -> TokenCount:
    """Approximate CLIP tokens of `text`, with the text that falls beyond `limit` tokens."""
    pieces = list(_PIECE.finditer(_without_emphasis(text)))
    if len(pieces) <= limit:
        return TokenCount(count=len(pieces), limit=limit)
    start = pieces[limit].start()
    return TokenCount(count=len(pieces), limit=limit, overflow_start=start, overflow_text=text[start:])
