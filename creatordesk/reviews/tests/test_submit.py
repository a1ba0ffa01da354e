"""One service takes every upload; the review set-up saves stages and settings together."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from creatordesk.campaigns.services import collaboration_create
from creatordesk.reviews import services
from creatordesk.reviews.models import AuditEvent, ReviewSettings, ReviewStage, Submission, Version

pytestmark = pytest.mark.django_db


def test_an_approved_submission_refuses_a_new_file_before_anything_reads_it(
    side_a, claim_clip, tmp_path
) -> None:
    first = services.submission_submit(
        collaboration=side_a.collaboration,
        source=claim_clip,
        original_name="first.mp4",
        title="Serum video",
        by_creator=side_a.creator,
    )
    services.decision_record(
        version=first,
        stage_name="Review",
        reviewer=side_a.reviewer,
        outcome="approved",
        confirm_open_blocks=True,
    )
    not_a_video = tmp_path / "notes.mp4"
    not_a_video.write_text("just some text\n")

    with pytest.raises(ValidationError) as caught:
        services.submission_submit(
            collaboration=side_a.collaboration,
            submission=first.submission,
            source=not_a_video,
            original_name="notes.mp4",
            by_creator=side_a.creator,
        )

    # The approval is the reason, not the file: the file was never probed.
    assert "already approved" in " ".join(caught.value.messages)
    assert list(Version.objects.values_list("number", flat=True)) == [1]


def test_a_first_upload_creates_the_submission_with_its_title_and_version_one(side_a, claim_clip) -> None:
    version = services.submission_submit(
        collaboration=side_a.collaboration,
        source=claim_clip,
        original_name="take.mp4",
        title="  Morning routine ",
        caption="#ad",
        by_user=side_a.manager,
    )

    assert (version.number, version.submission.title, version.caption) == (1, "Morning routine", "#ad")
    verbs = list(AuditEvent.objects.filter(submission=version.submission).values_list("verb", flat=True))
    assert verbs[:2] == ["submission_created", "version_uploaded"]
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == "draft_submitted"


def test_a_refused_first_upload_leaves_no_submission_behind(side_a, tmp_path) -> None:
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video at all\n" * 20)

    with pytest.raises(ValidationError):
        services.submission_submit(
            collaboration=side_a.collaboration, source=bad, original_name="bad.mp4", title="Bad"
        )

    assert not Submission.objects.exists()
    assert not Version.objects.exists()


def test_a_submission_of_another_collaboration_is_refused(side_a, tmp_path) -> None:
    other = collaboration_create(campaign=side_a.campaign, creator=side_a.other_creator)
    submission = services.submission_create(collaboration=other, title="Theirs", actor=side_a.manager)
    source = tmp_path / "any.mp4"
    source.write_bytes(b"x")

    with pytest.raises(ValueError):
        services.submission_submit(
            collaboration=side_a.collaboration,
            submission=submission,
            source=Path(source),
            original_name="any.mp4",
        )
    assert not Version.objects.exists()


def test_stages_and_settings_are_saved_together(side_a) -> None:
    services.stages_and_settings_save(
        campaign_id=side_a.campaign.pk,
        workspace_id=side_a.workspace.pk,
        stages=[("Brand", 1), ("Legal", 2)],
        one_person_many_stages=True,
        actor=side_a.owner,
    )

    assert list(ReviewStage.objects.order_by("position").values_list("name", flat=True)) == ["Brand", "Legal"]
    assert ReviewSettings.objects.get(workspace=side_a.workspace).one_person_many_stages is True


def test_refused_stages_leave_the_settings_as_they_were(side_a) -> None:
    with pytest.raises(ValidationError):
        services.stages_and_settings_save(
            campaign_id=side_a.campaign.pk,
            workspace_id=side_a.workspace.pk,
            stages=[("Brand", 1), ("Brand", 2)],
            one_person_many_stages=True,
            actor=side_a.owner,
        )

    assert not ReviewStage.objects.exists()
    assert not ReviewSettings.objects.filter(workspace=side_a.workspace).exists()


def test_without_a_settings_value_only_the_stages_change(side_a) -> None:
    services.stages_and_settings_save(
        campaign_id=side_a.campaign.pk,
        workspace_id=side_a.workspace.pk,
        stages=[("Brand", 1)],
        one_person_many_stages=None,
        actor=side_a.manager,
    )

    assert list(ReviewStage.objects.values_list("name", flat=True)) == ["Brand"]
    assert services.review_settings(side_a.workspace.pk).one_person_many_stages is False
