"""Template filters for the review pages: time codes, timeline positions, evidence highlighting, and the
labels that stand in for stored codes (severity, source, history events, fit parts) so no code reaches a
reader."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from django import template
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from creatordesk.campaigns.fit import PART_LABELS as CREATOR_FIT_LABELS
from creatordesk.engine.wording import explanation_in, fit_detail_in
from creatordesk.reviews.models import Outcome

register = template.Library()

CATEGORY_LABELS = {
    "medical_claim": _("Medical or health claim"),
    "weight_claim": _("Weight-loss claim"),
    "absolute_claim": _("Absolute or exaggerated claim"),
    "price_claim": _("Price or urgency claim"),
    "comparison": _("Comparison or dupe"),
    "off_platform": _("Off-platform redirection"),
    "false_reward": _("False reward"),
    "prohibited_product": _("Prohibited product"),
    "profanity": _("Profanity"),
    "disclosure_missing": _("Ad disclosure missing"),
    "disclosure_weak": _("Ad disclosure too weak"),
    "banned_term": _("Banned term"),
    "competitor_mention": _("Competitor mentioned"),
    "must_mention_missing": _("Must-mention missing"),
    "nudity": _("Nudity"),
    "product_not_visible": _("Product not visible"),
    "no_human_presence": _("No person visible"),
    "format": _("Format"),
}
SEVERITY_LABELS = {"block": _("Blocking"), "warn": _("Warning"), "info": _("Note")}
SOURCE_LABELS = {
    "speech": _("Speech"),
    "onscreen": _("On-screen text"),
    "caption": _("Caption"),
    "visual": _("Picture"),
    "format": _("Format"),
}
# The video's fit score (engine) has parts of its own next to the creator's fit for a campaign.
FIT_PART_LABELS: dict[str, Promise] = {
    "must_mentions": _("Must-mentions"),
    "hook": _("Hook"),
    "pacing": _("Pacing"),
    "product": _("Product visible"),
    "format": _("Format"),
    **CREATOR_FIT_LABELS,
}
# History events are stored with a code and details; these are what a reader sees. Details a label
# names are filled in; an event whose details lack them falls back to the label without them.
EVENT_LABELS: dict[str, tuple[Promise, Promise]] = {
    "submission_created": (_("Submission created"), _("Submission created")),
    "version_uploaded": (_("Version %(number)s uploaded"), _("New version uploaded")),
    "analysis_done": (_("Pre-review of version %(number)s finished"), _("Pre-review finished")),
    "finding_open": (_("Finding reopened"), _("Finding reopened")),
    "finding_confirmed": (_("Finding confirmed"), _("Finding confirmed")),
    "finding_dismissed": (_("Finding dismissed"), _("Finding dismissed")),
    "comment_added": (_("Comment on version %(number)s"), _("Comment added")),
    "comment_resolved": (_("Comment resolved"), _("Comment resolved")),
    "comment_reopened": (_("Comment reopened"), _("Comment reopened")),
    "decision": (_("%(stage)s: %(outcome)s (version %(number)s)"), _("Decision")),
    "decision_refused": (_("Decision in %(stage)s refused (version %(number)s)"), _("Decision refused")),
    "approved_despite_blocks": (
        _("%(stage)s: approved despite %(blocks)s open blocking findings (version %(number)s)"),
        _("Approved despite open blocking findings"),
    ),
    "version_locked": (_("Version %(number)s locked: %(outcome)s"), _("Version locked")),
    "creator_erased": (_("Creator's personal data erased"), _("Creator's personal data erased")),
    "review_settings_changed": (_("Review settings changed"), _("Review settings changed")),
    "stage_owners_changed": (_("Stage owners changed"), _("Stage owners changed")),
    "stage_removed": (_("Stage removed"), _("Stage removed")),
}
ACTOR_LABELS = {"pre-review": _("Pre-review"), "system": _("System")}


@register.filter
def timecode(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = max(float(seconds), 0.0)
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:04.1f}"


@register.filter
def percent_of(value: float, total: float) -> str:
    if not total:
        return "0"
    return f"{min(max(float(value) / float(total) * 100, 0), 100):.2f}"


@register.filter
def add_seconds(value: float, extra: float | None) -> float:
    return float(value) + float(extra or 0)


@register.filter
def is_past(moment: datetime) -> bool:
    return moment < timezone.now()


@register.filter
def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, category))


@register.filter
def outcome_label(outcome: str) -> str:
    return str(Outcome(outcome).label) if outcome in Outcome.values else outcome


@register.filter
def severity_label(severity: str) -> str:
    return str(SEVERITY_LABELS.get(severity, severity))


@register.filter
def source_label(source: str) -> str:
    return str(SOURCE_LABELS.get(source, source))


@register.filter
def fit_part_label(name: str) -> str:
    return str(FIT_PART_LABELS.get(name, name))


@register.filter
def fit_detail(part: dict[str, object]) -> str:
    """A stored fit part's detail in the reader's language."""
    return fit_detail_in(
        str(part.get("name", "")), str(part.get("detail", "")), translation.get_language() or "en"
    )


@register.filter
def event_label(event: object) -> str:
    """What happened, in words; never the stored code."""
    verb = str(getattr(event, "verb", ""))
    detail = getattr(event, "detail", None) or {}
    full, short = EVENT_LABELS.get(verb, (_("Other change"), _("Other change")))
    values = {key: value for key, value in detail.items() if value not in (None, "")}
    if "outcome" in values:
        values["outcome"] = outcome_label(str(values["outcome"]))
    try:
        return str(full) % values
    except (KeyError, TypeError):
        return str(short)


@register.filter
def rule_summary(rule: str) -> str:
    """The first sentence of a rule's explanation in the reader's language; the id for a custom rule."""
    text = explanation_in(rule, translation.get_language() or "en")
    if not text:
        return rule
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return first


@register.filter
def actor_label(actor: str) -> str:
    return str(ACTOR_LABELS.get(actor, actor))


@register.filter
def highlight(text: str, findings: Iterable[object]) -> SafeString:
    """Escape `text` and mark every finding's evidence that occurs in it."""
    evidence = sorted(
        {str(getattr(f, "evidence", "")).strip() for f in findings} - {""}, key=len, reverse=True
    )
    escaped = escape(text)
    if not evidence:
        return mark_safe(escaped)
    pattern = re.compile("|".join(re.escape(escape(e)) for e in evidence), re.IGNORECASE)
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))
