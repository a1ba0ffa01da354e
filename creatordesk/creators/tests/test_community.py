from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.management import call_command

from creatordesk.creators.community import announcements_for, segment_creators, segment_save
from creatordesk.creators.models import BroadcastRecipient, Creator
from creatordesk.creators.portal import portal_token_for
from creatordesk.creators.services import account_upsert, creator_create

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


def test_gdpr_export_contains_the_creators_data_and_erase_removes_it(side_a, login_as) -> None:
    account_upsert(creator=side_a.creator, platform="instagram", handle="@Alpha.Insta", followers=1200)
    client = login_as(side_a.manager)
    data = json.loads(client.get(f"/creators/{side_a.creator.pk}/export.json").content)
    assert data["creator"]["name"] == side_a.creator.display_name
    handles = {(a["platform"], a["handle"]) for a in data["platform_accounts"]}
    assert ("instagram", "alpha.insta") in handles
    assert data["collaborations"][0]["campaign"] == side_a.campaign.name

    wrong = client.post(f"/creators/{side_a.creator.pk}/erase/", {"confirm": "nope"})
    assert wrong.status_code == 200 and Creator.objects.filter(pk=side_a.creator.pk).exists()
    client.post(f"/creators/{side_a.creator.pk}/erase/", {"confirm": side_a.creator.display_name})
    assert not Creator.objects.filter(pk=side_a.creator.pk).exists()


def test_a_handle_cannot_belong_to_two_creators(side_a) -> None:
    from django.core.exceptions import ValidationError

    account_upsert(creator=side_a.creator, platform="tiktok", handle="Shared")
    with pytest.raises(ValidationError, match="another creator"):
        account_upsert(creator=side_a.other_creator, platform="tiktok", handle="@shared")
