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


GERMAN_CLAIM = ReviewResult(
    video="serum.mp4",
    media=MediaInfo("mp4", 8.0, 720, 1280, 30.0, True, "h264"),
    transcript=[],
    onscreen_text=[],
    findings=[
        Finding(
            rule="visual.no_human_presence",
            category="no_human_presence",
            severity="info",
            source="visual",
            start_s=0.0,
            end_s=8.0,
            evidence="no face in 5 sampled frames",
            explanation="stored English text",
            citation="",
        )
    ],
    fit={
        "score": 80,
        "parts": [{"name": "must_mentions", "points": 20, "max": 40, "detail": "1 of 2 mentioned"}],
    },
    timings={},
).as_dict()


def test_a_german_reader_gets_the_text_report_in_german() -> None:
    text = render_text(GERMAN_CLAIM, lang="de")
    assert text.startswith("Vorprüfung von serum.mp4")
    assert "Beleg: kein Gesicht in 5 geprüften Bildern" in text
    assert "stored English text" not in text
    assert "1 von 2 erwähnt" in text
    assert "Transkript: keine Sprache" in text


def test_the_html_report_names_its_language_and_speaks_it() -> None:
    page = render_html(GERMAN_CLAIM, lang="de")
    assert '<html lang="de">' in page
    assert "<h2>Befunde (1)</h2>" in page and "kein Gesicht in 5 geprüften Bildern" in page


def test_the_report_language_follows_the_terminal_locale() -> None:
    from creatordesk.engine.cli import report_language

    assert report_language({"LANG": "de_DE.UTF-8"}) == "de"
    assert report_language({"LC_ALL": "en_GB.UTF-8", "LANG": "de_DE.UTF-8"}) == "en"
    assert report_language({}) == "en"
