"""Each part of the fit score, and that the breakdown adds up to the score."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from creatordesk.campaigns import fit
from creatordesk.campaigns.models import Campaign
from creatordesk.creators.models import Creator
from creatordesk.reviews.histories import creator_review_histories


def _creator(**fields: object) -> Creator:
    return Creator(display_name="C", **fields)


def _campaign(**fields: object) -> Campaign:
    return Campaign(name="K", **fields)


def test_category_part_counts_matched_target_categories() -> None:
    part = fit.category_part(
        _creator(categories="Skincare, Beauty"), _campaign(target_categories="skincare, haircare")
    )
    assert (part.points, part.max) == (10, 20)
    assert fit.category_part(_creator(categories="skincare"), _campaign()).points == 10  # no targets: neutral


def test_language_and_country_part() -> None:
    campaign = _campaign(target_languages="de", target_countries="DE, AT")
    assert fit.language_country_part(_creator(languages="de, en", country="AT"), campaign).points == 15
    assert fit.language_country_part(_creator(languages="fr", country="FR"), campaign).points == 0


def test_engagement_part_compares_with_the_tiktok_benchmark() -> None:
    benchmark = fit.TIKTOK_BENCHMARK_ER
    assert pytest.approx(3.31, abs=0.01) == fit.TIKTOK_BENCHMARK_ER
    assert fit.engagement_part(_creator(engagement_rate=benchmark * 1.5)).points == pytest.approx(20)
    assert fit.engagement_part(_creator(engagement_rate=benchmark)).points == pytest.approx(20 / 1.5)
    assert fit.engagement_part(_creator(engagement_rate=None)).points == 10


def test_approval_rate_and_speed_parts() -> None:
    history = fit.History(decided_versions=4, approved_versions=3, hours_to_approval=[12, 72, 200])
    assert fit.approval_part(history).points == pytest.approx(15 * 0.75)
    assert fit.speed_part(history).points == pytest.approx(10 * (120 - 72) / 96)
    assert fit.speed_part(fit.History()).points == 5


def test_policy_part_shrinks_with_blocking_findings() -> None:
    assert fit.policy_part(fit.History(versions=2, block_findings=0)).points == 10
    assert fit.policy_part(fit.History(versions=2, block_findings=2)).points == 5


def test_gmv_part_is_log_scaled_against_the_best_creator() -> None:
    best = Decimal(100_000)
    assert fit.gmv_part(fit.History(gmv=best), best).points == pytest.approx(10)
    assert 0 < fit.gmv_part(fit.History(gmv=Decimal(1000)), best).points < 10
    assert fit.gmv_part(fit.History(), best).points == 0


@pytest.mark.django_db
def test_breakdown_sums_to_the_score_and_uses_the_review_history(side_a) -> None:
    from creatordesk.creators.services import account_upsert
    from creatordesk.reviews.models import Decision, Finding, Submission, Version

    creator = side_a.creator
    account_upsert(
        creator=creator,
        platform="tiktok",
        handle="alpha_one",
        followers=50_000,
        engagement_rate=5.0,
        gmv_eur=Decimal(2000),
    )
    submission = Submission.objects.create(
        workspace=side_a.workspace, collaboration=side_a.collaboration, title="t"
    )
    version = Version.objects.create(
        workspace=side_a.workspace, submission=submission, number=1, file="x.mp4", original_name="x.mp4",
        size_bytes=1, duration_s=5, width=720, height=1280, analysis_status="done", outcome="approved",
    )  # fmt: skip
    Finding.objects.create(
        workspace=side_a.workspace, version=version, rule="r", category="medical_claim", severity="block",
        source="speech", start_s=1, end_s=2, evidence="e", explanation="x", citation="c",
    )  # fmt: skip
    decision = Decision.objects.create(
        workspace=side_a.workspace,
        version=version,
        stage_name="Review",
        reviewer=side_a.reviewer,
        outcome="approved",
    )
    Decision.objects.filter(pk=decision.pk).update(created_at=version.uploaded_at + timedelta(hours=24))
    side_a.campaign.target_categories = "skincare"
    histories = creator_review_histories(workspace_id=side_a.workspace.pk)
    ranking = fit.rank_creators(campaign=side_a.campaign, review_histories=histories)
    for score in ranking:
        assert score.score == sum(p.points for p in score.parts)
        assert 0 <= score.score <= 100
        assert sum(p.max for p in score.parts) == 100
    mine = next(s for s in ranking if s.creator.pk == creator.pk)
    parts = {p.name: p for p in mine.parts}
    assert parts["approval_rate"].points == 15
    assert parts["time_to_approval"].points == 10
    assert parts["policy_record"].points == 5
    assert parts["gmv"].points == 10


@pytest.mark.django_db
def test_the_fit_page_names_each_part_in_words_with_its_reason(side_a, login_as) -> None:
    side_a.campaign.target_languages = "de"
    side_a.campaign.save(update_fields=["target_languages"])
    page = login_as(side_a.viewer).get(f"/campaigns/{side_a.campaign.pk}/fit/").content.decode()
    ranking = page.split('data-testid="fit-ranking"', 1)[1]
    for label in ("Category match", "Language and country", "Approval rate", "Time to approval", "Past GMV"):
        assert label in ranking
    assert "speaks a target language: no; lives in a target country: no target set" in ranking
    for code in ("language_country", "approval_rate", "time_to_approval", "policy_record"):
        assert f">{code} " not in ranking


def test_past_profit_part_scales_with_profit_and_is_neutral_without_past_orders() -> None:
    best = Decimal(10_000)
    top = fit.past_profit_part(fit.PastProfit(net_eur=best, collaborations=3, orders=40), best)
    assert (top.points, top.max) == (pytest.approx(6), 6)
    assert top.detail == "Past profit with you: 10,000 € over 3 collaborations"
    some = fit.past_profit_part(fit.PastProfit(net_eur=Decimal(1234), collaborations=1, orders=5), best)
    assert 0 < some.points < 6
    assert some.detail == "Past profit with you: 1,234 € over 1 collaboration"
    loss = fit.past_profit_part(fit.PastProfit(net_eur=Decimal(-250), collaborations=1, orders=2), best)
    assert loss.points == 0 and "-250 €" in loss.detail
    for newcomer in (None, fit.PastProfit(net_eur=Decimal(-80), collaborations=1, orders=0)):
        neutral = fit.past_profit_part(newcomer, best)
        assert (neutral.points, neutral.detail) == (3, "no past orders")


def test_past_profit_is_worded_in_the_readers_language() -> None:
    from django.utils import translation

    with translation.override("de"):
        part = fit.past_profit_part(fit.PastProfit(Decimal(1234), 3, 9), Decimal(5000))
    assert "1.234" in part.detail


@pytest.mark.django_db
def test_with_past_profit_the_score_still_adds_up_to_at_most_100(side_a) -> None:
    past = {side_a.creator.pk: fit.PastProfit(net_eur=Decimal(900), collaborations=2, orders=12)}
    ranking = fit.rank_creators(campaign=side_a.campaign, review_histories={}, past_profits=past)
    for score in ranking:
        assert score.score == sum(p.points for p in score.parts)
        assert sum(p.max for p in score.parts) == 100
    parts = {s.creator.pk: {p.name: p for p in s.parts} for s in ranking}
    assert parts[side_a.creator.pk]["past_profit"].points == 6  # the best creator of the workspace
    assert parts[side_a.creator.pk]["gmv"].max == 4
    assert parts[side_a.other_creator.pk]["past_profit"].detail == "no past orders"
    without = fit.rank_creators(campaign=side_a.campaign, review_histories={})
    assert all("past_profit" not in {p.name for p in s.parts} for s in without)
