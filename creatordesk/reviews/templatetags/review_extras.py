"""Template filters for the review pages: time codes, timeline positions, evidence highlighting."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

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
