"""Campaign briefs: what the brand asked of a creator, read from and written to YAML.

A brief is typed by hand by brand managers, so every mistake (a typo in a key, a string where a
list belongs, `language: no` read by YAML as false) stops with one line that names the file, the
key and the fix, instead of quietly turning a rule off.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
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
    fields = _BriefFields(_brief_mapping(data, name), name)
    # Keys are checked in this order, so a brief with several mistakes always reports the same one first.
    disclosure_required = fields.flag("disclosure_required", default=True)
    language = fields.choice("language", LANGUAGES, default="de")
    min_duration_s, max_duration_s = fields.duration_range("min_duration_s", "max_duration_s")
    extra = fields.mapping("extra")
    return Brief(
        product_name=fields.text("product_name"),
        reference_images=fields.image_paths("reference_images", base_dir=base_dir),
        must_mentions=fields.text_list("must_mentions"),
        banned_terms=fields.text_list("banned_terms"),
        competitors=fields.text_list("competitors"),
        brand_names=fields.text_list("brand_names"),
        disclosure_required=disclosure_required,
        min_duration_s=min_duration_s,
        max_duration_s=max_duration_s,
        caption=fields.text("caption"),
        language=language,
        extra=extra,
    )


def _brief_mapping(data: object, name: str) -> Mapping[str, Any]:
    """The parsed file as a mapping of known keys; an empty file, a list or a mistyped key stops here."""
    if data is None:
        raise InputError(f"{name}: the brief is empty; write at least `product_name: ...`")
    if not isinstance(data, Mapping):
        raise InputError(f"{name}: expected a mapping of brief keys, got {_kind(data)}")
    unknown = [str(key) for key in data if key not in KEYS]
    if unknown:
        raise InputError(f"{name}: unknown key {unknown[0]!r}; allowed keys are {', '.join(KEYS)}")
    return data


@dataclass(frozen=True)
class _BriefFields:
    """Typed reads of a brief's keys; a wrong value raises an InputError that names the file and key."""

    data: Mapping[str, Any]
    name: str

    def fail(self, key: str, problem: str) -> InputError:
        return InputError(f"{self.name}: {key} {problem}")

    def text(self, key: str) -> str:
        """A text value; a key left empty (`caption:`) is the empty text."""
        value = self.data.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(key, f"must be text, got {_kind(value)}")
        return value

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of non-empty texts; a key left empty is the empty list."""
        value = self.data.get(key, [])
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list of texts, got {_kind(value)}")
        items = []
        for index, item in enumerate(value, start=1):
            # Numbers are common in mentions ("24h", "2 in 1"), but YAML reads a bare 24 as int.
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise self.fail(key, f"item {index} must be text, got {_kind(item)}")
            if not str(item).strip():
                raise self.fail(key, f"item {index} is empty")
            items.append(str(item))
        return tuple(items)

    def flag(self, key: str, *, default: bool) -> bool:
        """A yes/no value, written as true or false."""
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {_kind(value)}")
        return value

    def choice(self, key: str, choices: tuple[str, ...], *, default: str) -> str:
        """One of a few fixed texts; YAML's `no` (read as false) is named as such in the error."""
        value = self.data.get(key, default)
        if value not in choices:
            raise self.fail(key, f"must be one of {', '.join(choices)}, got {_kind(value)}")
        return str(value)

    def duration(self, key: str) -> float | None:
        """A positive, finite number of seconds, or None when the key is left out."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"must be a number of seconds, got {_kind(value)}")
        if not math.isfinite(value) or value <= 0:
            raise self.fail(key, f"must be a positive number of seconds, got {value}")
        return float(value)

    def duration_range(self, low_key: str, high_key: str) -> tuple[float | None, float | None]:
        """The lower and upper duration limit, either of which may be left out, in that order."""
        low, high = self.duration(low_key), self.duration(high_key)
        if low is not None and high is not None and low > high:
            raise self.fail(low_key, f"({low:g}) is larger than {high_key} ({high:g})")
        return low, high

    def mapping(self, key: str) -> dict[str, Any]:
        """A free-form mapping; a key left empty is the empty mapping."""
        value = self.data.get(key, {})
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self.fail(key, f"must be a mapping, got {_kind(value)}")
        return dict(value)

    def image_paths(self, key: str, *, base_dir: Path) -> tuple[Path, ...]:
        """Existing image files, relative paths taken from `base_dir`."""
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list of image paths, got {_kind(value)}")
        paths = []
        for index, item in enumerate(value, start=1):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(key, f"item {index} must be a file path, got {_kind(item)}")
            path = (base_dir / Path(item).expanduser()).resolve()
            # A missing picture would only surface deep inside the visual step; name it here instead.
            if not path.is_file():
                raise self.fail(key, f"item {index} ({item}) not found at {path}")
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
