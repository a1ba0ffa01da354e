"""Paid placements in the JSON API: the audit, exclusion-test plans and analyses, Insights runs."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from creatordesk.accounts.api import Page
from creatordesk.accounts.permissions import PAID_MEDIA, require_role
from creatordesk.accounts.scoping import WorkspaceRequest, api_user, get_scoped_or_404
from creatordesk.placements import selectors, services
from creatordesk.placements.audit import DESCRIPTIVE, PlacementFigures, Scope, Totals
from creatordesk.placements.models import ExclusionAnalysis, ExclusionPlan, InsightsRun, Level
from creatordesk.placements.sync import insights_run_start
from creatordesk.placements.tasks import placements_insights_run

router = Router(tags=["placements"])


def _number(value: Decimal | float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isinf(number) or math.isnan(number) else number


def _totals(totals: Totals) -> dict[str, Any]:
    return {
        "spend": _number(totals.spend),
        "impressions": totals.impressions,
        "link_clicks": totals.link_clicks,
        "results": _number(totals.results),
        "revenue": _number(totals.revenue),
        "cpm": _number(totals.cpm),
        "link_ctr": _number(totals.link_ctr),
        "cpa": _number(totals.cpa),
        "roas": _number(totals.roas),
    }


def _placement(figures: PlacementFigures) -> dict[str, Any]:
    return {
        "publisher_platform": figures.publisher_platform,
        "platform_position": figures.platform_position,
        "totals": _totals(figures.totals),
        "shares": {
            name: _number(getattr(figures.shares, name))
            for name in ("spend", "impressions", "results", "revenue")
        },
        "intervals": {
            metric: {"low": _number(i.low), "high": _number(i.high), "method": i.method}
            for metric, i in figures.intervals.items()
        },
    }


def _scope(scope: Scope) -> dict[str, Any]:
    return {
        "level": scope.level,
        "key": scope.key,
        "name": scope.name,
        "currency": scope.currency,
        "attribution_settings": list(scope.attribution_settings),
        "totals": _totals(scope.totals),
        "threads_shares": {
            name: _number(getattr(scope.threads, name))
            for name in ("spend", "impressions", "results", "revenue")
        },
        "placements": [_placement(p) for p in scope.placements],
        "flags": [{"code": str(f.code), "reason": f.reason, "ad_id": f.ad_id} for f in scope.flags],
    }


class AuditQuery(Schema):
    since: datetime.date | None = None
    until: datetime.date | None = None
    level: str = Field("campaign", pattern="^(account|campaign|ad_set)$")


class AuditOut(Schema):
    label: str = Field(description="Every figure describes delivery; none says what a placement caused.")
    period: list[datetime.date] | None
    level: str
    scopes: list[dict[str, Any]] = Field(
        description="Per account, campaign or ad set: totals, Threads' shares, per-placement totals, shares "
        "and 95 % intervals (cpm, link_ctr, cpa, roas), and flags."
    )


@router.get("/placements/audit", response=AuditOut)
def get_audit(request: WorkspaceRequest, query: Query[AuditQuery]) -> dict[str, Any]:
    """The descriptive placement audit of the stored rows; the period defaults to all stored days."""
    require_role(request, *PAID_MEDIA)
    stored = selectors.stored_period(workspace=request.workspace)
    period = None if stored is None else (query.since or stored[0], query.until or stored[1])
    if period and period[0] > period[1]:
        raise HttpError(422, "The period ends before it starts.")
    found = selectors.workspace_audit(workspace=request.workspace, period=period) if period else None
    scopes = {"account": "accounts", "campaign": "campaigns", "ad_set": "ad_sets"}[query.level]
    return {
        "label": DESCRIPTIVE,
        "period": list(period) if period else None,
        "level": query.level,
        "scopes": [_scope(s) for s in getattr(found, scopes, ())],
    }


# --- Plans -------------------------------------------------------------------------------------------


class PlanIn(Schema):
    name: str = Field(max_length=200)
    campaign_key: str = Field("", max_length=200)
    daily_budget: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    weeks: int = Field(ge=2, le=52)
    results_per_euro: Decimal = Field(gt=0, max_digits=12, decimal_places=6)
    placement_share: Decimal = Field(ge=0, lt=1, decimal_places=4, description="0.12 for 12 % of spend.")
    dispersion: Decimal = Field(Decimal(1), ge=1, le=1000, decimal_places=3)
    alpha: Decimal = Field(Decimal("0.05"), gt=0, lt=Decimal("0.5"), decimal_places=3)
    power: Decimal = Field(Decimal("0.8"), ge=Decimal("0.5"), lt=1, decimal_places=3)
    target_difference: Decimal | None = Field(None, gt=0, le=5, decimal_places=4)
    start: datetime.date


class PlanOut(Schema):
    id: int
    name: str
    campaign_key: str
    inputs: dict[str, Any]
    figures: dict[str, Any] = Field(
        description="effect_ceiling, detectable differences (fixed and sequential), results per cell, test "
        "spend, requirement for the target difference, and the verdict with looks and margin."
    )

    @staticmethod
    def resolve_inputs(plan: ExclusionPlan) -> dict[str, Any]:
        return _plan_inputs(plan)

    @staticmethod
    def resolve_figures(plan: ExclusionPlan) -> dict[str, Any]:
        return _plan_figures(plan)


def _plan_inputs(plan: ExclusionPlan) -> dict[str, Any]:
    names = (
        "daily_budget",
        "results_per_euro",
        "placement_share",
        "dispersion",
        "alpha",
        "power",
        "target_difference",
    )
    return {name: _number(getattr(plan, name)) for name in names} | {
        "weeks": plan.weeks,
        "start": plan.start.isoformat(),
    }


def _plan_figures(plan: ExclusionPlan) -> dict[str, Any]:
    figures = selectors.plan_figures(plan)
    requirement = figures.requirement
    return {
        "effect_ceiling": _number(figures.effect_ceiling),
        "results_per_cell": _number(figures.results_per_cell),
        "detectable_difference_fixed": _number(figures.detectable_fixed),
        "detectable_difference_sequential": _number(figures.detectable_sequential),
        "test_spend": _number(figures.test_spend),
        "worst_case_waste": _number(figures.worst_case_waste),
        "requirement": None
        if requirement is None
        else {
            "difference": requirement.difference,
            "results_per_cell": _number(requirement.results_per_cell),
            "results_per_cell_sequential": _number(requirement.results_per_cell_sequential),
            "weeks_fixed": requirement.weeks_fixed,
            "weeks_sequential": requirement.weeks_sequential,
        },
        "verdict": figures.verdict.code,
        "money_at_stake_per_month": _number(figures.verdict.money_at_stake_per_month),
        "look_dates": [d.isoformat() for d in figures.verdict.look_dates],
        "non_inferiority_margin": _number(figures.verdict.non_inferiority_margin),
    }


@router.get("/placements/plans", response=list[PlanOut])
@paginate(Page)
def list_plans(request: WorkspaceRequest) -> QuerySet[ExclusionPlan]:
    require_role(request, *PAID_MEDIA)
    return ExclusionPlan.objects.for_workspace(request.workspace)


@router.post("/placements/plans", response={201: PlanOut})
def create_plan(request: WorkspaceRequest, payload: PlanIn) -> Status[ExclusionPlan]:
    """Plan an exclusion test; the figures are computed from these inputs whenever the plan is read."""
    require_role(request, *PAID_MEDIA)
    plan = services.exclusion_plan_create(
        workspace=request.workspace, actor=api_user(request), **payload.dict()
    )
    return Status(201, plan)


@router.get("/placements/plans/{plan_id}", response=PlanOut)
def get_plan(request: WorkspaceRequest, plan_id: int) -> ExclusionPlan:
    require_role(request, *PAID_MEDIA)
    return get_scoped_or_404(ExclusionPlan, request.workspace, pk=plan_id)


# --- Analyses ----------------------------------------------------------------------------------------


class AnalysisIn(Schema):
    name: str = Field(max_length=200)
    level: str = Field(Level.CAMPAIGN, pattern="^(campaign|ad_set)$")
    cell_a_key: str = Field(max_length=200, description="Campaign (or ad set) id or name with the placement.")
    cell_b_key: str = Field(max_length=200, description="The one without it.")
    margin: Decimal | None = Field(None, gt=0, lt=1, decimal_places=4)
    plan_id: int | None = None


class AnalysisOut(Schema):
    id: int
    name: str
    level: str
    cell_a_key: str
    cell_b_key: str
    plan_id: int | None
    problem: str = Field(
        description='Why there is no result yet: "no_rows", "too_few_days", "no_results"; else "".'
    )
    result: dict[str, Any] | None = Field(
        description="Rate and CPA ratios with fixed and always-valid intervals, ROAS difference, "
        "non-inferiority; every difference comes with its interval."
    )

    @staticmethod
    def resolve_problem(analysis: ExclusionAnalysis) -> str:
        return _analysis_figures(analysis).problem

    @staticmethod
    def resolve_result(analysis: ExclusionAnalysis) -> dict[str, Any] | None:
        result = _analysis_figures(analysis).result
        return None if result is None else result.summary()


def _analysis_figures(analysis: ExclusionAnalysis) -> selectors.AnalysisFigures:
    # Both resolvers of one analysis ask; the figures are computed once per object.
    cached = getattr(analysis, "_figures", None)
    if cached is None:
        cached = selectors.analysis_figures(analysis)
        analysis._figures = cached  # type: ignore[attr-defined]
    return cached


@router.get("/placements/analyses", response=list[AnalysisOut])
@paginate(Page)
def list_analyses(request: WorkspaceRequest) -> QuerySet[ExclusionAnalysis]:
    require_role(request, *PAID_MEDIA)
    return ExclusionAnalysis.objects.for_workspace(request.workspace).select_related("workspace", "plan")


@router.post("/placements/analyses", response={201: AnalysisOut})
def create_analysis(request: WorkspaceRequest, payload: AnalysisIn) -> Status[ExclusionAnalysis]:
    """Analyse an exclusion test from the two cells' stored daily rows."""
    require_role(request, *PAID_MEDIA)
    plan = (
        get_scoped_or_404(ExclusionPlan, request.workspace, pk=payload.plan_id) if payload.plan_id else None
    )
    try:
        analysis = services.exclusion_analysis_create(
            workspace=request.workspace,
            actor=api_user(request),
            name=payload.name,
            level=payload.level,
            cell_a_key=payload.cell_a_key,
            cell_b_key=payload.cell_b_key,
            margin=payload.margin,
            plan=plan,
        )
    except ValueError as exc:
        raise HttpError(422, str(exc)) from None
    return Status(201, analysis)


@router.get("/placements/analyses/{analysis_id}", response=AnalysisOut)
def get_analysis(request: WorkspaceRequest, analysis_id: int) -> ExclusionAnalysis:
    require_role(request, *PAID_MEDIA)
    return get_scoped_or_404(ExclusionAnalysis, request.workspace, pk=analysis_id)


# --- Insights runs -----------------------------------------------------------------------------------


class InsightsIn(Schema):
    since: datetime.date
    until: datetime.date


class InsightsRunOut(Schema):
    id: int
    since: datetime.date
    until: datetime.date
    status: str
    stage: str
    rows: int
    error: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None


@router.post("/placements/insights", response={202: InsightsRunOut})
def start_insights(request: WorkspaceRequest, payload: InsightsIn) -> Status[InsightsRun]:
    """Read a period from the Marketing API in the background (or answer the run already going)."""
    require_role(request, *PAID_MEDIA)
    try:
        run, started = insights_run_start(
            workspace=request.workspace, since=payload.since, until=payload.until, actor=api_user(request)
        )
    except ValueError as exc:
        raise HttpError(422, str(exc)) from None
    if started:
        run_id = run.pk
        transaction.on_commit(lambda: placements_insights_run.enqueue(run_id=run_id))
    return Status(202, run)


@router.get("/placements/insights/{insights_run_id}", response=InsightsRunOut)
def get_insights(request: WorkspaceRequest, insights_run_id: int) -> InsightsRun:
    require_role(request, *PAID_MEDIA)
    return get_scoped_or_404(InsightsRun, request.workspace, pk=insights_run_id)


@router.get("/placements/insights", response=list[InsightsRunOut])
@paginate(Page)
def list_insights(request: WorkspaceRequest) -> QuerySet[InsightsRun]:
    require_role(request, *PAID_MEDIA)
    return InsightsRun.objects.for_workspace(request.workspace)
