"""Breakout explanations in every language of the app: the one place that words a viral alert.

An alert is raised by a background worker, in no user's language, and read later by people who
use German or English. So each explanation is worded once per language when the alert is raised,
and the page shows the reader's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

from creatordesk.performance.viral.model import ExplanationFacts, pace


def in_every_language(word: Callable[[], str]) -> dict[str, str]:
    """{language code: text} with `word` called once under each of the app's languages."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(word())
    return texts


def in_reader_language(explanations: Mapping[str, str], fallback: str) -> str:
    """The explanation in the active language when it was worded in it, else `fallback`."""
    language = (translation.get_language() or "").split("-")[0]
    return explanations.get(language) or fallback


def creator_median_explanation(*, views: int, hours: int, ratio: float, median: float, count: int) -> str:
    return _(
        "%(views)s views after %(hours)s h: %(ratio)s× this creator's median of %(median)s "
        "at the same age (%(count)s earlier posts)."
    ) % {
        "views": number_format(views, force_grouping=True),
        "hours": hours,
        "ratio": number_format(ratio, 1),
        "median": number_format(round(median), force_grouping=True),
        "count": count,
    }


def top_decile_explanation(*, views: int, hours: int, count: int, p90: float) -> str:
    return _(
        "%(views)s views after %(hours)s h: above the top 10 %% of %(count)s posts on this "
        "platform at the same age (%(p90)s)."
    ) % {
        "views": number_format(views, force_grouping=True),
        "hours": hours,
        "count": count,
        "p90": number_format(round(p90), force_grouping=True),
    }


def _views(value: float) -> str:
    return number_format(round(value), force_grouping=True)


def _age(hours: float, *, after_preposition: bool = False) -> str:
    """'6 hours', '3 days', '2.5 days' (the model's rounding), in the active language.

    After a preposition ("in the first 3 days", "at 30 days") German needs another ending.
    """
    value = hours if hours < 48 else hours / 24
    whole = abs(value - round(value)) < 0.05
    n = number_format(round(value), 0) if whole else number_format(float(f"{value:.1f}"), 1)
    count = round(value) if whole else 2  # "2.5 days" takes the plural
    if hours < 48:
        if after_preposition:
            return npgettext("after a preposition", "%(n)s hour", "%(n)s hours", count) % {"n": n}
        return ngettext("%(n)s hour", "%(n)s hours", count) % {"n": n}
    if after_preposition:
        return npgettext("after a preposition", "%(n)s day", "%(n)s days", count) % {"n": n}
    return ngettext("%(n)s day", "%(n)s days", count) % {"n": n}


def _pace(observed: float, usual: float, *, creator: bool, age: str, median: str, videos: int = 0) -> str:
    kind, factor = pace(observed, usual)  # the model's own comparison, written the reader's way
    values = {"ratio": number_format(factor, 1), "age": age, "median": median, "count": videos}
    if creator:
        texts = {
            "ahead": _(
                "ahead of this creator's usual first %(age)s (median %(median)s over %(count)s videos)"
            ),
            "par": _(
                "on par with this creator's usual first %(age)s (median %(median)s over %(count)s videos)"
            ),
            "faster": _(
                "%(ratio)s× faster than this creator's usual first %(age)s (median %(median)s over %(count)s videos)"
            ),
            "slower": _(
                "%(ratio)s× slower than this creator's usual first %(age)s (median %(median)s over %(count)s videos)"
            ),
        }
    else:
        texts = {
            "ahead": _("ahead of the workspace's (median %(median)s)"),
            "par": _("on par with the workspace's (median %(median)s)"),
            "faster": _("%(ratio)s× faster than the workspace's (median %(median)s)"),
            "slower": _("%(ratio)s× slower than the workspace's (median %(median)s)"),
        }
    return texts[kind] % values


def model_explanation(facts: ExplanationFacts) -> str:
    """The early-views model's reasons, in the active language."""
    breakout, forecast = facts.breakout, facts.breakout.forecast
    age = _age(forecast.age_hours)
    clauses = []
    if facts.creator_usual is not None:
        clauses.append(
            _pace(forecast.observed, facts.creator_usual, creator=True, age=age,
                  median=_views(facts.creator_usual), videos=facts.creator_videos)
        )  # fmt: skip
    clauses.append(_pace(forecast.observed, facts.workspace_usual, creator=False, age=age,
                         median=_views(facts.workspace_usual)))  # fmt: skip
    first = _("%(views)s views in the first %(age)s") % {
        "views": _views(forecast.observed),
        "age": _age(forecast.age_hours, after_preposition=True),
    }
    chances = [
        _("%(percent)s%% chance to end in the workspace's top 10%% (over %(threshold)s views)")
        % {
            "percent": round(breakout.chance_workspace_top_decile * 100),
            "threshold": _views(breakout.workspace_threshold),
        }
    ]
    if breakout.chance_beats_creator is not None and breakout.creator_threshold is not None:
        chances.append(
            _("%(percent)s%% to beat %(factor)s× this creator's p90 (%(threshold)s views)")
            % {
                "percent": round(breakout.chance_beats_creator * 100),
                "factor": f"{facts.creator_factor:g}",
                "threshold": _views(breakout.creator_threshold),
            }
        )
    verdict = _("Likely breakout") if breakout.flagged else _("No breakout yet")
    forecast_text = _("Forecast at %(horizon)s: about %(median)s views (80%% range %(low)s to %(high)s).") % {
        "horizon": _age(facts.horizon_hours, after_preposition=True),
        "median": _views(forecast.median),
        "low": _views(forecast.low),
        "high": _views(forecast.high),
    }
    return " ".join([f"{first}: {', '.join(clauses)}.", forecast_text, f"{verdict}: {', '.join(chances)}."])
