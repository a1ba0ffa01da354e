"""Reminders for samples whose video is overdue, and the escalation to the team when they go unanswered."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from creatordesk.accounts.models import Membership
from creatordesk.accounts.permissions import MANAGERS
from creatordesk.campaigns.models import SampleShipment
from creatordesk.creators.activity import activity_record
from creatordesk.creators.portal import portal_language
from creatordesk.creators.services import creator_portal_url
from creatordesk.djangolib.links import absolute_url
from creatordesk.djangolib.task_schedule import enqueue_once
from creatordesk.shop.samples import OverdueSample, samples_overdue

# A week lets a creator who was travelling or ill answer the reminder before a person steps in;
# sooner, the team would chase creators who are already filming.
ESCALATE_AFTER_DAYS = 7
# Deadlines are whole days, so checking a few times a day is enough to remind on the first late day.
REMIND_EVERY = datetime.timedelta(hours=6)


@dataclass(frozen=True)
class _Mail:
    subject: str
    body: str


def _render(name: str, context: dict[str, object], language: str) -> _Mail:
    with translation.override(language):
        subject = render_to_string(f"shop/email/{name}_subject.txt", context)
        body = render_to_string(f"shop/email/{name}.txt", context)
    return _Mail(" ".join(subject.split()), body.strip() + "\n")


def sample_remind(*, overdue: OverdueSample, now: datetime.datetime) -> bool:
    """Email the creator about their overdue video, once; False when someone else already did."""
    shipment = overdue.shipment
    claimed = SampleShipment.objects.filter(pk=shipment.pk, reminded_at__isnull=True).update(reminded_at=now)
    if not claimed:
        return False
    collaboration = shipment.collaboration
    creator = collaboration.creator
    context = {
        "creator": creator,
        "campaign": collaboration.campaign,
        "brand": shipment.workspace.name,
        "shipment": shipment,
        "deadline": overdue.deadline,
        "portal_url": creator_portal_url(creator=creator),
    }
    mail = _render("sample_reminder", context, portal_language(creator))
    try:
        send_mail(f"[{shipment.workspace.name}] {mail.subject}"[:200], mail.body, None, [creator.email])
    except Exception:
        # Not sent, so not reminded: the next run tries again.
        SampleShipment.objects.filter(pk=shipment.pk).update(reminded_at=None)
        raise
    shipment.reminded_at = now
    activity_record(
        creator=creator,
        collaboration=collaboration,
        verb="sample_reminded",
        text=_("Reminded by email: the video for %(campaign)s was due on %(date)s")
        % {"campaign": collaboration.campaign.name, "date": overdue.deadline.isoformat()},
    )
    return True


def sample_escalate(*, overdue: OverdueSample, now: datetime.datetime) -> bool:
    """Email the workspace's managers that a reminded creator still sent nothing, once."""
    shipment = overdue.shipment
    claimed = SampleShipment.objects.filter(pk=shipment.pk, escalated_at__isnull=True).update(
        escalated_at=now
    )
    if not claimed:
        return False
    collaboration = shipment.collaboration
    managers = Membership.objects.filter(workspace_id=shipment.workspace_id, role__in=MANAGERS).exclude(
        user__email=""
    )
    context = {
        "creator": collaboration.creator,
        "campaign": collaboration.campaign,
        "days_late": overdue.days_late,
        "reminded_at": shipment.reminded_at,
        "board_url": absolute_url(reverse("campaigns:board", args=[collaboration.campaign_id])),
    }
    try:
        for email, language in managers.values_list("user__email", "user__language"):
            mail = _render("sample_escalation", context, language)
            send_mail(f"[{shipment.workspace.name}] {mail.subject}"[:200], mail.body, None, [email])
    except Exception:
        SampleShipment.objects.filter(pk=shipment.pk).update(escalated_at=None)
        raise
    shipment.escalated_at = now
    activity_record(
        creator=collaboration.creator,
        collaboration=collaboration,
        verb="sample_escalated",
        text=_("No video %(days)s days after the deadline: the managers were told")
        % {"days": overdue.days_late},
    )
    return True


def _due_for_escalation(overdue: OverdueSample, now: datetime.datetime) -> bool:
    reminded_at = overdue.shipment.reminded_at
    if reminded_at is None or overdue.shipment.escalated_at is not None:
        return False
    return now - reminded_at >= datetime.timedelta(days=ESCALATE_AFTER_DAYS)


def samples_remind(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind every creator whose sample's video is overdue, and escalate reminders left unanswered.

    Each step happens at most once per sample; creators without an email address are counted and
    left to the dashboard, which says so.
    """
    now = now or timezone.now()
    counts = {"reminded": 0, "escalated": 0, "no_email": 0}
    for overdue in samples_overdue(today=timezone.localdate(now)):
        if overdue.shipment.reminded_at is None:
            if not overdue.creator_has_email:
                counts["no_email"] += 1
            elif sample_remind(overdue=overdue, now=now):
                counts["reminded"] += 1
        elif _due_for_escalation(overdue, now) and sample_escalate(overdue=overdue, now=now):
            counts["escalated"] += 1
    return counts


@task()
def remind_samples(*, reschedule: bool = True) -> dict[str, int]:
    """Queue the next run, then send the reminders and escalations that are due.

    The next run is queued first, so a worker that dies while sending does not end the loop; a
    second run sends nothing twice, since each step is claimed on its row before the email goes out.
    """
    if reschedule:
        enqueue_once(remind_samples, run_after=timezone.now() + REMIND_EVERY, reschedule=True)
    return samples_remind()
