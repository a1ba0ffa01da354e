"""Findings, history and fit read in the reader's language, whatever language the video was in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils.html import escape

from creatordesk.accounts.models import User
from creatordesk.creators.portal import portal_submission_path
from creatordesk.engine.rules.packs import available_packs, load_packs
from creatordesk.reviews import services
from creatordesk.reviews.models import Finding, Submission, Version
from creatordesk.reviews.templatetags.review_extras import EVENT_LABELS

pytestmark = pytest.mark.django_db

SHIPPED = load_packs(available_packs())
EVERY_RULE = [rule for pack in SHIPPED for rule in pack.rules]
EVERY_DISCLOSURE = [
    (f"{pack.disclosure.id}.{message}", wording)
    for pack in SHIPPED
    if pack.disclosure is not None
    for message, wording in pack.disclosure.explanation.items()
]


def _version(side) -> Version:
    submission = Submission.objects.create(
        workspace=side.workspace, collaboration=side.collaboration, title="Serum video"
    )
    return Version.objects.create(
        workspace=side.workspace, submission=submission, number=1, file="x.mp4", original_name="x.mp4",
        size_bytes=1, duration_s=30, width=720, height=1280, analysis_status="done", verdict="block",
    )  # fmt: skip


def _finding(version: Version, rule: str, explanation: str, *, at: float = 1.0, **fields: object) -> Finding:
    # As the pre-review stores a finding spoken in English: the explanation in the video's language.
    values: dict[str, object] = {
        "category": "medical_claim", "severity": "block", "source": "speech", "evidence": "cures acne",
        "citation": "HWG", **fields,
    }  # fmt: skip
    return Finding.objects.create(
        workspace=version.workspace, version=version, rule=rule, start_s=at, end_s=at + 1,
        explanation=explanation, **values,
    )  # fmt: skip


def _german(user: User) -> User:
    user.language = "de"
    user.save(update_fields=["language"])
    return user


def _page_text(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def _flat(text: str) -> str:
    return escape(" ".join(text.split()))


def test_a_german_reviewer_reads_the_german_explanation_of_every_rule_of_every_shipped_pack(
    side_a, login_as
) -> None:
    version = _version(side_a)
    for number, rule in enumerate(EVERY_RULE):
        _finding(version, rule.id, rule.explanation["en"], at=number)
    for number, (rule_id, wording) in enumerate(EVERY_DISCLOSURE):
        _finding(version, rule_id, wording["en"], at=100 + number, category="disclosure_missing")

    html = _page_text(
        login_as(_german(side_a.reviewer)).get(f"/reviews/{version.submission_id}/").content.decode()
    )

    for rule in EVERY_RULE:
        assert _flat(rule.explanation["de"]) in html, rule.id
        assert _flat(rule.explanation["en"]) not in html, rule.id
    for rule_id, wording in EVERY_DISCLOSURE:
        assert _flat(wording["de"]) in html, rule_id


def test_a_german_creator_reads_german_explanations_in_her_portal_though_she_spoke_english(side_a) -> None:
    side_a.creator.languages = "de, en"
    side_a.creator.save(update_fields=["languages"])
    version = _version(side_a)
    for number, rule in enumerate(EVERY_RULE):
        _finding(version, rule.id, rule.explanation["en"], at=number)

    path = portal_submission_path(creator=side_a.creator, submission_pk=version.submission_id)
    # Her browser asks for English; her own languages decide what the explanations are in.
    html = _page_text(Client(headers={"accept-language": "en"}).get(path).content.decode())

    for rule in EVERY_RULE:
        assert _flat(rule.explanation["de"]) in html, rule.id


def test_an_english_reviewer_reads_english_explanations_of_findings_stored_in_german(
    side_a, login_as
) -> None:
    version = _version(side_a)
    rule = EVERY_RULE[0]
    _finding(version, rule.id, rule.explanation["de"])

    html = _page_text(login_as(side_a.reviewer).get(f"/reviews/{version.submission_id}/").content.decode())

    assert _flat(rule.explanation["en"]) in html
    assert _flat(rule.explanation["de"]) not in html


def test_evidence_the_engine_worded_itself_reads_german_for_a_german_reviewer(side_a, login_as) -> None:
    version = _version(side_a)
    _finding(
        version, "visual.no_human_presence", "No face was detected.", category="no_human_presence",
        severity="info", source="visual", evidence="no face in 5 sampled frames",
    )  # fmt: skip
    _finding(
        version, "format.too_short", "Too short.", category="format", severity="warn", source="format",
        evidence="4.5 s, brief minimum 15 s",
    )  # fmt: skip

    html = _page_text(
        login_as(_german(side_a.reviewer)).get(f"/reviews/{version.submission_id}/").content.decode()
    )

    assert "kein Gesicht in 5 geprüften Bildern" in html
    assert "4,5 s, Minimum laut Briefing 15 s" in html
    assert "Kein Gesicht erkannt" in html  # the step's own German explanation
    assert "sampled frames" not in html and "brief minimum" not in html


def test_history_shows_what_happened_in_words_and_never_the_stored_code(side_a, login_as) -> None:
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="Serum video", actor=side_a.manager
    )
    version = Version.objects.create(
        workspace=side_a.workspace, submission=submission, number=1, file="x.mp4", original_name="x.mp4",
        size_bytes=1, duration_s=30, width=720, height=1280,
    )  # fmt: skip
    services.audit(submission=submission, actor="pre-review", verb="analysis_done", number=1)
    services.decision_record(
        version=version, stage_name="Review", reviewer=side_a.reviewer, outcome="approved", note=""
    )

    html = login_as(side_a.reviewer).get(f"/reviews/{submission.pk}/").content.decode()
    history = html.split('class="history"', 1)[1].split("</ol>", 1)[0]

    assert "Submission created" in history
    assert "Pre-review of version 1 finished" in history
    assert "Version 1 locked: Approved" in history
    for code in ("submission_created", "analysis_done", "version_locked", "pre-review"):
        assert f">{code}" not in history and f" {code}<" not in history and f"· {code}" not in history


def test_every_history_event_the_app_records_has_a_label() -> None:
    root = Path(__file__).resolve().parents[2]
    recorded = set()
    for source in root.rglob("*.py"):
        if "/tests/" in str(source) or "/migrations/" in str(source):
            continue
        text = source.read_text(encoding="utf-8")
        for call in re.finditer(r"\baudit(?:_workspace)?\((.*?)\)\n", text, re.DOTALL):
            recorded |= set(re.findall(r'verb="([a-z_]+)"', call.group(1)))
            recorded |= set(re.findall(r'verb="([a-z_]+)" if', call.group(1)))
            recorded |= set(re.findall(r'else "([a-z_]+)"', call.group(1)))
    recorded |= {f"finding_{state}" for state in ("open", "confirmed", "dismissed")}
    assert {"submission_created", "version_locked", "creator_erased", "stage_removed"} <= recorded
    assert recorded - set(EVENT_LABELS) == set()
