"""Breakout alerts: one per video and threshold, snoozable, with a Spark Ads request and a notification."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from creatordesk.campaigns.services import campaign_create, collaboration_create
from creatordesk.notifications.models import Delivery, Webhook
from creatordesk.performance.connectors import Snapshot
from creatordesk.performance.models import AmplifyTask, ViralAlert
from creatordesk.performance.services import (
    alert_snooze,
    breakout_assessment,
    peers_load,
    post_create,
    snapshots_record,
    viral_check_posts,
)


def _post_with_views(side, views_at_day: dict[int, int], *, days_ago: int, collaboration=None):
    posted = timezone.now() - timedelta(days=days_ago)
    post = post_create(
        collaboration=collaboration or side.collaboration,
        platform="tiktok",
        external_id=f"74{days_ago:03d}{len(views_at_day)}{sum(views_at_day.values())}",
        posted_at=posted,
    )
    snapshots_record(
        rows=[
            (post, Snapshot(taken_at=posted + timedelta(days=d), views=v)) for d, v in views_at_day.items()
        ],
        check_viral=False,
    )
    return post


def _creator_history(side) -> None:
    # Three earlier posts of the same creator: about 10,000 views after one day.
    for days_ago, views in ((30, 9000), (20, 10000), (10, 12000)):
        _post_with_views(side, {1: views, 3: views * 2}, days_ago=days_ago)


def test_a_post_far_ahead_of_the_creators_median_raises_one_alert_with_an_explanation(side_a) -> None:
    _creator_history(side_a)
    hot = _post_with_views(side_a, {}, days_ago=2)
    snapshots_record(rows=[(hot, Snapshot(taken_at=hot.posted_at + timedelta(hours=24), views=55000))])
    alert = ViralAlert.objects.get(post=hot)
    assert alert.threshold == "creator_median_x3"
    assert alert.score == 5.5
    assert "55,000 views after 24 h" in alert.explanation and "median of 10,000" in alert.explanation


def test_the_same_threshold_never_alerts_twice_for_one_video(side_a) -> None:
    _creator_history(side_a)
    hot = _post_with_views(side_a, {}, days_ago=2)
    for hours, views in ((24, 55000), (30, 90000), (40, 150000)):
        snapshots_record(rows=[(hot, Snapshot(taken_at=hot.posted_at + timedelta(hours=hours), views=views))])
    assert ViralAlert.objects.filter(post=hot).count() == 1
    assert AmplifyTask.objects.filter(post=hot).count() == 1


def test_an_ordinary_post_raises_nothing(side_a) -> None:
    _creator_history(side_a)
    calm = _post_with_views(side_a, {}, days_ago=2)
    snapshots_record(rows=[(calm, Snapshot(taken_at=calm.posted_at + timedelta(hours=24), views=11000))])
    assert not ViralAlert.objects.exists() and not AmplifyTask.objects.exists()


def test_too_little_history_gives_no_score(side_a) -> None:
    _post_with_views(side_a, {1: 100}, days_ago=9)
    hot = _post_with_views(side_a, {1: 1_000_000}, days_ago=2)
    peers = peers_load(workspace_id=hot.workspace_id, platform=hot.platform)
    assert breakout_assessment(post=hot, latest=hot.snapshots.get(), peers=peers) == []


def test_other_creators_posts_are_not_this_creators_baseline(side_a) -> None:
    other = collaboration_create(
        campaign=campaign_create(workspace=side_a.workspace, name="Other"), creator=side_a.other_creator
    )
    for days_ago in (30, 20, 10):
        _post_with_views(side_a, {1: 100, 3: 200}, days_ago=days_ago, collaboration=other)
    _creator_history(side_a)
    hot = _post_with_views(side_a, {}, days_ago=2)
    snapshots_record(rows=[(hot, Snapshot(taken_at=hot.posted_at + timedelta(hours=24), views=20000))])
    assert not ViralAlert.objects.filter(threshold="creator_median_x3").exists()


def test_alert_notifies_by_webhook_and_requests_a_spark_code(side_a) -> None:
    Webhook.objects.create(
        workspace=side_a.workspace, name="Slack", url="https://example.com/h", flavour="slack"
    )
    _creator_history(side_a)
    hot = _post_with_views(side_a, {}, days_ago=2)
    snapshots_record(rows=[(hot, Snapshot(taken_at=hot.posted_at + timedelta(hours=24), views=55000))])
    delivery = Delivery.objects.get(event="viral", channel="webhook")
    assert "Creator alpha" in delivery.text and delivery.url == "/performance/"
    emailed = set(Delivery.objects.filter(event="viral", channel="email").values_list("target", flat=True))
    assert emailed == {
        side_a.owner.email
    }  # owners and the performance role; the cast has no performance user
    assert AmplifyTask.objects.get(post=hot).status == AmplifyTask.Status.REQUESTED


def test_a_snoozed_alert_mutes_the_post_until_the_snooze_ends(side_a) -> None:
    _creator_history(side_a)
    # Seven more posts of a second creator make a workspace top decile possible.
    other = collaboration_create(campaign=side_a.campaign, creator=side_a.other_creator)
    for days_ago in range(11, 18):
        _post_with_views(side_a, {1: 8000, 3: 9000}, days_ago=days_ago, collaboration=other)
    hot = _post_with_views(side_a, {}, days_ago=2)
    snapshots_record(rows=[(hot, Snapshot(taken_at=hot.posted_at + timedelta(hours=24), views=20000))])
    assert list(ViralAlert.objects.values_list("threshold", flat=True)) == ["top_decile"]
    alert_snooze(alert=ViralAlert.objects.get())
    snapshots_record(rows=[(hot, Snapshot(taken_at=hot.posted_at + timedelta(hours=25), views=40000))])
    assert ViralAlert.objects.count() == 1  # 4× the creator's median now, but the post is snoozed
    ViralAlert.objects.update(snoozed_until=timezone.now() - timedelta(minutes=1))
    snapshots_record(rows=[(hot, Snapshot(taken_at=hot.posted_at + timedelta(hours=26), views=41000))])
    assert set(ViralAlert.objects.values_list("threshold", flat=True)) == {"creator_median_x3", "top_decile"}
    assert AmplifyTask.objects.filter(post=hot).count() == 1


def test_staff_snooze_hides_the_alert_from_the_page_for_24_hours(side_a, login_as) -> None:
    _creator_history(side_a)
    hot = _post_with_views(side_a, {}, days_ago=2)
    snapshots_record(rows=[(hot, Snapshot(taken_at=hot.posted_at + timedelta(hours=24), views=55000))])
    alert = ViralAlert.objects.get()
    client = login_as(side_a.manager)
    assert b"55,000 views after 24 h" in client.get("/performance/").content
    assert client.post(f"/performance/alerts/{alert.pk}/snooze/").status_code == 302
    alert.refresh_from_db()
    assert alert.snoozed_until is not None
    assert timedelta(hours=23) < alert.snoozed_until - timezone.now() <= timedelta(hours=24)
    assert b"55,000 views after 24 h" not in client.get("/performance/").content


def test_viewer_cannot_snooze_and_other_workspaces_alerts_are_missing(side_a, side_b, login_as) -> None:
    _creator_history(side_a)
    hot = _post_with_views(side_a, {}, days_ago=2)
    snapshots_record(rows=[(hot, Snapshot(taken_at=hot.posted_at + timedelta(hours=24), views=55000))])
    alert = ViralAlert.objects.get()
    assert login_as(side_a.viewer).post(f"/performance/alerts/{alert.pk}/snooze/").status_code == 403
    assert login_as(side_b.manager).post(f"/performance/alerts/{alert.pk}/snooze/").status_code == 404
    alert.refresh_from_db()
    assert alert.snoozed_until is None


def test_staff_mark_a_received_code_in_use_and_a_request_expired(side_a, side_b, login_as) -> None:
    hot = _post_with_views(side_a, {1: 10}, days_ago=2)
    task = AmplifyTask.objects.create(
        workspace=side_a.workspace, post=hot, spark_code="#ABC", status="received"
    )
    url = f"/performance/amplify/{task.pk}/status/"
    assert login_as(side_b.manager).post(url, {"status": "expired"}).status_code == 404
    client = login_as(side_a.manager)
    client.post(url, {"status": "in_use"})
    task.refresh_from_db()
    assert task.status == "in_use"
    client.post(url, {"status": "expired"})
    task.refresh_from_db()
    assert task.status == "expired"


@pytest.mark.django_db(transaction=True)  # the task worker needs the committed rows
def test_the_creator_is_emailed_a_portal_link_when_a_spark_ads_code_is_wanted(side_a) -> None:
    side_a.creator.email, side_a.creator.languages = "alpha@creator.de", "de, en"
    side_a.creator.save()
    _creator_history(side_a)
    hot = _post_with_views(side_a, {}, days_ago=2)
    snapshots_record(rows=[(hot, Snapshot(taken_at=hot.posted_at + timedelta(hours=24), views=55000))])
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    (message,) = [m for m in mail.outbox if m.to == ["alpha@creator.de"]]
    assert "Spark-Ads-Code" in message.body and "/amplify/" in message.body
    assert message.subject.startswith(side_a.workspace.name) and "bewerben" in message.subject
    token = message.body.split("/creators/portal/")[1].split("/")[0]
    page = Client().get(f"/creators/portal/{token}/amplify/")
    assert page.status_code == 200 and hot.external_id in page.content.decode()


def test_posts_stored_without_a_check_are_checked_as_one_batch_and_old_posts_are_left_alone(side_a) -> None:
    _creator_history(side_a)
    hot = _post_with_views(side_a, {}, days_ago=2)
    old = _post_with_views(side_a, {}, days_ago=9)
    for post in (hot, old):
        snapshots_record(
            rows=[(post, Snapshot(taken_at=post.posted_at + timedelta(hours=24), views=55000))],
            check_viral=False,
        )
    snapshots_record(
        rows=[(old, Snapshot(taken_at=old.posted_at + timedelta(days=8), views=56000))], check_viral=False
    )
    assert not ViralAlert.objects.exists()
    viral_check_posts(post_ids=[hot.pk, old.pk])
    assert list(ViralAlert.objects.values_list("post_id", flat=True)) == [hot.pk]


def test_an_alert_raised_by_the_worker_reads_in_the_language_of_whoever_opens_the_page(
    side_a, login_as
) -> None:
    _creator_history(side_a)
    hot = _post_with_views(side_a, {}, days_ago=2)
    snapshots_record(rows=[(hot, Snapshot(taken_at=hot.posted_at + timedelta(hours=24), views=55000))])
    alert = ViralAlert.objects.get(post=hot)
    assert "55,000 views after 24 h" in alert.explanation  # the app's default language
    assert "55.000" in alert.explanations["de"] and "Aufrufe" in alert.explanations["de"]
    client = login_as(side_a.viewer)
    client.post("/accounts/language/", {"language": "de", "next": "/"})
    page = client.get("/performance/").content.decode()
    assert alert.explanations["de"] in page and alert.explanation not in page
