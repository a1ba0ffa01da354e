"""Policy packs load loudly: every shipped rule is complete, broken packs fail with one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatordesk.engine.rules import DEFAULT_PACKS, Pack, available_packs, load_packs
from creatordesk.engine.types import CATEGORIES, InputError


def test_default_packs_are_shipped() -> None:
    assert set(DEFAULT_PACKS) <= set(available_packs())


def test_every_pack_rule_has_id_category_severity_citation_and_explanations(packs: list[Pack]) -> None:
    rules = [rule for pack in packs for rule in pack.rules]
    assert len(rules) >= 15
    for rule in rules:
        assert rule.id and rule.category in CATEGORIES, rule.id
        assert rule.severity in ("block", "warn", "info"), rule.id
        assert rule.citation.strip(), rule.id
        assert rule.explanation["en"].strip() and rule.explanation["de"].strip(), rule.id
        assert set(rule.languages) <= {"de", "en"} and rule.languages, rule.id


def test_de_law_carries_the_disclosure_check(packs: list[Pack]) -> None:
    [de_law] = [pack for pack in packs if pack.name == "de-law"]
    assert de_law.disclosure is not None
    assert "UWG" in de_law.disclosure.citation


def test_unknown_pack_name_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown policy pack 'tiktok'"):
        load_packs(["tiktok"])


def _write_pack(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "custom.yaml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD_RULE = """
  - id: custom.one
    category: banned_term
    severity: warn
    citation: House rules
    explanation: {en: No., de: Nein.}
    patterns:
      de: ["wundercreme"]
"""


def test_a_pack_file_can_be_loaded_by_path(tmp_path: Path) -> None:
    [pack] = load_packs([str(_write_pack(tmp_path, "name: custom\nrules:" + GOOD_RULE))])
    assert [rule.id for rule in pack.rules] == ["custom.one"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("name: custom\nrules:" + GOOD_RULE.replace("banned_term", "rude"), "category 'rude' is not one of"),
        ("name: custom\nrules:" + GOOD_RULE.replace("severity: warn", "severity: high"), "severity must be"),
        ("name: custom\nrules:" + GOOD_RULE.replace("    citation: House rules\n", ""), "lacks 'citation'"),
        ("name: custom\nrules:" + GOOD_RULE.replace("de: Nein.", "de: Nein., fr: Non."), "unknown key 'fr'"),
        ("name: custom\nrules:" + GOOD_RULE.replace('"wundercreme"', '"wunder  creme"'), "empty word"),
        ("name: custom\nrules:" + GOOD_RULE.replace('"wundercreme"', '"[a|b] c"'), "groups are joined"),
        (
            "name: custom\nrules:" + GOOD_RULE.replace('"wundercreme"', '"$nothing"'),
            "$nothing is not defined",
        ),
        (
            "name: custom\nrules:" + GOOD_RULE.replace('"wundercreme"', '{match: "nur heute", alone: "yes"}'),
            "alone must be true or false",
        ),
        (
            "name: custom\nrules:" + GOOD_RULE.replace('"wundercreme"', '{match: "heute", whole: true}'),
            "unknown pattern key 'whole'",
        ),
        ("name: other\nrules:" + GOOD_RULE, "differs from the file name"),
        ("name: custom\nrules: [\n", "not valid YAML"),
        ("name: custom\nrules:" + GOOD_RULE + GOOD_RULE, "used twice"),
    ],
)
def test_broken_pack_fails_with_one_line_naming_file_and_problem(
    tmp_path: Path, body: str, message: str
) -> None:
    with pytest.raises(InputError) as error:
        load_packs([str(_write_pack(tmp_path, body))])
    text = str(error.value)
    assert "custom.yaml" in text and message in text
    assert "\n" not in text
