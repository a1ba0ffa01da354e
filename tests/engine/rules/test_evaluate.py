"""The labelled phrase set: large enough, covers every category both ways, and the rules pass it."""

from __future__ import annotations

from collections import Counter

import pytest

from creatordesk.engine.rules.evaluate import THRESHOLD, main, predict, read_rows, score

TEXT_CATEGORIES = (
    "medical_claim",
    "weight_claim",
    "absolute_claim",
    "price_claim",
    "comparison",
    "off_platform",
    "false_reward",
    "prohibited_product",
    "profanity",
    "disclosure_weak",
    "banned_term",
    "competitor_mention",
)


def test_phrase_set_has_violations_and_look_alikes_in_both_languages_for_every_category() -> None:
    rows = read_rows()
    assert len(rows) >= 300
    by_category = Counter((row.expected, row.lang) for row in rows)
    for category in TEXT_CATEGORIES:
        assert by_category[(category, "de")] >= 3 and by_category[(category, "en")] >= 3, category
        assert by_category[(category, "de")] + by_category[(category, "en")] >= 12, category
    assert by_category[("", "de")] >= 50 and by_category[("", "en")] >= 50


def test_eval_overall_precision_and_recall_are_at_least_ninety_percent() -> None:
    rows = read_rows()
    _, overall = score(rows, predict(rows))
    assert overall.precision >= THRESHOLD
    assert overall.recall >= THRESHOLD


def test_eval_command_exits_zero_and_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "overall (micro)" in out and "medical_claim" in out
