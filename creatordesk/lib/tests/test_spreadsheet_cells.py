from __future__ import annotations

from decimal import Decimal

import pytest

from creatordesk.lib.spreadsheet_cells import safe_cell, safe_row


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","click")', "+cmd", "-2+3", "@SUM(1)", "\t=1+1", "\r=1+1", "=", "-"]
)
def test_text_that_could_start_a_formula_gets_a_leading_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["", "Anna", "a=b", " =1+1", "'=1", "{'title': '=x'}", "2026-03-01T12:00:00"]
)
def test_other_text_is_left_as_it_is(text: str) -> None:
    assert safe_cell(text) == text


@pytest.mark.parametrize("number", [-2, -2.5, Decimal("-3.10"), 0, None])
def test_numbers_stay_numbers_even_when_negative(number: object) -> None:
    assert safe_cell(number) is number


def test_a_row_is_neutralised_cell_by_cell() -> None:
    assert safe_row(["=1+1", -1, "ok"]) == ["'=1+1", -1, "ok"]
