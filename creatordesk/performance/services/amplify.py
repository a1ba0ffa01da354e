"""Spark Ads and partnership ad codes: asking the creator for one, receiving it, using it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from creatordesk.creators.activity import activity_record
from creatordesk.creators.portal import portal_language, portal_token_for
from creatordesk.djangolib.links import absolute_url
from creatordesk.performance.models import AmplifyTask, Post

OPEN_STATUSES = (AmplifyTask.Status.REQUESTED, AmplifyTask.Status.RECEIVED, AmplifyTask.Status.IN_USE)


def amplify_task_request(*, post: Post) -> AmplifyTask:
    """Ask the creator for a Spark Ads code, unless a request for this post is still open."""
    from creatordesk.performance.tasks import amplify_request_email

    open_task = post.amplify_tasks.filter(status__in=OPEN_STATUSES).first()
    if open_task is not None:
        return open_task
    task = AmplifyTask.objects.create(workspace_id=post.workspace_id, post=post)
    transaction.on_commit(lambda: amplify_request_email.enqueue(amplify_task_id=task.pk))
    return task


def amplify_request_notify(*, task: AmplifyTask) -> str:
    """Email the creator a link to the portal page where they hand over the code.

    Written in the creator's first listed language when the app speaks it. Returns "sent",
    "no_email" (nobody to write to) or "closed" (the request was answered or closed meanwhile).
    """
    creator = task.post.collaboration.creator
    if task.status != AmplifyTask.Status.REQUESTED:
        return "closed"
    if not creator.email or creator.erased_at is not None:
        return "no_email"
    language = portal_language(creator)
    link = absolute_url(reverse("amplify_portal_list", kwargs={"token": portal_token_for(creator)}))
    with translation.override(language):
        subject = _("%(brand)s would like to promote your post") % {"brand": task.workspace.name}
        body = _(
            "Hello %(name)s,\n\nyour post for “%(campaign)s” is doing very well, and %(brand)s would like "
            "to run it as an ad. Please create an ad authorisation code for it in the app (on TikTok a "
            "Spark Ads code, on Instagram and Facebook a partnership ad code) and enter it "
            "here:\n\n%(link)s\n\nThe link is personal; please do not forward it."
        ) % {
            "name": creator.display_name,
            "campaign": task.post.collaboration.campaign.name,
            "brand": task.workspace.name,
            "link": link,
        }
    send_mail(subject, body, None, [creator.email])
    activity_record(
        creator=creator,
        verb="spark_ads_requested",
        text=_("Asked for a Spark Ads code"),
        collaboration=task.post.collaboration,
    )
    return "sent"


def amplify_code_submit(*, task: AmplifyTask, spark_code: str, code_expires_on: date) -> AmplifyTask:
    """The creator hands over (or replaces) the authorisation code for their post."""
    if task.status not in (AmplifyTask.Status.REQUESTED, AmplifyTask.Status.RECEIVED):
        raise ValidationError(_("This request is closed."))
    if code_expires_on < timezone.localdate():
        raise ValidationError(_("The code has already expired."))
    task.spark_code, task.code_expires_on = spark_code.strip(), code_expires_on
    task.status, task.received_at = AmplifyTask.Status.RECEIVED, timezone.now()
    task.save(update_fields=["spark_code", "code_expires_on", "status", "received_at"])
    return task


def amplify_task_set_status(*, task: AmplifyTask, status: str) -> AmplifyTask:
    """Staff mark a received code as in use, or any request as expired."""
    if status == AmplifyTask.Status.IN_USE and not task.spark_code:
        raise ValidationError(_("There is no code to use yet."))
    if status not in (AmplifyTask.Status.IN_USE, AmplifyTask.Status.EXPIRED):
        raise ValidationError(_("Unknown status."))
    task.status = status
    task.save(update_fields=["status"])
    return task
