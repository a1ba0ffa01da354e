"""Audits, plans, analyses and Insights runs in the JSON API, for performance marketing only."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from django.test import Client

from creatordesk.placements.demo import DEMO_START, demo_rows
from creatordesk.placements.models import ExclusionPlan


def _api(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_audit_shares_equal_plain_sums_over_the_raw_rows(with_rows, marketer_token) -> None:
    body = _api(marketer_token).get("/api/placements/audit?level=campaign").json()
    assert body["label"].startswith("Descriptive, not causal")
    assert body["period"] == [DEMO_START.isoformat(), "2026-09-28"]
    spend: dict[str, Decimal] = defaultdict(Decimal)
    threads: dict[str, Decimal] = defaultdict(Decimal)
    for row in demo_rows(start=DEMO_START):
        spend[row.campaign_id] += row.spend
        if row.is_threads:
            threads[row.campaign_id] += row.spend
    scopes = {scope["key"]: scope for scope in body["scopes"]}
    assert set(scopes) == {"910001", "910002", "910003"}
    for key, scope in scopes.items():
        assert scope["totals"]["spend"] == pytest.approx(float(spend[key]))
        assert scope["threads_shares"]["spend"] == pytest.approx(float(threads[key] / spend[key]), abs=1e-9)
    test_a = {(p["publisher_platform"], p["platform_position"]): p for p in scopes["910002"]["placements"]}
    interval = test_a[("threads", "threads_feed")]["intervals"]["cpa"]
    assert interval["low"] < test_a[("threads", "threads_feed")]["totals"]["cpa"] < interval["high"]
    assert "quasi-Poisson" in interval["method"]


def test_a_plan_is_created_and_read_back_with_its_figures(side_a, marketer_token) -> None:
    api = _api(marketer_token)
    payload = {
        "name": "Threads raus?",
        "daily_budget": "400",
        "weeks": 4,
        "results_per_euro": "0.05",
        "placement_share": "0.1",
        "dispersion": "1.5",
        "target_difference": "0.1",
        "start": "2026-10-05",
    }
    created = api.post("/api/placements/plans", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["figures"]["effect_ceiling"] == pytest.approx(0.1 / 0.9)
    assert body["figures"]["verdict"] == "decide_by_policy"
    assert body["figures"]["requirement"]["weeks_fixed"] > 4
    read = api.get(f"/api/placements/plans/{body['id']}").json()
    assert read["figures"] == body["figures"]
    assert api.get("/api/placements/plans").json()["items"][0]["id"] == body["id"]


def test_a_plan_with_impossible_inputs_is_refused(side_a, marketer_token) -> None:
    payload = {
        "name": "x",
        "daily_budget": "400",
        "weeks": 1,
        "results_per_euro": "0.05",
        "placement_share": "1.2",
        "start": "2026-10-05",
    }
    response = _api(marketer_token).post("/api/placements/plans", payload, content_type="application/json")
    assert response.status_code == 422
    assert not ExclusionPlan.objects.exists()


def test_an_analysis_reports_the_cpa_ratio_with_fixed_and_always_valid_intervals(
    with_rows, marketer_token
) -> None:
    api = _api(marketer_token)
    payload = {"name": "Frühling", "cell_a_key": "910002", "cell_b_key": "910003", "margin": "0.1"}
    created = api.post("/api/placements/analyses", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    result = created.json()["result"]
    low, high = result["rate_ratio_interval"]
    any_low, any_high = result["always_valid_interval"]
    assert low < result["rate_ratio"] < high and any_low <= low and high <= any_high
    assert "interval" in result["headline"] and result["non_inferiority"]["margin"] == 0.1
    analysis_id = created.json()["id"]
    assert api.get(f"/api/placements/analyses/{analysis_id}").json()["result"] == result


def test_an_analysis_of_a_cell_against_itself_is_refused(with_rows, marketer_token) -> None:
    payload = {"name": "x", "cell_a_key": "910002", "cell_b_key": "910002"}
    response = _api(marketer_token).post("/api/placements/analyses", payload, content_type="application/json")
    assert response.status_code == 422


def test_a_creator_managers_token_may_not_read_ad_spend(with_rows) -> None:
    # The cast's API token belongs to the creator manager.
    api = _api(with_rows.token)
    assert api.get("/api/placements/audit").status_code == 403
    assert api.get("/api/placements/plans").status_code == 403


def test_another_workspaces_plan_looks_missing(with_rows, side_b, marketer_token) -> None:
    other = ExclusionPlan.objects.create(
        workspace=side_b.workspace, name="b", daily_budget=100, weeks=2, results_per_euro=0.05, placement_share=0.1,
        start=DEMO_START,
    )  # fmt: skip
    assert _api(marketer_token).get(f"/api/placements/plans/{other.pk}").status_code == 404
