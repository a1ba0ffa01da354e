"""What the sample and the order import share: one kind of export described as data, and its cells.

A kind names its fields with their column names in English and German, says which cells are money,
counts or dates (so the file's number and date conventions are read from the right columns), and turns
the values of one row into the record that creatordesk.shop.records writes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from creatordesk.lib import tabular
from creatordesk.performance.importing import parse_count, parse_moment, parse_money

MONEY = "money"
SIGNED_MONEY = "signed_money"  # refunds, which some exports write as negative amounts
PERCENT = "percent"
COUNT = "count"
DATE = "date"
MOMENT = "moment"
IDENTIFIER = "id"
TEXT = "text"
NUMERIC = (MONEY, SIGNED_MONEY, PERCENT, COUNT)
_CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP"}


class CellError(ValueError):
    """A cell that is readable but not acceptable; the message is the whole explanation."""


class RowError(ValueError):
    """A row cannot become a record; `field` names the field (and so the column) at fault, "" for the row."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Field:
    """One field of an export: its label, its type and the column names that mean it."""

    name: str
    label: str | Promise
    type: str
    english: tuple[str, ...]
    german: tuple[str, ...] = ()
    max_length: int = 0


@dataclass(frozen=True)
class Kind:
    """A kind of Seller Center export and how its rows become records."""

    name: str
    label: str | Promise
    key: str  # the field that identifies a row; its column marks a file as this kind
    required: tuple[tuple[str, ...], ...]  # each entry: one of these fields must have a column
    fields: tuple[Field, ...]
    to_record: Callable[[dict[str, Any], dict[str, Any]], Any]
    record_key: Callable[[Any], str]
    plan: Callable[..., list[Any]]
    write: Callable[..., Any]
    lookup: dict[str, str] = field(init=False)
    german_keys: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        synonyms = {f.name: (*f.english, *f.german) for f in self.fields}
        object.__setattr__(self, "lookup", tabular.synonym_lookup(synonyms))
        german = {tabular.header_key(name) for f in self.fields for name in f.german}
        object.__setattr__(self, "german_keys", frozenset(german))

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class Conventions:
    decimal_comma: bool
    day_first: bool | None


def identifier(raw: Any) -> str:
    """An ID as the export writes it; a workbook keeps long IDs as numbers, a CSV sometimes as ="…"."""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    text = str(raw).strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    return text.lstrip("'").strip()


def cell_value(spec: Field, raw: Any, conventions: Conventions) -> Any:
    """A cell read as its field's type; ValueError (with the reason) when it is not one."""
    if spec.type == MONEY:
        return parse_money(raw, decimal_comma=conventions.decimal_comma)
    if spec.type == SIGNED_MONEY:
        text = str(raw).strip()
        return parse_money(text.lstrip("-−") if not isinstance(raw, int | float) else abs(raw),
                           decimal_comma=conventions.decimal_comma)  # fmt: skip
    if spec.type == PERCENT:
        number, _scaled = tabular.parse_number(raw, decimal_comma=conventions.decimal_comma)
        if not 0 <= number <= 100:
            raise ValueError(raw)
        return number
    if spec.type == COUNT:
        return parse_count(raw, decimal_comma=conventions.decimal_comma)
    if spec.type == DATE:
        return tabular.parse_moment(raw, day_first=conventions.day_first).date()
    if spec.type == MOMENT:
        return parse_moment(raw, day_first=conventions.day_first)
    text = identifier(raw) if spec.type == IDENTIFIER else str(raw).strip()
    if spec.max_length and len(text) > spec.max_length:
        raise CellError(
            _("“%(value)s…” is longer than %(count)s characters.")
            % {"value": text[:20], "count": spec.max_length}
        )
    return text


def currency_of(raw: Any) -> str:
    """The currency an amount cell names by its sign or code, "" when it names none."""
    text = str(raw).strip().upper()
    for sign, code in _CURRENCY_SIGNS.items():
        if sign in text:
            return code
    for code in ("EUR", "USD", "GBP"):
        if text.startswith(code) or text.endswith(code):
            return code
    return ""


def conventions_of(
    kind: Kind, fields: Sequence[str], data: Sequence[Sequence[Any]], *, german: bool
) -> Conventions:
    """The file's decimal separator and day order, read from its number and date columns."""
    numeric = [
        (i, kind.field(f).type == COUNT) for i, f in enumerate(fields) if f and _type(kind, f) in NUMERIC
    ]
    dates = [i for i, f in enumerate(fields) if f and _type(kind, f) in (DATE, MOMENT)]
    evidence = ((row[i], whole) for row in data for i, whole in numeric if i < len(row))
    return Conventions(
        decimal_comma=tabular.decimal_comma_from(evidence, hint=german),
        day_first=tabular.day_first_from(row[i] for row in data for i in dates if i < len(row)),
    )


def _type(kind: Kind, name: str) -> str:
    return kind.field(name).type


def label_lookup(labels: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """{code: labels} turned round into {header-like key of a label: code}, codes included."""
    return tabular.synonym_lookup(labels)


def status_of(raw: str, lookup: dict[str, str], field_name: str) -> str:
    code = lookup.get(tabular.header_key(raw))
    if code is None:
        raise RowError(_("Unknown status “%(status)s”.") % {"status": raw[:60]}, field_name)
    return code


def text(values: dict[str, Any], name: str) -> str:
    return str(values.get(name) or "")


def day(values: dict[str, Any], name: str) -> datetime.date | None:
    value = values.get(name)
    return value if isinstance(value, datetime.date) else None


def commission_from_rate(gmv: Decimal, rate: Decimal | None) -> Decimal | None:
    if rate is None:
        return None
    return (gmv * rate / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
