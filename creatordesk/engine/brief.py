"""Campaign briefs: what the brand asked of a creator, read from and written to YAML.

A brief is typed by hand by brand managers, so every mistake (a typo in a key, a string where a
list belongs, `language: no` read by YAML as false) stops with one line that names the file, the
key and the fix, instead of quietly turning a rule off.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from creatordesk.engine.rules.yamlfile import read_yaml_file
from creatordesk.engine.types import Brief, InputError

LANGUAGES = ("de", "en")

# Order matters: brief_to_yaml writes the keys in this order, which is also the order of the docs.
KEYS = (
    "product_name",
    "language",
    "caption",
    "must_mentions",
    "banned_terms",
    "competitors",
    "brand_names",
    "disclosure_required",
    "min_duration_s",
    "max_duration_s",
    "reference_images",
    "extra",
)


def load_brief(path: Path) -> Brief:
    """Read a brief YAML file; reference image paths are taken relative to the file's folder."""
    path = Path(path)
    data = read_yaml_file(path)
    return _brief_from_parsed(data, base_dir=path.parent, name=str(path))


def brief_from_mapping(data: Mapping[str, Any], base_dir: Path) -> Brief:
    """Build a brief from already parsed data (the web app's form); errors name the key at fault."""
    return _brief_from_parsed(data, base_dir=Path(base_dir), name="brief")


def brief_to_yaml(brief: Brief) -> str:
    """Write a brief as YAML that load_brief reads back to an equal Brief.

    Reference images are written as absolute paths so the file loads the same from any folder.
    """
    data: dict[str, object] = {
        "product_name": brief.product_name,
        "language": brief.language,
        "caption": brief.caption,
        "must_mentions": list(brief.must_mentions),
        "banned_terms": list(brief.banned_terms),
        "competitors": list(brief.competitors),
        "brand_names": list(brief.brand_names),
        "disclosure_required": brief.disclosure_required,
        "min_duration_s": brief.min_duration_s,
        "max_duration_s": brief.max_duration_s,
        "reference_images": [str(p.absolute()) for p in brief.reference_images],
    }
    if brief.extra:
        data["extra"] = dict(brief.extra)
    return yaml.dump(data, Dumper=_BriefDumper, sort_keys=False, allow_unicode=True, width=1000)


class _BriefDumper(yaml.SafeDumper):
    """Writes multi-line strings (captions) as literal blocks so the file stays readable."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BriefDumper.add_representer(str, _represent_str)


def _brief_from_parsed(data: object, *, base_dir: Path, name: str) -> Brief:
    if data is None:
        raise InputError(f"{name}: the brief is empty; write at least `product_name: ...`")
    if not isinstance(data, Mapping):
        raise InputError(f"{name}: expected a mapping of brief keys, got {_kind(data)}")
    unknown = [str(key) for key in data if key not in KEYS]
    if unknown:
        raise InputError(f"{name}: unknown key {unknown[0]!r}; allowed keys are {', '.join(KEYS)}")

    def fail(key: str, problem: str) -> InputError:
        return InputError(f"{name}: {key} {problem}")

    def text(key: str) -> str:
        value = data.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            raise fail(key, f"must be text, got {_kind(value)}")
        return value

    def text_list(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if value is None:
            return ()
        if not isinstance(value, list):
            raise fail(key, f"must be a list of texts, got {_kind(value)}")
        items = []
        for index, item in enumerate(value, start=1):
            # Numbers are common in mentions ("24h", "2 in 1"), but YAML reads a bare 24 as int.
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise fail(key, f"item {index} must be text, got {_kind(item)}")
            if not str(item).strip():
                raise fail(key, f"item {index} is empty")
            items.append(str(item))
        return tuple(items)

    def duration(key: str) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(key, f"must be a number of seconds, got {_kind(value)}")
        if not math.isfinite(value) or value <= 0:
            raise fail(key, f"must be a positive number of seconds, got {value}")
        return float(value)

    disclosure_required = data.get("disclosure_required", True)
    if not isinstance(disclosure_required, bool):
        raise fail("disclosure_required", f"must be true or false, got {_kind(disclosure_required)}")

    language = data.get("language", "de")
    if language not in LANGUAGES:
        raise fail("language", f"must be one of {', '.join(LANGUAGES)}, got {_kind(language)}")

    min_duration_s = duration("min_duration_s")
    max_duration_s = duration("max_duration_s")
    if min_duration_s is not None and max_duration_s is not None and min_duration_s > max_duration_s:
        raise fail(
            "min_duration_s", f"({min_duration_s:g}) is larger than max_duration_s ({max_duration_s:g})"
        )

    extra = data.get("extra", {})
    if extra is None:
        extra = {}
    if not isinstance(extra, Mapping):
        raise fail("extra", f"must be a mapping, got {_kind(extra)}")

    return Brief(
        product_name=text("product_name"),
        reference_images=_reference_images(data.get("reference_images"), base_dir=base_dir, fail=fail),
        must_mentions=text_list("must_mentions"),
        banned_terms=text_list("banned_terms"),
        competitors=text_list("competitors"),
        brand_names=text_list("brand_names"),
        disclosure_required=disclosure_required,
        min_duration_s=min_duration_s,
        max_duration_s=max_duration_s,
        caption=text("caption"),
        language=language,
        extra=dict(extra),
    )


def _reference_images(value: object, *, base_dir: Path, fail: Any) -> tuple[Path, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise fail("reference_images", f"must be a list of image paths, got {_kind(value)}")
    paths = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            raise fail("reference_images", f"item {index} must be a file path, got {_kind(item)}")
        path = (base_dir / Path(item).expanduser()).resolve()
        # A missing picture would only surface deep inside the visual step; name it here instead.
        if not path.is_file():
            raise fail("reference_images", f"item {index} ({item}) not found at {path}")
        paths.append(path)
    return tuple(paths)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value; put text in quotes)"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    return type(value).__name__
