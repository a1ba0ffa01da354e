"""Decisions on versions with blocking findings, version comparison with dismissed findings, and
what a refused upload is called in its message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from creatordesk.reviews import selectors, services
from creatordesk.reviews.models import AuditEvent, FindingState, Submission, Version

pytestmark = pytest.mark.django_db(transaction=True)


def _upload(side, clip: Path, *, submission: Submission | None = None) -> Version:
    submission = submission or services.submission_create(
        collaboration=side.collaboration, title="Serum video", actor=side.creator
    )
    return services.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=clip,
        original_name="clip.mp4",
        by_creator=side.creator,
    )


def _analysed_claim(side, clip: Path, *, submission: Submission | None = None) -> Version:
    version = _upload(side, clip, submission=submission)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    version.refresh_from_db()
    assert services.open_block_count(version) > 0, "the claim clip should have a blocking finding"
    return version


def test_approving_over_open_blocking_findings_is_refused_until_the_reviewer_confirms(
    side_a, claim_clip
) -> None:
    version = _analysed_claim(side_a, claim_clip)
    blocks = services.open_block_count(version)
    for outcome in ("approved", "approved_with_changes"):
        with pytest.raises(ValidationError, match="blocking finding"):
            services.decision_record(
                version=version, stage_name="Review", reviewer=side_a.reviewer, outcome=outcome, note="ok"
            )
    assert not version.decisions.exists()

    services.decision_record(
        version=version,
        stage_name="Review",
        reviewer=side_a.reviewer,
        outcome="approved",
        confirm_open_blocks=True,
    )
    version.refresh_from_db()
    assert version.outcome == "approved"
    override = AuditEvent.objects.get(submission=version.submission, verb="approved_despite_blocks")
    assert override.detail["blocks"] == blocks
    assert override.actor.endswith(f"<{side_a.reviewer.email}>")


def test_dismissed_blocking_findings_do_not_hold_up_an_approval(side_a, claim_clip) -> None:
    version = _analysed_claim(side_a, claim_clip)
    for finding in version.findings.filter(severity="block"):
        services.finding_set_state(
            finding=finding, state=FindingState.DISMISSED, reason="Cosmetic wording", user=side_a.reviewer
        )
    services.decision_record(
        version=version, stage_name="Review", reviewer=side_a.reviewer, outcome="approved"
    )
    version.refresh_from_db()
    assert version.outcome == "approved"
    assert not AuditEvent.objects.filter(verb="approved_despite_blocks").exists()


def test_decision_form_has_no_default_and_asks_to_confirm_open_blocking_findings(
    side_a, claim_clip, login_as
) -> None:
    version = _analysed_claim(side_a, claim_clip)
    blocks = services.open_block_count(version)
    client = login_as(side_a.reviewer)
    page = client.get(f"/reviews/{version.submission_id}/").content.decode()
    assert '<select name="outcome" aria-label="Decision" required><option value="">' in page
    assert "approve anyway" in page and 'name="confirm_open_blocks"' in page

    url = f"/reviews/versions/{version.pk}/decisions/"
    refused = client.post(url, {"stage": "Review", "outcome": "approved"}, follow=True)
    assert "blocking finding" in refused.content.decode()
    version.refresh_from_db()
    assert not version.locked

    client.post(url, {"stage": "Review", "outcome": "approved", "confirm_open_blocks": "on"})
    version.refresh_from_db()
    assert version.outcome == "approved"
    history = client.get(f"/reviews/{version.submission_id}/").content.decode()
    assert f"approved despite {blocks} open blocking findings" in history


def test_decision_form_keeps_its_default_when_no_blocking_finding_is_open(
    side_a, clean_clip, login_as
) -> None:
    version = _upload(side_a, clean_clip)
    page = login_as(side_a.reviewer).get(f"/reviews/{version.submission_id}/").content.decode()
    assert '<select name="outcome" aria-label="Decision">' in page
    assert 'name="confirm_open_blocks"' not in page


def test_api_approval_over_open_blocking_findings_needs_confirm_open_blocks(
    side_a, claim_clip, client
) -> None:
    version = _analysed_claim(side_a, claim_clip)
    url = f"/api/versions/{version.pk}/decisions"
    headers = {"Authorization": f"Bearer {side_a.token}"}
    body: dict[str, object] = {"stage": "Review", "outcome": "approved"}
    refused = client.post(url, json.dumps(body), content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert "blocking finding" in refused.json()["detail"][0]["msg"]

    body["confirm_open_blocks"] = True
    saved = client.post(url, json.dumps(body), content_type="application/json", headers=headers)
    assert saved.status_code == 201, saved.content
    assert AuditEvent.objects.filter(verb="approved_despite_blocks").count() == 1


def test_compare_lists_findings_dismissed_in_the_newer_version_as_dismissed_not_still_there(
    side_a, claim_clip, login_as
) -> None:
    first = _analysed_claim(side_a, claim_clip)
    second = _analysed_claim(side_a, claim_clip, submission=first.submission)
    claims = second.findings.filter(category="medical_claim")
    for finding in claims:
        services.finding_set_state(
            finding=finding, state=FindingState.DISMISSED, reason="Legal cleared it", user=side_a.reviewer
        )
    comparison = selectors.version_compare(old=first, new=second)
    assert "medical_claim" not in {f.category for f in comparison.persisting + comparison.new}
    assert {f.pk for f in comparison.dismissed} >= {f.pk for f in claims}

    page = login_as(side_a.reviewer).get(f"/reviews/{first.submission_id}/compare/").content.decode()
    assert 'data-testid="dismissed"' in page and "Legal cleared it" in page


def test_a_refused_upload_is_named_as_the_uploader_named_it(side_a, login_as) -> None:
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="Serum video", actor=side_a.creator
    )
    upload = SimpleUploadedFile("my holiday.mp4", b"just some text, not a video\n" * 10)
    response = login_as(side_a.manager).post(
        f"/reviews/{submission.pk}/versions/new/", {"file": upload}, follow=True
    )
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "my holiday.mp4: not a video" in shown
    assert ".upload" not in shown and "/tmp" not in shown
    assert not Version.objects.exists()
