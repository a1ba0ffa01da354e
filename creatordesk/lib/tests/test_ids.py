from __future__ import annotations

import pytest

from creatordesk.lib.ids import MAX_ID, parse_id


@pytest.mark.parametrize("value", ["1", "42", str(MAX_ID)])
def test_an_id_in_the_64_bit_range_is_read(value: str) -> None:
    assert parse_id(value) == int(value)


@pytest.mark.parametrize(
    "value", [None, "", "0", "-1", str(MAX_ID + 1), str(10**22), "²", "٣", " 1", "1.0", "1e3", "x"]
)
def test_anything_that_cannot_be_an_id_reads_as_none(value: str | None) -> None:
    assert parse_id(value) is None
