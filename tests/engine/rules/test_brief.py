"""Brief YAML: loading, one-line errors that name the file, and a lossless round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatordesk.engine.brief import brief_from_mapping, brief_to_yaml, load_brief
from creatordesk.engine.types import Brief, InputError

EXAMPLE = """\
product_name: Lumiva Hydra Serum
language: de
caption: |
  Werbung | Meine Abendroutine ✨
  #skincare
must_mentions: [Hyaluron, 24h Pflege]
banned_terms: [billig]
competitors: [CeraVe]
disclosure_required: true
min_duration_s: 15
max_duration_s: 60
reference_images: [images/front.png]
"""


@pytest.fixture
def brief_file(tmp_path: Path) -> Path:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "front.png").write_bytes(b"\x89PNG")
    path = tmp_path / "brief.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    return path


def test_brief_is_loaded_with_types_and_image_paths_relative_to_the_file(brief_file: Path) -> None:
    brief = load_brief(brief_file)
    assert brief.product_name == "Lumiva Hydra Serum"
    assert brief.must_mentions == ("Hyaluron", "24h Pflege")
    assert brief.min_duration_s == 15.0 and brief.max_duration_s == 60.0
    assert brief.caption.startswith("Werbung | Meine Abendroutine")
    assert brief.reference_images == ((brief_file.parent / "images" / "front.png").resolve(),)


def test_brief_round_trips_through_yaml_from_another_folder(brief_file: Path, tmp_path: Path) -> None:
    brief = load_brief(brief_file)
    elsewhere = tmp_path / "export" / "copy.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(brief_to_yaml(brief), encoding="utf-8")
    assert load_brief(elsewhere) == brief


def test_default_brief_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    brief = Brief(product_name="X", caption="line one\nline two\n", extra={"campaign_id": 7})
    path.write_text(brief_to_yaml(brief), encoding="utf-8")
    assert load_brief(path) == brief


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("product_name: [\n", "not valid YAML"),
        ("prodcut_name: X\n", "unknown key 'prodcut_name'"),
        ("must_mentions: Hyaluron\n", "must_mentions must be a list"),
        ("language: no\n", "language must be one of de, en"),
        ("disclosure_required: maybe\n", "disclosure_required must be true or false"),
        ("max_duration_s: -5\n", "max_duration_s must be a positive number"),
        ("min_duration_s: 60\nmax_duration_s: 15\n", "larger than max_duration_s"),
        ("reference_images: [missing.png]\n", "missing.png"),
        ("product_name: A\nproduct_name: B\n", "appears twice"),
        ("", "the brief is empty"),
        ("- a list\n", "expected a mapping"),
    ],
)
def test_bad_brief_is_an_input_error_with_one_line_naming_the_file(
    tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_brief(path)
    text = str(error.value)
    assert str(path) in text and message in text
    assert "\n" not in text


def test_missing_brief_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_brief(tmp_path / "nope.yaml")


def test_brief_from_mapping_checks_like_the_file_loader(tmp_path: Path) -> None:
    assert brief_from_mapping({"competitors": ["CeraVe"]}, tmp_path).competitors == ("CeraVe",)
    with pytest.raises(InputError, match="competitors item 1 must be text"):
        brief_from_mapping({"competitors": [None]}, tmp_path)
