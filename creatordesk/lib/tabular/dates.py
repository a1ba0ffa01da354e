"""Dates and times as exports write them: ISO, "31.12.2026", "12/31/2026", Excel serial numbers.

Whether "03/04/2026" is the 3rd of April or the 4th of March is decided per file (`day_first_from`):
a cell whose first part is over 12 says day first, one whose second part is over 12 says month first;
without such a cell "." dates are day first (German) and "/" dates month first (US exports).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in); serials in this range are
# the years 1954 to 2119, so a count such as 1000 views is never read as a date.
_EXCEL_EPOCH = datetime.combine(date(1899, 12, 30), time())
_SERIALS = (20_000, 80_000)
_NUMERIC = re.compile(r"(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")


class DateError(ValueError):
    """The cell is not a date in any of the accepted forms."""


def day_first_from(cells: Iterable[object]) -> bool | None:
    """True or False when some cell shows the order of day and month, None when none does."""
    for raw in cells:
        match = _NUMERIC.fullmatch(str(raw).strip()) if isinstance(raw, str) else None
        if match:
            first, second = int(match.group(1)), int(match.group(3))
            if first > 12 >= second:
                return True
            if second > 12 >= first:
                return False
    return None


def parse_moment(raw: object, *, day_first: bool | None = None) -> datetime:
    """A naive or aware datetime for a date cell; `day_first` None means the separator decides."""
    if isinstance(raw, datetime):
        return raw
    if isinstance(raw, date):
        return datetime.combine(raw, time())
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if _SERIALS[0] <= raw <= _SERIALS[1]:
            return _EXCEL_EPOCH + timedelta(days=float(raw))
        raise DateError(raw)
    text = str(raw).strip()
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return parse_moment(float(text))
    try:
        return datetime.fromisoformat(text.replace("/", "-") if re.match(r"\d{4}/", text) else text)
    except ValueError:
        pass
    match = _NUMERIC.fullmatch(text)
    if match is None:
        raise DateError(raw)
    first, separator, second, year, hour, minute, second_s = match.groups()
    first_is_day = day_first if day_first is not None else separator == "."
    day, month = (first, second) if first_is_day else (second, first)
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    try:
        # Cells carry no time zone; the caller knows which one the export was written in.
        wall_clock = time(int(hour or 0), int(minute or 0), int(second_s or 0))
        return datetime.combine(date(full_year, int(month), int(day)), wall_clock)
    except ValueError:
        raise DateError(raw) from None
