"""Strict YAML reading shared by briefs and policy packs.

PyYAML keeps the last of two equal keys without a word; in a brief or a rule that silently drops
what someone wrote, so duplicates are an error here. Parse errors become one-line InputErrors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from creatordesk.engine.types import InputError


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with the same key twice."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            line = key_node.start_mark.line + 1
            raise yaml.constructor.ConstructorError(None, None, f"key {key!r} appears twice (line {line})")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, *, name: str) -> Any:
    """Parse YAML text; `name` (usually the file path) prefixes any error message."""
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        where = f" line {exc.problem_mark.line + 1}" if exc.problem_mark is not None else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(f"{name}{where}: not valid YAML ({problem})") from exc
    except yaml.YAMLError as exc:
        raise InputError(f"{name}: not valid YAML ({' '.join(str(exc).split())})") from exc


def read_yaml_file(path: Path) -> Any:
    """Read and parse a YAML file, turning a missing or unreadable file into an InputError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: file not found") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory, expected a YAML file") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    return parse_yaml(text, name=str(path))
