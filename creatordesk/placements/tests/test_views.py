"""The placement pages as a performance marketer uses them, in German, and who may see them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client

from creatordesk.accounts.services import user_set_language
from creatordesk.placements.demo import demo_rows
from creatordesk.placements.models import (
    AdSetSetting,
    ExclusionAnalysis,
    ExclusionPlan,
    InsightsRun,
    PlacementRecord,
)
from creatordesk.placements.tests.exports import write_export


def _value(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', page)
    assert match, f"no {name} field"
    return match[1]


def _german(login_as, user):
    user_set_language(user=user, language="de")
    return login_as(user)


def test_the_audit_shows_threads_share_intervals_and_flags_in_german(with_rows, marketer, login_as) -> None:
    client = _german(login_as, marketer)
    page = client.get("/placements/?level=ad_set").content.decode()
    assert "Beschreibend, nicht kausal." in page
    assert page.count('data-testid="audit-scope"') == 3
    # The always-on ad set has automatic placements and began on Threads on day 10.
    assert 'data-code="threads_without_placement_choice"' in page
    assert 'data-code="threads_started_after_ad_set"' in page
    assert 'data-code="ad_text_length_not_checked"' in page
    assert "Threads ohne Platzierungswahl" in page
    assert re.search(r'class="muted interval" title="quasi-Poisson', page)


def test_the_campaign_audit_links_each_campaign_to_the_planner(with_rows, marketer, login_as) -> None:
    page = login_as(marketer).get("/placements/").content.decode()
    assert page.count('data-testid="plan-from-campaign"') == 3
    assert "/placements/tests/plans/new/?campaign=910002" in page


def test_an_ad_set_setting_entered_on_the_audit_clears_the_unknown_choice_flag(
    side_a, marketer, login_as, tmp_path
) -> None:
    from creatordesk.placements import importing

    path = write_export(demo_rows(start=datetime.date(2026, 9, 1), days=14), tmp_path / "e.csv")
    with open(path, "rb") as handle:
        staged = importing.placements_import_stage(
            workspace=side_a.workspace, upload=handle, filename="e.csv"
        )
    importing.placements_import_commit(workspace=side_a.workspace, staged=staged)
    client = login_as(marketer)
    assert (
        'data-code="threads_placement_choice_unknown"'
        in client.get("/placements/?level=ad_set").content.decode()
    )
    response = client.post(
        "/placements/ad-sets/",
        {
            "adset_key": "920002",
            "placements": "manual",
            "start": "2026-09-01",
            "next": "/placements/?level=ad_set",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/placements/?level=ad_set"
    assert AdSetSetting.objects.get(workspace=side_a.workspace, adset_key="920002").placements == "manual"
    page = client.get("/placements/?level=ad_set").content.decode()
    scope = page.split('data-key="920002"')[1].split("</section>")[0]
    assert "threads_placement_choice_unknown" not in scope


def test_the_import_page_checks_then_commits(side_a, marketer, login_as, tmp_path) -> None:
    path = write_export(
        demo_rows(start=datetime.date(2026, 9, 1), days=3), tmp_path / "Ads.csv", language="de"
    )
    client = _german(login_as, marketer)
    with open(path, "rb") as handle:
        page = client.post("/placements/import/", {"file": handle})
    assert page.status_code == 200
    text = page.content.decode()
    token = _value(text, "token")
    assert "Deutsches Zahlenformat" in text and not PlacementRecord.objects.exists()
    response = client.post("/placements/import/commit/", {"token": token})
    assert response.status_code == 302
    assert PlacementRecord.objects.for_workspace(side_a.workspace).count() == len(
        demo_rows(start=datetime.date(2026, 9, 1), days=3)
    )


def test_the_planner_starts_from_the_campaigns_own_figures_and_gives_a_verdict(
    with_rows, marketer, login_as
) -> None:
    client = _german(login_as, marketer)
    form = client.get("/placements/tests/plans/new/?campaign=910002").content.decode()
    budget = float(_value(form, "daily_budget"))
    share = float(_value(form, "placement_share_percent"))
    assert 140 < budget < 160 and 5 < share < 15
    response = client.post(
        "/placements/tests/plans/new/?campaign=910002",
        {
            "name": "Threads raus?", "campaign_key": "910002", "daily_budget": "300", "weeks": "4",
            "results_per_euro": "0.05", "placement_share_percent": "10", "dispersion": "1.5",
            "alpha": "0.05", "power": "0.8", "start": "2026-10-05", "target_difference_percent": "10",
        },
    )  # fmt: skip
    plan = ExclusionPlan.objects.get(workspace=with_rows.workspace)
    assert response.status_code == 302 and response["Location"] == f"/placements/tests/plans/{plan.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-code="decide_by_policy"' in page and "Mit diesem Budget nicht erkennbar" in page


def test_a_plan_with_enough_budget_says_worth_testing_with_set_up_margin_and_looks(
    side_a, marketer, login_as
) -> None:
    client = login_as(marketer)
    client.post(
        "/placements/tests/plans/new/",
        {
            "name": "Big", "campaign_key": "", "daily_budget": "5000", "weeks": "4", "results_per_euro": "0.05",
            "placement_share_percent": "25", "dispersion": "1.5", "alpha": "0.05", "power": "0.8", "start": "2026-10-05",
        },
    )  # fmt: skip
    plan = ExclusionPlan.objects.get(workspace=side_a.workspace)
    page = client.get(f"/placements/tests/plans/{plan.pk}/").content.decode()
    assert 'data-code="worth_testing"' in page
    assert 'data-testid="plan-setup"' in page and 'data-testid="plan-margin"' in page
    looks = page.split('data-testid="plan-looks"')[1].split("</ul>")[0]
    assert looks.count("<li>") == 4  # a look at the end of each of the four weeks


def test_a_plan_shorter_than_two_weeks_is_refused_with_the_reason(side_a, marketer, login_as) -> None:
    response = login_as(marketer).post(
        "/placements/tests/plans/new/",
        {"name": "x", "daily_budget": "100", "weeks": "1", "results_per_euro": "0.05", "placement_share_percent": "10",
         "dispersion": "1", "alpha": "0.05", "power": "0.8", "start": "2026-10-05"},
    )  # fmt: skip
    assert response.status_code == 400 and b"two whole weeks" in response.content
    assert not ExclusionPlan.objects.exists()


def test_the_analyser_compares_the_two_cells_with_intervals(with_rows, marketer, login_as) -> None:
    client = _german(login_as, marketer)
    response = client.post(
        "/placements/tests/analyses/new/",
        {
            "name": "Frühlingstest",
            "level": "campaign",
            "cell_a_key": "910002",
            "cell_b_key": "910003",
            "margin_percent": "10",
        },
    )
    analysis = ExclusionAnalysis.objects.get(workspace=with_rows.workspace)
    assert response.status_code == 302
    page = client.get(f"/placements/tests/analyses/{analysis.pk}/").content.decode()
    assert 'data-testid="analysis-headline"' in page and "Intervall" in page
    assert 'data-testid="anytime-interval"' in page and 'data-testid="non-inferiority"' in page


def test_the_analyser_says_why_it_has_no_result_for_cells_without_rows(side_a, marketer, login_as) -> None:
    analysis = ExclusionAnalysis.objects.create(
        workspace=side_a.workspace, name="x", cell_a_key="1", cell_b_key="2"
    )
    page = login_as(marketer).get(f"/placements/tests/analyses/{analysis.pk}/").content.decode()
    assert 'data-code="no_rows"' in page


@pytest.mark.parametrize(
    "path", ["/placements/", "/placements/import/", "/placements/tests/", "/placements/sync/"]
)
def test_creator_managers_and_viewers_may_not_see_ad_spend(side_a, login_as, path) -> None:
    for user in (side_a.manager, side_a.viewer, side_a.reviewer):
        assert login_as(user).get(path).status_code == 403
    assert login_as(side_a.owner).get(path).status_code == 200


def test_another_workspaces_plan_looks_missing(with_rows, side_b, login_as) -> None:
    plan = ExclusionPlan.objects.create(
        workspace=with_rows.workspace, name="p", daily_budget=100, weeks=2, results_per_euro=0.05, placement_share=0.1,
        start=datetime.date(2026, 10, 5),
    )  # fmt: skip
    assert login_as(side_b.owner).get(f"/placements/tests/plans/{plan.pk}/").status_code == 404


@pytest.fixture
def objects_of_b(side_b):
    plan = ExclusionPlan.objects.create(
        workspace=side_b.workspace, name="B secret plan", daily_budget=100, weeks=2, results_per_euro=0.05,
        placement_share=0.1, start=datetime.date(2026, 10, 5),
    )  # fmt: skip
    analysis = ExclusionAnalysis.objects.create(
        workspace=side_b.workspace, name="B secret analysis", cell_a_key="1", cell_b_key="2", plan=plan
    )
    run = InsightsRun.objects.create(
        workspace=side_b.workspace,
        since=datetime.date(2026, 9, 1),
        until=datetime.date(2026, 9, 2),
        error="B secret",
    )
    return {"plan": plan.pk, "analysis": analysis.pk, "run": run.pk}


def test_an_owner_of_a_cannot_open_plans_analyses_or_runs_of_b(
    side_a, objects_of_b, login_as, marketer_token
) -> None:
    client = login_as(side_a.owner)
    for path in (
        f"/placements/tests/plans/{objects_of_b['plan']}/",
        f"/placements/tests/analyses/{objects_of_b['analysis']}/",
        f"/placements/sync/{objects_of_b['run']}/",
    ):
        response = client.get(path)
        assert response.status_code == 404 and b"B secret" not in response.content, path
    api = Client(HTTP_AUTHORIZATION=f"Bearer {marketer_token}")
    for path in (
        f"/api/placements/plans/{objects_of_b['plan']}",
        f"/api/placements/analyses/{objects_of_b['analysis']}",
        f"/api/placements/insights/{objects_of_b['run']}",
    ):
        assert api.get(path).status_code == 404, path
    analysis = api.post(
        "/api/placements/analyses",
        {"name": "x", "cell_a_key": "1", "cell_b_key": "2", "plan_id": objects_of_b["plan"]},
        content_type="application/json",
    )
    assert (
        analysis.status_code == 404
        and not ExclusionAnalysis.objects.filter(workspace=side_a.workspace).exists()
    )
