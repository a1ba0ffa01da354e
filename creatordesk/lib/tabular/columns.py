"""Column names: which header means which field, and where the header row is."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as MappingABC
from typing import Any

type Mapping = dict[str, str]  # header key (see header_key) -> field

_BLANKS = {"", "-", "–", "—", "n/a", "k.a.", "k. a.", "none", "null"}


def normalise_header(text: object) -> str:
    """Lower case words with punctuation and symbols gone: "E-Mail Adresse" -> "e mail adresse"."""
    return " ".join(re.findall(r"[^\W_]+", str(text or "").casefold()))


def header_key(text: object) -> str:
    """The form headers are compared in: "Video-ID", "Video ID" and "VideoID" are one column."""
    return normalise_header(text).replace(" ", "")


def synonym_lookup(synonyms: MappingABC[str, Iterable[str]]) -> Mapping:
    """{field: names} turned round into {header key: field}; the first field naming a key keeps it."""
    lookup: Mapping = {}
    for target, names in synonyms.items():
        for name in (target, *names):
            lookup.setdefault(header_key(name), target)
    return lookup


def map_columns(headers: Sequence[object], lookup: Mapping) -> list[str]:
    """A field per column ("" for none); each field goes to the first column that names it."""
    columns, taken = [], set()
    for header in headers:
        target = lookup.get(header_key(header), "")
        columns.append("" if target in taken else target)
        taken.add(target)
    return columns


def find_header(rows: Sequence[Sequence[Any]], lookup: Mapping) -> tuple[int, int]:
    """(index, score) of the row naming the most known fields: exports often put a title row above."""
    scores = [len({lookup[header_key(cell)] for cell in row if header_key(cell) in lookup}) for row in rows]
    if not scores:
        return 0, 0
    best = max(scores)
    return scores.index(best), best


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip().casefold() in _BLANKS)


def is_blank_row(row: Sequence[object]) -> bool:
    return all(is_blank(cell) for cell in row)
