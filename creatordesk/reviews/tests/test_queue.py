from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from creatordesk.reviews import services
from creatordesk.reviews.models import AnalysisStatus, Version

pytestmark = pytest.mark.django_db(transaction=True)


def _upload(side, clip: Path, title: str) -> Version:
    submission = services.submission_create(collaboration=side.collaboration, title=title, actor=side.creator)
    return services.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=clip,
        original_name="clip.mp4",
        by_creator=side.creator,
    )


def _decide(side, version: Version, outcome: str) -> None:
    services.decision_record(
        version=version, stage_name="Review", reviewer=side.reviewer, outcome=outcome, note="Drop the claim."
    )


def test_an_approved_submission_leaves_open_and_shows_under_done(side_a, login_as, claim_clip) -> None:
    _decide(side_a, _upload(side_a, claim_clip, "Approved serum video"), "approved")
    _upload(side_a, claim_clip, "Waiting serum video")
    client = login_as(side_a.reviewer)
    open_page = client.get("/reviews/").content.decode()
    assert "Waiting serum video" in open_page and "Approved serum video" not in open_page
    done_page = client.get("/reviews/", {"tab": "done"}).content.decode()
    assert "Approved serum video" in done_page and "Waiting serum video" not in done_page


def test_status_filter_picks_rejected_apart_from_approved(side_a, login_as, claim_clip) -> None:
    _decide(side_a, _upload(side_a, claim_clip, "Approved serum video"), "approved")
    _decide(side_a, _upload(side_a, claim_clip, "Rejected serum video"), "rejected")
    page = login_as(side_a.reviewer).get("/reviews/", {"status": "rejected"}).content.decode()
    assert "Rejected serum video" in page and "Approved serum video" not in page


def test_status_filter_tells_waiting_for_pre_review_from_in_review(side_a, login_as, claim_clip) -> None:
    _upload(side_a, claim_clip, "Queued serum video")
    analysed = _upload(side_a, claim_clip, "Analysed serum video")
    Version.objects.filter(pk=analysed.pk).update(analysis_status=AnalysisStatus.DONE)
    client = login_as(side_a.reviewer)
    waiting = client.get("/reviews/", {"status": "waiting"}).content.decode()
    assert "Queued serum video" in waiting and "Analysed serum video" not in waiting
    in_review = client.get("/reviews/", {"status": "in_review"}).content.decode()
    assert "Analysed serum video" in in_review and "Queued serum video" not in in_review


def test_done_tab_never_lists_another_workspaces_decisions(side_a, side_b, login_as, claim_clip) -> None:
    _decide(side_b, _upload(side_b, claim_clip, "B approved video"), "approved")
    page = login_as(side_a.reviewer).get("/reviews/", {"tab": "done"}).content.decode()
    assert "B approved video" not in page


def test_tab_links_keep_the_other_filters(side_a, login_as) -> None:
    page = login_as(side_a.reviewer).get("/reviews/", {"campaign": side_a.campaign.pk, "status": "approved"})
    html = page.content.decode()
    assert f'href="?campaign={side_a.campaign.pk}"' in html
    assert f'href="?campaign={side_a.campaign.pk}&amp;tab=done"' in html


def test_done_tab_query_count_does_not_grow_with_rows(side_a, login_as, claim_clip) -> None:
    client = login_as(side_a.reviewer)
    _decide(side_a, _upload(side_a, claim_clip, "First approved video"), "approved")
    with CaptureQueriesContext(connection) as one:
        client.get("/reviews/", {"tab": "done"})
    for n in range(3):
        _decide(side_a, _upload(side_a, claim_clip, f"More approved video {n}"), "approved")
    with CaptureQueriesContext(connection) as four:
        page = client.get("/reviews/", {"tab": "done"}).content.decode()
    assert page.count('data-testid="queue-outcome"') == 4
    assert len(four) == len(one)


def test_stage_filter_on_done_tab_lists_what_that_stage_decided(side_a, login_as, claim_clip) -> None:
    _decide(side_a, _upload(side_a, claim_clip, "Approved serum video"), "approved")
    client = login_as(side_a.reviewer)
    decided = client.get("/reviews/", {"tab": "done", "stage": "Review"}).content.decode()
    assert "Approved serum video" in decided
    other = client.get("/reviews/", {"tab": "done", "stage": "Legal"}).content.decode()
    assert "Approved serum video" not in other
