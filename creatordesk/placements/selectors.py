"""Reads of the placements area: stored rows as the audit reads them, plan suggestions, plan and analysis figures."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from creatordesk.accounts.models import Workspace
from creatordesk.placements.audit import AdSetSettings, Audit, PlacementChoice, audit
from creatordesk.placements.exports import PlacementRow
from creatordesk.placements.models import (
    AdSetSetting,
    ExclusionAnalysis,
    ExclusionPlan,
    Level,
    PlacementRecord,
)

if TYPE_CHECKING:
    from creatordesk.placements import stats

# The statistics (scipy, statsmodels) take seconds to load; every process loads this module through the
# URL configuration, so they are imported where a figure is computed.

Period = tuple[date, date]


def _records(workspace: Workspace, period: Period | None = None) -> QuerySet[PlacementRecord]:
    records = PlacementRecord.objects.for_workspace(workspace)
    if period is not None:
        records = records.filter(starts__gte=period[0], ends__lte=period[1])
    return records


def stored_period(*, workspace: Workspace) -> Period | None:
    """The first and last day the stored rows cover, None when nothing is stored."""
    records = _records(workspace)
    first = records.order_by("starts").values_list("starts", flat=True).first()
    last = records.order_by("-ends").values_list("ends", flat=True).first()
    return (first, last) if first and last else None


def rows_for(*, workspace: Workspace, period: Period | None = None) -> list[PlacementRow]:
    return [record.as_row() for record in _records(workspace, period)]


def ad_set_settings(*, workspace: Workspace, period: Period | None = None) -> dict[str, AdSetSettings]:
    """What is known of each ad set: entered or synced settings, and text lengths from imported rows."""
    lengths: dict[str, dict[str, int]] = defaultdict(dict)
    texts = _records(workspace, period).filter(ad_text_length__isnull=False)
    for adset_id, adset_name, ad_id, ad_name, length in texts.values_list(
        "adset_id", "adset_name", "ad_id", "ad_name", "ad_text_length"
    ):
        lengths[adset_id or adset_name][ad_id or ad_name] = int(length or 0)
    found: dict[str, AdSetSettings] = {}
    for setting in AdSetSetting.objects.for_workspace(workspace):
        found[setting.adset_key] = AdSetSettings(
            placements=PlacementChoice(setting.placements),
            start=setting.start,
            objective=setting.objective,
            ad_text_lengths={**lengths.pop(setting.adset_key, {}), **setting.ad_text_lengths},
        )
    for key, by_ad in lengths.items():
        found[key] = AdSetSettings(ad_text_lengths=by_ad)
    return found


def workspace_audit(*, workspace: Workspace, period: Period | None = None) -> Audit:
    """The descriptive audit of the workspace's stored rows over `period`, with intervals."""
    from creatordesk.placements import stats

    return audit(
        rows_for(workspace=workspace, period=period),
        ad_sets=ad_set_settings(workspace=workspace, period=period),
        intervals=stats.placement_intervals,
    )


def scope_choices(*, workspace: Workspace, level: str = Level.CAMPAIGN) -> list[tuple[str, str]]:
    """(key, label) of every campaign or ad set in the stored rows, for choosing test cells."""
    id_field, name_field = (
        ("campaign_id", "campaign_name") if level == Level.CAMPAIGN else ("adset_id", "adset_name")
    )
    pairs = _records(workspace).values_list(id_field, name_field).distinct().order_by(name_field, id_field)
    choices: dict[str, str] = {}
    for identifier, name in pairs:
        key = identifier or name
        if key:
            choices.setdefault(key, f"{name} ({identifier})" if identifier and name else key)
    return sorted(choices.items(), key=lambda item: item[1].casefold())


# --- Planner -----------------------------------------------------------------------------------------


def _cell(level: str, key: str) -> Q:
    """Rows of one campaign or ad set, keyed as the audit keys them: by id, or by name where ids are missing."""
    ids, names = ("campaign_id", "campaign_name") if level == Level.CAMPAIGN else ("adset_id", "adset_name")
    return Q(**{ids: key}) | Q(**{ids: "", names: key})


def daily_rows(*, workspace: Workspace, level: str, key: str) -> list[stats.DailyRow]:
    """A campaign's or ad set's daily spend, results and revenue over all placements."""
    from creatordesk.placements import stats

    by_day: dict[date, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    has_revenue = False
    records = _records(workspace).filter(_cell(level, key), day__isnull=False)
    for day, spend, results, revenue in records.values_list("day", "spend", "results", "revenue"):
        if day is None:
            continue
        figures = by_day[day]
        figures[0] += spend
        figures[1] += results
        if revenue is not None:
            figures[2] += revenue
            has_revenue = True
    return [
        stats.DailyRow(day, float(s), float(r), float(v) if has_revenue else None)
        for day, (s, r, v) in sorted(by_day.items())
    ]


def dispersion_of(rows: Sequence[stats.DailyRow]) -> float:
    """Pearson's chi-square over n-1 of daily results against spend, at least 1 (1 when too few days)."""
    kept = [row for row in rows if row.spend > 0]
    spend, results = sum(r.spend for r in kept), sum(r.results for r in kept)
    if len(kept) < 3 or results <= 0:
        return 1.0
    rate = results / spend
    chi2 = sum((r.results - rate * r.spend) ** 2 / (rate * r.spend) for r in kept)
    return max(1.0, chi2 / (len(kept) - 1))


@dataclass(frozen=True)
class PlanSuggestion:
    """A campaign's recent figures, offered as the planner's starting inputs."""

    daily_budget: Decimal
    results_per_euro: Decimal
    placement_share: Decimal
    dispersion: Decimal
    days: int


def plan_suggestion(
    *, workspace: Workspace, campaign_key: str, publisher_platform: str = "threads"
) -> PlanSuggestion | None:
    """Daily spend, results per euro, the placement's share of spend and the overdispersion of a campaign."""
    rows = daily_rows(workspace=workspace, level=Level.CAMPAIGN, key=campaign_key)
    spend = sum(row.spend for row in rows)
    results = sum(row.results for row in rows)
    if not rows or spend <= 0 or results <= 0:
        return None
    placement_spend = sum(
        _records(workspace)
        .filter(_cell(Level.CAMPAIGN, campaign_key), publisher_platform=publisher_platform)
        .values_list("spend", flat=True),
        Decimal(0),
    )
    return PlanSuggestion(
        daily_budget=Decimal(spend / len(rows)).quantize(Decimal("0.01")),
        results_per_euro=Decimal(results / spend).quantize(Decimal("0.000001")),
        placement_share=(placement_spend / Decimal(str(spend))).quantize(Decimal("0.0001")),
        dispersion=Decimal(dispersion_of(rows)).quantize(Decimal("0.001")),
        days=len(rows),
    )


def plan_inputs(plan: ExclusionPlan) -> stats.ExclusionTestInputs:
    from creatordesk.placements import stats

    return stats.ExclusionTestInputs(
        daily_budget=float(plan.daily_budget),
        weeks=plan.weeks,
        results_per_euro=float(plan.results_per_euro),
        placement_share=float(plan.placement_share),
        settings=stats.PowerSettings(
            dispersion=max(1.0, float(plan.dispersion)), alpha=float(plan.alpha), power=float(plan.power)
        ),
        target_difference=None if plan.target_difference is None else float(plan.target_difference),
    )


def plan_figures(plan: ExclusionPlan) -> stats.ExclusionTestPlan:
    from creatordesk.placements import stats

    return stats.plan_exclusion_test(plan_inputs(plan), start=plan.start)


# --- Analyser ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnalysisFigures:
    """An analysis's result, or why there is none yet."""

    result: stats.ExclusionTestAnalysis | None
    problem: str = ""  # a code: "no_rows", "too_few_days", "no_results"
    days_a: int = 0
    days_b: int = 0


def analysis_figures(analysis: ExclusionAnalysis) -> AnalysisFigures:
    """The analyser over both cells' stored daily rows, with the plan's looks and mixture when planned."""
    from creatordesk.placements import stats

    workspace = analysis.workspace
    cell_a = daily_rows(workspace=workspace, level=analysis.level, key=analysis.cell_a_key)
    cell_b = daily_rows(workspace=workspace, level=analysis.level, key=analysis.cell_b_key)
    if not cell_a or not cell_b:
        return AnalysisFigures(None, "no_rows", len(cell_a), len(cell_b))
    options: dict[str, object] = {}
    if analysis.plan is not None:
        plan = plan_figures(analysis.plan)
        if not math.isinf(plan.mixture_sd) and plan.mixture_sd > 0:
            options["mixture_sd"] = plan.mixture_sd
        if plan.verdict.look_dates:
            options["looks"] = list(plan.verdict.look_dates)
        options["alpha"] = float(analysis.plan.alpha)
    margin = None if analysis.margin is None else float(analysis.margin)
    try:
        result = stats.analyse_exclusion_test(cell_a, cell_b, margin=margin, **options)  # type: ignore[arg-type]
    except ValueError as exc:
        code = "no_results" if "at least one result" in str(exc) else "too_few_days"
        return AnalysisFigures(None, code, len(cell_a), len(cell_b))
    return AnalysisFigures(result, "", len(cell_a), len(cell_b))
