"""A creator's link opens only that creator's submissions, files and comments; media is never public."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from creatordesk.creators.portal import portal_token_for
from creatordesk.reviews import services
from creatordesk.reviews.models import Version

pytestmark = pytest.mark.django_db


def _version_of(creator, collaboration, clip: Path) -> Version:
    submission = services.submission_create(
        collaboration=collaboration, title=f"{creator} video", actor=creator
    )
    return services.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=clip,
        original_name="v.mp4",
        by_creator=creator,
    )


@pytest.fixture
def two_creators(side_a, side_b, claim_clip):
    from creatordesk.campaigns.services import collaboration_create

    other_collab = collaboration_create(campaign=side_a.campaign, creator=side_a.other_creator)
    mine = _version_of(side_a.creator, side_a.collaboration, claim_clip)
    theirs = _version_of(side_a.other_creator, other_collab, claim_clip)
    foreign = _version_of(side_b.creator, side_b.collaboration, claim_clip)
    comment = services.comment_add(version=theirs, body="only for them", start_s=1, author=side_a.reviewer)
    return mine, theirs, foreign, comment


def test_creator_link_opens_own_submission_and_video(side_a, two_creators, client) -> None:
    mine, *_ = two_creators
    base = f"/creators/portal/{portal_token_for(side_a.creator)}"
    assert client.get(f"{base}/submissions/{mine.submission_id}/").status_code == 200
    response = client.get(f"{base}/versions/{mine.pk}/media/", HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert len(b"".join(response.streaming_content)) == 100


@pytest.mark.parametrize(
    "path",
    [
        "submissions/{s}/",
        "submissions/{s}/versions/new/",
        "versions/{v}/media/",
        "versions/{v}/status/",
        "versions/{v}/comments/",
    ],
)
@pytest.mark.parametrize("whose", ["other creator", "other workspace"])
def test_creator_link_cannot_open_anything_of_another_creator(
    side_a, two_creators, client, path, whose
) -> None:
    _mine, theirs, foreign, _comment = two_creators
    target = theirs if whose == "other creator" else foreign
    url = f"/creators/portal/{portal_token_for(side_a.creator)}/" + path.format(
        s=target.submission_id, v=target.pk
    )
    response = client.post(url, {"body": "x"}) if path.endswith(("comments/", "new/")) else client.get(url)
    assert response.status_code == 404
    assert b"only for them" not in response.content


def test_creator_cannot_reply_to_another_creators_comment(side_a, two_creators, client) -> None:
    mine, _theirs, _foreign, comment = two_creators
    url = f"/creators/portal/{portal_token_for(side_a.creator)}/versions/{mine.pk}/comments/"
    assert client.post(url, {"body": "hijack", "parent": comment.pk}).status_code == 404


def test_media_urls_are_random_and_not_served_to_anonymous_visitors(two_creators, client, settings) -> None:
    mine, theirs, *_ = two_creators
    names = [Path(v.file.name).stem for v in (mine, theirs)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", n) for n in names) and names[0] != names[1]
    assert client.get(f"/reviews/versions/{mine.pk}/media/").status_code == 302  # to the login page
    assert client.get(settings.MEDIA_URL + mine.file.name).status_code == 404


def test_an_oversized_upload_is_cut_off_with_a_clear_message_and_stores_nothing(
    side_a, claim_clip, client, settings
) -> None:
    settings.REVIEW_MAX_UPLOAD_BYTES = 10_000
    url = f"/creators/portal/{portal_token_for(side_a.creator)}/collaborations/{side_a.collaboration.pk}/"
    with claim_clip.open("rb") as handle:
        response = client.post(url, {"title": "Too big", "file": handle})
    assert response.status_code == 400
    assert "larger than the limit" in response.content.decode()
    assert not Version.objects.exists()
