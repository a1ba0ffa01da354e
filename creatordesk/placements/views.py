"""Pages of the placements area: the audit, ad set settings, exclusion-test plans and analyses."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts.permissions import PAID_MEDIA, role_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.placements import presenting, selectors, services
from creatordesk.placements.forms import (
    AdSetSettingForm,
    ExclusionAnalysisForm,
    ExclusionPlanForm,
    PeriodForm,
)
from creatordesk.placements.models import ExclusionAnalysis, ExclusionPlan, Level


@role_required(*PAID_MEDIA)
def audit(request: WorkspaceRequest) -> HttpResponse:
    """Shares and efficiency per placement for every account, campaign or ad set over a period."""
    form = PeriodForm(request.GET or None)
    stored = selectors.stored_period(workspace=request.workspace)
    period = form.period(stored)
    level = (form.is_bound and form.is_valid() and form.cleaned_data["level"]) or "campaign"
    found = selectors.workspace_audit(workspace=request.workspace, period=period) if period else None
    scopes = {"account": "accounts", "campaign": "campaigns", "ad_set": "ad_sets"}[level]
    known = selectors.ad_set_settings(workspace=request.workspace) if level == "ad_set" else {}
    context = {
        "form": form,
        "period": period,
        "level": level,
        "scopes": [presenting.scope_view(s, known.get(s.key)) for s in getattr(found, scopes, ())],
        "placement_choices": AdSetSettingForm.base_fields["placements"].choices,  # type: ignore[attr-defined]
    }
    return render(request, "placements/audit.html", context)


@require_POST
@role_required(*PAID_MEDIA)
def ad_set_setting(request: WorkspaceRequest) -> HttpResponse:
    """Record how an ad set's placements were set and when it started, for the audit's flags."""
    form = AdSetSettingForm(request.POST)
    if form.is_valid():
        services.ad_set_setting_save(workspace=request.workspace, **form.cleaned_data)
        messages.success(request, _("Saved what you know about the ad set."))
    else:
        messages.error(
            request, _("The ad set's settings were not saved: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return redirect(request.POST.get("next") or "placements:audit")


# --- Plans -------------------------------------------------------------------------------------------


@role_required(*PAID_MEDIA)
def plan_list(request: WorkspaceRequest) -> HttpResponse:
    plans = ExclusionPlan.objects.for_workspace(request.workspace)
    analyses = ExclusionAnalysis.objects.for_workspace(request.workspace).select_related("plan")
    return render(request, "placements/plan_list.html", {"plans": plans, "analyses": analyses})


def _plan_initial(request: WorkspaceRequest) -> dict[str, object]:
    """Defaults for a new plan: the chosen campaign's own figures where the stored rows have them."""
    initial: dict[str, object] = {"weeks": 4, "start": timezone.localdate(), "dispersion": 1}
    key = request.GET.get("campaign", "")
    suggestion = selectors.plan_suggestion(workspace=request.workspace, campaign_key=key) if key else None
    if suggestion is not None:
        initial |= {
            "campaign_key": key,
            "name": _("Threads exclusion test: %(campaign)s") % {"campaign": key},
            "daily_budget": suggestion.daily_budget,
            "results_per_euro": suggestion.results_per_euro,
            "placement_share_percent": (suggestion.placement_share * 100).quantize(
                suggestion.placement_share.__class__("0.01")
            ),
            "dispersion": suggestion.dispersion,
        }
    return initial


@role_required(*PAID_MEDIA)
def plan_new(request: WorkspaceRequest) -> HttpResponse:
    """The planner's inputs, filled from a campaign's stored rows; saving shows the plan and its verdict."""
    campaigns = selectors.scope_choices(workspace=request.workspace)
    form = ExclusionPlanForm(request.POST or None, initial=_plan_initial(request), campaigns=campaigns)
    if request.method == "POST" and form.is_valid():
        plan = services.exclusion_plan_create(
            workspace=request.workspace, actor=request.user, **form.inputs()
        )
        return redirect("placements:plan_detail", plan_id=plan.pk)
    context = {"form": form, "campaigns": campaigns, "chosen": request.GET.get("campaign", "")}
    return render(request, "placements/plan_new.html", context, status=400 if form.errors else 200)


@role_required(*PAID_MEDIA)
def plan_detail(request: WorkspaceRequest, plan_id: int) -> HttpResponse:
    plan = get_scoped_or_404(ExclusionPlan, request.workspace, pk=plan_id)
    figures = selectors.plan_figures(plan)
    context = {"plan": plan, "figures": figures, "verdict": presenting.verdict_text(figures)}
    return render(request, "placements/plan_detail.html", context)


# --- Analyses ----------------------------------------------------------------------------------------


@role_required(*PAID_MEDIA)
def analysis_new(request: WorkspaceRequest) -> HttpResponse:
    """Choose the test's two cells among the stored campaigns or ad sets; saving shows the analysis."""
    level = request.POST.get("level") or request.GET.get("level") or Level.CAMPAIGN
    level = level if level in Level.values else Level.CAMPAIGN
    plans = ExclusionPlan.objects.for_workspace(request.workspace)
    initial = {"level": level, "plan": request.GET.get("plan") or None}
    form = ExclusionAnalysisForm(
        request.POST or None,
        initial=initial,
        cells=selectors.scope_choices(workspace=request.workspace, level=level),
        plans=plans,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        analysis = services.exclusion_analysis_create(
            workspace=request.workspace,
            actor=request.user,
            name=data["name"],
            level=data["level"],
            cell_a_key=data["cell_a_key"],
            cell_b_key=data["cell_b_key"],
            margin=form.margin(),
            plan=data["plan"],
        )
        return redirect("placements:analysis_detail", analysis_id=analysis.pk)
    return render(
        request,
        "placements/analysis_new.html",
        {"form": form, "level": level},
        status=400 if form.errors else 200,
    )


@role_required(*PAID_MEDIA)
def analysis_detail(request: WorkspaceRequest, analysis_id: int) -> HttpResponse:
    analysis = get_scoped_or_404(ExclusionAnalysis, request.workspace, pk=analysis_id)
    figures = selectors.analysis_figures(analysis)
    result = figures.result
    context = {
        "analysis": analysis,
        "figures": figures,
        "result": result,
        "headline": presenting.analysis_text(result) if result else "",
        "cpa_anytime": (1 / result.sequential_interval.high, 1 / result.sequential_interval.low)
        if result
        else None,
        "non_inferiority": presenting.NON_INFERIORITY.get(result.non_inferiority.verdict, "")
        if result and result.non_inferiority
        else "",
        "non_inferiority_anytime": presenting.NON_INFERIORITY.get(
            result.non_inferiority.sequential_verdict, ""
        )
        if result and result.non_inferiority
        else "",
    }
    return render(request, "placements/analysis_detail.html", context)
