"""On-screen text is read in every common sticker style: the perception measurement as a test.

The set and the score are those of `python -m tests.engine.perception.stickers` (60 stickers in 20
clips); the first run renders the clips, later runs reuse them.
"""

from __future__ import annotations

import pytest

from tests.engine.perception.stickers import MIN_OUTLINED, MIN_OVERALL, Score, measure, outlined, share, table


@pytest.fixture(scope="module")
def measured() -> tuple[list[Score], int]:
    return measure()


@pytest.mark.media
def test_nearly_every_word_of_every_sticker_style_is_read(measured: tuple[list[Score], int]) -> None:
    scores, stray = measured
    assert share(scores) >= MIN_OVERALL, table(scores, stray)


@pytest.mark.media
def test_outlined_text_without_a_box_over_moving_pictures_is_read(measured: tuple[list[Score], int]) -> None:
    scores, stray = measured
    assert share(outlined(scores)) >= MIN_OUTLINED, table(scores, stray)


@pytest.mark.media
def test_busy_pictures_behind_the_stickers_do_not_turn_into_text(measured: tuple[list[Score], int]) -> None:
    scores, stray = measured
    assert stray <= 2, table(scores, stray)
