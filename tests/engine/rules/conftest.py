"""Shared helpers for the rules tests: the default packs and small span builders."""

from __future__ import annotations

import pytest

from creatordesk.engine.rules import DEFAULT_PACKS, Pack, check_text, load_packs
from creatordesk.engine.types import Brief, Finding, TextSpan


@pytest.fixture(scope="session")
def packs() -> list[Pack]:
    return load_packs(DEFAULT_PACKS)


def caption(text: str, lang: str = "de") -> TextSpan:
    return TextSpan(start_s=0.0, end_s=0.0, text=text, source="caption", lang=lang)


def speech(start_s: float, end_s: float, text: str, lang: str = "de") -> TextSpan:
    return TextSpan(start_s=start_s, end_s=end_s, text=text, source="speech", lang=lang)


def onscreen(start_s: float, end_s: float, text: str, lang: str = "de") -> TextSpan:
    return TextSpan(start_s=start_s, end_s=end_s, text=text, source="onscreen", lang=lang)


NO_DISCLOSURE = Brief(disclosure_required=False)


def categories(spans: list[TextSpan], packs: list[Pack], brief: Brief = NO_DISCLOSURE) -> set[str]:
    return {finding.category for finding in check_text(spans, packs=packs, brief=brief, duration_s=30.0)}


def findings_of(
    category: str, spans: list[TextSpan], packs: list[Pack], brief: Brief = NO_DISCLOSURE
) -> list[Finding]:
    found = check_text(spans, packs=packs, brief=brief, duration_s=30.0)
    return [finding for finding in found if finding.category == category]
