"""Numbers as spreadsheets and platforms write them: "1.234,56", "1,234.56", "1,2 Mio.", "3,4 %", "12K".

Which of "," and "." is the decimal separator is decided once per file (`decimal_comma_from`), and
every importer uses that one rule:

1. A cell that can only be read one way is evidence: "12,5", "0,042", "1.234,56" and "1.234.567" say
   decimal comma; "12.5", "1,234.56" and "1,234,567" say decimal point. In a column of whole numbers
   (followers, views) "1.234" is evidence too, since a count has no fraction: it says decimal comma.
2. The side with more evidence wins.
3. Without evidence, or with as much for both, the file's hint decides (a ";"-separated file or German
   column names are German).

A single separator followed by exactly three digits ("1.234", "1,234") then reads as thousands unless it
is the file's decimal separator; anything else is read the one way it can be read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

SUFFIXES = {"k": 1_000, "tsd": 1_000, "tausend": 1_000, "m": 1_000_000, "mio": 1_000_000,
            "mn": 1_000_000, "b": 1_000_000_000, "bn": 1_000_000_000, "mrd": 1_000_000_000}  # fmt: skip
_NUMBER = re.compile(r"([+-]?[\d.,]*\d)([a-z]*)\.?")
_CURRENCY = re.compile(r"^(?:€|\$|£|eur|usd|gbp)|(?:€|\$|£|eur|usd|gbp)$")


class NumberError(ValueError):
    """The cell is not a number in any of the accepted forms."""


def _split(raw: object) -> tuple[str, str] | None:
    text = re.sub(r"[\s'’%\u00a0\u202f]", "", str(raw)).casefold()
    match = _NUMBER.fullmatch(_CURRENCY.sub("", text))
    if not match or match.group(2) not in ("", *SUFFIXES):
        return None
    return match.group(1), match.group(2)


def parse_number(raw: object, *, decimal_comma: bool) -> tuple[Decimal, bool]:
    """The number in a cell and whether it had a k/M/Tsd. suffix ("12,3k", "1.234", "4,5 %", "€1.2M")."""
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        return Decimal(str(raw)), False
    if isinstance(raw, str) and raw.isascii() and raw.isdigit():  # most cells of most files
        return Decimal(raw), False
    parts = _split(raw)
    if parts is None:
        raise NumberError(raw)
    number, suffix = parts
    try:
        value = Decimal(_plain_number(number, has_suffix=bool(suffix), decimal_comma=decimal_comma))
    except InvalidOperation:
        raise NumberError(raw) from None
    if not value.is_finite():
        raise NumberError(raw)
    return value * SUFFIXES.get(suffix, 1), bool(suffix)


def _plain_number(number: str, *, has_suffix: bool, decimal_comma: bool) -> str:
    """Decide which of "," and "." separates decimals, then drop the thousands separators."""
    commas, dots = number.count(","), number.count(".")
    if not commas and not dots:
        return number
    if commas and dots:
        decimal = "," if number.rfind(",") > number.rfind(".") else "."
    elif commas + dots > 1:
        decimal = "." if commas else ","
    else:
        separator = "," if commas else "."
        before, after = number.lstrip("+-").split(separator)
        # "12,5", "0,042" or "1,5k" cannot be thousands groups, whatever the file's language.
        if _could_be_thousands(before, after, has_suffix):
            decimal = "," if decimal_comma else "."
        else:
            decimal = separator
    thousands = "." if decimal == "," else ","
    whole, _sep, fraction = number.partition(decimal)
    groups = whole.lstrip("+-").split(thousands)
    if thousands in fraction or (len(groups) > 1 and not all(len(g) == 3 for g in groups[1:])):
        raise InvalidOperation
    return whole.replace(thousands, "") + ("." + fraction if _sep else "")


def _could_be_thousands(before: str, after: str, has_suffix: bool) -> bool:
    return len(after) == 3 and 0 < len(before) <= 3 and before != "0" and not has_suffix


def _evidence(raw: object, *, whole: bool) -> bool | None:
    """True if the cell can only be read with a decimal comma, False if only with a point, else None."""
    if not isinstance(raw, str):
        return None  # a workbook's numbers are numbers already
    parts = _split(raw)
    if parts is None:
        return None
    number, suffix = parts
    commas, dots = number.count(","), number.count(".")
    if commas and dots:
        return number.rfind(",") > number.rfind(".")
    if commas + dots > 1:
        return dots > 1
    if commas + dots == 0:
        return None
    separator = "," if commas else "."
    before, after = number.lstrip("+-").split(separator)
    if not _could_be_thousands(before, after, bool(suffix)):
        return separator == ","
    # "1.234" followers: a count has no fraction, so the separator groups thousands.
    return separator == "." if whole else None


def decimal_comma_from(cells: Iterable[tuple[object, bool]], *, hint: bool) -> bool:
    """Whether the file writes decimal commas, from (cell, column holds whole numbers) pairs; see above."""
    comma = point = 0
    for raw, whole in cells:
        vote = _evidence(raw, whole=whole)
        if vote is True:
            comma += 1
        elif vote is False:
            point += 1
    if comma == point:
        return hint
    return comma > point
