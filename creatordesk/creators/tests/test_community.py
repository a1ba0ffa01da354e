from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.management import call_command

from creatordesk.creators.community import announcements_for, segment_creators, segment_save
from creatordesk.creators.models import BroadcastRecipient, Creator
from creatordesk.creators.portal import portal_token_for
from creatordesk.creators.services import account_upsert, creator_create, creator_update

pytestmark = pytest.mark.django_db(transaction=True)


def test_segment_filters_by_country_language_and_followers(side_a) -> None:
    big = creator_create(
        workspace=side_a.workspace, display_name="Big DE", country="DE", languages="de", email="big@x.de"
    )
    account_upsert(creator=big, platform="tiktok", handle="bigde", followers=200_000)
    small = creator_create(workspace=side_a.workspace, display_name="Small DE", country="DE", languages="de")
    account_upsert(creator=small, platform="tiktok", handle="smallde", followers=900)
    creator_create(workspace=side_a.workspace, display_name="Big FR", country="FR", languages="fr")
    segment = segment_save(
        workspace=side_a.workspace, name="DACH big", filters={"country": "de", "min_followers": "10000"}
    )
    assert [c.display_name for c in segment_creators(segment=segment)] == ["Big DE"]


def test_broadcast_reaches_every_segment_member_with_a_delivery_record(side_a, login_as) -> None:
    with_mail = creator_create(
        workspace=side_a.workspace, display_name="Mail Me", country="AT", email="me@creator.at"
    )
    without = creator_create(workspace=side_a.workspace, display_name="No Mail", country="AT")
    segment = segment_save(workspace=side_a.workspace, name="Austria", filters={"country": "AT"})
    response = login_as(side_a.manager).post(
        f"/creators/segments/{segment.pk}/",
        {"subject": "New brief", "body": "Please read it.", "show_in_portal": "on"},
    )
    assert response.status_code == 302
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    statuses = dict(BroadcastRecipient.objects.values_list("creator__display_name", "status"))
    assert statuses == {"Mail Me": "sent", "No Mail": "no_email"}
    assert [m.to for m in mail.outbox] == [["me@creator.at"]]
    assert [b.subject for b in announcements_for(creator=with_mail)] == ["New brief"]
    portal = login_as(side_a.viewer).get(f"/creators/portal/{portal_token_for(without)}/").content.decode()
    assert "Please read it." in portal


def test_gdpr_export_contains_the_creators_data(side_a, login_as) -> None:
    account_upsert(creator=side_a.creator, platform="instagram", handle="@Alpha.Insta", followers=1200)
    data = json.loads(login_as(side_a.manager).get(f"/creators/{side_a.creator.pk}/export.json").content)
    assert data["creator"]["name"] == side_a.creator.display_name
    handles = {(a["platform"], a["handle"]) for a in data["platform_accounts"]}
    assert ("instagram", "alpha.insta") in handles
    assert data["collaborations"][0]["campaign"] == side_a.campaign.name
    assert login_as(side_a.reviewer).get(f"/creators/{side_a.creator.pk}/export.json").status_code == 403


def test_erasure_removes_personal_data_and_keeps_an_anonymised_history(
    side_a, login_as, claim_clip, settings
) -> None:
    from pathlib import Path

    from creatordesk.reviews import services as reviews
    from creatordesk.reviews.models import AuditEvent, Version

    settings.MEDIA_ROOT = str(claim_clip.parent / "erase-media")
    creator = side_a.creator
    creator_update(creator=creator, email="alpha@creator.de", notes="likes retinol")
    account_upsert(creator=creator, platform="tiktok", handle="alpha_one", followers=5000)
    submission = reviews.submission_create(
        collaboration=side_a.collaboration, title="Serum video", actor=creator
    )
    version = reviews.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=claim_clip,
        original_name="v.mp4",
        by_creator=creator,
    )
    reviews.comment_add(version=version, body="my own words", author_creator=creator)
    video = Path(version.file.path)
    token = portal_token_for(creator)
    client = login_as(side_a.manager)

    wrong = client.post(f"/creators/{creator.pk}/erase/", {"confirm": "nope"})
    assert wrong.status_code == 200 and Creator.objects.get(pk=creator.pk).erased_at is None
    client.post(f"/creators/{creator.pk}/erase/", {"confirm": creator.display_name})

    erased = Creator.objects.get(pk=creator.pk)
    assert erased.erased_at is not None
    assert erased.display_name == f"Erased creator #{creator.pk}"
    assert (erased.email, erased.notes, erased.tiktok_handle) == ("", "", "")
    assert not erased.accounts.exists()
    assert not Version.objects.filter(submission=submission).exists() and not video.exists()
    # The brand keeps its history: the collaboration, the submission and the audit log, anonymised.
    side_a.collaboration.refresh_from_db()
    events = list(AuditEvent.objects.filter(submission=submission).values_list("actor", "verb"))
    assert (f"Erased creator #{creator.pk}", "version_uploaded") in events
    assert events[-1][1] == "creator_erased"
    assert not any("Creator alpha" in actor for actor, _verb in events)
    assert client.get(f"/creators/portal/{token}/").status_code == 404


def test_a_handle_cannot_belong_to_two_creators(side_a) -> None:
    from django.core.exceptions import ValidationError

    account_upsert(creator=side_a.creator, platform="tiktok", handle="Shared")
    with pytest.raises(ValidationError, match="another creator"):
        account_upsert(creator=side_a.other_creator, platform="tiktok", handle="@shared")
