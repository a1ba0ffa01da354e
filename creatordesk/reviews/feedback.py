"""What a creator is told about their work: every decision with its note, and what they must fix.

The portal page and the email after a decision read the same rows here, so the email never says
something the portal does not show.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from creatordesk.creators.portal import portal_language, portal_submission_path
from creatordesk.notifications.services import CreatorEmail
from creatordesk.reviews.models import Decision, Finding, FindingState, Outcome, Submission, Version
from creatordesk.reviews.templatetags.review_extras import category_label, timecode


@dataclass(frozen=True)
class CreatorFeedback:
    """The decisions on every version of a submission (newest version first) and what to fix."""

    decisions: list[Decision]
    to_fix: list[Finding]


def creator_feedback(*, submission: Submission, version: Version) -> CreatorFeedback:
    """`to_fix` holds the findings of `version` a reviewer confirmed: those the creator must change."""
    decisions = (
        Decision.objects.filter(version__submission=submission)
        .select_related("version")
        .order_by("-version__number", "created_at")
    )
    to_fix = version.findings.filter(state=FindingState.CONFIRMED).order_by("start_s", "id")
    return CreatorFeedback(list(decisions), list(to_fix))


def decision_email(*, version: Version) -> CreatorEmail | None:
    """The creator's email about the outcome of `version`, in their language; None without an address."""
    submission = version.submission
    creator = submission.collaboration.creator
    if not creator.email or creator.erased_at is not None or not version.outcome:
        return None
    feedback = creator_feedback(submission=submission, version=version)
    with translation.override(portal_language(creator)):
        facts = {
            "title": submission.title,
            "number": version.number,
            "outcome": Outcome(version.outcome).label,
        }
        subject = _("“%(title)s” v%(number)s: %(outcome)s") % facts
        lines = [
            _("Hello %(name)s,") % {"name": creator.display_name},
            "",
            _("the review of “%(title)s”, version %(number)s, is done: %(outcome)s.") % facts,
        ]
        for decision in feedback.decisions:
            if decision.version_id == version.pk and decision.note:
                lines += ["", f"{decision.stage_name} – {Outcome(decision.outcome).label}:", decision.note]
        if feedback.to_fix:
            lines += [
                "",
                ngettext(
                    "Please fix this point in the next version:",
                    "Please fix these %(count)d points in the next version:",
                    len(feedback.to_fix),
                )
                % {"count": len(feedback.to_fix)},
            ]
            lines += [
                f"- {timecode(f.start_s)} {category_label(f.category)}: {f.explanation}"
                for f in feedback.to_fix
            ]
        lines += [
            "",
            _(
                "Every note and comment, at its moment in the video, is on the page of your submission. "
                "The link is personal; please do not forward it:"
            ),
        ]
    return CreatorEmail(
        to=creator.email,
        subject=subject,
        text="\n".join(lines),
        url=portal_submission_path(creator=creator, submission_pk=submission.pk),
    )
