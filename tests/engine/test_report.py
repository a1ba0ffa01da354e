"""Reports say how surely each text finding matched, so reviewers can start with the certain ones."""

from __future__ import annotations

import jsonschema

from creatordesk.engine.pipeline import ReviewResult
from creatordesk.engine.report import render_html, render_text
from creatordesk.engine.schema import review_schema
from creatordesk.engine.steps.base import MediaInfo
from creatordesk.engine.types import Finding


def _finding(category: str, source: str, confidence: str, evidence: str) -> Finding:
    return Finding(
        rule=f"test.{category}",
        category=category,
        severity="warn",
        source=source,  # type: ignore[arg-type]
        start_s=1.0,
        end_s=2.0,
        evidence=evidence,
        explanation="Why it matters.",
        citation="A source",
        confidence=confidence,  # type: ignore[arg-type]
    )


REVIEW = ReviewResult(
    video="clip.mp4",
    media=MediaInfo("mp4", 8.0, 720, 1280, 30.0, True, "h264"),
    transcript=[],
    onscreen_text=[],
    findings=[
        _finding("competitor_mention", "speech", "possible", "La Roche Bosse"),
        _finding("medical_claim", "onscreen", "grammar", "beugt Pickeln vor"),
        _finding("off_platform", "caption", "full", "Link in Bio"),
        _finding("nudity", "visual", "full", "exposed"),
    ],
    fit={"score": 100, "parts": []},
    timings={},
).as_dict()


def test_the_json_report_carries_each_findings_match_confidence_in_schema_version_1() -> None:
    jsonschema.validate(REVIEW, review_schema())
    assert REVIEW["schema"] == "creatordesk.review/1"
    assert [f["confidence"] for f in REVIEW["findings"]] == ["possible", "grammar", "full", "full"]


def test_the_text_report_names_how_each_text_finding_matched() -> None:
    text = render_text(REVIEW)
    assert "competitor_mention (speech, possible match)" in text
    assert "medical_claim (onscreen, grammar match)" in text
    assert "off_platform (caption, full match)" in text
    # A picture has no words to match.
    assert "nudity (visual)" in text


def test_the_html_report_names_how_each_text_finding_matched() -> None:
    page = render_html(REVIEW)
    assert "speech · possible match" in page
    assert "onscreen · grammar match" in page
