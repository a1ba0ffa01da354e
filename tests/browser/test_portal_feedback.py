"""A German creator opens their submission and finds the reviewer's note and the time-coded comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatordesk.reviews.tests.clips import CLAIM, make_clip

pytestmark = [pytest.mark.browser, pytest.mark.media]

NOTE = "Bitte sag nicht, dass das Serum Akne heilt, und zeig die Flasche länger."
COMMENT = "Hier fehlt der Hinweis auf die Werbung."


@pytest.fixture
def decided(base_url: str, settings, tmp_path: Path) -> str:
    """Skin by Mehmet's submission with a comment at 0:02 and a change request; returns its portal URL."""
    from creatordesk.accounts.models import Membership, Role
    from creatordesk.campaigns.models import Collaboration
    from creatordesk.creators.portal import portal_submission_path
    from creatordesk.reviews.services import (
        comment_add,
        decision_record,
        submission_create,
        submission_submit,
    )

    settings.MEDIA_ROOT = str(tmp_path / "media")
    collaboration = Collaboration.objects.select_related("creator", "campaign").get(
        creator__tiktok_handle="skinbymehmet", campaign__name="Vitamin-C-Serum Herbst-Launch"
    )
    creator = collaboration.creator
    reviewer = (
        Membership.objects.filter(workspace_id=collaboration.workspace_id, role=Role.REVIEWER)
        .select_related("user")
        .first()
    )
    assert reviewer is not None
    submission = submission_create(collaboration=collaboration, title="Serum feedback", actor=creator)
    version = submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=make_clip(tmp_path / "v1.mp4", CLAIM),
        original_name="v1.mp4",
    )
    comment_add(version=version, body=COMMENT, start_s=2, author=reviewer.user)
    decision_record(
        version=version,
        stage_name="Creator-Management",
        reviewer=reviewer.user,
        outcome="changes_required",
        note=NOTE,
    )
    return base_url + portal_submission_path(creator=creator, submission_pk=submission.pk)


def test_a_german_creator_sees_the_decision_note_and_the_time_coded_comments(decided, page) -> None:
    # A browser of its own that asks for German, as a German creator's does.
    context = page.context.browser.new_context(locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(decided)

    assert page.get_by_test_id("portal-decisions").is_visible()
    assert NOTE in page.get_by_test_id("portal-decision-note").inner_text()
    assert "Änderungen nötig" in page.get_by_test_id("portal-decision").inner_text()
    assert page.get_by_test_id("portal-status").inner_text() == "Änderungen nötig"

    comment = page.get_by_test_id("comment").filter(has_text=COMMENT)
    assert comment.locator(".timecode").inner_text() == "0:02.0"
    comment.locator(".timecode").click()
    page.wait_for_function("() => Math.abs(document.querySelector('video').currentTime - 2) < 0.5")
    context.close()
