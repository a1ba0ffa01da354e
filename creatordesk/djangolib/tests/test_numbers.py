"""Percent figures as each reader's language writes them."""

from __future__ import annotations

import pytest
from django.utils import translation

from creatordesk.djangolib.templatetags.numbers import percent, ratio_percent


@pytest.mark.parametrize(
    ("language", "value", "decimals", "shown"),
    [
        ("de", 40, 0, "40\u00a0%"),
        ("en", 40, 0, "40%"),
        ("de", 1234.56, 1, "1.234,6\u00a0%"),
        ("en", 1234.56, 1, "1,234.6%"),
        ("de", "12.5", 1, "12,5\u00a0%"),
    ],
)
def test_a_percent_reads_as_the_readers_language_writes_it(language, value, decimals, shown) -> None:
    with translation.override(language):
        assert percent(value, decimals) == shown


@pytest.mark.parametrize("value", [None, "", "n/a", float("nan"), float("inf")])
def test_an_unknown_percent_is_a_dash_never_an_error(value) -> None:
    assert percent(value) == "—"


def test_a_share_between_zero_and_one_reads_as_a_percent() -> None:
    with translation.override("de"):
        assert ratio_percent(0.405) == "41\u00a0%"
    assert ratio_percent(None) == "—"
