"""The descriptive placement audit, checked against sums taken straight from the export's raw lines."""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from creatordesk.placements.audit import (
    DESCRIPTIVE,
    AdSetSettings,
    Code,
    DailyFigures,
    Interval,
    PlacementChoice,
    Scope,
    audit,
)
from creatordesk.placements.exports import PlacementRow, read_export

ENGLISH = Path(__file__).parent / "fixtures" / "ads_manager_placements_en.csv"
# The fixture's labels and the API values they stand for, written out here rather than looked up.
PLACEMENTS = {
    ("Facebook", "Feed"): ("facebook", "feed"),
    ("Facebook", "Facebook Reels"): ("facebook", "facebook_reels"),
    ("Instagram", "Feed"): ("instagram", "feed"),
    ("Instagram", "Instagram Reels"): ("instagram", "instagram_reels"),
    ("Instagram", "Instagram Stories"): ("instagram", "instagram_stories"),
    ("Threads", "Threads feed"): ("threads", "threads_feed"),
}
ID_COLUMNS = {"campaign": "Campaign ID", "ad_set": "Ad set ID"}


def _lines() -> list[dict[str, str]]:
    with ENGLISH.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _rows() -> list[PlacementRow]:
    return read_export(ENGLISH).rows


def _money(line: dict[str, str], column: str) -> Decimal:
    return Decimal(line[column] or "0")


def _raw_sums(lines: Sequence[dict[str, str]]) -> dict[str, Decimal]:
    return {
        "spend": sum((_money(line, "Amount spent (EUR)") for line in lines), Decimal(0)),
        "impressions": Decimal(sum(int(line["Impressions"]) for line in lines)),
        "clicks": Decimal(sum(int(line["Link clicks"]) for line in lines)),
        "results": sum((_money(line, "Results") for line in lines), Decimal(0)),
        "revenue": sum((_money(line, "Purchases conversion value") for line in lines), Decimal(0)),
    }


def _close(value: Decimal | None, expected: Decimal) -> None:
    assert value is not None
    assert float(value) == pytest.approx(float(expected), rel=1e-12)


def _scope_lines(level: str, key: str) -> list[dict[str, str]]:
    return [line for line in _lines() if line[ID_COLUMNS[level]] == key]


def test_the_threads_share_of_an_ad_set_equals_sums_of_the_raw_lines() -> None:
    lines = _scope_lines("ad_set", "230001")
    whole = _raw_sums(lines)
    threads = _raw_sums([line for line in lines if line["Platform"] == "Threads"])
    scope = audit(_rows()).scope("ad_set", "230001")
    assert threads["spend"] > 0
    for name, share in [
        ("spend", scope.threads.spend),
        ("impressions", scope.threads.impressions),
        ("results", scope.threads.results),
        ("revenue", scope.threads.revenue),
    ]:
        _close(share, threads[name] / whole[name])


@pytest.mark.parametrize(
    ("level", "key"), [("ad_set", "230001"), ("ad_set", "230002"), ("campaign", "120002")]
)
def test_every_placements_shares_and_efficiency_equal_figures_from_the_raw_lines(
    level: str, key: str
) -> None:
    lines = _scope_lines(level, key)
    whole = _raw_sums(lines)
    scope = audit(_rows()).scope(level, key)
    labels = {(line["Platform"], line["Placement"]) for line in lines}
    assert len(scope.placements) == len(labels) >= 2
    for label in labels:
        part = _raw_sums([line for line in lines if (line["Platform"], line["Placement"]) == label])
        figures = scope.placement(*PLACEMENTS[label])
        assert figures is not None
        _close(figures.shares.spend, part["spend"] / whole["spend"])
        _close(figures.shares.impressions, part["impressions"] / whole["impressions"])
        _close(figures.shares.results, part["results"] / whole["results"])
        _close(figures.totals.cpm, part["spend"] / part["impressions"] * 1000)
        _close(figures.totals.link_ctr, part["clicks"] / part["impressions"])
        if part["results"]:
            _close(figures.totals.cpa, part["spend"] / part["results"])
        else:
            assert figures.totals.cpa is None
        if part["revenue"]:
            _close(figures.shares.revenue, part["revenue"] / whole["revenue"])
            _close(figures.totals.roas, part["revenue"] / part["spend"])
        else:
            assert figures.totals.roas is None
        assert figures.label == DESCRIPTIVE


def test_every_figure_is_labelled_descriptive_not_causal() -> None:
    result = audit(_rows())
    assert "not causal" in result.label
    assert all(scope.label == DESCRIPTIVE for scope in (*result.accounts, *result.campaigns, *result.ad_sets))


def test_a_campaign_with_two_attribution_settings_is_flagged_and_its_results_are_not_summed() -> None:
    lines = _scope_lines("campaign", "120001")
    scope = audit(_rows()).scope("campaign", "120001")
    assert Code.MIXED_ATTRIBUTION in scope.flag_codes()
    assert scope.attribution_settings == ("7d_click", "7d_click,1d_view")
    assert scope.totals.results is None and scope.totals.cpa is None and scope.threads.results is None
    threads = _raw_sums([line for line in lines if line["Platform"] == "Threads"])
    _close(scope.threads.spend, threads["spend"] / _raw_sums(lines)["spend"])
    for ad_set in ("230001", "230002"):
        assert Code.MIXED_ATTRIBUTION not in audit(_rows()).scope("ad_set", ad_set).flag_codes()


def test_results_of_different_types_added_into_one_sum_are_flagged() -> None:
    account = audit(_rows()).accounts[0]
    assert Code.MIXED_RESULT_TYPES in account.flag_codes()
    assert Code.MIXED_RESULT_TYPES not in audit(_rows()).scope("campaign", "120002").flag_codes()


@pytest.mark.parametrize(
    ("choice", "code"),
    [
        (PlacementChoice.AUTOMATIC, Code.THREADS_WITHOUT_CHOICE),
        (PlacementChoice.UNKNOWN, Code.THREADS_CHOICE_UNKNOWN),
        (PlacementChoice.MANUAL, None),
    ],
)
def test_threads_delivery_without_an_explicit_placement_choice_is_flagged(
    choice: PlacementChoice, code: Code | None
) -> None:
    scope = audit(_rows(), ad_sets={"230002": AdSetSettings(placements=choice)}).scope("ad_set", "230002")
    choice_codes = {Code.THREADS_WITHOUT_CHOICE, Code.THREADS_CHOICE_UNKNOWN}
    assert scope.flag_codes() & choice_codes == ({code} if code else set())


def test_an_ad_set_without_threads_delivery_gets_no_placement_choice_flag() -> None:
    rows = [r for r in _rows() if not r.is_threads]
    settings = {"230002": AdSetSettings(placements=PlacementChoice.AUTOMATIC)}
    assert (
        Code.THREADS_WITHOUT_CHOICE
        not in audit(rows, ad_sets=settings).scope("ad_set", "230002").flag_codes()
    )


def _flag(scope: Scope, code: Code) -> str:
    return next(flag.reason for flag in scope.flags if flag.code == code)


def test_threads_spend_that_starts_after_the_ad_set_is_flagged_as_a_retroactive_inclusion() -> None:
    result = audit(_rows())
    reason = _flag(result.scope("ad_set", "230001"), Code.THREADS_STARTED_LATER)
    assert "2026-09-03" in reason and "2026-09-01" in reason and "2 days" in reason
    assert Code.THREADS_STARTED_LATER not in result.scope("ad_set", "230002").flag_codes()
    started = {"230002": AdSetSettings(start=date(2026, 8, 20))}
    later = audit(_rows(), ad_sets=started).scope("ad_set", "230002")
    assert "12 days" in _flag(later, Code.THREADS_STARTED_LATER)


@pytest.mark.parametrize(
    ("objective", "flagged"),
    [
        ("Leads", True),
        ("OUTCOME_LEADS", True),
        ("Sales", False),
        ("Umsatz", False),
        ("OUTCOME_TRAFFIC", False),
    ],
)
def test_an_objective_threads_does_not_support_is_flagged(objective: str, flagged: bool) -> None:
    scope = audit(_rows(), ad_sets={"230003": AdSetSettings(objective=objective)}).scope("ad_set", "230003")
    assert (Code.OBJECTIVE_NOT_ON_THREADS in scope.flag_codes()) is flagged


def test_an_objective_column_in_the_export_is_checked_too() -> None:
    rows = [dataclasses.replace(r, objective="Leads") if r.adset_id == "230003" else r for r in _rows()]
    result = audit(rows)
    assert Code.OBJECTIVE_NOT_ON_THREADS in result.scope("ad_set", "230003").flag_codes()
    assert Code.OBJECTIVE_NOT_ON_THREADS not in result.scope("ad_set", "230001").flag_codes()


def test_ad_texts_over_1000_characters_are_flagged_for_threads() -> None:
    lengths = {"230001": AdSetSettings(ad_text_lengths={"340001": 1001}),
               "230002": AdSetSettings(ad_text_lengths={"340002": 1000})}  # fmt: skip
    result = audit(_rows(), ad_sets=lengths)
    too_long = [f for f in result.scope("ad_set", "230001").flags if f.code == Code.TEXT_TOO_LONG]
    assert [(f.ad_id, "1001" in f.reason) for f in too_long] == [("340001", True)]
    assert not result.scope("ad_set", "230002").flag_codes() & {Code.TEXT_TOO_LONG, Code.TEXT_NOT_CHECKED}
    assert Code.TEXT_NOT_CHECKED in result.scope("ad_set", "230003").flag_codes()
    with_text = [dataclasses.replace(r, ad_text="x" * 1200) if r.ad_id == "340003" else r for r in _rows()]
    assert Code.TEXT_TOO_LONG in audit(with_text).scope("ad_set", "230003").flag_codes()


def test_a_period_keeps_only_the_rows_of_its_days() -> None:
    lines = [line for line in _scope_lines("ad_set", "230002") if line["Day"] >= "2026-09-03"]
    scope = audit(_rows(), (date(2026, 9, 3), date(2026, 9, 4))).scope("ad_set", "230002")
    sums = _raw_sums(lines)
    assert scope.totals.spend == sums["spend"]
    assert scope.totals.impressions == sums["impressions"]
    assert scope.totals.results == sums["results"]


def test_an_interval_estimator_gets_each_placements_daily_figures() -> None:
    seen: dict[str, list[DailyFigures]] = {}

    def spread(metric: str, daily: Sequence[DailyFigures]) -> Interval | None:
        if metric != "cpa" or not any(d.results for d in daily):
            return None
        seen[metric] = list(daily)
        rates = [d.spend / d.results for d in daily if d.results]
        return Interval(low=min(rates), high=max(rates), method="range of daily CPAs")

    rows = [r for r in _rows() if r.adset_id == "230002" and r.is_threads]
    threads = audit(rows, intervals=spread).scope("ad_set", "230002").placement("threads", "threads_feed")
    assert threads is not None
    lines = [line for line in _scope_lines("ad_set", "230002") if line["Platform"] == "Threads"]
    assert [(d.day.isoformat(), d.spend) for d in seen["cpa"]] == [
        (line["Day"], Decimal(line["Amount spent (EUR)"])) for line in lines
    ]
    assert set(threads.intervals) == {"cpa"}
    assert threads.intervals["cpa"].method == "range of daily CPAs"
