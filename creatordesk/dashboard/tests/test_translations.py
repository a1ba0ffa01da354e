"""The German catalogue is complete: no empty or fuzzy entries."""

from __future__ import annotations

import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "de" / "LC_MESSAGES"


def _entries(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if "msgid" in block]


def test_every_german_message_is_translated() -> None:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    untranslated = []
    for block in _entries(text)[1:]:  # the first entry is the header
        if "#, fuzzy" in block or re.search(r'msgstr(\[\d\])? ""\n?$', block.strip() + "\n"):
            untranslated.append(block.split("\n")[-1] if "msgid" not in block else block[:120])
    assert not untranslated, untranslated[:5]
