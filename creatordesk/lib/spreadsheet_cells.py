"""Cells for CSV/XLSX exports that a spreadsheet shows as text and never runs as a formula.

A spreadsheet treats a cell that starts with `=`, `+`, `-` or `@` as a formula, and Excel also
strips a leading TAB or CR before looking; a creator named `=HYPERLINK(...)` would otherwise become a
live link (or worse, a DDE command) in the manager's spreadsheet. The rule and the `'` prefix follow
OWASP's CSV Injection page: https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """`value` fit for one spreadsheet cell: text that could start a formula gets a leading `'`.

    Numbers stay numbers: an int, float or Decimal is written by us, not typed by a user, and a
    negative number such as -2 is read back as the number it is, never as a formula. Only text can
    carry a payload, so `"-2+3"` typed into a form is text and is neutralised.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    """A row of `safe_cell`s, for `csv.writer.writerow` or an openpyxl `append`."""
    return [safe_cell(value) for value in values]
