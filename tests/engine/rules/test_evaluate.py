"""The labelled phrase sets: large enough, cover every category both ways, and the rules pass them.

Only the development part is measured here. The sealed part stands for wording nobody tuned for; the
command's handling of it is checked against a stand-in file, never against the real one.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from creatordesk.engine.rules import evaluate
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


def test_eval_command_exits_zero_and_prints_the_development_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--part", "dev"]) == 0
    out = capsys.readouterr().out
    assert "== development" in out and "overall (micro)" in out and "medical_claim" in out
    assert "sealed" not in out


def _stand_in_sealed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: str) -> Path:
    path = tmp_path / "sealed.csv"
    path.write_text("text,lang,expected_category,source\n" + rows, encoding="utf-8")
    part = evaluate.PARTS["sealed"]
    monkeypatch.setitem(evaluate.PARTS, "sealed", evaluate.Part(part.name, path, 0.9, 0.85, listable=False))
    return path


def test_sealed_part_is_scored_but_its_rows_are_never_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stand_in_sealed(
        tmp_path,
        monkeypatch,
        '"Dieses Serum heilt\nNeurodermitis",de,medical_claim,stand-in\n'
        "Ein Satz ohne jede Angabe,de,,stand-in\n"
        "Heute sieht meine Haut gut aus,de,price_claim,stand-in: a miss\n",
    )
    assert main(["--part", "sealed", "--errors"]) == 1
    out = capsys.readouterr().out
    assert "== sealed" in out and "3 phrases" in out
    assert "Neurodermitis" not in out and "Heute sieht" not in out
    assert "FAIL: sealed" in out


def test_all_parts_are_measured_by_default_and_both_must_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stand_in_sealed(tmp_path, monkeypatch, "Die Creme heilt Akne in 3 Tagen,de,medical_claim,stand-in\n")
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.index("== development") < out.index("== sealed")


def test_missing_sealed_part_is_reported_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _stand_in_sealed(tmp_path, monkeypatch, "")
    path.unlink()
    assert main(["--part", "sealed"]) == 2
    assert capsys.readouterr().out.strip() == f"sealed part not found: {path}"
