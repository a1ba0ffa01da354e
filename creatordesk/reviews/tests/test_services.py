from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from creatordesk.campaigns.models import CollaborationStatus
from creatordesk.reviews import selectors, services
from creatordesk.reviews.models import AnalysisStatus, AuditEvent, Submission, Version
from creatordesk.reviews.tests.clips import CLAIM_AT_S

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


def _run_worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def test_upload_queues_a_pre_review_that_stores_time_coded_findings(side_a, claim_clip) -> None:
    version = _upload(side_a, claim_clip)
    assert version.analysis_status == AnalysisStatus.QUEUED
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == CollaborationStatus.DRAFT_SUBMITTED

    _run_worker()

    version.refresh_from_db()
    assert version.analysis_status == AnalysisStatus.DONE, version.analysis_error
    claims = version.findings.filter(category="medical_claim", source="speech")
    assert claims.exists()
    assert abs(claims[0].start_s - CLAIM_AT_S) <= 1.5
    assert version.report["schema"] == "creatordesk.review/1"
    assert "acne" in " ".join(seg["text"] for seg in version.report["transcript"]).lower()


@pytest.mark.parametrize(
    ("kind", "message"),
    [("empty", "empty"), ("text renamed .mp4", "not a video"), ("truncated", "not a readable video")],
)
def test_a_rejected_upload_leaves_no_row_and_no_file(
    side_a, tmp_path, settings, claim_clip, kind, message
) -> None:
    bad = tmp_path / "bad.mp4"
    data = claim_clip.read_bytes()
    contents = {
        "empty": b"",
        "text renamed .mp4": b"just some text, not a video\n" * 10,
        "truncated": data[: len(data) // 2],
    }
    bad.write_bytes(contents[kind])
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="x", actor=side_a.creator
    )
    with pytest.raises(ValidationError) as caught:
        services.submission_submit(
            collaboration=submission.collaboration,
            submission=submission,
            source=bad,
            original_name="bad.mp4",
            by_creator=side_a.creator,
        )
    assert message in " ".join(caught.value.messages).lower()
    assert not Version.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_upload_over_the_size_limit_is_refused_before_probing(side_a, claim_clip, settings) -> None:
    settings.REVIEW_MAX_UPLOAD_BYTES = 1000
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="x", actor=side_a.creator
    )
    with pytest.raises(ValidationError):
        services.submission_submit(
            collaboration=submission.collaboration,
            submission=submission,
            source=claim_clip,
            original_name="c.mp4",
        )
    assert not Version.objects.exists()


def test_a_worker_killed_mid_analysis_leads_to_a_retry(side_a, claim_clip) -> None:
    version = _upload(side_a, claim_clip)
    # What a killed worker leaves behind: the version marked running, its heartbeat going stale.
    Version.objects.filter(pk=version.pk).update(
        analysis_status=AnalysisStatus.RUNNING,
        analysis_attempts=1,
        analysis_heartbeat=timezone.now() - timedelta(minutes=10),
    )
    assert services.analyses_recover_stalled() == 1
    _run_worker()
    version.refresh_from_db()
    assert version.analysis_status == AnalysisStatus.DONE
    assert version.analysis_attempts == 2


def test_an_analysis_that_keeps_dying_is_marked_failed_not_stuck(side_a, claim_clip, settings) -> None:
    version = _upload(side_a, claim_clip)
    Version.objects.filter(pk=version.pk).update(
        analysis_status=AnalysisStatus.RUNNING,
        analysis_attempts=settings.REVIEW_MAX_ATTEMPTS,
        analysis_heartbeat=timezone.now() - timedelta(minutes=10),
    )
    services.analyses_recover_stalled()
    version.refresh_from_db()
    assert version.analysis_status == AnalysisStatus.FAILED
    assert "stopped" in version.analysis_error


def test_staged_decisions_lock_the_version_and_move_the_collaboration(side_a, claim_clip) -> None:
    services.stages_configure(
        campaign_id=side_a.campaign.pk,
        workspace_id=side_a.workspace.pk,
        stages=[("Creator management", 1), ("Legal", 2)],
    )
    version = _upload(side_a, claim_clip)
    with pytest.raises(ValidationError, match="not open"):
        services.decision_record(
            version=version, stage_name="Legal", reviewer=side_a.reviewer, outcome="approved"
        )
    services.decision_record(
        version=version, stage_name="Creator management", reviewer=side_a.manager, outcome="approved"
    )
    version.refresh_from_db()
    assert not version.locked
    services.decision_record(
        version=version,
        stage_name="Legal",
        reviewer=side_a.reviewer,
        outcome="changes_required",
        note="Remove the claim",
    )
    version.refresh_from_db()
    assert version.outcome == "changes_required" and version.locked
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == CollaborationStatus.CHANGES_REQUESTED
    with pytest.raises(ValidationError, match="locked"):
        services.decision_record(
            version=version, stage_name="Legal", reviewer=side_a.owner, outcome="approved"
        )


def test_change_request_needs_a_note(side_a, claim_clip) -> None:
    version = _upload(side_a, claim_clip)
    with pytest.raises(ValidationError, match="what to change"):
        services.decision_record(
            version=version, stage_name="Review", reviewer=side_a.reviewer, outcome="changes_required"
        )


def test_new_version_restarts_the_stages_and_compare_shows_the_fixed_claim(
    side_a, claim_clip, clean_clip
) -> None:
    first = _upload(side_a, claim_clip)
    _run_worker()
    services.decision_record(
        version=first,
        stage_name="Review",
        reviewer=side_a.reviewer,
        outcome="changes_required",
        note="No cure claims",
    )
    second = _upload(side_a, clean_clip, submission=first.submission)
    assert second.number == 2
    assert [s.open for s in services.version_stage_states(second)] == [True]
    _run_worker()
    comparison = selectors.version_compare(old=first, new=second)
    assert "medical_claim" in {f.category for f in comparison.fixed}
    assert "medical_claim" not in {f.category for f in comparison.new + comparison.persisting}


def test_comments_check_their_time_code_and_creators_cannot_post_internal_notes(side_a, claim_clip) -> None:
    version = _upload(side_a, claim_clip)
    with pytest.raises(ValidationError, match="outside the video"):
        services.comment_add(version=version, body="late", start_s=99, author=side_a.reviewer)
    comment = services.comment_add(version=version, body="mine", internal=True, author_creator=side_a.creator)
    assert comment.internal is False


def test_creator_view_hides_internal_comments(side_a, claim_clip) -> None:
    version = _upload(side_a, claim_clip)
    services.comment_add(version=version, body="for the team", internal=True, author=side_a.reviewer)
    services.comment_add(version=version, body="for you", start_s=3.5, author=side_a.reviewer)
    page = selectors.review_page(submission=version.submission, number=None, creator_view=True)
    assert page is not None
    assert [c.body for c in page.comments] == ["for you"]


def test_every_state_change_is_in_the_audit_log_and_its_csv(side_a, claim_clip, login_as) -> None:
    version = _upload(side_a, claim_clip)
    services.comment_add(version=version, body="fix", start_s=1, author=side_a.reviewer)
    services.decision_record(
        version=version, stage_name="Review", reviewer=side_a.reviewer, outcome="approved"
    )
    verbs = list(AuditEvent.objects.filter(submission=version.submission).values_list("verb", flat=True))
    assert verbs == ["submission_created", "version_uploaded", "comment_added", "decision", "version_locked"]
    response = login_as(side_a.viewer).get(f"/reviews/{version.submission_id}/audit.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Time", "Who", "What happened", "Details", "Event code"]
    assert [r[4] for r in rows[1:]] == verbs
    assert rows[-1][2] == "Version 1 locked: Approved"


def test_audit_csv_speaks_the_readers_language(side_a, claim_clip, login_as) -> None:
    version = _upload(side_a, claim_clip)
    from creatordesk.accounts.services import user_set_language

    user_set_language(user=side_a.viewer, language="de")
    response = login_as(side_a.viewer).get(f"/reviews/{version.submission_id}/audit.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Zeit", "Wer", "Was geschah"]
    assert "submission_created" not in rows[1][2]


def test_queue_lists_undecided_submissions_most_urgent_first(side_a, claim_clip) -> None:
    later = _upload(side_a, claim_clip)
    sooner = _upload(side_a, claim_clip)
    Submission.objects.filter(pk=later.submission_id).update(due_at=timezone.now() + timedelta(days=2))
    Submission.objects.filter(pk=sooner.submission_id).update(due_at=timezone.now() + timedelta(hours=1))
    decided = _upload(side_a, claim_clip)
    services.decision_record(
        version=decided, stage_name="Review", reviewer=side_a.reviewer, outcome="approved"
    )
    rows = selectors.review_queue(workspace=side_a.workspace)
    assert [r.submission.pk for r in rows] == [sooner.submission_id, later.submission_id]


def test_median_time_to_first_decision_per_campaign(side_a, claim_clip) -> None:
    for hours in (1, 3, 8):
        version = _upload(side_a, claim_clip)
        Version.objects.filter(pk=version.pk).update(uploaded_at=timezone.now() - timedelta(hours=hours))
        services.decision_record(
            version=version, stage_name="Review", reviewer=side_a.reviewer, outcome="approved"
        )
    [(name, median_hours, count)] = selectors.approval_sla(workspace=side_a.workspace)
    assert name == side_a.campaign.name and count == 3
    assert median_hours == pytest.approx(3, abs=0.05)


def test_analysis_works_with_storage_that_has_no_local_paths(side_a, claim_clip, settings) -> None:
    # Object storage (S3) has no local file paths; so has this in-memory storage.
    backend = "tests.storages.ObjectStorage"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend}}
    version = _upload(side_a, claim_clip)
    with pytest.raises(NotImplementedError):
        version.file.path  # noqa: B018
    _run_worker()
    version.refresh_from_db()
    assert version.analysis_status == AnalysisStatus.DONE, version.analysis_error
    assert version.findings.filter(category="medical_claim").exists()


def test_dismissed_findings_show_which_rules_the_workspace_trusts_less(side_a, claim_clip, login_as) -> None:
    version = _upload(side_a, claim_clip)
    _run_worker()
    findings = list(version.findings.all())
    services.finding_set_state(
        finding=findings[0], state="dismissed", reason="false alarm", user=side_a.reviewer
    )
    with pytest.raises(ValidationError, match="why"):
        services.finding_set_state(finding=findings[1], state="dismissed", reason=" ", user=side_a.reviewer)
    services.finding_set_state(finding=findings[1], state="confirmed", reason="", user=side_a.reviewer)
    trust = selectors.rule_trust(workspace=side_a.workspace)
    assert trust[0].rule == findings[0].rule and trust[0].dismissal_rate == 1.0
    page = login_as(side_a.viewer).get("/reviews/sla/").content.decode()
    assert findings[0].rule in page


def test_the_polling_partial_keeps_polling_its_own_status_url(side_a, claim_clip, login_as) -> None:
    version = _upload(side_a, claim_clip)
    status_url = f"/reviews/versions/{version.pk}/status/"
    partial = login_as(side_a.reviewer).get(status_url).content.decode()
    assert f'hx-get="{status_url}?was=queued"' in partial
