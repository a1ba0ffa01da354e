"""The sample-to-post loop: a missed content deadline shows on the dashboard, reminds, then escalates."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from creatordesk.campaigns.models import Collaboration, SampleShipment
from creatordesk.campaigns.services import collaboration_create, shipment_create, shipment_set_status
from creatordesk.creators.models import ActivityEvent
from creatordesk.creators.portal import creator_from_portal_token
from creatordesk.creators.services import creator_update
from creatordesk.performance.services import post_create
from creatordesk.shop.reminders import ESCALATE_AFTER_DAYS, remind_samples, samples_remind
from creatordesk.shop.samples import CONTENT_DAYS, posting_figures

pytestmark = pytest.mark.django_db

LATE = 6


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _sample_path(collaboration: Collaboration, *, delivered_days_ago: int) -> SampleShipment:
    """Requested, approved, shipped and delivered on the days they happened, through the services."""
    start = delivered_days_ago + 6
    shipment = shipment_create(
        collaboration=collaboration, carrier="DHL", tracking_number="00340434", status="requested",
        on=_days_ago(start),
    )  # fmt: skip
    shipment_set_status(shipment=shipment, status="preparing", on=_days_ago(start - 1))
    shipment_set_status(shipment=shipment, status="shipped", on=_days_ago(start - 4))
    return shipment_set_status(shipment=shipment, status="delivered", on=_days_ago(delivered_days_ago))


@pytest.fixture
def loop(side_a):
    """Creator alpha (German) misses the deadline by LATE days; Second alpha posts 5 days after delivery."""
    creator_update(creator=side_a.creator, email="alpha@creator.de", languages="de")
    late = _sample_path(side_a.collaboration, delivered_days_ago=CONTENT_DAYS + LATE)
    posting = collaboration_create(campaign=side_a.campaign, creator=side_a.other_creator)
    _sample_path(posting, delivered_days_ago=30)
    posted_at = timezone.now() - datetime.timedelta(days=25)
    post_create(collaboration=posting, platform="tiktok", external_id="7400000000001", posted_at=posted_at)
    return late


def _needs_samples(login_as, user) -> str:
    page = login_as(user).get("/").content.decode()
    return page.split('data-testid="needs-samples"', 1)[1].split("</section>", 1)[0]


def _portal_token(body: str) -> str:
    prefix = reverse("creators:portal", args=["TOKEN"]).split("TOKEN")[0]
    found = re.search(re.escape(prefix) + r"([^/\s]+)/", body)
    assert found, body
    return found.group(1)


def test_a_missed_content_deadline_is_shown_reminded_in_german_once_and_then_escalated(
    side_a, login_as, loop
) -> None:
    group = _needs_samples(login_as, side_a.manager)
    assert "Creator alpha" in group and f"{LATE} days overdue" in group and "Reminder not sent yet" in group
    assert "Second alpha" not in group

    now = timezone.now()
    assert samples_remind(now=now) == {"reminded": 1, "escalated": 0, "no_email": 0}
    (reminder,) = mail.outbox
    assert reminder.to == ["alpha@creator.de"]
    assert "Dein Video für „Campaign alpha“ ist fällig" in reminder.subject
    assert "Hallo Creator alpha" in reminder.body and "Creator-Portal" in reminder.body
    assert creator_from_portal_token(_portal_token(str(reminder.body))) == side_a.creator
    assert ActivityEvent.objects.filter(creator=side_a.creator, verb="sample_reminded").count() == 1
    assert "Reminder sent on" in _needs_samples(login_as, side_a.manager)

    # Later runs before the wait is over send nothing: not the reminder again, not yet the escalation.
    assert samples_remind(now=now + datetime.timedelta(hours=6)) == {
        "reminded": 0,
        "escalated": 0,
        "no_email": 0,
    }
    assert samples_remind(now=now + datetime.timedelta(days=ESCALATE_AFTER_DAYS - 1))["escalated"] == 0
    assert len(mail.outbox) == 1

    later = now + datetime.timedelta(days=ESCALATE_AFTER_DAYS)
    assert samples_remind(now=later) == {"reminded": 0, "escalated": 1, "no_email": 0}
    escalations = mail.outbox[1:]
    assert sorted(m.to[0] for m in escalations) == ["manager@alpha.example", "owner@alpha.example"]
    days_late = LATE + (timezone.localdate(later) - timezone.localdate(now)).days
    for message in escalations:
        assert "Creator alpha" in message.subject and "Campaign alpha" in message.subject
        assert f"{days_late} days after the content deadline" in message.body
        assert reverse("campaigns:board", args=[side_a.campaign.pk]) in message.body
    assert samples_remind(now=later + datetime.timedelta(days=1))["escalated"] == 0
    assert len(mail.outbox) == 3
    shipment = SampleShipment.objects.get(pk=loop.pk)
    assert shipment.reminded_at == now and shipment.escalated_at == later
    assert "managers told on" in _needs_samples(login_as, side_a.manager)

    figures = posting_figures(workspace=side_a.workspace)
    (campaign,) = figures.by_campaign
    assert (campaign.delivered, campaign.posted, campaign.rate_percent) == (2, 1, 50)
    assert campaign.median_days == 5


def test_a_creator_without_an_email_gets_no_reminder_and_the_dashboard_says_so(side_a, login_as) -> None:
    _sample_path(side_a.collaboration, delivered_days_ago=CONTENT_DAYS + 2)
    assert samples_remind() == {"reminded": 0, "escalated": 0, "no_email": 1}
    assert mail.outbox == []
    assert "no email address" in _needs_samples(login_as, side_a.owner)
    assert not SampleShipment.objects.filter(reminded_at__isnull=False).exists()


def test_a_sample_whose_deadline_has_not_passed_or_with_a_draft_is_not_reminded(side_a, login_as) -> None:
    creator_update(creator=side_a.creator, email="alpha@creator.de")
    creator_update(creator=side_a.other_creator, email="second@creator.de")
    _sample_path(side_a.collaboration, delivered_days_ago=CONTENT_DAYS)  # due today: not late yet
    drafting = collaboration_create(campaign=side_a.campaign, creator=side_a.other_creator)
    _sample_path(drafting, delivered_days_ago=CONTENT_DAYS + 5)
    from creatordesk.reviews import services as reviews

    reviews.submission_create(collaboration=drafting, title="First cut", actor=side_a.other_creator)
    assert samples_remind() == {"reminded": 0, "escalated": 0, "no_email": 0}
    assert mail.outbox == []


def test_the_shipments_own_content_date_overrides_the_default_deadline(side_a) -> None:
    creator_update(creator=side_a.creator, email="alpha@creator.de")
    shipment = _sample_path(side_a.collaboration, delivered_days_ago=3)
    SampleShipment.objects.filter(pk=shipment.pk).update(content_due_on=_days_ago(1))
    assert samples_remind()["reminded"] == 1
    assert mail.outbox[0].to == ["alpha@creator.de"]


def test_another_workspaces_overdue_sample_is_reminded_by_its_own_brand_only(
    side_a, side_b, login_as
) -> None:
    creator_update(creator=side_b.creator, email="beta@creator.de")
    _sample_path(side_b.collaboration, delivered_days_ago=CONTENT_DAYS + 3)
    assert "Creator beta" not in _needs_samples(login_as, side_a.manager)
    assert samples_remind()["reminded"] == 1
    assert "Brand BETA" in mail.outbox[0].subject


def test_the_periodic_run_queues_its_successor_and_sends_the_reminders(side_a) -> None:
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    creator_update(creator=side_a.creator, email="alpha@creator.de")
    _sample_path(side_a.collaboration, delivered_days_ago=CONTENT_DAYS + 1)
    assert remind_samples.call(reschedule=True)["reminded"] == 1
    waiting = DBTaskResult.objects.filter(task_path=remind_samples.module_path, status=TaskResultStatus.READY)
    assert waiting.count() == 1 and waiting.get().run_after > timezone.now()
